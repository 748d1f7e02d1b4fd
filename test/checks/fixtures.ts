/** Plain fact objects for check tests: a healthy VM and account, with overrides per case. */
import type { PermissionBlock, PermissionFacts, StorageAccountFacts, StorageLookup, VmFacts } from "../../src/azure/facts.js";
import type { CheckDefinition, FactMap } from "../../src/checks/define.js";
import type { Finding } from "../../src/types.js";

export const SUB = "00000000-0000-0000-0000-000000000001";

export function vm(overrides: Partial<VmFacts> = {}): VmFacts {
  return {
    id: `/subscriptions/${SUB}/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/vm1`,
    name: "vm1",
    resourceGroup: "rg1",
    subscriptionId: SUB,
    location: "westeurope",
    osType: "Linux",
    kind: "vm",
    provisioningState: "Succeeded",
    hasInstanceView: true,
    statuses: [
      { code: "ProvisioningState/succeeded", displayStatus: "Provisioning succeeded" },
      { code: "PowerState/running", displayStatus: "VM running" },
    ],
    bootDiagnostics: { enabled: true, storageUri: "https://scdiagstore.blob.core.windows.net/" },
    osDisk: { managed: true, ephemeral: false, adeEnabled: false, name: "os1" },
    ...overrides,
  };
}

export function scaleSetVm(overrides: Partial<VmFacts> = {}): VmFacts {
  return vm({
    id: `/subscriptions/${SUB}/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachineScaleSets/ss1/virtualMachines/0`,
    name: "ss1_0",
    kind: "vmss-uniform",
    scaleSetName: "ss1",
    scaleSetId: `/subscriptions/${SUB}/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachineScaleSets/ss1`,
    instanceId: "0",
    latestModelApplied: true,
    ...overrides,
  });
}

export function account(overrides: Partial<StorageAccountFacts> = {}): StorageAccountFacts {
  return {
    id: `/subscriptions/${SUB}/resourceGroups/rg1/providers/Microsoft.Storage/storageAccounts/scdiagstore`,
    name: "scdiagstore",
    resourceGroup: "rg1",
    subscriptionId: SUB,
    location: "westeurope",
    blobEndpoint: "https://scdiagstore.blob.core.windows.net/",
    ...overrides,
  };
}

export const found = (overrides: Partial<StorageAccountFacts> = {}): StorageLookup => ({
  kind: "found",
  account: account(overrides),
  searchedSubscriptions: [SUB],
});
export const managedLookup: StorageLookup = {
  kind: "not-applicable",
  reason: "managed boot diagnostics: no storage account of yours is involved",
};

export function permissions(blocks: PermissionBlock[], extra: Partial<PermissionFacts> = {}): PermissionFacts {
  return { scope: "/scope", source: "caller", blocks, ...extra };
}

/** Run a check's pure evaluation on a partial fact map (only what it `needs`). */
export function evaluate<N extends keyof FactMap>(check: CheckDefinition<N>, facts: Pick<FactMap, N>): Finding {
  return check.evaluate(facts);
}
