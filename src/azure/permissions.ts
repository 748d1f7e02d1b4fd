/**
 * RBAC facts. For the caller: the Permissions API at the resource scope (exact — it includes group memberships
 * and every role the caller holds; https://learn.microsoft.com/rest/api/authorization/permissions). For `--principal`: role assignments + role definitions,
 * evaluated locally, with what that view cannot see stated as limitations.
 */
import { AzureCallError, type ArmContext } from "./arm.js";
import type { PermissionBlock, PermissionFacts, SubscriptionFacts } from "./facts.js";
import { MalformedResponseError, asObject, optArray, optObject, optString, stringArray, type JsonObject } from "./json.js";
import { API } from "./api.js";
import { rawList, readBody, readPages } from "./read.js";
import { cached, type PrincipalAssignments, type RoleDefinitionFacts, type RunCache } from "./run-cache.js";
import { parseArmId, parseResourceScope } from "./resource-id.js";
import { subscriptionFacts } from "./subscription.js";
import { trimTrailingSlashes } from "../trim.js";

export type { PrincipalAssignments } from "./run-cache.js";

export function mapPermissionBlock(item: JsonObject, what: string): PermissionBlock {
  // The Permissions API and role definitions always send `actions` (possibly empty): a block without it is a
  // malformed answer, and reading it as "no action granted" would turn missing data into a false `fail`.
  if (!Array.isArray(item["actions"])) throw new MalformedResponseError(`${what}.actions is missing`);
  return {
    actions: stringArray(optArray(item, "actions", what), `${what}.actions`),
    notActions: stringArray(optArray(item, "notActions", what), `${what}.notActions`),
    dataActions: stringArray(optArray(item, "dataActions", what), `${what}.dataActions`),
    notDataActions: stringArray(optArray(item, "notDataActions", what), `${what}.notDataActions`),
  };
}

/** The caller's permissions at `scope` (Permissions API), read once per scope when `shared` is given. */
export function listPermissions(arm: ArmContext, scope: string, signal?: AbortSignal, shared?: RunCache): Promise<PermissionFacts> {
  return cached(shared?.permissions, scope.toLowerCase(), () => readPermissions(arm, scope, signal));
}

/**
 * The Permissions API of the spec (and so of the generated client) exists at resource-group and resource scope
 * (https://learn.microsoft.com/rest/api/authorization/permissions). Resource Manager answers at subscription scope
 * too, which the audit uses as a shortcut: that one call is raw (a documented exception).
 */
async function readPermissions(arm: ArmContext, scope: string, signal?: AbortSignal): Promise<PermissionFacts> {
  const operation = `permissions at ${scope}`;
  const parsed = parseResourceScope(scope);
  let items: JsonObject[];
  if (parsed) {
    const client = await arm.clients.authorization(parsed.subscriptionId);
    const { resource } = parsed;
    items = await readPages(
      operation,
      (options) =>
        resource
          ? client.permissions.listForResource(
              parsed.resourceGroup,
              resource.provider,
              resource.parentPath,
              resource.type,
              resource.name,
              options,
            )
          : client.permissions.listForResourceGroup(parsed.resourceGroup, options),
      signal,
    );
  } else {
    items = await readPages(
      operation,
      rawList(arm, operation, `${scope}/providers/Microsoft.Authorization/permissions?api-version=${API.authorization}`),
      signal,
    );
  }
  return { scope, source: "caller", blocks: items.map((item, i) => mapPermissionBlock(item, `permissions[${i}]`)) };
}

/**
 * Does an assignment listed for `scope` apply there? Resource ids are tested by prefix. A management-group scope
 * (`/providers/Microsoft.Management/managementGroups/<id>`) is never a prefix of a subscription's resource ids, yet ARM
 * lists only the management groups above the scope: those apply by inheritance, as the root `/` does. (The Azure CLI
 * dropped them with a prefix test: https://github.com/Azure/azure-cli/issues/25078, fixed by
 * https://github.com/Azure/azure-cli/pull/30841.)
 */
