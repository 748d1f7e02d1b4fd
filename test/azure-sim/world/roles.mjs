/**
 * Built-in role definitions as Azure publishes them (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles). Ids are the real,
 * tenant-independent built-in role GUIDs, so fixes and evidence that name them match what users see.
 */

const VIRTUAL_MACHINE_CONTRIBUTOR = {
  guid: "9980e02c-c2be-4d73-94e8-173b1dc7cf3c",
  roleName: "Virtual Machine Contributor",
  description:
    "Lets you manage virtual machines, but not access to them, and not the virtual network or storage account they're connected to.",
  actions: [
    "Microsoft.Authorization/*/read",
    "Microsoft.Compute/availabilitySets/*",
    "Microsoft.Compute/locations/*",
    "Microsoft.Compute/virtualMachines/*",
    "Microsoft.Compute/virtualMachineScaleSets/*",
    "Microsoft.Compute/cloudServices/*",
    "Microsoft.Compute/disks/write",
    "Microsoft.Compute/disks/read",
    "Microsoft.Compute/disks/delete",
    "Microsoft.DevTestLab/schedules/*",
    "Microsoft.Insights/alertRules/*",
    "Microsoft.Network/applicationGateways/backendAddressPools/join/action",
    "Microsoft.Network/loadBalancers/backendAddressPools/join/action",
    "Microsoft.Network/loadBalancers/inboundNatPools/join/action",
    "Microsoft.Network/loadBalancers/inboundNatRules/join/action",
    "Microsoft.Network/loadBalancers/probes/join/action",
    "Microsoft.Network/loadBalancers/read",
    "Microsoft.Network/locations/*",
    "Microsoft.Network/networkInterfaces/*",
    "Microsoft.Network/networkSecurityGroups/join/action",
    "Microsoft.Network/networkSecurityGroups/read",
    "Microsoft.Network/publicIPAddresses/join/action",
    "Microsoft.Network/publicIPAddresses/read",
    "Microsoft.Network/virtualNetworks/read",
    "Microsoft.Network/virtualNetworks/subnets/join/action",
    "Microsoft.RecoveryServices/locations/*",
    "Microsoft.RecoveryServices/Vaults/backupFabrics/backupProtectionIntent/write",
    "Microsoft.RecoveryServices/Vaults/backupFabrics/protectionContainers/protectedItems/*/read",
    "Microsoft.RecoveryServices/Vaults/backupFabrics/protectionContainers/protectedItems/read",
    "Microsoft.RecoveryServices/Vaults/backupFabrics/protectionContainers/protectedItems/write",
    "Microsoft.RecoveryServices/Vaults/backupPolicies/read",
    "Microsoft.RecoveryServices/Vaults/backupPolicies/write",
    "Microsoft.RecoveryServices/Vaults/read",
    "Microsoft.RecoveryServices/Vaults/usages/read",
    "Microsoft.RecoveryServices/Vaults/write",
    "Microsoft.ResourceHealth/availabilityStatuses/read",
    "Microsoft.Resources/deployments/*",
    "Microsoft.Resources/subscriptions/resourceGroups/read",
    "Microsoft.SerialConsole/serialPorts/connect/action",
    "Microsoft.SqlVirtualMachine/*",
    "Microsoft.Storage/storageAccounts/listKeys/action",
    "Microsoft.Storage/storageAccounts/read",
    "Microsoft.Support/*",
  ],
  notActions: [],
};

const READER = {
  guid: "acdd72a7-3385-48ef-bd42-f606fba81ae7",
  roleName: "Reader",
  description: "View all resources, but does not allow you to make any changes.",
  actions: ["*/read"],
  notActions: [],
};

const CONTRIBUTOR = {
  guid: "b24988ac-6180-42a0-ab88-20f7382dd24c",
  roleName: "Contributor",
  description:
    "Grants full access to manage all resources, but does not allow you to assign roles in Azure RBAC, manage assignments in Azure Blueprints, or share image galleries.",
  actions: ["*"],
  notActions: [
    "Microsoft.Authorization/*/Delete",
    "Microsoft.Authorization/*/Write",
    "Microsoft.Authorization/elevateAccess/Action",
    "Microsoft.Blueprint/blueprintAssignments/write",
    "Microsoft.Blueprint/blueprintAssignments/delete",
    "Microsoft.Compute/galleries/share/action",
    "Microsoft.Purview/consents/write",
    "Microsoft.Purview/consents/delete",
    "Microsoft.Resources/deploymentStacks/manageDenySetting/action",
    "Microsoft.Subscription/cancel/action",
    "Microsoft.Subscription/enable/action",
  ],
};

const OWNER = {
  guid: "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
  roleName: "Owner",
  description: "Grants full access to manage all resources, including the ability to assign roles in Azure RBAC.",
  actions: ["*"],
  notActions: [],
};

/** Built-in roles by a short key scenarios use. */
export const ROLES = { vmContributor: VIRTUAL_MACHINE_CONTRIBUTOR, reader: READER, contributor: CONTRIBUTOR, owner: OWNER };

const byGuid = new Map(Object.values(ROLES).map((role) => [role.guid, role]));

/** @param {string} guid */
export function builtInRole(guid) {
  return byGuid.get(guid.toLowerCase());
}

/**
 * The ARM body of a role definition. Built-in definitions answer at every scope; the id echoes the scope asked
 * (`/subscriptions/{s}/providers/...` or `/providers/...`), as ARM does.
 * @param {{ guid: string, roleName: string, description: string, actions: string[], notActions: string[] }} role
 * @param {string} scopePrefix "" or "/subscriptions/{id}"
 */
export function roleDefinitionBody(role, scopePrefix) {
  return {
    id: `${scopePrefix}/providers/Microsoft.Authorization/roleDefinitions/${role.guid}`,
    name: role.guid,
    type: "Microsoft.Authorization/roleDefinitions",
    properties: {
      roleName: role.roleName,
      type: "BuiltInRole",
      description: role.description,
      assignableScopes: ["/"],
      permissions: [{ actions: [...role.actions], notActions: [...role.notActions], dataActions: [], notDataActions: [] }],
      createdOn: "2015-06-02T00:00:00.0000000Z",
      updatedOn: "2024-06-18T15:24:06.6463044Z",
      createdBy: null,
      updatedBy: null,
    },
  };
}
