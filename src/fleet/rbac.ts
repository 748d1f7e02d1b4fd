/**
 * The caller's RBAC at fleet scale, exact and cheap. The Permissions API (what `sc-doctor --vm` asks, at the VM and
 * the storage account) reports every role the caller holds at a scope, inherited ones and group memberships
 * included. Going down the scope tree can only *add* role blocks (NotActions subtract within a block; deny
 * assignments are reported by no Permissions API scope, for `--vm` either), so:
 *   1. if the subscription grants every action needed, so does each resource in it — one call per subscription;
 *   2. else if the resource group does — its permissions are the subscription's plus the roles assigned at the group
 *      itself; when every assignment there names the caller directly (no group, no condition) those roles are read
 *      from the subscription's role-assignment list and their definitions (shared), else one call per group; a
 *      derived answer that falls short is asked of the Permissions API at the group (Lighthouse roles are unlisted);
 *   3. else if no role assignment (for anyone) exists at the resource itself, its permissions are the group's —
 *      one role-assignment list per subscription, read once;
 *   4. else (or when the list cannot be read) the Permissions API at the resource, as `--vm` does.
 * Every answer equals the resource-scope answer, so the rbac checks' findings are identical to `--vm`'s.
 * `--principal` uses the single-VM role-assignment evaluation over one assignment list per subscription (see
 * `principalPermissionsAt`; its limitations — deny assignments, ABAC conditions — are stated in the evidence).
 */
import type { ArmContext } from "../azure/arm.js";
import type { PermissionFacts } from "../azure/facts.js";
import { optObject, optString, type JsonObject } from "../azure/json.js";
import {
  listPermissions,
  listRoleAssignments,
  listPrincipalAssignments,
  principalPermissions,
  principalPermissionsFrom,
  roleDefinition,
} from "../azure/permissions.js";
import { parseArmId, parseVmResourceId } from "../azure/resource-id.js";
import { missingActions } from "../checks/support/permissions.js";

import type { RunCache, SubscriptionAssignments } from "../azure/run-cache.js";

type Shared = RunCache;

/** `/subscriptions/{s}` and `/subscriptions/{s}/resourceGroups/{rg}` of a resource id (lower-case). */
export function parentScopes(resourceId: string): { subscription: string; resourceGroup: string } | undefined {
  const { subscriptionId, resourceGroup } = parseArmId(resourceId);
  if (!subscriptionId || !resourceGroup) return undefined;
  const subscription = `/subscriptions/${subscriptionId}`.toLowerCase();
  return { subscription, resourceGroup: `${subscription}/resourcegroups/${resourceGroup.toLowerCase()}` };
}

/**
 * Answers at a scope only one VM asks about (an ordinary VM's own id) are not kept for the rest of the audit:
 * audit-wide memory must not grow with the fleet. Scale sets and storage accounts serve many VMs: shared.
 */
function sharedFor(scope: string, shared: Shared): Shared | undefined {
  try {
    return parseVmResourceId(scope).kind === "vm" ? undefined : shared;
  } catch {
    return shared;
  }
}

/**
 * A shortcut scope's answer, or undefined when it cannot be had (the subscription scope is outside the spec,
 * https://learn.microsoft.com/rest/api/authorization/permissions): a shortcut that fails only means asking the resource itself, whose answer — or error — is `--vm`'s.
 */
function shortcut(arm: ArmContext, scope: string, shared: Shared, signal?: AbortSignal): Promise<PermissionFacts | undefined> {
  return listPermissions(arm, scope, signal, shared).catch(() => undefined);
}

const properties = (row: JsonObject) => optObject(row, "properties", "role assignment");

