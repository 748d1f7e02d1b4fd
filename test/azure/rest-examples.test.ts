/**
 * Azure's own example bodies (test/fixtures/azure-rest-examples/, from Azure/azure-rest-api-specs) through the
 * real generated clients and sc-doctor's strict mappers: every fact a check relies on must come out as the file
 * says. The HTTP client is a fake answering with the example body; nothing of ours is mocked.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadConsoleService, loadVm } from "../../src/azure/loaders.js";
import { loadSubscription } from "../../src/azure/subscription.js";
import { listPermissions, principalPermissions } from "../../src/azure/permissions.js";
import { findStorageAccount } from "../../src/azure/storage-lookup.js";
import { listSubscriptionRows } from "../../src/azure/storage-lookup.js";
import { mapStorageAccount, storageAccountNameFromUri } from "../../src/azure/map-storage.js";
import { parseVmResourceId } from "../../src/azure/resource-id.js";
import type { VmFacts } from "../../src/azure/facts.js";
import { bare, fakeArm, notFound, type FakeCall } from "../fleet/fake-arm.js";

type Json = Record<string, any>;
const example = (name: string): Json =>
  JSON.parse(readFileSync(new URL(`../fixtures/azure-rest-examples/${name}`, import.meta.url), "utf8"));
const body = (name: string, status = "200"): Json => example(name).responses[status].body;

const SUB = "00000000-0000-0000-0000-0000000000e1";
const VM_ID = `/subscriptions/${SUB}/resourceGroups/myResourceGroup/providers/Microsoft.Compute/virtualMachines/myVM`;
const VMSS_VM_ID = `/subscriptions/${SUB}/resourceGroups/myResourceGroup/providers/Microsoft.Compute/virtualMachineScaleSets/myVirtualMachineScaleSet/virtualMachines/0`;

/** Answer by path (lower-case, no query); unknown paths are a 404. */
function serve(routes: Record<string, unknown>) {
  return fakeArm((call: FakeCall) => {
    const path = bare(call.path).replace(/\/\//g, "/");
    if (path in routes) return routes[path];
    throw notFound(path);
  });
}

describe("compute examples", () => {
  it("VirtualMachine_Get + VirtualMachine_Get_InstanceView: the model and the separate instance view", async () => {
    const vmBody = body("VirtualMachine_Get.json");
    const view = body("VirtualMachine_Get_InstanceView.json");
    const arm = serve({ [VM_ID.toLowerCase()]: vmBody, [`${VM_ID}/instanceView`.toLowerCase()]: view });
    const vm = await loadVm(arm, parseVmResourceId(VM_ID));
    expect(vm).toMatchObject({
      location: "West US",
      vmSize: "Standard_DS3_v2",
      osType: "Windows",
      osName: "Windows Server 2016 Datacenter",
      provisioningState: "Succeeded",
      hasInstanceView: true,
      bootDiagnostics: { enabled: true, storageUri: "http://{myStorageAccount}.blob.core.windows.net" },
      instanceViewBootDiagnostics: {
        consoleScreenshotBlobUri: "https://{myStorageAccount}.blob.core.windows.net/bootdiagnostics-myOsDisk/myOsDisk.screenshot.bmp",
        serialConsoleLogBlobUri: "https://{myStorageAccount}.blob.core.windows.net/bootdiagnostics-myOsDisk/myOsDisk.serialconsole.log",
      },
      osDisk: { name: "myOsDisk", managed: true, ephemeral: false, adeEnabled: false },
      tags: { myTag1: "tagValue1" },
    });
    expect(vm.statuses.map((s) => s.code)).toEqual(["ProvisioningState/succeeded", "PowerState/running"]);
    // Two GETs: the model (no instance view in this example), then the instance view at the top level.
    expect(arm.calls.map((c) => bare(c.path))).toEqual([VM_ID.toLowerCase(), `${VM_ID}/instanceView`.toLowerCase()]);
  });

  it("VirtualMachineScaleSetVM_Get_WithUserData + _InstanceViewAutoPlacedOnDedicatedHostGroup: latest model, managed boot diagnostics, null instance-view boot diagnostics", async () => {
    const model = body("VirtualMachineScaleSetVM_Get_WithUserData.json");
    const view = body("VirtualMachineScaleSetVM_Get_InstanceViewAutoPlacedOnDedicatedHostGroup.json");
    const arm = serve({ [VMSS_VM_ID.toLowerCase()]: model, [`${VMSS_VM_ID}/instanceView`.toLowerCase()]: view });
    const vm = await loadVm(arm, parseVmResourceId(VMSS_VM_ID));
    expect(vm).toMatchObject({
      kind: "vmss-uniform",
      latestModelApplied: true,
      osType: "Windows",
      provisioningState: "Succeeded",
      bootDiagnostics: { enabled: true },
      instanceViewBootDiagnostics: null,
      osDisk: { name: "vmss3176_vmss3176_0_OsDisk_1_6d72b805e50e4de6830303c5055077fc", managed: true },
    });
    expect(vm.bootDiagnostics.storageUri).toBeUndefined();
    expect(vm.statuses.map((s) => s.code)).toEqual(["ProvisioningState/succeeded", "PowerState/running"]);
  });
});

describe("storage examples", () => {
  it("StorageAccountGetProperties: HNS, firewall, endpoints", () => {
    const account = mapStorageAccount(body("StorageAccountGetProperties.json"));
    expect(account).toMatchObject({
      name: "sto8596",
      resourceGroup: "res9407",
      kind: "Storage",
      skuName: "Standard_GRS",
      location: "eastus2(stage)",
      provisioningState: "Succeeded",
      isHnsEnabled: true,
      blobEndpoint: "https://sto8596.blob.core.windows.net/",
      networkAcls: { defaultAction: "Allow", bypass: "AzureServices", ipRules: [], virtualNetworkRules: [] },
    });
    expect(account.allowSharedKeyAccess).toBeUndefined(); // absent means allowed
    expect(account.networkAcls?.resourceAccessRules).toHaveLength(1);
  });

  it("StorageAccountCreateDnsEndpointTypeToAzureDnsZone: the account name from a z<NN> blob endpoint", () => {
    const account = mapStorageAccount(body("StorageAccountCreateDnsEndpointTypeToAzureDnsZone.json"));
    expect(account).toMatchObject({
      name: "sto4445",
      isHnsEnabled: true,
      allowSharedKeyAccess: true,
      blobEndpoint: "https://sto4445.z24.blob.storage.azure.net/",
    });
    expect(storageAccountNameFromUri(account.blobEndpoint ?? "")).toBe("sto4445");
  });

  it("the lookup finds the example account next to the VM through the storage client", async () => {
    const sample = body("StorageAccountGetProperties.json");
    const id = `/subscriptions/${SUB}/resourceGroups/myResourceGroup/providers/Microsoft.Storage/storageAccounts/sto8596`;
    const arm = serve({ [id.toLowerCase()]: { ...sample, id } });
    const vm = {
      subscriptionId: SUB,
      resourceGroup: "myResourceGroup",
      kind: "vm",
      bootDiagnostics: { enabled: true, storageUri: "https://sto8596.blob.core.windows.net/" },
    } as VmFacts;
    const lookup = await findStorageAccount(arm, vm, {});
    expect(lookup.kind).toBe("found");
    expect(lookup.kind === "found" && lookup.account.isHnsEnabled).toBe(true);
  });
});

describe("subscription, console, authorization examples", () => {
  it("GetSubscription: state, tenant, name and the tenants managing it (Azure Lighthouse)", async () => {
    const sample = body("GetSubscription.json");
    const arm = serve({ [`/subscriptions/${sample.subscriptionId}`]: sample });
    expect(await loadSubscription(arm, sample.subscriptionId)).toEqual({
      subscriptionId: "291bba3f-e0a5-47bc-a099-3bdcb2a50a05",
      displayName: "Example Subscription",
      tenantId: "31c75423-32d6-4322-88b7-c478bdde4858",
      state: "Enabled",
      managedByTenants: ["8f70baf1-1f6e-46a2-a1ff-238dac1ebfb7"],
    });
  });

  it("the subscription list pages through the subscriptions client", async () => {
    const sample = body("GetSubscription.json");
    const arm = serve({ "/subscriptions": { value: [sample] } });
    const rows = await listSubscriptionRows(arm, {});
    expect(rows.map((r) => r["subscriptionId"])).toEqual([sample.subscriptionId]);
  });

  it("SerialConsoleStatus: enabled (properties.disabled false)", async () => {
    const arm = serve({
      [`/subscriptions/${SUB}/providers/microsoft.serialconsole/consoleservices/default`]: body("SerialConsoleStatus.json"),
    });
    expect(await loadConsoleService(arm, SUB)).toEqual({ subscriptionId: SUB, disabled: false });
  });

  it("GetSerialConsoleDisabledResult: the older body { disabled: true } without properties is read as disabled", async () => {
    const arm = serve({
      [`/subscriptions/${SUB}/providers/microsoft.serialconsole/consoleservices/default`]: body("GetSerialConsoleDisabledResult.json"),
    });
    expect(await loadConsoleService(arm, SUB)).toEqual({ subscriptionId: SUB, disabled: true });
  });

  it("GetPermissions / GetResourcePermissions: blocks with empty actions (nextLink placeholder dropped)", async () => {
    const { nextLink: _placeholder, ...page } = body("GetPermissions.json");
    const resourcePage = body("GetResourcePermissions.json");
    const rgScope = `/subscriptions/${SUB}/resourceGroups/rgname`;
    const arm = serve({
      [`${rgScope}/providers/microsoft.authorization/permissions`.toLowerCase()]: page,
      [`${VM_ID}/providers/Microsoft.Authorization/permissions`.toLowerCase()]: resourcePage,
    });
    expect((await listPermissions(arm, rgScope)).blocks).toEqual([{ actions: [], notActions: [], dataActions: [], notDataActions: [] }]);
    expect((await listPermissions(arm, VM_ID)).blocks).toEqual([{ actions: [], notActions: [], dataActions: [], notDataActions: [] }]);
  });

  it("RoleAssignments_ListForScope + GetRoleDefinitionById: a principal's permissions from its assignment", async () => {
    const assignments = body("RoleAssignments_ListForScope.json");
    const definition = body("GetRoleDefinitionById.json");
    const principal = "ce2ce14e-85d7-4629-bdbc-454d0519d987";
    const scope = "/subscriptions/a925f2f7-5c63-4b7b-8799-25a5f97bc3b2";
    const arm = serve({
      [`${scope}/providers/microsoft.authorization/roleassignments`]: assignments,
      "/providers/microsoft.authorization/roledefinitions/0b5fe924-9a61-425c-96af-cfe6e287ca2d": definition,
    });
    const facts = await principalPermissions(arm, scope, principal, {});
    expect(facts.roles).toEqual(["Role name"]);
    expect(facts.blocks).toEqual([{ actions: ["action"], notActions: [], dataActions: ["dataAction"], notDataActions: [] }]);
  });
});
