/**
 * Deny assignments: "block users from performing specific actions even if a role assignment grants them access"
 * (https://learn.microsoft.com/azure/role-based-access-control/deny-assignments) — deployment stacks' deny settings,
 * managed applications, user-created ones. The Permissions API does not reflect them, so they are listed per
 * subscription (at, above and below it: Deny Assignments - List, no `$filter`,
 * https://learn.microsoft.com/rest/api/authorization/deny-assignments/list) and judged in src/checks/support/deny.ts.
 * Reading them needs `Microsoft.Authorization/denyAssignments/read` (in Reader's `*\/read`); refused at the
 * subscription (a role on a resource group only), they are read at the judged resource's own scope instead.
 */
import { AzureCallError, type ArmContext } from "./arm.js";
import type { DenyAssignmentFacts, DenyAssignmentList, PermissionFacts } from "./facts.js";
import { MalformedResponseError, asObject, isObject, optArray, optObject, optString, stringArray, type JsonObject } from "./json.js";
import { parseArmId } from "./resource-id.js";
import { readPages } from "./read.js";
import { cached, type RunCache } from "./run-cache.js";

/**
 * The deny assignments of `subscriptionId` (read once per run with `shared`). A row that cannot be read (no scope,
 * no permissions) is skipped with the reason, not taken for "none", and does not cost the others their judgement.
 */
export function listDenyAssignments(
  arm: ArmContext,
  subscriptionId: string,
  signal?: AbortSignal,
  shared?: RunCache,
): Promise<DenyAssignmentList> {
  return cached(shared?.denyAssignments, subscriptionId.toLowerCase(), async () => {
    const client = await arm.clients.authorization(subscriptionId);
    return mapRows(
      await readPages(`deny assignments of subscription ${subscriptionId}`, (options) => client.denyAssignments.list(options), signal),
    );
  });
}

/**
 * The deny assignments at, above and below one resource `scope` (Deny Assignments - List For Scope,
 * https://learn.microsoft.com/rest/api/authorization/deny-assignments/list-for-scope): readable with a role on the
 * resource or its group alone, where the subscription's list is refused. The client's path is `/{scope}/…`: the
 * scope goes without its leading slash (`subscriptions/…`, as the SDK's samples give it), else the URL starts `//`.
 */
function listDenyAssignmentsAt(arm: ArmContext, scope: string, signal?: AbortSignal, shared?: RunCache): Promise<DenyAssignmentList> {
  const subscriptionId = parseArmId(scope).subscriptionId ?? "";
  return cached(shared?.denyAssignments, scope.toLowerCase(), async () => {
    const client = await arm.clients.authorization(subscriptionId);
    return mapRows(
      await readPages(
        `deny assignments at ${scope}`,
        (options) => client.denyAssignments.listForScope(scope.replace(/^\/+/, ""), options),
        signal,
      ),
    );
  });
}

/** The rows as facts; a row that cannot be read is skipped with the reason (the others are judged). */
function mapRows(rows: JsonObject[]): DenyAssignmentList {
  const listed: DenyAssignmentFacts[] = [];
  const skipped: string[] = [];
  rows.forEach((row, i) => {
    try {
      listed.push(mapDenyAssignment(row, `denyAssignments[${i}]`));
    } catch (error) {
      if (!(error instanceof MalformedResponseError)) throw error;
      skipped.push(error.message);
    }
  });
  return skipped.length > 0 ? { listed, skipped } : { listed };
}

function principalsOf(properties: JsonObject, field: string, what: string): { id: string; type: string }[] {
  return (optArray(properties, field, what) ?? []).map((entry, i) => {
    const principal = asObject(entry, `${what}.${field}[${i}]`);
    const id = optString(principal, "id", `${what}.${field}[${i}]`);
    if (!id) throw new MalformedResponseError(`${what}.${field}[${i}].id is missing`);
    return { id: id.toLowerCase(), type: optString(principal, "type", `${what}.${field}[${i}]`) ?? "" };
  });
}

