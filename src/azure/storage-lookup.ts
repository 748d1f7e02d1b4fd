/**
 * Find the boot diagnostics storage account from its URI. The account may live in another resource group or
 * another subscription the caller can see, so — like the az serial-console extension, which lists every account
 * of the subscription — we search outward: the VM's resource group (one GET), the VM's subscription (list), then
 * every other subscription the credential can see (list each). See https://learn.microsoft.com/rest/api/storagerp/storage-accounts/list.
 */
import pLimit from "p-limit";
import { AzureCallError, failureText, type ArmContext } from "./arm.js";
import type { StorageAccountFacts, StorageLookup, VmFacts } from "./facts.js";
import { optString, type JsonObject } from "./json.js";
import { mapStorageAccount, storageAccountNameFromUri } from "./map-storage.js";
import { bootDiagnosticsUri } from "./boot-diagnostics.js";
import { readBody, readPages } from "./read.js";
import { cached, type RunCache } from "./run-cache.js";
import { parseArmId } from "./resource-id.js";

interface LookupOptions {
  signal?: AbortSignal;
  shared?: RunCache;
  /**
   * The VM subscription's account list is already in `shared` (the audit read it): skip step 1's GET, whose
   * answer that list holds — one read per resource group saved at fleet scale.
   */
  subscriptionListed?: boolean;
}

const isDenied = (error: unknown) => error instanceof AzureCallError && (error.status === 403 || error.status === 401);
const isMissing = (error: unknown) => error instanceof AzureCallError && error.status === 404;
/**
 * A subscription where Microsoft.Storage is not registered answers its storage calls 404 SubscriptionNotFound
 * (https://github.com/Azure/azure-cli/issues/29267) or MissingSubscriptionRegistration: it holds no accounts.
 */
const holdsNoAccounts = (error: unknown) =>
  error instanceof AzureCallError &&
  ((error.status === 404 && (error.code ?? "SubscriptionNotFound") === "SubscriptionNotFound") ||
    error.code === "MissingSubscriptionRegistration");
/** Subscriptions whose storage lists are read at once. */
const LIST_CONCURRENCY = 8;

/** Every subscription the credential can see (raw rows), read once per run when `shared` is given. */
export function listSubscriptionRows(arm: ArmContext, options: LookupOptions): Promise<JsonObject[]> {
  return cached(options.shared?.subscriptionRows, "", async () => {
    const client = await arm.clients.subscriptions();
    return readPages("subscriptions", (o) => client.subscriptions.list(o), options.signal);
  });
}

/** The storage accounts of a subscription, read once per run when `shared` is given (the audit's index reuses it). */
export function listAccounts(arm: ArmContext, subscriptionId: string, options: LookupOptions): Promise<JsonObject[]> {
  return cached(options.shared?.storageAccounts, subscriptionId, async () => {
    const client = await arm.clients.storage(subscriptionId);
    return readPages(`storage accounts of subscription ${subscriptionId}`, (o) => client.storageAccounts.list(o), options.signal);
  });
}

function matchByName(accounts: JsonObject[], name: string): JsonObject | undefined {
  const suffix = `/microsoft.storage/storageaccounts/${name}`;
  return accounts.find(
    (account) =>
      (optString(account, "name", "storage account") ?? "").toLowerCase() === name ||
      (optString(account, "id", "storage account") ?? "").toLowerCase().endsWith(suffix),
  );
}

