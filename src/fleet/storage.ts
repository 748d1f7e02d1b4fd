/**
 * Boot diagnostics storage accounts for the whole fleet, each read once. Resource Graph: every account of the
 * subscriptions in scope, listed once when that takes at most a few pages; in a tenant with more accounts, the
 * accounts a page of VMs names that the listing did not hold, by name, one query per page at most. Resource
 * Graph's quota (15 queries per 5 seconds per user,
 * https://learn.microsoft.com/azure/governance/resource-graph/concepts/guidance-for-throttled-requests) is what
 * paces an audit at tenant scale, and a fleet in which a few VMs name accounts of their own (deleted since, or one
 * per deployment) would otherwise spend a query on nearly every page of VMs. ARM: the per-subscription account lists — the very lists the single-VM lookup
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

/**
 * Index `row` under its lower-case name. Account names are globally unique, but a list can still hold two (a deleted
 * or moved account Resource Graph still shows, an Azure Stack hub): such a name is left to the single-VM lookup,
 * which prefers the VM's own resource group and subscription (`null` here: ambiguous).
 */
function addByName(map: Map<string, JsonObject | null>, row: JsonObject): void {
  const name = (optString(row, "name", "storage account") ?? "").toLowerCase();
  const seen = map.get(name);
  const id = (row: JsonObject) => (typeof row["id"] === "string" ? row["id"].toLowerCase() : "");
  map.set(name, seen === undefined || (seen !== null && id(seen) === id(row)) ? row : null);
}
/** Pages of the scope's whole account list read before naming accounts instead (5 pages: 5,000 accounts; 0: no listing). */
export const LISTED_PAGES = 5;

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

export interface StorageIndexOptions {
  signal?: AbortSignal;
  /** Pages of the scope's account list read before naming accounts instead (default LISTED_PAGES; 0: name them). */
  listedPages?: number;
}

