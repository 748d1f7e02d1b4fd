/**
 * The world the simulator serves: plain data (subscriptions, resource groups, VMs, scale sets, storage accounts,
 * role assignments, group memberships, Serial Console service state) indexed by lower-case id, because ARM ids
 * are case-insensitive. Routes only read from it; scenarios only build it.
 */
import { builtInRole } from "./roles.mjs";
import { CALLER_OBJECT_ID } from "./builders.mjs";

/**
 * @typedef {{ disabled?: boolean, notFound?: boolean }} ConsoleState  `{}` = the RP returns no `disabled` property
 * @typedef {{ model: any, instanceView: any }} VmRecord
 * @typedef {{
 *   subscriptions: any[], resourceGroups: any[], vms: VmRecord[], scaleSets: any[], storageAccounts: any[],
 *   roleAssignments: any[], groups?: Record<string, string[]>, consoleServices?: Record<string, ConsoleState>,
 *   faults?: import("../faults.mjs").Fault[],
 * }} WorldData
 */

const lower = (s) => s.toLowerCase();
const subOf = (id) => /^\/subscriptions\/([^/]+)/i.exec(id)?.[1]?.toLowerCase();
const rgOf = (id) => /^\/subscriptions\/[^/]+\/resourceGroups\/([^/]+)/i.exec(id)?.[1]?.toLowerCase();

/** Is `outer` the same scope as `inner` or one of its ancestors? */
export function scopeContains(outer, inner) {
  const a = lower(outer).replace(/\/+$/, "");
  const b = lower(inner).replace(/\/+$/, "");
  return a === "" || a === b || b.startsWith(`${a}/`);
}

export class World {
  /** @param {WorldData} data */
  constructor(data) {
    this.data = data;
    this.subscriptions = new Map(data.subscriptions.map((s) => [lower(s.subscriptionId), s]));
    this.resourceGroups = new Map(data.resourceGroups.map((g) => [lower(g.id), g]));
    /** @type {Map<string, VmRecord>} VMs and uniform scale set instances */
    this.vms = new Map(data.vms.map((vm) => [lower(vm.model.id), vm]));
    this.scaleSets = new Map(data.scaleSets.map((s) => [lower(s.id), s]));
    this.storage = new Map(data.storageAccounts.map((a) => [lower(a.id), a]));
    /** Per-subscription lists keep the list APIs O(page) for fleet-sized worlds. */
    this.vmsBySubscription = groupBy(
      data.vms.filter((vm) => vm.model.type === "Microsoft.Compute/virtualMachines"),
      (vm) => subOf(vm.model.id),
    );
    this.storageBySubscription = groupBy(data.storageAccounts, (a) => subOf(a.id));
    this.scaleSetsBySubscription = groupBy(data.scaleSets, (s) => subOf(s.id));
    this.instancesByScaleSet = groupBy(
      data.vms.filter((vm) => vm.model.type === "Microsoft.Compute/virtualMachineScaleSets/virtualMachines"),
      (vm) => lower(vm.model.id.replace(/\/virtualMachines\/[^/]+$/i, "")),
    );
    this.groups = data.groups ?? {};
    this.consoleServices = data.consoleServices ?? {};
    /** Management locks: `{ id, name, type, properties: { level } }`, the scope being the id before /providers/Microsoft.Authorization/locks/. */
    this.locks = data.locks ?? [];
    this.denyAssignments = data.denyAssignments ?? [];
    /** Subscription id (lower case) → the management groups above it, nearest first. */
    this.managementGroups = data.managementGroups ?? {};
    this.unregisteredStorage = new Set((data.storageUnregistered ?? []).map(lower));
    /** `statusOnly=true` rows without the guest agent's fields (osName, osVersion, computerName), as one user reported. */
    this.statusOnlyWithoutGuestFields = data.statusOnlyWithoutGuestFields === true;
  }

  storageUnregistered(subscriptionId) {
    return this.unregisteredStorage.has(lower(subscriptionId));
  }

  /** Locks at or above `scope` (atScope), or also below it. */
  locksAt(scope, atScope) {
    const scopeOf = (lock) => lock.id.replace(/\/providers\/Microsoft\.Authorization\/locks\/[^/]+$/i, "");
    return this.locks.filter((lock) => scopeContains(scopeOf(lock), scope) || (!atScope && scopeContains(scope, scopeOf(lock))));
  }

  /**
   * Deny assignments at, above and below `scope` (Deny Assignments - List without `$filter`,
   * https://learn.microsoft.com/rest/api/authorization/deny-assignments/list).
   */
  denyAssignmentsAt(scope) {
    return this.denyAssignments.filter((d) => this.applies(d.properties.scope, scope) || scopeContains(scope, d.properties.scope));
  }

