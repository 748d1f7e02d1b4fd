/**
 * RBAC facts. For the caller: the Permissions API at the resource scope (exact — it includes group memberships
 * and every role the caller holds; https://learn.microsoft.com/rest/api/authorization/permissions). For `--principal`: role assignments + role definitions,
 * evaluated locally, with what that view cannot see stated as limitations.
 */
import { AzureCallError, type ArmContext } from "./arm.js";
import type { PermissionBlock, PermissionFacts } from "./facts.js";
import { MalformedResponseError, asObject, optArray, optObject, optString, stringArray, type JsonObject } from "./json.js";
import { API, sharedMemo } from "./api.js";

/** Follow `nextLink` pages of an ARM list. */
export async function listAll(
  arm: ArmContext,
  operation: string,
  firstPath: string,
  signal?: AbortSignal,
  maxPages = 1000,
): Promise<JsonObject[]> {
  const items: JsonObject[] = [];
  let next: string | undefined = firstPath;
  for (let page = 0; next && page < maxPages; page++) {
    const body = asObject(await arm.getJson(operation, next, signal), `${operation} response`);
    const value = optArray(body, "value", operation);
    if (!value) throw new AzureCallError(operation, "the list response has no 'value' array", undefined, "MalformedResponse");
    value.forEach((item, index) => items.push(asObject(item, `${operation} value[${index}]`)));
    next = optString(body, "nextLink", operation) || undefined;
  }
  return items;
}

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
export function listPermissions(
  arm: ArmContext,
  scope: string,
  signal?: AbortSignal,
  shared?: Map<string, Promise<unknown>>,
): Promise<PermissionFacts> {
  return sharedMemo(shared, `perm:${scope.toLowerCase()}`, () => readPermissions(arm, scope, signal));
}

async function readPermissions(arm: ArmContext, scope: string, signal?: AbortSignal): Promise<PermissionFacts> {
  const path = `${scope}/providers/Microsoft.Authorization/permissions?api-version=${API.authorization}`;
  const items = await listAll(arm, `permissions at ${scope}`, path, signal);
  return { scope, source: "caller", blocks: items.map((item, i) => mapPermissionBlock(item, `permissions[${i}]`)) };
}

/**
 * Does an assignment listed for `scope` apply there? Resource ids are tested by prefix. A management-group scope
 * (`/providers/Microsoft.Management/managementGroups/<id>`) is never a prefix of a subscription's resource ids, yet ARM
 * lists only the management groups above the scope: those apply by inheritance, as the root `/` does. (The Azure CLI
 * dropped them with a prefix test: https://github.com/Azure/azure-cli/issues/25078, fixed by
 * https://github.com/Azure/azure-cli/pull/30841.)
 */
export const isPrefixScope = (assignmentScope: string, scope: string): boolean => {
  const a = assignmentScope.toLowerCase().replace(/\/+$/, "");
  const s = scope.toLowerCase();
  if (a.startsWith("/providers/microsoft.management/managementgroups/")) return true;
  return a === "" || a === "/" || s === a || s.startsWith(`${a}/`);
};

/** A role definition (name and permission blocks), read once per run when `shared` is given. */
export async function roleDefinition(arm: ArmContext, id: string, signal: AbortSignal | undefined, shared?: Map<string, Promise<unknown>>) {
  return sharedMemo(shared, `roledef:${id.toLowerCase()}`, async () => {
    const body = asObject(await arm.getJson(`role definition ${id}`, `${id}?api-version=${API.authorization}`, signal), "role definition");
    const properties = optObject(body, "properties", "role definition");
    // A definition without its permissions says nothing about them: malformed, not "this role grants nothing".
    if (!Array.isArray(properties?.["permissions"]))
      throw new MalformedResponseError(`role definition ${id} has no properties.permissions`);
    const blocks = (optArray(properties, "permissions", "roleDefinition.properties") ?? []).map((item, i) =>
      mapPermissionBlock(asObject(item, `permissions[${i}]`), `roleDefinition.permissions[${i}]`),
    );
    return { name: optString(properties, "roleName", "roleDefinition.properties") ?? id, blocks };
  });
}

/** The role assignments listed for a principal at a scope, and what that listing cannot see. */
export interface PrincipalAssignments {
  assignments: JsonObject[];
  limitations: string[];
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
  const base = `${scope}/providers/Microsoft.Authorization/roleAssignments?api-version=${API.authorization}`;
  const limitations = ["deny assignments are not evaluated", "conditions on role assignments (ABAC) are not evaluated"];
  try {
    // assignedTo() includes assignments made to groups the principal belongs to (transitively).
    return {
      assignments: await listAll(arm, "role assignments", `${base}&$filter=${encodeURIComponent(`assignedTo('${principalId}')`)}`, signal),
      limitations,
    };
  } catch (error) {
    if (!(error instanceof AzureCallError) || error.status !== 400) throw error;
    const assignments = await listAll(
      arm,
      "role assignments",
      `${base}&$filter=${encodeURIComponent(`principalId eq '${principalId}'`)}`,
      signal,
    );
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
  options: { signal?: AbortSignal; shared?: Map<string, Promise<unknown>> },
): Promise<PermissionFacts> {
  const applicable = listed.assignments.filter((assignment) => {
    const properties = optObject(assignment, "properties", "role assignment");
    // Dropping an assignment we cannot read would turn missing data into "no role": malformed instead.
    if (!properties) throw new MalformedResponseError("a role assignment has no properties");
    const assignee = optString(properties, "principalId", "roleAssignment.properties") ?? "";
    const type = optString(properties, "principalType", "roleAssignment.properties") ?? "";
    const assignmentScope = optString(properties, "scope", "roleAssignment.properties") ?? "";
    return (assignee.toLowerCase() === principalId.toLowerCase() || type === "Group") && isPrefixScope(assignmentScope, scope);
  });
  const definitions = await Promise.all(
    applicable.map((assignment) => {
      const id = optString(optObject(assignment, "properties", "role assignment"), "roleDefinitionId", "roleAssignment.properties");
      if (!id) throw new AzureCallError("role assignments", "a role assignment has no roleDefinitionId", undefined, "MalformedResponse");
      return roleDefinition(arm, id, options.signal, options.shared);
    }),
  );
  return {
    scope,
    source: "principal",
    principalId,
    blocks: definitions.flatMap((definition) => definition.blocks),
    // Sorted: the order Azure lists assignments in is not part of the answer.
    roles: [...new Set(definitions.map((definition) => definition.name))].sort(),
    limitations: [...listed.limitations],
  };
}

/** Role assignments of `principalId` that apply at `scope` (at or above it), with their role definitions. */
export async function principalPermissions(
  arm: ArmContext,
  scope: string,
  principalId: string,
  options: { signal?: AbortSignal; shared?: Map<string, Promise<unknown>> },
): Promise<PermissionFacts> {
  return principalPermissionsFrom(
    arm,
    scope,
    principalId,
    await listPrincipalAssignments(arm, scope, principalId, options.signal),
    options,
  );
}
