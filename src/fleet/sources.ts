/**
 * Enumeration in bulk. `graph`: Resource Graph brings every VM (model + power state) and the storage accounts
 * they use in a handful of queries. `arm` (clouds without Resource Graph): the list APIs — VMs per subscription
 * with `statusOnly=true` (instance views included), storage accounts per subscription.
 */
import type { ArmContext } from "../azure/arm.js";
import { API, sharedMemo } from "../azure/api.js";
import type { VmFacts } from "../azure/facts.js";
import { optObject, optString, type JsonObject } from "../azure/json.js";
import { storageAccountNameFromUri } from "../azure/map-storage.js";
import { mapVm, powerStatusFromGraph } from "../azure/map-vm.js";
import { listAll } from "../azure/permissions.js";
import { parseVmResourceId, type VmRef } from "../azure/resource-id.js";
import { graphQuery, storageQuery, vmQuery, type VmQueryScope } from "./graph.js";

export type Source = "graph" | "arm";

/** One VM to audit: its id and either its facts or why they could not be read. */
export interface FleetVm {
  id: string;
  ref?: VmRef;
  facts?: VmFacts;
  problem?: string;
}

export async function listSubscriptions(arm: ArmContext, signal?: AbortSignal): Promise<string[]> {
  const subs = await listAll(arm, "subscriptions", `/subscriptions?api-version=${API.subscriptions}`, signal);
  return subs
    .filter((s) => (optString(s, "state", "subscription") ?? "Enabled") !== "Deleted")
    .map((s) => (optString(s, "subscriptionId", "subscription") ?? "").toLowerCase())
    .filter(Boolean);
}

function toFleetVm(row: JsonObject, fromGraph: boolean): FleetVm {
  const id = optString(row, "id", "VM row") ?? "(no id)";
  try {
    const ref = parseVmResourceId(id);
    const facts = mapVm(row, ref);
    if (fromGraph) {
      // Resource Graph carries power state at properties.extended.instanceView.powerState (no statuses array).
      const statuses = powerStatusFromGraph(row);
      facts.statuses = statuses;
      facts.hasInstanceView = statuses.length > 0;
    }
    return { id: ref.id, ref, facts };
  } catch (error) {
    return { id, problem: `could not read the VM from the ${fromGraph ? "Resource Graph" : "list"} response: ${error instanceof Error ? error.message : String(error)}` };
  }
}

export async function enumerateVms(arm: ArmContext, source: Source, subscriptions: string[], scope: VmQueryScope, signal?: AbortSignal): Promise<FleetVm[]> {
  const vms: FleetVm[] = [];
  if (source === "graph") {
    for await (const page of graphQuery(arm, vmQuery(scope), subscriptions, signal)) for (const row of page) vms.push(toFleetVm(row, true));
    return vms;
  }
  const groups = new Set((scope.resourceGroups ?? []).map((g) => g.toLowerCase()));
  const lists = await Promise.all(
    subscriptions.map((sub) => listAll(arm, `virtual machines of subscription ${sub}`, `/subscriptions/${sub}/providers/Microsoft.Compute/virtualMachines?api-version=${API.compute}&statusOnly=true`, signal)),
  );
  for (const row of lists.flat()) {
    const vm = toFleetVm(row, false);
    if (groups.size && !groups.has((vm.ref?.resourceGroup ?? "").toLowerCase())) continue;
    if (scope.tags?.length && !scope.tags.every((tag) => matchesTag(row, tag))) continue;
    vms.push(vm);
  }
  return vms.sort((a, b) => a.id.localeCompare(b.id));
}

function matchesTag(row: JsonObject, tag: { key: string; value?: string }): boolean {
  const tags = optObject(row, "tags", "VM") ?? {};
  const entry = Object.entries(tags).find(([key]) => key.toLowerCase() === tag.key.toLowerCase());
  if (!entry) return false;
  return tag.value === undefined || String(entry[1]).toLowerCase() === tag.value.toLowerCase();
}

/**
 * Storage accounts named by the fleet's boot diagnostics URIs, by lower-case name. With Resource Graph one query
 * covers every subscription in scope; accounts it doesn't return are looked up by the single-VM path later.
 */
export async function storageIndex(arm: ArmContext, source: Source, subscriptions: string[], vms: FleetVm[], shared: Map<string, Promise<unknown>>, signal?: AbortSignal): Promise<Map<string, JsonObject>> {
  const names = new Set<string>();
  for (const vm of vms) {
    const uri = vm.facts?.bootDiagnostics.storageUri;
    const name = uri ? storageAccountNameFromUri(uri) : undefined;
    if (name) names.add(name);
  }
  const index = new Map<string, JsonObject>();
  if (names.size === 0) return index;
  if (source === "graph") {
    const all = [...names];
    for (let i = 0; i < all.length; i += 500) {
      for await (const page of graphQuery(arm, storageQuery(all.slice(i, i + 500)), subscriptions, signal)) {
        for (const row of page) index.set((optString(row, "name", "storage account") ?? "").toLowerCase(), row);
      }
    }
    return index;
  }
  // ARM: the same per-subscription lists the single-VM lookup uses, shared through the cache.
  const lists = await Promise.all(
    subscriptions.map((sub) =>
      sharedMemo(shared, `storagelist:${sub}`, () => listAll(arm, `storage accounts of subscription ${sub}`, `/subscriptions/${sub}/providers/Microsoft.Storage/storageAccounts?api-version=${API.storage}`, signal)).catch(() => [] as JsonObject[]),
    ),
  );
  for (const account of lists.flat()) {
    const name = (optString(account, "name", "storage account") ?? "").toLowerCase();
    if (names.has(name)) index.set(name, account);
  }
  return index;
}