  /**
   * Is an assignment at `outer` inherited at `inner`? Resource scopes by prefix; a management group when it is
   * above `inner`'s subscription.
   */
  applies(outer, inner) {
    const mg = /^\/providers\/Microsoft\.Management\/managementGroups\/([^/]+)$/i.exec(outer.replace(/\/+$/, ""))?.[1];
    if (mg) return (this.managementGroups[subOf(inner) ?? ""] ?? []).some((g) => lower(g) === lower(mg));
    return scopeContains(outer, inner);
  }

  subscription(id) {
    return this.subscriptions.get(lower(id));
  }

  /** @returns {ConsoleState} */
  consoleService(subscriptionId) {
    return this.consoleServices[lower(subscriptionId)] ?? { disabled: false };
  }

  resourceGroup(subscriptionId, name) {
    return this.resourceGroups.get(lower(`/subscriptions/${subscriptionId}/resourceGroups/${name}`));
  }

  listVms(subscriptionId, resourceGroup) {
    const all = this.vmsBySubscription.get(lower(subscriptionId)) ?? [];
    return resourceGroup === undefined ? all : all.filter((vm) => rgOf(vm.model.id) === lower(resourceGroup));
  }

  listScaleSets(subscriptionId, resourceGroup) {
    const all = this.scaleSetsBySubscription.get(lower(subscriptionId)) ?? [];
    return resourceGroup === undefined ? all : all.filter((s) => rgOf(s.id) === lower(resourceGroup));
  }

  /** Instances of a uniform scale set, in instance id order. */
  listScaleSetVms(scaleSetId) {
    return this.instancesByScaleSet.get(lower(scaleSetId)) ?? [];
  }

  listStorage(subscriptionId, resourceGroup) {
    const all = this.storageBySubscription.get(lower(subscriptionId)) ?? [];
    return resourceGroup === undefined ? all : all.filter((a) => rgOf(a.id) === lower(resourceGroup));
  }

  /** The principal and every group it belongs to (transitively), lower-case. */
  identitiesOf(principalId) {
    const found = new Set([lower(principalId)]);
    let grew = true;
    while (grew) {
      grew = false;
      for (const [group, members] of Object.entries(this.groups)) {
        if (!found.has(lower(group)) && members.some((m) => found.has(lower(m)))) {
          found.add(lower(group));
          grew = true;
        }
      }
    }
    return found;
  }

  /**
   * Role assignments visible from `scope`. `filter`: "atScope" (at or above), `{principalId}` (direct, at/above/below)
   * or `{assignedTo}` (the principal and its groups, at/above/below) — https://learn.microsoft.com/rest/api/authorization/role-assignments/list-for-scope.
   */
  roleAssignments(scope, filter) {
    // Roles an Azure Lighthouse service provider was delegated (`lighthouse: true`) are in no list, yet count in the
    // Permissions API (https://learn.microsoft.com/azure/role-based-access-control/role-assignments-list-rest).
    const listed = this.data.roleAssignments.filter((a) => !a.lighthouse);
    const related = (a) => this.applies(a.properties.scope, scope) || scopeContains(scope, a.properties.scope);
    if (filter === "atScope") return listed.filter((a) => this.applies(a.properties.scope, scope));
    if (filter?.principalId) return listed.filter((a) => related(a) && lower(a.properties.principalId) === lower(filter.principalId));
    if (filter?.assignedTo) {
      const ids = this.identitiesOf(filter.assignedTo);
      return listed.filter((a) => related(a) && ids.has(lower(a.properties.principalId)));
    }
    return listed.filter(related);
  }

  /**
   * What the Permissions API answers for the caller at `scope`: one block per role assigned to the caller (or one of
   * its groups) at or above the scope. This is why it is exact: group memberships are already expanded.
   */
  permissionsAt(scope, principalId = CALLER_OBJECT_ID) {
    const ids = this.identitiesOf(principalId);
    return this.data.roleAssignments
      .filter((a) => ids.has(lower(a.properties.principalId)) && this.applies(a.properties.scope, scope))
      .map((a) => builtInRole(a.properties.roleDefinitionId.split("/").pop() ?? ""))
      .filter((role) => role !== undefined)
      .map((role) => ({ actions: [...role.actions], notActions: [...role.notActions], dataActions: [], notDataActions: [] }));
  }
}

function groupBy(items, key) {
  const map = new Map();
  for (const item of items) {
    const k = key(item);
    if (!map.has(k)) map.set(k, []);
    map.get(k).push(item);
  }
  return map;
}
