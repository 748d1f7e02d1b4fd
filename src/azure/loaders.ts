/**
 * Memoised fact loaders for one VM: however many checks need a fact, it is fetched once (concurrent callers share
 * the same promise). Loaders throw `AzureCallError`/`MalformedResponseError`; the engine turns that into the
 * `error` of every check that needed the fact.
 */
import type { FactMap, FactName } from "../checks/define.js";
import { AzureCallError, toAzureError, type ArmContext } from "./arm.js";
import type { ConsoleServiceFacts, PermissionFacts, StorageLookup, SubscriptionFacts, VmFacts } from "./facts.js";
import { asObject, optBool, optObject, optString } from "./json.js";
import { mapVm } from "./map-vm.js";
import { API, memo, sharedMemo } from "./api.js";
import { listPermissions, principalPermissions } from "./permissions.js";
import { bootDiagnosticsUri, findStorageAccount } from "./storage-lookup.js";
import { storageAccountNameFromUri } from "./map-storage.js";
import type { VmRef } from "./resource-id.js";

export type FactLoaders = { [K in FactName]: () => Promise<FactMap[K]> };

export interface LoaderOptions {
  /** --principal: evaluate RBAC for this object id from role assignments instead of the caller's Permissions API. */
  principal?: string;
  /** The caller's object id (from its token), for suggested fixes. */
  callerObjectId?: string;
  /** Produces the network fact (the probe lives in src/net/, outside the Azure layer). */
  network: (vm: () => Promise<VmFacts>) => Promise<FactMap["network"]>;
  signal?: AbortSignal;
  /** Shared across VMs in an audit: subscription, console and storage facts are per subscription/account. */
  shared?: Map<string, Promise<unknown>>;
}

/** The ARM path of a VM or uniform scale set instance, names encoded (no query). */
export function vmPath(ref: VmRef): string {
  const base = `/subscriptions/${ref.subscriptionId}/resourceGroups/${encodeURIComponent(ref.resourceGroup)}/providers/Microsoft.Compute`;
  return ref.kind === "vmss-uniform"
    ? `${base}/virtualMachineScaleSets/${encodeURIComponent(ref.scaleSet ?? "")}/virtualMachines/${encodeURIComponent(ref.instanceId ?? "")}`
    : `${base}/virtualMachines/${encodeURIComponent(ref.name)}`;
}

export async function loadVm(arm: ArmContext, ref: VmRef, signal?: AbortSignal): Promise<VmFacts> {
  const path = vmPath(ref);
  const body = await arm.getJson("the VM", `${path}?$expand=instanceView&api-version=${API.compute}`, signal);
  const properties = optObject(asObject(body, "the VM response"), "properties", "VM");
  // Some API versions / fakes omit the expanded instance view; the dedicated GET returns it at the top level.
  if (properties && properties["instanceView"] === undefined) {
    const instanceView = await arm.getJson("the VM instance view", `${path}/instanceView?api-version=${API.compute}`, signal);
    return mapVm(body, ref, instanceView);
  }
  return mapVm(body, ref);
}

export async function loadSubscription(arm: ArmContext, subscriptionId: string, signal?: AbortSignal): Promise<SubscriptionFacts> {
  const body = asObject(
    await arm.getJson("the subscription", `/subscriptions/${subscriptionId}?api-version=${API.subscriptions}`, signal),
    "the subscription response",
  );
  // `state` is top-level on GET /subscriptions/{id} (https://learn.microsoft.com/rest/api/resources/subscriptions/get); tolerate properties.state too.
  return {
    subscriptionId,
    displayName: optString(body, "displayName", "subscription"),
    tenantId: optString(body, "tenantId", "subscription"),
    state:
      optString(body, "state", "subscription") ??
      optString(optObject(body, "properties", "subscription"), "state", "subscription.properties"),
  };
}

