/**
 * Boot diagnostics storage accounts for the whole fleet, each read once. Resource Graph: one query (per 500 names)
 * over every subscription in scope. ARM: the per-subscription account lists — the very lists the single-VM lookup
 * uses, under the same cache keys. An account found there is the same ARM document `sc-doctor --vm` reads; an
 * account not found (elsewhere, deleted, unreadable) goes through the single-VM lookup itself, shared per key, so
 * "not found" and "unable to determine the resource group" come out word for word as `--vm` says them.
 */
import type { ArmContext } from "../azure/arm.js";
import { sharedMemo } from "../azure/api.js";
import type { StorageLookup, VmFacts } from "../azure/facts.js";
import { isObject, optString, type JsonObject } from "../azure/json.js";
import { mapStorageAccount, storageAccountNameFromUri } from "../azure/map-storage.js";
import { bootDiagnosticsUri, findStorageAccount, listAccounts } from "../azure/storage-lookup.js";
import { graphQuery, storageQuery } from "./graph.js";
import type { FleetVm, Source } from "./sources.js";

const NAMES_PER_QUERY = 500;

/** The account name in a row's `properties.diagnosticsProfile.bootDiagnostics.storageUri`, if any. */
export function storageNameOfRow(row: JsonObject): string | undefined {
  const properties = row["properties"];
  const profile = isObject(properties) ? properties["diagnosticsProfile"] : undefined;
  const boot = isObject(profile) ? profile["bootDiagnostics"] : undefined;
  const uri = isObject(boot) && typeof boot["storageUri"] === "string" ? boot["storageUri"] : undefined;
  return uri ? storageAccountNameFromUri(uri) : undefined;
}

/** Storage account documents by lower-case name, for every account the fleet's boot diagnostics URIs name. */
export async function storageIndex(
  arm: ArmContext,
  source: Source,
  subscriptions: readonly string[],
  vms: readonly FleetVm[],
  shared: Map<string, Promise<unknown>>,
  signal?: AbortSignal,
): Promise<Map<string, JsonObject>> {
  const names = new Set<string>();
  for (const vm of vms) if (vm.storageName) names.add(vm.storageName);
  const index = new Map<string, JsonObject>();
  if (names.size === 0) return index;
  const add = (row: JsonObject) => {
    const name = (optString(row, "name", "storage account") ?? "").toLowerCase();
    if (names.has(name)) index.set(name, row);
  };
  if (source === "graph") {
    const all = [...names].sort();
    for (let i = 0; i < all.length; i += NAMES_PER_QUERY) {
      for await (const page of graphQuery(arm, storageQuery(all.slice(i, i + NAMES_PER_QUERY)), subscriptions, signal)) page.forEach(add);
    }
    return index;
  }
  const lists = await Promise.all(
    subscriptions.map(
      (sub) =>
        // Shared with the single-VM lookup, so a later lookup reuses the list instead of re-reading it.
        listAccounts(arm, sub, { signal, shared }).catch(() => [] as JsonObject[]), // unreadable here: the single-VM lookup meets the same error and reports it
    ),
  );
  lists.flat().forEach(add);
  return index;
}

/** The `storage` fact of one fleet VM: from the index when the account is there, else the single-VM lookup. */
export function fleetStorageLookup(
  arm: ArmContext,
  index: ReadonlyMap<string, JsonObject>,
  shared: Map<string, Promise<unknown>>,
  signal?: AbortSignal,
): (vm: VmFacts) => Promise<StorageLookup> {
  return async (vm) => {
    const uri = bootDiagnosticsUri(vm);
    if (vm.bootDiagnostics.enabled === true && vm.kind === "vm" && uri) {
      const row = index.get(storageAccountNameFromUri(uri) ?? "");
      if (row) {
        try {
          const account = mapStorageAccount(row);
          return { kind: "found", account, searchedSubscriptions: [account.subscriptionId] };
        } catch {
          // An id without a resource group: the single-VM lookup turns that into "unable to determine the resource group".
        }
      }
    }
    const key = [
      "lookup",
      vm.subscriptionId,
      vm.resourceGroup.toLowerCase(),
      vm.kind,
      String(vm.bootDiagnostics.enabled),
      (uri ?? "").toLowerCase(),
    ].join("|");
    return sharedMemo(shared, key, () => findStorageAccount(arm, vm, { signal, shared }));
  };
}
