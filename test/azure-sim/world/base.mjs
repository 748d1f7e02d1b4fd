/**
 * The healthy base world every scenario starts from: subscription …0001 (Enabled, console enabled) with rg1/vm1 in
 * westeurope (Linux, running, custom boot diagnostics on https://scdiagstore.blob.core.windows.net/), the account
 * scdiagstore in rg1, 120 other accounts in rg-shared listed before it (so finding it by listing crosses a page),
 * subscription …0002, and the caller holding Virtual Machine Contributor on both subscriptions.
 */
import { CALLER_OBJECT_ID, makeResourceGroup, makeRoleAssignment, makeStorageAccount, makeSubscription, makeVm } from "./builders.mjs";
import { ROLES } from "./roles.mjs";

export const SUB1 = "00000000-0000-0000-0000-000000000001";
export const SUB2 = "00000000-0000-0000-0000-000000000002";
export const BOOT_URI = "https://scdiagstore.blob.core.windows.net/";

export function healthyWorld() {
  const vm = makeVm({
    subscriptionId: SUB1,
    resourceGroup: "rg1",
    name: "vm1",
    storageUri: BOOT_URI,
    tags: { env: "test", owner: "sc-doctor" },
  });
  const account = makeStorageAccount({ subscriptionId: SUB1, resourceGroup: "rg1", name: "scdiagstore" });
  const shared = Array.from({ length: 120 }, (_, i) =>
    makeStorageAccount({ subscriptionId: SUB1, resourceGroup: "rg-shared", name: `sharedlogs${String(i).padStart(3, "0")}` }),
  );
  return {
    /** Handles scenarios change. */
    vm,
    account,
    subscriptions: [makeSubscription(SUB1, "Contoso Production"), makeSubscription(SUB2, "Contoso Shared Services")],
    consoleServices: {},
    resourceGroups: [
      makeResourceGroup(SUB1, "rg1"),
      makeResourceGroup(SUB1, "rg-shared"),
      makeResourceGroup(SUB1, "rg-diag"),
      makeResourceGroup(SUB2, "rg-diag2"),
    ],
    vms: [vm],
    scaleSets: [],
    storageAccounts: [...shared, account],
    roleAssignments: [
      makeRoleAssignment({ scope: `/subscriptions/${SUB1}`, roleGuid: ROLES.vmContributor.guid, principalId: CALLER_OBJECT_ID }),
      makeRoleAssignment({ scope: `/subscriptions/${SUB2}`, roleGuid: ROLES.vmContributor.guid, principalId: CALLER_OBJECT_ID }),
    ],
    groups: {},
    /** The caller's Cloud Shell settings (GET /providers/Microsoft.Portal/userSettings/cloudconsole); null → 404. */
    cloudShell: cloudShellSettings(SUB1),
    /** Faults that are part of the scenario (e.g. hostile error messages), applied before sim.setFaults ones. */
    faults: [],
  };
}

/** @typedef {ReturnType<typeof healthyWorld>} BaseWorld */

/** Cloud Shell settings whose storage account lives in `subscriptionId` (shape: Microsoft.Portal 2018-10-01 spec). */
export function cloudShellSettings(subscriptionId) {
  return {
    properties: {
      preferredOsType: "Linux",
      preferredLocation: "westeurope",
      preferredShellType: "bash",
      storageProfile: {
        storageAccountResourceId: `/subscriptions/${subscriptionId}/resourceGroups/cloud-shell-storage-westeurope/providers/Microsoft.Storage/storageAccounts/cs210032001a2b3c4d5`,
        fileShareName: "cs-user-contoso-com-10032001a2b3c4d5",
        diskSizeInGB: 5,
      },
      terminalSettings: { fontSize: "Medium", fontStyle: "Monospace" },
    },
  };
}