export function mapDenyAssignment(row: JsonObject, what: string): DenyAssignmentFacts {
  const properties = optObject(row, "properties", what);
  const scope = properties && optString(properties, "scope", `${what}.properties`);
  // Without its scope or permissions a deny assignment cannot be placed or judged: a malformed answer, not "none".
  if (!properties || !scope) throw new MalformedResponseError(`${what}.properties.scope is missing`);
  const permissions = optArray(properties, "permissions", `${what}.properties`);
  if (!permissions) throw new MalformedResponseError(`${what}.properties.permissions is missing`);
  const condition = properties["condition"];
  return {
    name: optString(properties, "denyAssignmentName", `${what}.properties`) ?? optString(row, "name", what) ?? "(unnamed)",
    scope,
    doNotApplyToChildScopes: properties["doNotApplyToChildScopes"] === true,
    principals: principalsOf(properties, "principals", `${what}.properties`),
    excludePrincipals: principalsOf(properties, "excludePrincipals", `${what}.properties`),
    blocks: permissions.map((block, i) => {
      const item = asObject(block, `${what}.properties.permissions[${i}]`);
      return {
        actions: stringArray(optArray(item, "actions", `${what}.permissions[${i}]`), `${what}.permissions[${i}].actions`),
        notActions: stringArray(optArray(item, "notActions", `${what}.permissions[${i}]`), `${what}.permissions[${i}].notActions`),
      };
    }),
    conditional:
      (typeof condition === "string" && condition !== "") ||
      permissions.some((block) => isObject(block) && typeof block["condition"] === "string" && block["condition"] !== ""),
  };
}

/** `permissions` (the role view at `scope`, either kind) with the deny assignments that bear on `scope`, read alongside. */
export async function withDenyAssignments(
  arm: ArmContext,
  scope: string,
  permissions: Promise<PermissionFacts>,
  signal?: AbortSignal,
  shared?: RunCache,
): Promise<PermissionFacts> {
  const [facts, denyAssignments] = await Promise.all([permissions, denyAssignmentsAt(arm, scope, signal, shared)]);
  return { ...facts, denyAssignments };
}

/**
 * The deny assignments that bear on `scope`: its subscription's, or why they could not be read — never thrown (the
 * permissions stand, and the checks say what they could not see). Rejects when `signal` aborted or the list timed out.
 */
export async function denyAssignmentsAt(
  arm: ArmContext,
  scope: string,
  signal?: AbortSignal,
  shared?: RunCache,
): Promise<PermissionFacts["denyAssignments"]> {
  const subscriptionId = parseArmId(scope).subscriptionId;
  if (!subscriptionId) return undefined;
  try {
    return await listDenyAssignments(arm, subscriptionId, signal, shared).catch((error: unknown) => {
      // Refused at the subscription (a role on the resource group only): ask at the resource itself.
      if (
        error instanceof AzureCallError &&
        error.status === 403 &&
        scope.toLowerCase() !== `/subscriptions/${subscriptionId.toLowerCase()}`
      )
        return listDenyAssignmentsAt(arm, scope, signal, shared);
      throw error;
    });
  } catch (error) {
    // A timeout is not kept as data every later VM of an audit would be judged on: the checks say `error`, as --vm's.
    if (signal?.aborted || (error instanceof AzureCallError && error.code === "RequestTimeout")) throw error;
    if (!(error instanceof AzureCallError)) return { unreadable: error instanceof Error ? error.message : String(error) };
    const { status, code } = error;
    // Where the API is not offered (404, 400: a cloud without it), there are none: the roles are judged alone. A
    // caller refused the list (401, 403 without Microsoft.Authorization/denyAssignments/read) may be denied by one it
    // cannot see, and 408, 429 or 5xx past the retries leave it unknown too: the checks cannot evaluate (`error`).
    const notOffered = status !== undefined && status >= 400 && status < 500 && ![401, 403, 408, 429].includes(status);
    return notOffered
      ? { unreadable: error.describe(), notOffered: [status, code].filter(Boolean).join(" ") }
      : { unreadable: error.describe() };
  }
}
