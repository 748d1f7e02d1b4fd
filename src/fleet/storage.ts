/**
 * Boot diagnostics storage accounts for the whole fleet, each read once. Resource Graph: one query per page of
 * VMs that names accounts not asked for yet (a fleet names few accounts, so mostly the first page's), over every
 * subscription in scope. ARM: the per-subscription account lists — the very lists the single-VM lookup
 * uses, under the same cache keys. An account found there is the same ARM document `sc-doctor --vm` reads; an
 * account not found (elsewhere, deleted, unreadable) goes through the single-VM lookup itself, shared per key, so
 * "not found" and "unable to determine the resource group" come out word for word as `--vm` says them.
 */
import type { ArmContext } from "../azure/arm.js";
import type { RunCache } from "../azure/run-cache.js";
import type { StorageLookup, VmFacts } from "../azure/facts.js";
import { isObject, optString, type JsonObject } from "../azure/json.js";
import { mapStorageAccount, storageAccountNameFromUri } from "../azure/map-storage.js";
import { bootDiagnosticsUri } from "../azure/boot-diagnostics.js";
import { findStorageAccount, listAccounts } from "../azure/storage-lookup.js";
import { graphQuery, storageQuery } from "./graph.js";
import type { Source } from "./sources.js";

const NAMES_PER_QUERY = 500;

/** The account name in a row's `properties.diagnosticsProfile.bootDiagnostics.storageUri`, if any. */
export function storageNameOfRow(row: JsonObject): string | undefined {
  const properties = row["properties"];
  const profile = isObject(properties) ? properties["diagnosticsProfile"] : undefined;
  const boot = isObject(profile) ? profile["bootDiagnostics"] : undefined;
  const uri = isObject(boot) && typeof boot["storageUri"] === "string" ? boot["storageUri"] : undefined;
  return uri ? storageAccountNameFromUri(uri) : undefined;
}

/** Storage account documents by lower-case name, read as the fleet's pages name them. */
export interface StorageIndex {
  /** Names seen in a page of VMs: those not asked for yet are read now (one query per page at most). */
  request(names: Iterable<string>): void;
  /** The account named `name`, once its read finished; undefined when not found or unreadable. */
  get(name: string): Promise<JsonObject | undefined>;
}

export function storageIndex(
  arm: ArmContext,
  source: Source,
  subscriptions: readonly string[],
  shared: RunCache,
  signal?: AbortSignal,
): StorageIndex {
  const pending = new Map<string, Promise<JsonObject | undefined>>();
  if (source === "arm") {
    // The per-subscription account lists, shared with the single-VM lookup (which then reuses them).
    let all: Promise<Map<string, JsonObject>> | undefined;
    const load = async () => {
      const lists = await Promise.all(
        // Unreadable here: the single-VM lookup meets the same error and reports it.
        subscriptions.map((sub) => listAccounts(arm, sub, { signal, shared }).catch(() => [] as JsonObject[])),
      );
      const byName = new Map<string, JsonObject>();
      for (const row of lists.flat()) byName.set((optString(row, "name", "storage account") ?? "").toLowerCase(), row);
      return byName;
    };
    return {
      request: () => void (all ??= load()),
      get: async (name) => (await (all ??= load())).get(name),
    };
  }
  const query = async (names: string[]): Promise<Map<string, JsonObject>> => {
    const found = new Map<string, JsonObject>();
    for (let i = 0; i < names.length; i += NAMES_PER_QUERY) {
      for await (const page of graphQuery(arm, storageQuery(names.slice(i, i + NAMES_PER_QUERY)), subscriptions, signal))
        for (const row of page) found.set((optString(row, "name", "storage account") ?? "").toLowerCase(), row);
    }
    return found;
  };
  const request: StorageIndex["request"] = (names) => {
    const fresh = [...new Set(names)].filter((name) => !pending.has(name)).sort();
    if (fresh.length === 0) return;
    const result = query(fresh);
    // A failed query: those VMs go through the single-VM lookup, whose answer (or error) is `--vm`'s.
    for (const name of fresh)
      pending.set(
        name,
        result.then((found) => found.get(name)).catch(() => undefined),
      );
  };
  return {
    request,
    get: (name) => {
      request([name]);
      return pending.get(name) ?? Promise.resolve(undefined);
    },
  };
}

/** The `storage` fact of one fleet VM: from the index when the account is there, else the single-VM lookup. */
export function fleetStorageLookup(
  arm: ArmContext,
  index: StorageIndex,
  shared: RunCache,
  signal?: AbortSignal,
): (vm: VmFacts) => Promise<StorageLookup> {
  return async (vm) => {
    const uri = bootDiagnosticsUri(vm);
    if (vm.bootDiagnostics.enabled === true && vm.kind === "vm" && uri) {
      const row = await index.get(storageAccountNameFromUri(uri) ?? "");
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
      vm.subscriptionId,
      vm.resourceGroup.toLowerCase(),
      vm.kind,
      String(vm.bootDiagnostics.enabled),
      (uri ?? "").toLowerCase(),
    ].join("|");
    return shared.storageLookups.get(key, () => findStorageAccount(arm, vm, { signal, shared }));
  };
}
