/**
 * Memoised fact loaders for one VM: however many checks need a fact, it is fetched once (concurrent callers share
 * the same promise). Loaders throw `AzureCallError`/`MalformedResponseError`; the engine turns that into the
 * `error` of every check that needed the fact.
 */
import type { FactMap, FactName } from "../checks/define.js";
import { AzureCallError, toAzureError, type ArmContext } from "./arm.js";
import type {
  CloudShellFacts,
  ConsoleServiceFacts,
  LocksFacts,
  PermissionFacts,
  SerialLogFacts,
  StorageLookup,
  StoragePath,
  SubscriptionFacts,
  VmFacts,
  VmTarget,
} from "./facts.js";
import { loadCloudShell } from "./cloud-shell.js";
import { loadSerialLog } from "./serial-log.js";
import { accountLocks, listLocksAt } from "./locks.js";
import { asObject, optBool, optObject } from "./json.js";
import { mapVm } from "./map-vm.js";
import { memo } from "./api.js";
import { readBody } from "./read.js";
import { cached, Slot, type RunCache } from "./run-cache.js";
import { listPermissions, principalPermissions } from "./permissions.js";
import { loadSubscription } from "./subscription.js";
import { withDenyAssignments } from "./deny-assignments.js";
import { loadPerimeter } from "./perimeter.js";
import { findStorageAccount } from "./storage-lookup.js";
import { bootDiagnosticsUri } from "./boot-diagnostics.js";
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
  shared?: RunCache;
  /** Why the serial log is not read (`--no-serial-log`, an audit without `--serial-log`); undefined: read it. */
  skipSerialLog?: string;
  /** `--legacy-storage-path` gives "legacy"; the default is "end-2025". */
  storagePath?: StoragePath;
}

/** The operation a VM model's GET is named by (its errors say "could not read the VM"). */
export const VM_READ = "the VM";

/**
 * The VM model with its instance view (`$expand=instanceView`), or for a uniform scale set instance the
 * scale-set VM with its instance view (https://learn.microsoft.com/rest/api/compute/virtual-machines/get,
 * https://learn.microsoft.com/rest/api/compute/virtual-machine-scale-set-vms/get).
 */
export async function loadVm(arm: ArmContext, ref: VmRef, signal?: AbortSignal): Promise<VmFacts> {
  const compute = await arm.clients.compute(ref.subscriptionId);
  const body =
    ref.kind === "vmss-uniform"
      ? await readBody(
          VM_READ,
          (options) =>
            compute.virtualMachineScaleSetVMs.get(ref.resourceGroup, ref.scaleSet ?? "", ref.instanceId ?? "", {
              ...options,
              expand: "instanceView",
            }),
          signal,
        )
      : await readBody(
          VM_READ,
          (options) => compute.virtualMachines.get(ref.resourceGroup, ref.name, { ...options, expand: "instanceView" }),
          signal,
        );
  const properties = optObject(asObject(body, "the VM response"), "properties", "VM");
  // Some API versions / fakes omit the expanded instance view; the dedicated GET returns it at the top level.
  if (properties && properties["instanceView"] === undefined) {
    return mapVm(body, ref, await loadInstanceView(arm, ref, signal));
  }
  return mapVm(body, ref);
}

/**
 * A VM's (or uniform scale set instance's) instance view alone, raw
 * (https://learn.microsoft.com/rest/api/compute/virtual-machines/instance-view).
 */
export async function loadInstanceView(arm: ArmContext, ref: VmRef, signal?: AbortSignal): Promise<unknown> {
  const compute = await arm.clients.compute(ref.subscriptionId);
  return readBody(
    "the VM instance view",
    (options) =>
      ref.kind === "vmss-uniform"
        ? compute.virtualMachineScaleSetVMs.getInstanceView(ref.resourceGroup, ref.scaleSet ?? "", ref.instanceId ?? "", options)
        : compute.virtualMachines.instanceView(ref.resourceGroup, ref.name, options),
    signal,
  );
}

/** A scale set's model, raw (https://learn.microsoft.com/rest/api/compute/virtual-machine-scale-sets/get). */
export async function loadScaleSet(arm: ArmContext, ref: VmRef, signal?: AbortSignal): Promise<unknown> {
  const compute = await arm.clients.compute(ref.subscriptionId);
  return readBody(
    "the scale set",
    (options) => compute.virtualMachineScaleSets.get(ref.resourceGroup, ref.scaleSet ?? "", options),
    signal,
  );
}

/**
 * The subscription's Serial Console state (https://learn.microsoft.com/rest/api/serialconsole/console/get-console-status).
 * The older body `{ "disabled": true }` without `properties` is read too: it is the same fact.
 */
