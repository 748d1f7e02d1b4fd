/**
 * Fact loaders for one VM of the fleet: the same `FactLoaders` shape the single-VM engine consumes, so the checks
 * run unchanged. Subscription and console-service facts come from the single-VM loaders themselves (shared per
 * subscription); the VM comes from its enumerated row plus the instance view `--vm` would read; storage accounts
 * from the fleet index; RBAC through the scope shortcuts of ./rbac.ts; the network probe once per region.
 * Every loader names what it was reading exactly as src/azure/loaders.ts does, so errors read the same too.
 */
import { memo } from "../azure/api.js";
import { AzureCallError, type ArmContext } from "../azure/arm.js";
import type { RunCache } from "../azure/run-cache.js";
import type { LockFacts, StorageLookup, VmFacts } from "../azure/facts.js";
import { loadPerimeter } from "../azure/perimeter.js";
import { windowsEdition } from "../checks/support/windows-edition.js";
import { accountLocks, listLocksAt, listSubscriptionLocks, locksApplying } from "../azure/locks.js";
import {
  createVmLoaders,
  named,
  rbacScopeForVm,
  serialLogLoader,
  vmTargetLoader,
  VM_READ,
  type FactLoaders,
  type LoaderOptions,
} from "../azure/loaders.js";
import { mapVm } from "../azure/map-vm.js";
import type { VmRef } from "../azure/resource-id.js";
import { actionsJudged } from "../checks/index.js";
import type { InstanceViewSource } from "./instance-views.js";
import { rowOf, type FleetVm } from "./sources.js";
import { callerPermissionsAt, principalPermissionsAt } from "./rbac.js";
import { withDenyAssignments } from "../azure/deny-assignments.js";

/** Everything loaded once for the whole audit. */
export interface FleetContext {
  arm: ArmContext;
  shared: RunCache;
  instanceView: InstanceViewSource;
  storage: (vm: VmFacts) => Promise<StorageLookup>;
  network: LoaderOptions["network"];
  principal?: string;
  /** The caller's object id (token `oid`), carried into permission facts for suggested fixes, as `--vm` does. */
  callerObjectId?: string;
  signal?: AbortSignal;
  /** Why serial logs are not read (audits read them only with --serial-log). */
  skipSerialLog?: string;
  storagePath?: LoaderOptions["storagePath"];
}

/**
 * The locks at or above `scope`, from its subscription's one list (shared by the audit's VMs); when that list is
 * refused (403: a caller with rights at group or resource scope only), from the scope's own `atScope()` list, as
 * `sc-doctor --vm` reads it — a refusal at subscription level is no error at the VM.
 */
function locksAtOrAbove(
  arm: ArmContext,
  subscriptionId: string,
  scope: string,
  options: { signal?: AbortSignal; shared: RunCache },
): Promise<LockFacts[]> {
  return listSubscriptionLocks(arm, subscriptionId, options).then(
    (all) => locksApplying(all, scope),
    (error: unknown) => {
      if (error instanceof AzureCallError && error.status === 403) return listLocksAt(arm, scope, options);
      throw error;
    },
  );
}

/** A running Windows VM without `osName` whose model does not tell its edition (src/checks/support/windows-edition.ts). */
function editionNeedsOsName(vm: VmFacts): boolean {
  const running = vm.statuses.some((status) => status.code.toLowerCase() === "powerstate/running");
  return running && vm.osType?.toLowerCase() === "windows" && vm.osName === undefined && windowsEdition(vm).edition === "unknown";
}

export function fleetLoaders(context: FleetContext, ref: VmRef, vmRow: Pick<FleetVm, "text" | "hasInstanceView">): FactLoaders {
  const { arm, shared, signal, principal } = context;
  const options: LoaderOptions = {
    principal,
    callerObjectId: context.callerObjectId,
    network: context.network,
    signal,
    shared,
    skipSerialLog: context.skipSerialLog,
    storagePath: context.storagePath,
  };
  const single = createVmLoaders(arm, ref, options);
  const vm = named(VM_READ, async () => {
    const row = rowOf(vmRow);
    // A list row may carry no `properties` at all (schema-valid: VirtualMachine_ListAll_MinimumSet_Gen in
    // Azure/azure-rest-api-specs): that is no model, so read the VM itself, as `sc-doctor --vm` does.
    if (row["properties"] === undefined || row["properties"] === null) return single.vm();
    const need = { ref, hasInstanceView: vmRow.hasInstanceView };
    const got = await context.instanceView.get(need);
    if (got === undefined) return mapVm(row, ref);
    const facts = mapVm(row, ref, got.view);
    // A user found the guest agent's osName missing from statusOnly rows
    // (https://github.com/Azure/azure-sdk-for-go/issues/18565): where only osName tells a running Windows VM's
    // edition (guest-login, serial-log), its own instance view is read, as `sc-doctor --vm` reads it.
    return got.statusOnly && editionNeedsOsName(facts) ? mapVm(row, ref, await context.instanceView.single(need)) : facts;
  });
  const storage = named("the boot diagnostics storage account", async () => context.storage(await vm()));
  // With the deny assignments of the scope's subscription (listed once per subscription), as `--vm` reads them.
  const permissionsAt = (scope: string, required: readonly string[]) =>
    withDenyAssignments(
      arm,
      scope,
      principal
        ? principalPermissionsAt(arm, scope, principal, shared, signal)
        : callerPermissionsAt(arm, scope, required, shared, signal, context.callerObjectId).then((read) => ({
            ...read,
            callerObjectId: context.callerObjectId,
          })),
      signal,
      shared,
    );
  return {
    vm,
    subscription: single.subscription,
    consoleService: single.consoleService,
    storage,
    // The list row already holds the model: a refused instance view read (403; e.g. a custom role without
    // instanceView/read) leaves the VM rbac-vm judges known, as `--vm`'s own refused GET leaves its id.
    vmTarget: vmTargetLoader(ref, () =>
      vm().catch((error: unknown) => {
        const row = rowOf(vmRow);
        if (error instanceof AzureCallError && error.status === 403 && row["properties"]) return mapVm(row, ref);
        throw error;
      }),
    ),
    vmPermissions: named("permissions on the VM", () => permissionsAt(rbacScopeForVm(ref), actionsJudged("vmPermissions", ref.kind))),
    storagePermissions: named("permissions on the storage account", async () => {
      const lookup = await storage();
      return lookup.kind === "found" ? permissionsAt(lookup.account.id, actionsJudged("storagePermissions", ref.kind)) : null;
    }),
    // Once per region, not once per VM: networkFactFor (src/commands/network-fact.ts) shares the probe by region.
    network: memo(() => context.network(vm)),
    serialLog: serialLogLoader(arm, ref, vm, options),
    cloudShell: single.cloudShell,
    // One unfiltered list per subscription, shared by every VM of the audit, instead of one read per VM.
    locks: named("management locks", async () => {
      const options = { signal, shared };
      const vmLocks = locksAtOrAbove(arm, ref.subscriptionId, rbacScopeForVm(ref), options);
      vmLocks.catch(() => undefined);
      const account = accountLocks(storage, (found) => locksAtOrAbove(arm, found.subscriptionId, found.id, options));
      // Both awaited together: awaiting one after the other leaves the second's rejection unhandled when the first fails.
      const [vm, accountSide] = await Promise.all([vmLocks, account]);
      return { vm, ...accountSide };
    }),
    perimeter: named("the storage account's network security perimeter", async () =>
      loadPerimeter(arm, await storage(), { signal, shared }),
    ),
    storagePath: single.storagePath,
  };
}