function subscriptionAssignments(
  arm: ArmContext,
  subscriptionScope: string,
  shared: Shared,
  signal?: AbortSignal,
): Promise<SubscriptionAssignments | undefined> {
  return shared.subscriptionAssignments.get(subscriptionScope, async () => {
    try {
      // No $filter: assignments at, above and below the scope, for every principal (https://learn.microsoft.com/rest/api/authorization/role-assignments/list-for-scope).
      const rows = await listRoleAssignments(arm, subscriptionScope, undefined, signal);
      const listed: SubscriptionAssignments = { resourceScopes: new Set(), atGroup: new Map() };
      for (const row of rows) {
        const scope = optString(properties(row), "scope", "roleAssignment.properties")?.toLowerCase();
        // A row that does not say where it is assigned may be at any resource: the list cannot rule one out.
        if (!scope) return undefined;
        if (/\/resourcegroups\/[^/]+\/providers\//.test(scope)) listed.resourceScopes.add(scope);
        else if (/^\/subscriptions\/[^/]+\/resourcegroups\/[^/]+$/.test(scope)) {
          const atGroup = listed.atGroup.get(scope);
          if (atGroup) atGroup.push(row);
          else listed.atGroup.set(scope, [row]);
        }
      }
      return listed;
    } catch {
      return undefined; // cannot tell which scopes have their own assignments: ask the Permissions API there
    }
  });
}

/** Principal types that are one identity (https://learn.microsoft.com/rest/api/authorization/role-assignments/get): an assignment to another id of these types is not the caller's. */
const SINGLE_IDENTITY = new Set(["User", "ServicePrincipal"]);

/**
 * The caller's permissions at a resource group, derived: the subscription's Permissions API answer (everything at
 * and above the subscription, groups included) plus the role definitions of the assignments made at the group
 * itself to the caller. Undefined — ask the Permissions API — when an assignment there could apply through a group
 * membership, carries a condition, or anything cannot be read.
 */
async function derivedGroupPermissions(
  arm: ArmContext,
  groupScope: string,
  atSubscription: PermissionFacts,
  listed: SubscriptionAssignments,
  callerObjectId: string,
  shared: Shared,
  signal?: AbortSignal,
): Promise<PermissionFacts | undefined> {
  const caller = callerObjectId.toLowerCase();
  const definitionIds: string[] = [];
  for (const row of listed.atGroup.get(groupScope) ?? []) {
    const props = properties(row);
    const principal = (optString(props, "principalId", "roleAssignment.properties") ?? "").toLowerCase();
    const type = optString(props, "principalType", "roleAssignment.properties") ?? "";
    const condition = props?.["condition"];
    const definition = optString(props, "roleDefinitionId", "roleAssignment.properties");
    if (principal === caller && (condition === undefined || condition === null) && definition) definitionIds.push(definition);
    else if (principal === caller || !SINGLE_IDENTITY.has(type)) return undefined;
  }
  try {
    const definitions = await Promise.all(definitionIds.map((id) => roleDefinition(arm, id, signal, shared)));
    return { scope: groupScope, source: "caller", blocks: [...atSubscription.blocks, ...definitions.flatMap((d) => d.blocks)] };
  } catch {
    return undefined;
  }
}

/** Group answers `derivedGroupPermissions` made, not the Permissions API (weak: they go with their group's slot). */
const derivedAnswers = new WeakSet<PermissionFacts>();

/** The caller's permissions at a resource group (shared per group): derived when that is exact, else the Permissions API. */
function groupPermissions(
  arm: ArmContext,
  scopes: { subscription: string; resourceGroup: string },
  atSubscription: PermissionFacts | undefined,
  callerObjectId: string | undefined,
  shared: Shared,
  signal?: AbortSignal,
): Promise<PermissionFacts | undefined> {
  return shared.groupPermissions.get(scopes.resourceGroup, async () => {
    const listed = atSubscription && callerObjectId ? await subscriptionAssignments(arm, scopes.subscription, shared, signal) : undefined;
    const derived =
      atSubscription && listed && callerObjectId
        ? await derivedGroupPermissions(arm, scopes.resourceGroup, atSubscription, listed, callerObjectId, shared, signal)
        : undefined;
    if (derived) derivedAnswers.add(derived);
    return derived ?? shortcut(arm, scopes.resourceGroup, shared, signal);
  });
}

/** Permissions of the caller at `resourceId`, good enough to judge `required` exactly (see module comment). */
export async function callerPermissionsAt(
  arm: ArmContext,
  resourceId: string,
  required: readonly string[],
  shared: Shared,
  signal?: AbortSignal,
  callerObjectId?: string,
): Promise<PermissionFacts> {
  const parents = parentScopes(resourceId);
  const asResource = (facts: PermissionFacts): PermissionFacts => ({ ...facts, scope: resourceId });
  const grants = (facts: PermissionFacts | undefined): facts is PermissionFacts =>
    facts !== undefined && missingActions(facts.blocks, required).length === 0;
  if (parents) {
    const atSubscription = await shortcut(arm, parents.subscription, shared, signal);
    if (grants(atSubscription)) return asResource(atSubscription);
    let atGroup = await groupPermissions(arm, parents, atSubscription, callerObjectId, shared, signal);
    if (grants(atGroup)) return asResource(atGroup);
    // Roles Azure Lighthouse delegates to a resource group are in no role-assignment list the caller can read ("role
    // assignments authorized by that service provider won't be shown",
    // https://learn.microsoft.com/azure/role-based-access-control/role-assignments-list-rest), yet the Permissions
    // API counts them: a derived answer that lacks an action is asked there. Lighthouse delegates at subscriptions
    // and resource groups only (https://learn.microsoft.com/azure/lighthouse/concepts/architecture), so below the
    // group the list is whole again.
    if (atGroup && derivedAnswers.has(atGroup)) atGroup = await shortcut(arm, parents.resourceGroup, shared, signal);
    const assigned = atGroup && (await subscriptionAssignments(arm, parents.subscription, shared, signal))?.resourceScopes;
    const id = resourceId.toLowerCase();
    if (atGroup && assigned && ![...assigned].some((scope) => id === scope || id.startsWith(`${scope}/`))) return asResource(atGroup);
  }
  return listPermissions(arm, resourceId, signal, sharedFor(resourceId, shared));
}

/**
 * `--principal`: the single-VM evaluation (role assignments + definitions), with the assignments listed once per
 * subscription instead of once per resource — the same assignments apply (see `listPrincipalAssignments`). If the
 * subscription-wide list cannot be read, each resource is asked as `--vm` would.
 */
export async function principalPermissionsAt(
  arm: ArmContext,
  scope: string,
  principal: string,
  shared: Shared,
  signal?: AbortSignal,
): Promise<PermissionFacts> {
  const subscription = parentScopes(scope)?.subscription;
  const listed = subscription
    ? await shared.principalAssignments
        .get(`${principal}|${subscription}`, () => listPrincipalAssignments(arm, subscription, principal, signal))
        .catch(() => undefined)
    : undefined;
  // Evaluated per VM from the listed assignments (role definitions are shared): nothing kept per scope.
  return listed
    ? principalPermissionsFrom(arm, scope, principal, listed, { signal, shared })
    : principalPermissions(arm, scope, principal, { signal, shared });
}