export function storageIndex(
  arm: ArmContext,
  source: Source,
  subscriptions: readonly string[],
  shared: RunCache,
  { signal, listedPages = LISTED_PAGES }: StorageIndexOptions = {},
): StorageIndex {
  const pending = new Map<string, Promise<JsonObject | undefined>>();
  if (source === "arm") {
    // The per-subscription account lists, shared with the single-VM lookup (which then reuses them).
    let all: Promise<Map<string, JsonObject | null>> | undefined;
    const load = async () => {
      const lists = await Promise.all(
        // Unreadable here: the single-VM lookup meets the same error and reports it.
        subscriptions.map((sub) => listAccounts(arm, sub, { signal, shared }).catch(() => [] as JsonObject[])),
      );
      const byName = new Map<string, JsonObject | null>();
      for (const row of lists.flat()) addByName(byName, row);
      return byName;
    };
    return {
      request: () => void (all ??= load()),
      get: async (name) => (await (all ??= load())).get(name) ?? undefined,
    };
  }
  const query = async (names: string[]): Promise<Map<string, JsonObject | null>> => {
    const found = new Map<string, JsonObject | null>();
    for (let i = 0; i < names.length; i += NAMES_PER_QUERY) {
      for await (const page of graphQuery(arm, storageQuery(names.slice(i, i + NAMES_PER_QUERY)), subscriptions, signal))
        for (const row of page) addByName(found, row);
    }
    return found;
  };
  // The scope's accounts, listed on the first request; `complete` false when there were more than `listedPages`
  // pages or the listing failed: then names it did not hold are asked for by name.
  let listing: Promise<{ complete: boolean; found: Map<string, JsonObject | null> }> | undefined;
  const listAll = async () => {
    const found = new Map<string, JsonObject | null>();
    const pages = graphQuery(arm, storageQuery([]), subscriptions, signal);
    try {
      for (let read = 0; read < listedPages; read++) {
        const page = await pages.next();
        if (page.done) return { complete: true, found };
        for (const row of page.value) addByName(found, row);
      }
      await pages.return(undefined);
    } catch {
      // Failed midway: what was listed stands, the rest is asked for by name.
    }
    return { complete: false, found };
  };
  const request: StorageIndex["request"] = (names) => {
    const fresh = [...new Set(names)].filter((name) => !pending.has(name)).sort();
    if (fresh.length === 0) return;
    const result = (listing ??= listAll()).then(async ({ complete, found }) => {
      const unlisted = complete ? [] : fresh.filter((name) => !found.has(name));
      const named = unlisted.length > 0 ? await query(unlisted) : undefined;
      // `null` (two accounts of that name) stays null: the single-VM lookup decides.
      return (name: string) => (found.has(name) ? found.get(name) : named?.get(name)) ?? undefined;
    });
    // A failed query: those VMs go through the single-VM lookup, whose answer (or error) is `--vm`'s.
    for (const name of fresh)
      pending.set(
        name,
        result.then((lookup) => lookup(name)).catch(() => undefined),
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

/** Settles as `promise` does, or to "late" if it has not after `ms` (it then goes on unheeded). */
function late<T>(promise: Promise<T>, ms: number): Promise<T | "late"> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<"late">((resolve) => {
    timer = setTimeout(() => resolve("late"), ms);
    timer.unref();
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/** The first of `answers` to be found; else the last one's answer (or failure). */
function firstFound(answers: Promise<StorageLookup | undefined>[]): Promise<StorageLookup | undefined> {
  return new Promise((resolve, reject) => {
    let left = answers.length;
    for (const answer of answers)
      answer.then(
        (found) => {
          left--;
          if (found || left === 0) resolve(found);
        },
        (error: unknown) => {
          if (--left === 0) reject(error);
        },
      );
  });
}

/**
 * The `storage` fact of one fleet VM: from the index when the account is there, else the single-VM lookup. The
 * index reads the whole scope at once, so a subscription that hangs holds it up: past `patienceMs` the single-VM
 * lookup starts too (its own subscription's list first), and the first of the two to find the account answers —
 * a VM whose check still has time is not timed out with the hung subscription, and a slow but healthy index still
 * answers when it comes.
 */
export function fleetStorageLookup(
  arm: ArmContext,
  index: StorageIndex,
  shared: RunCache,
  { signal, patienceMs }: { signal?: AbortSignal; patienceMs?: number } = {},
): (vm: VmFacts) => Promise<StorageLookup> {
  return async (vm) => {
    const uri = bootDiagnosticsUri(vm);
    // Where the single-VM lookup would search (src/azure/storage-lookup.ts): boot diagnostics on, or a uniform
    // instance whose instance view names the account.
    const applicable = vm.bootDiagnostics.enabled === true || (vm.kind === "vmss-uniform" && vm.instanceViewBootDiagnostics);
    const name = applicable && uri ? storageAccountNameFromUri(uri) : undefined;
    const single = () => singleLookup(vm, name, uri);
    if (!name) return single();
    const fromIndex = index.get(name).then((row): StorageLookup | undefined => {
      if (!row) return undefined;
      try {
        const account = mapStorageAccount(row);
        return { kind: "found", account, searchedSubscriptions: [account.subscriptionId] };
      } catch {
        // An id without a resource group: the single-VM lookup turns that into "unable to determine the resource group".
        return undefined;
      }
    });
    const first = patienceMs === undefined ? await fromIndex : await late(fromIndex, patienceMs);
    if (first !== "late") return first ?? single();
    const fallback = single();
    return (await firstFound([fromIndex, fallback])) ?? fallback;
  };

  function singleLookup(vm: VmFacts, name: string | undefined, uri: string | undefined): Promise<StorageLookup> {
    const key = [
      vm.subscriptionId,
      vm.resourceGroup.toLowerCase(),
      vm.kind,
      String(vm.bootDiagnostics.enabled),
      (uri ?? "").toLowerCase(),
    ].join("|");
    return shared.storageLookups.get(key, async () => {
      // Not in the index: the single-VM lookup decides, from the subscription's list when it can be read (shared
      // by the whole audit) rather than a GET in each resource group.
      const subscriptionListed = name
        ? await listAccounts(arm, vm.subscriptionId, { signal, shared }).then(
            () => true,
            () => false,
          )
        : false;
      return findStorageAccount(arm, vm, { signal, shared, subscriptionListed });
    });
  }
}