export async function loadConsoleService(arm: ArmContext, subscriptionId: string, signal?: AbortSignal): Promise<ConsoleServiceFacts> {
  const client = await arm.clients.serialConsole(subscriptionId);
  try {
    const body = asObject(
      await readBody("the Serial Console service state", (options) => client.getConsoleStatus("default", options), signal),
      "the consoleServices response",
    );
    const properties = optObject(body, "properties", "consoleServices");
    return {
      subscriptionId,
      disabled: properties ? optBool(properties, "disabled", "consoleServices.properties") : optBool(body, "disabled", "consoleServices"),
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
  const vm = named(VM_READ, () => loadVm(arm, ref, signal));
  const storage = named("the boot diagnostics storage account", async (): Promise<StorageLookup> =>
    findStorageAccount(arm, await vm(), { signal, shared }),
  );
  // With the deny assignments of the scope's subscription, which no role view reflects (read alongside).
  const permissionsAt = (scope: string): Promise<PermissionFacts> =>
    withDenyAssignments(
      arm,
      scope,
      options.principal
        ? principalPermissions(arm, scope, options.principal, { signal, shared })
        : listPermissions(arm, scope, signal, shared).then((read) => ({ ...read, callerObjectId: options.callerObjectId })),
      signal,
      shared,
    );
  // One GET per subscription however many facts need it: the VM's, and Cloud Shell's storage account's (often the same).
  const subscriptions = shared?.subscription ?? new Slot<SubscriptionFacts>();
  const subscriptionOf = (id: string): Promise<SubscriptionFacts> =>
    subscriptions.get(id.toLowerCase(), () => loadSubscription(arm, id, signal, shared));
  return {
    vm,
    subscription: named("the subscription", () => subscriptionOf(ref.subscriptionId)),
    consoleService: named("the Serial Console service state", () =>
      cached(shared?.consoleService, ref.subscriptionId, () => loadConsoleService(arm, ref.subscriptionId, signal)),
    ),
    storage,
    vmTarget: vmTargetLoader(ref, vm),
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
    serialLog: serialLogLoader(arm, ref, vm, options),
    cloudShell: cloudShellLoader(arm, options, subscriptionOf),
    locks: named("management locks", () => loadLocks(arm, ref, { vm, storage, signal, shared })),
    perimeter: named("the storage account's network security perimeter", async () =>
      loadPerimeter(arm, await storage(), { signal, shared }),
    ),
    storagePath: () => Promise.resolve(options.storagePath ?? "end-2025"),
  };
}

/**
 * The VM `rbac-vm` judges. A 403 on the VM GET is often the very permission problem the check exists to name (a
 * caller without Microsoft.Compute/virtualMachines/read), and the Permissions API answers without that read: the
 * target then comes from the resource id. Any other failure (404: no such VM) stays that failure.
 */
export function vmTargetLoader(ref: VmRef, vm: () => Promise<VmFacts>): () => Promise<VmTarget> {
  return memo(async () => {
    try {
      return await vm();
    } catch (error) {
      // The model's own GET refused, not a later read inside `vm()` (the instance view is an action of its own).
      if (!(error instanceof AzureCallError) || error.status !== 403 || error.operation !== VM_READ) throw error;
      const uniform = ref.kind === "vmss-uniform";
      return {
        id: ref.id,
        name: uniform ? `${ref.scaleSet}_${ref.instanceId}` : ref.name,
        resourceGroup: ref.resourceGroup,
        subscriptionId: ref.subscriptionId,
        kind: ref.kind,
        ...(uniform ? { scaleSetId: rbacScopeForVm(ref), scaleSetName: ref.scaleSet, instanceId: ref.instanceId } : {}),
        readRefused: `${error.status} ${error.code ?? ""}`.trim(),
      };
    }
  });
}

/** The serial-log fact, shared by `--vm` and the audit (which passes its own VM loader). */
export function serialLogLoader(
  arm: ArmContext,
  ref: VmRef,
  vm: () => Promise<VmFacts>,
  options: LoaderOptions,
): () => Promise<SerialLogFacts> {
  const skip = options.skipSerialLog;
  if (skip !== undefined) return () => Promise.resolve({ kind: "not-read", reason: skip });
  return named("the boot diagnostics serial log", () => loadSerialLog(arm, ref, vm, options.signal));
}

/** Cloud Shell settings are the signed-in caller's: one read per run, none with --principal. */
export function cloudShellLoader(
  arm: ArmContext,
  options: LoaderOptions,
  subscription?: (id: string) => Promise<SubscriptionFacts>,
): () => Promise<CloudShellFacts> {
  if (options.principal) return () => Promise.resolve({ kind: "principal" });
  return named("your Cloud Shell settings", () =>
    cached(options.shared?.cloudShell, "", () => loadCloudShell(arm, options.signal, subscription)),
  );
}

/**
 * Locks at or above the VM (read alongside the VM GET: its id is known up front) and at or above the boot
 * diagnostics account (read at the account id expected next to the VM as soon as the VM model arrives, confirmed by
 * the lookup), so the critical path stays two dependent round trips.
 */
export async function loadLocks(
  arm: ArmContext,
  ref: VmRef,
  sources: {
    vm: () => Promise<VmFacts>;
    storage: () => Promise<StorageLookup>;
    signal?: AbortSignal;
    shared?: RunCache;
  },
): Promise<LocksFacts> {
  const options = { signal: sources.signal, shared: sources.shared };
  const atVm = listLocksAt(arm, rbacScopeForVm(ref), options);
  atVm.catch(() => undefined);
  const expected = expectedStorageId(await sources.vm());
  const speculative = expected ? listLocksAt(arm, expected, options) : undefined;
  speculative?.catch(() => undefined);
  const account = accountLocks(sources.storage, (found) => {
    const confirmed = speculative && expected?.toLowerCase() === found.id.toLowerCase();
    return confirmed ? speculative : listLocksAt(arm, found.id, options);
  });
  // Both awaited together: awaiting one after the other leaves the second's rejection unhandled when the first fails.
  const [vm, accountSide] = await Promise.all([atVm, account]);
  return { vm, ...accountSide };
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