export async function findStorageAccount(arm: ArmContext, vm: VmFacts, options: LookupOptions): Promise<StorageLookup> {
  if (vm.bootDiagnostics.enabled !== true && !(vm.kind === "vmss-uniform" && vm.instanceViewBootDiagnostics)) {
    return { kind: "not-applicable", reason: "boot diagnostics is disabled, so no storage account is used" };
  }
  const uri = bootDiagnosticsUri(vm);
  if (!uri) return { kind: "not-applicable", reason: "managed boot diagnostics: no storage account of yours is involved" };
  const name = storageAccountNameFromUri(uri);
  if (!name)
    return {
      kind: "rg-undetermined",
      accountName: uri,
      detail: `the account name cannot be derived from the boot diagnostics URI '${uri}'`,
    };

  const searched: string[] = [];
  const inaccessible: string[] = [];
  const failures = new Map<string, string>();
  const found = (account: StorageAccountFacts): StorageLookup => ({ kind: "found", account, searchedSubscriptions: [...searched] });

  // A denial where the account should be means we cannot tell whether it exists: that is an error, not "not found".
  let denied: unknown;
  // 1. Most accounts sit next to the VM: one GET.
  if (!options.subscriptionListed) {
    try {
      const client = await arm.clients.storage(vm.subscriptionId);
      const body = await readBody(
        "the storage account",
        (o) => client.storageAccounts.getProperties(vm.resourceGroup, name, o),
        options.signal,
      );
      searched.push(vm.subscriptionId);
      return found(mapStorageAccount(body));
    } catch (error) {
      // MissingSubscriptionRegistration: Microsoft.Storage is not registered there, so it holds no accounts (as the lists say).
      if (!isMissing(error) && !isDenied(error) && !holdsNoAccounts(error)) throw error;
      if (isDenied(error)) denied = error;
    }
  }

  // 2. Elsewhere in the VM's subscription, 3. in every other subscription the caller can see.
  const subscriptions = [vm.subscriptionId];
  // Each subscription answers for itself: one refusing or failing its list never aborts the search; it is named.
  const tryList = async (subscriptionId: string): Promise<JsonObject | undefined> => {
    try {
      const match = matchByName(await listAccounts(arm, subscriptionId, options), name);
      searched.push(subscriptionId);
      return match;
    } catch (error) {
      if (holdsNoAccounts(error)) {
        searched.push(subscriptionId);
        return undefined;
      }
      if (options.signal?.aborted) throw error;
      if (subscriptionId === vm.subscriptionId && isDenied(error)) denied ??= error;
      inaccessible.push(subscriptionId);
      failures.set(subscriptionId, failureText(error));
      return undefined;
    }
  };
  let unlisted: string | undefined;
  let match = await tryList(vm.subscriptionId);
  if (!match) {
    const others = await listSubscriptionRows(arm, options)
      .then((subs) =>
        subs
          .map((s) => (optString(s, "subscriptionId", "subscription") ?? "").toLowerCase())
          .filter((id) => id && id !== vm.subscriptionId),
      )
      .catch((error: unknown) => {
        if (!isDenied(error)) throw error;
        // Only the VM's own subscription was searched: "not found" would be a guess (the account may be elsewhere).
        unlisted = (error as AzureCallError).describe();
        return [] as string[];
      });
    subscriptions.push(...others);
    const limit = pLimit(LIST_CONCURRENCY);
    const matches = await Promise.all(others.map((id) => limit(() => tryList(id))));
    match = matches.find((m) => m !== undefined);
  }
  if (!match && denied) throw denied;
  // Lists finish in any order: sort, so the evidence is the same on every run (and for `audit`, which shares them).
  if (!match)
    return {
      kind: "not-found",
      accountName: name,
      searchedSubscriptions: [...searched].sort(),
      inaccessibleSubscriptions: [...inaccessible].sort(),
      ...(inaccessible.length > 0 ? { listFailure: failures.get([...inaccessible].sort()[0] as string) } : {}),
      ...(unlisted !== undefined ? { subscriptionsUnlisted: unlisted } : {}),
    };
  // Listed, but its id doesn't tell us the resource group: the documented "Unable to determine the resource group".
  // Any other mapping failure is a malformed response (an `error`), never that documented failure.
  const id = optString(match, "id", "storage account") ?? "";
  const parsed = parseArmId(id);
  if (!parsed.subscriptionId || !parsed.resourceGroup) {
    return {
      kind: "rg-undetermined",
      accountName: name,
      detail: `the account was listed with id '${id || "(no id)"}', from which no resource group can be read`,
    };
  }
  return found(mapStorageAccount(match));
}