export const isPrefixScope = (assignmentScope: string, scope: string): boolean => coversScopes(assignmentScope)(scope.toLowerCase());

/**
 * `isPrefixScope` with its assignment scope prepared once: the test of a lower-case scope. For a list judged against
 * every VM of an audit (deny assignments), where rebuilding the prefix per VM was most of the time.
 */
export function coversScopes(assignmentScope: string): (scope: string) => boolean {
  const a = trimTrailingSlashes(assignmentScope.toLowerCase());
  if (a === "" || a === "/" || a.startsWith("/providers/microsoft.management/managementgroups/")) return () => true;
  const prefix = `${a}/`;
  return (scope) => scope === a || scope.startsWith(prefix);
}

/**
 * A role definition (name and permission blocks), read once per id per run when `shared` is given. Not once per
 * role (its GUID): the same role under another subscription's id is another read, which that subscription may
 * refuse, and a VM's result must not depend on which other subscriptions the run also holds (`--vm`, shards).
 */
export async function roleDefinition(
  arm: ArmContext,
  id: string,
  signal: AbortSignal | undefined,
  shared?: RunCache,
): Promise<RoleDefinitionFacts> {
  return cached(shared?.roleDefinitions, id.toLowerCase(), () => readRoleDefinition(arm, id, signal));
}

async function readRoleDefinition(arm: ArmContext, id: string, signal: AbortSignal | undefined): Promise<RoleDefinitionFacts> {
  const client = await arm.clients.authorization();
  // getById takes the id without its leading "/" (the client's path template adds it).
  const body = asObject(
    await readBody(`role definition ${id}`, (options) => client.roleDefinitions.getById(id.replace(/^\/+/, ""), options), signal),
    "role definition",
  );
  const properties = optObject(body, "properties", "role definition");
  // A definition without its permissions says nothing about them: malformed, not "this role grants nothing".
  if (!Array.isArray(properties?.["permissions"])) throw new MalformedResponseError(`role definition ${id} has no properties.permissions`);
  const blocks = (optArray(properties, "permissions", "roleDefinition.properties") ?? []).map((item, i) =>
    mapPermissionBlock(asObject(item, `permissions[${i}]`), `roleDefinition.permissions[${i}]`),
  );
  return { name: optString(properties, "roleName", "roleDefinition.properties") ?? id, blocks };
}

/**
 * Role assignments at `scope` (RoleAssignments_ListForScope: at, above and below it), with an optional `$filter`
 * (https://learn.microsoft.com/rest/api/authorization/role-assignments/list-for-scope).
 */
export async function listRoleAssignments(
  arm: ArmContext,
  scope: string,
  filter: string | undefined,
  signal?: AbortSignal,
): Promise<JsonObject[]> {
  const client = await arm.clients.authorization();
  // listForScope takes the scope without its leading "/" (the client's path template adds it).
  return readPages(
    "role assignments",
    (options) => client.roleAssignments.listForScope(scope.replace(/^\/+/, ""), filter === undefined ? options : { ...options, filter }),
    signal,
  );
}

/**
 * Role assignments of `principalId` at, above and below `scope`. Listing once at a subscription and evaluating
 * each resource below it (`principalPermissionsFrom`) gives exactly what listing at each resource gives; the
 * audit does that.
 */
export async function listPrincipalAssignments(
  arm: ArmContext,
  scope: string,
  principalId: string,
  signal?: AbortSignal,
): Promise<PrincipalAssignments> {
  const limitations = ["deny assignments are not evaluated", "conditions on role assignments (ABAC) are not evaluated"];
  try {
    // assignedTo() includes assignments made to groups the principal belongs to (transitively).
    return { assignments: await listRoleAssignments(arm, scope, `assignedTo('${principalId}')`, signal), limitations };
  } catch (error) {
    if (!(error instanceof AzureCallError) || error.status !== 400) throw error;
    const assignments = await listRoleAssignments(arm, scope, `principalId eq '${principalId}'`, signal);
    return {
      assignments,
      limitations: ["group memberships are not expanded: only roles assigned directly to the principal are seen", ...limitations],
    };
  }
}

