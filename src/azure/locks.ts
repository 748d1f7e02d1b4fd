/**
 * Management locks at or above a resource: `GET {resource id}/providers/Microsoft.Authorization/locks?$filter=atScope()`
 * through @azure/arm-locks (ManagementLocks_ListAtResourceLevel, api-version 2020-05-01:
 * https://github.com/Azure/azure-rest-api-specs/blob/main/specification/resources/resource-manager/Microsoft.Authorization/stable/2020-05-01/locks.json).
 * With `atScope()` the list holds the scope's own locks and those of its resource group and subscription (the
 * filter `Get-AzResourceLock -AtScope` sends: https://github.com/Azure/azure-powershell/blob/main/src/Resources/Resources/help/Get-AzResourceLock.md);
 * management groups cannot be locked. Read once per scope (shared across VMs in an audit).
 */
import type { ArmContext } from "./arm.js";
import { AzureCallError, failureText } from "./arm.js";
import type { LockFacts, LocksFacts, StorageAccountFacts, StorageLookup } from "./facts.js";
import { optObject, optString, reqString, type JsonObject } from "./json.js";
import { readPages } from "./read.js";
import { parseResourceScope } from "./resource-id.js";
import { cached, type RunCache } from "./run-cache.js";
import { trimTrailingSlashes } from "../trim.js";

const LOCKS_SEGMENT = "/providers/microsoft.authorization/locks/";

/**
 * The boot diagnostics account's side of the locks: those `read` lists at or above the account the lookup found;
 * `null` when there is no custom account (managed boot diagnostics, boot diagnostics off, an account searched for
 * everywhere and not found); unknown, with the reason, when the account may exist but was not located (its lookup
 * failed, a subscription that may hold it refused its list, its resource group could not be determined) or its
 * locks could not be read — a lock there cannot be ruled out.
 */
export async function accountLocks(
  storage: () => Promise<StorageLookup>,
  read: (account: StorageAccountFacts) => Promise<LockFacts[]>,
): Promise<Pick<LocksFacts, "account" | "accountUnknown">> {
  let lookup: StorageLookup;
  try {
    lookup = await storage();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { account: null, accountUnknown: `the boot diagnostics storage account could not be looked up: ${reason}` };
  }
  switch (lookup.kind) {
    case "found":
      try {
        return { account: await read(lookup.account) };
      } catch (error) {
        // Refused or unanswered there: the VM's own locks are still judged, this side said unknown.
        return { account: null, accountUnknown: failureText(error) };
      }
    case "not-applicable":
      return { account: null };
    case "rg-undetermined":
      return {
        account: null,
        accountUnknown: `the resource group of the boot diagnostics storage account '${lookup.accountName}' could not be determined`,
      };
    case "not-found":
      return lookup.inaccessibleSubscriptions.length === 0 && lookup.subscriptionsUnlisted === undefined
        ? { account: null }
        : {
            account: null,
            accountUnknown: `the boot diagnostics storage account '${lookup.accountName}' was not found, and subscriptions that may hold it could not be listed`,
          };
  }
}

export function listLocksAt(arm: ArmContext, scope: string, options: { signal?: AbortSignal; shared?: RunCache }): Promise<LockFacts[]> {
  return cached(options.shared?.locksAt, scope.toLowerCase(), async () => {
    const operation = `management locks at ${scope}`;
    const parsed = parseResourceScope(scope);
    const at = parsed?.resource;
    // sc-doctor asks at resources only (a VM, a scale set, a storage account); listByScope would send the scope encoded.
    if (!parsed || !at)
      throw new AzureCallError(operation, "management locks are read at a resource scope only", undefined, "UnsupportedScope");
    const { resourceGroup } = parsed;
    const client = await arm.clients.locks(parsed.subscriptionId);
    const rows = await readPages(
      operation,
      (o) =>
        client.managementLocks.listAtResourceLevel(resourceGroup, at.provider, at.parentPath, at.type, at.name, {
          ...o,
          filter: "atScope()",
        }),
      options.signal,
    );
    return rows.map(toLock);
  });
}

function toLock(item: JsonObject, i: number): LockFacts {
  const id = reqString(item, "id", `locks[${i}]`);
  const properties = optObject(item, "properties", `locks[${i}]`);
  const at = id.toLowerCase().lastIndexOf(LOCKS_SEGMENT);
  return {
    id,
    name: optString(item, "name", `locks[${i}]`) ?? id.slice(at + LOCKS_SEGMENT.length),
    // `level` is required by the spec: a lock without one is malformed, never silently "no lock".
    level: reqString(properties ?? {}, "level", `locks[${i}].properties`),
    scope: at > 0 ? id.slice(0, at) : "",
    notes: optString(properties, "notes", `locks[${i}].properties`),
  };
}

/**
 * Every lock of a subscription (no filter: at, above and below it), read once per subscription — what an audit
 * uses instead of one read per VM; `locksApplying` then picks those at or above each resource.
 */
export function listSubscriptionLocks(
  arm: ArmContext,
  subscriptionId: string,
  options: { signal?: AbortSignal; shared?: RunCache },
): Promise<LockFacts[]> {
  return cached(options.shared?.subscriptionLocks, subscriptionId.toLowerCase(), async () => {
    const client = await arm.clients.locks(subscriptionId);
    const rows = await readPages(
      `management locks of subscription ${subscriptionId}`,
      (o) => client.managementLocks.listAtSubscriptionLevel(o),
      options.signal,
    );
    return rows.map(toLock);
  });
}

/** The locks placed at or above `resourceId` (a lock's scope is the resource itself or one of its ancestors). */
export function locksApplying(locks: readonly LockFacts[], resourceId: string): LockFacts[] {
  const id = resourceId.toLowerCase();
  return locks.filter((lock) => {
    const scope = trimTrailingSlashes(lock.scope.toLowerCase());
    return scope !== "" && (id === scope || id.startsWith(`${scope}/`));
  });
}