export async function loadConsoleService(arm: ArmContext, subscriptionId: string, signal?: AbortSignal): Promise<ConsoleServiceFacts> {
  const path = `/subscriptions/${subscriptionId}/providers/Microsoft.SerialConsole/consoleServices/default?api-version=${API.serialConsole}`;
  try {
    const body = asObject(await arm.getJson("the Serial Console service state", path, signal), "the consoleServices response");
    return {
      subscriptionId,
      disabled: optBool(optObject(body, "properties", "consoleServices"), "disabled", "consoleServices.properties"),
    };
  } catch (error) {
    // 404 SubscriptionNotFound (top-level {code,message}) means the RP doesn't know the subscription (https://learn.microsoft.com/rest/api/serialconsole/).
    if (error instanceof AzureCallError && error.status === 404) return { subscriptionId, notFound: true };
    throw error;
  }
}

/** Wrap a loader: memoised, and every failure names what was being read. */
export function named<T>(operation: string, load: () => Promise<T>): () => Promise<T> {
  return memo(async () => {
    try {
      return await load();
    } catch (error) {
      throw toAzureError(operation, error);
    }
  });
}

export function createVmLoaders(arm: ArmContext, ref: VmRef, options: LoaderOptions): FactLoaders {
  const { signal, shared } = options;
  const vm = named("the VM", () => loadVm(arm, ref, signal));
  const storage = named("the boot diagnostics storage account", async (): Promise<StorageLookup> =>
    findStorageAccount(arm, await vm(), { signal, shared }),
  );
  const permissionsAt = (scope: string): Promise<PermissionFacts> =>
    options.principal
      ? principalPermissions(arm, scope, options.principal, { signal, shared })
      : listPermissions(arm, scope, signal, shared).then((facts) => ({ ...facts, callerObjectId: options.callerObjectId }));
  return {
    vm,
    subscription: named("the subscription", () =>
      sharedMemo(shared, `sub:${ref.subscriptionId}`, () => loadSubscription(arm, ref.subscriptionId, signal)),
    ),
    consoleService: named("the Serial Console service state", () =>
      sharedMemo(shared, `console:${ref.subscriptionId}`, () => loadConsoleService(arm, ref.subscriptionId, signal)),
    ),
    storage,
    vmPermissions: named("permissions on the VM", () => permissionsAt(rbacScopeForVm(ref))),
    storagePermissions: named("permissions on the storage account", async () => {
      // Speculate: most accounts sit in the VM's resource group, so ask for permissions at that id while the
      // lookup runs, and use the answer only if the lookup confirms the id (one round trip off the critical path).
      const expected = expectedStorageId(await vm());
      const speculative = expected ? permissionsAt(expected) : undefined;
      speculative?.catch(() => undefined);
      const lookup = await storage();
      if (lookup.kind !== "found") return null;
      const confirmed = speculative && expected?.toLowerCase() === lookup.account.id.toLowerCase();
      return confirmed ? speculative : permissionsAt(lookup.account.id);
    }),
    network: memo(() => options.network(vm)),
  };
}

/** Where the boot diagnostics account would be if it sits next to the VM (the usual case). */
function expectedStorageId(vm: VmFacts): string | undefined {
  const uri = bootDiagnosticsUri(vm);
  const name = uri ? storageAccountNameFromUri(uri) : undefined;
  if (!name || vm.bootDiagnostics.enabled !== true) return undefined;
  return `/subscriptions/${vm.subscriptionId}/resourceGroups/${vm.resourceGroup}/providers/Microsoft.Storage/storageAccounts/${name}`;
}

/** Role assignments can't target a uniform scale set instance: its permissions are those on the scale set. */
export function rbacScopeForVm(ref: VmRef): string {
  if (ref.kind === "vmss-uniform") {
    return `/subscriptions/${ref.subscriptionId}/resourceGroups/${ref.resourceGroup}/providers/Microsoft.Compute/virtualMachineScaleSets/${ref.scaleSet}`;
  }
  return ref.id;
}