/** The permissions `listed` assignments give `principalId` at `scope` (those at or above it), with their role definitions. */
export async function principalPermissionsFrom(
  arm: ArmContext,
  scope: string,
  principalId: string,
  listed: PrincipalAssignments,
  options: { signal?: AbortSignal; shared?: RunCache },
): Promise<PermissionFacts> {
  const applicable = listed.assignments.filter((assignment) => {
    const properties = optObject(assignment, "properties", "role assignment");
    // Dropping an assignment we cannot read would turn missing data into "no role": malformed instead.
    if (!properties) throw new MalformedResponseError("a role assignment has no properties");
    // Required by the spec; absent, it is not the root scope ("/"), which would make it apply everywhere.
    const assignmentScope = optString(properties, "scope", "roleAssignment.properties");
    if (assignmentScope === undefined) throw new MalformedResponseError("a role assignment has no properties.scope");
    // Every row is the principal's: its own, or a group's it belongs to (assignedTo), whatever its optional
    // principalType says (Group, ForeignGroup, or none at all): the filter chose them.
    return isPrefixScope(assignmentScope, scope);
  });
  const definitions = await Promise.all(
    applicable.map((assignment) => {
      const id = optString(optObject(assignment, "properties", "role assignment"), "roleDefinitionId", "roleAssignment.properties");
      if (!id) throw new AzureCallError("role assignments", "a role assignment has no roleDefinitionId", undefined, "MalformedResponse");
      return roleDefinition(arm, id, options.signal, options.shared);
    }),
  );
  const subscriptionId = parseArmId(scope).subscriptionId;
  // The run's shared read (the subscription-state check's); unread, nothing is said of Lighthouse.
  const subscription = subscriptionId
    ? await subscriptionFacts(arm, subscriptionId, options.signal, options.shared).catch(() => undefined)
    : undefined;
  return withLighthouseNote(
    {
      scope,
      source: "principal",
      principalId,
      blocks: definitions.flatMap((definition) => definition.blocks),
      // Sorted: the order Azure lists assignments in is not part of the answer.
      roles: [...new Set(definitions.map((definition) => definition.name))].sort(),
      limitations: [...listed.limitations],
    },
    subscription,
  );
}

/** Role assignments of `principalId` that apply at `scope` (at or above it), with their role definitions. */
export async function principalPermissions(
  arm: ArmContext,
  scope: string,
  principalId: string,
  options: { signal?: AbortSignal; shared?: RunCache },
): Promise<PermissionFacts> {
  return principalPermissionsFrom(
    arm,
    scope,
    principalId,
    await listPrincipalAssignments(arm, scope, principalId, options.signal),
    options,
  );
}

/** How a principal's role view says that Azure Lighthouse delegations are not in it (judged as a blind spot). */
export const LIGHTHOUSE_LIMITATION = "roles delegated through Azure Lighthouse are not listed";

/**
 * `--principal` in a subscription that service providers manage through Azure Lighthouse: "role assignments
 * authorized by that service provider won't be shown" in the role-assignment list
 * (https://learn.microsoft.com/azure/role-based-access-control/role-assignments-list-rest), so a principal of theirs
 * may hold roles that list does not show — a stated limitation. `subscription` undefined (unread): nothing said.
 */
function withLighthouseNote(facts: PermissionFacts, subscription: SubscriptionFacts | undefined): PermissionFacts {
  const managers = subscription?.managedByTenants ?? [];
  if (managers.length === 0) return facts;
  const note = `${LIGHTHOUSE_LIMITATION} (subscription ${subscription?.subscriptionId ?? ""} is managed by tenant ${managers.join(", ")})`;
  return { ...facts, limitations: [...(facts.limitations ?? []), note] };
}
