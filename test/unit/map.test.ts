import { describe, expect, it } from "vitest";
import { mapStorageAccount, storageAccountNameFromUri } from "../../src/azure/map-storage.js";
import { instanceViewAsRead, mapVm } from "../../src/azure/map-vm.js";
import { EXAMPLES } from "../azure-sim/world/examples.mjs";
import { parseVmResourceId } from "../../src/azure/resource-id.js";
import { MalformedResponseError } from "../../src/azure/json.js";

const ref = parseVmResourceId(
  "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/vm1",
);

// Trimmed from azure-rest-api-specs compute 2024-07-01 VirtualMachine_Get_InstanceView.json.
const vmBody = {
  id: ref.id,
  name: "vm1",
  location: "westeurope",
  tags: { env: "prod" },
  properties: {
    hardwareProfile: { vmSize: "Standard_B2s" },
    provisioningState: "Succeeded",
    diagnosticsProfile: { bootDiagnostics: { enabled: true, storageUri: "https://acct.blob.core.windows.net/" } },
    storageProfile: { osDisk: { osType: "Linux", name: "os", managedDisk: { id: "/x", storageAccountType: "Premium_LRS" } } },
    securityProfile: { securityType: "TrustedLaunch", uefiSettings: { secureBootEnabled: true, vTpmEnabled: true } },
    instanceView: {
      osName: "ubuntu",
      statuses: [
        { code: "ProvisioningState/succeeded", displayStatus: "Provisioning succeeded" },
        { code: "PowerState/running", displayStatus: "VM running" },
      ],
      bootDiagnostics: { consoleScreenshotBlobUri: "https://acct.blob.core.windows.net/c/s.bmp" },
    },
  },
};

describe("mapVm", () => {
  it("maps the documented shape", () => {
    const vm = mapVm(vmBody, ref);
    expect(vm).toMatchObject({
      name: "vm1",
      location: "westeurope",
      vmSize: "Standard_B2s",
      osType: "Linux",
      provisioningState: "Succeeded",
      hasInstanceView: true,
      bootDiagnostics: { enabled: true, storageUri: "https://acct.blob.core.windows.net/" },
      securityType: "TrustedLaunch",
      secureBootEnabled: true,
      osDisk: { managed: true, ephemeral: false, adeEnabled: false },
    });
    expect(vm.statuses.map((s) => s.code)).toContain("PowerState/running");
  });

  it("osProfile: password sign-in, extension operations and the VM agent (what VMAccess needs), validated", () => {
    const osProfile = {
      allowExtensionOperations: false,
      linuxConfiguration: { disablePasswordAuthentication: true, provisionVMAgent: false },
    };
    const vm = mapVm({ ...vmBody, properties: { ...vmBody.properties, osProfile } }, ref);
    expect(vm).toMatchObject({ disablePasswordAuthentication: true, allowExtensionOperations: false, provisionVMAgent: false });
    expect(mapVm(vmBody, ref)).toMatchObject({ allowExtensionOperations: undefined, provisionVMAgent: undefined });
    // A Windows VM's is under windowsConfiguration.
    const windows = { windowsConfiguration: { provisionVMAgent: false } };
    expect(mapVm({ ...vmBody, properties: { ...vmBody.properties, osProfile: windows } }, ref)).toMatchObject({ provisionVMAgent: false });
    const bad = { ...osProfile, allowExtensionOperations: "no" };
    expect(() => mapVm({ ...vmBody, properties: { ...vmBody.properties, osProfile: bad } }, ref)).toThrow(MalformedResponseError);
  });

  it("takes the instance view from a separate GET (top level)", () => {
    const { instanceView, ...properties } = vmBody.properties;
    const vm = mapVm({ ...vmBody, properties }, ref, instanceView);
    expect(vm.hasInstanceView).toBe(true);
    expect(vm.statuses).toHaveLength(2);
  });

  it("a boot diagnostics status is a problem with or without a message (set only when enabling failed)", () => {
    const status = (value: object) => mapVm(vmBody, ref, { bootDiagnostics: { status: value } }).instanceViewBootDiagnostics?.status;
    expect(status({ code: "ProvisioningState/failed/StorageAccountTypeNotSupported", level: "Error" })).toBe(
      "ProvisioningState/failed/StorageAccountTypeNotSupported",
    );
    expect(status({ code: "c", displayStatus: "Provisioning failed", message: "the account is Premium" })).toBe("the account is Premium");
    expect(status({ code: "c", displayStatus: "Provisioning failed" })).toBe("Provisioning failed");
    expect(status({})).toBe("a status without code or message");
    expect(mapVm(vmBody, ref, { bootDiagnostics: {} }).instanceViewBootDiagnostics?.status).toBeUndefined();
  });

  it("an instance view cut to the fields mapVm reads gives the same facts (every field of the REST example set)", () => {
    const full = {
      ...EXAMPLES.vmInstanceView,
      bootDiagnostics: { status: { message: "boot diagnostics failed" }, serialConsoleLogBlobUri: "https://a/b.log" },
    };
    const cut = instanceViewAsRead(full);
    expect(Object.keys(cut).length).toBeLessThan(Object.keys(full).length);
    expect(mapVm(vmBody, ref, cut)).toEqual(mapVm(vmBody, ref, full));
    expect(mapVm(vmBody, ref, instanceViewAsRead({ bootDiagnostics: null }))).toEqual(mapVm(vmBody, ref, { bootDiagnostics: null }));
    expect(mapVm(vmBody, ref, instanceViewAsRead({}))).toEqual(mapVm(vmBody, ref, {}));
  });

  it("absent diagnosticsProfile means boot diagnostics is not enabled", () => {
    const { diagnosticsProfile: _, ...properties } = vmBody.properties;
    expect(mapVm({ ...vmBody, properties }, ref).bootDiagnostics.enabled).toBeUndefined();
  });

  it("unmanaged and ephemeral OS disks, ADE", () => {
    const body = structuredClone(vmBody) as Record<string, any>;
    body.properties.storageProfile.osDisk = {
      osType: "Linux",
      vhd: { uri: "https://a.blob.core.windows.net/vhds/os.vhd" },
      encryptionSettings: { enabled: true },
    };
    expect(mapVm(body, ref).osDisk).toMatchObject({ managed: false, adeEnabled: true, vhdUri: expect.stringContaining(".vhd") });
    body.properties.storageProfile.osDisk = { managedDisk: {}, diffDiskSettings: { option: "Local", placement: "ResourceDisk" } };
    expect(mapVm(body, ref).osDisk).toMatchObject({ managed: true, ephemeral: true, ephemeralPlacement: "ResourceDisk" });
  });

  it("single-pass ADE: the model says nothing, the instance view's OS disk and the extension do", () => {
    const body = structuredClone(vmBody) as Record<string, any>;
    const osDiskName: string = body.properties.storageProfile.osDisk.name;
    const encrypted = { name: osDiskName.toUpperCase(), encryptionSettings: [{ enabled: true }] };
    const extension = { name: "ade", type: "Microsoft.Azure.Security.AzureDiskEncryption", statuses: [] };
    expect(mapVm(body, ref, { disks: [encrypted] }).osDisk).toMatchObject({ adeEnabled: true, encryptionStateRead: true });
    // A data disk's encryption is not the OS disk's.
    expect(mapVm(body, ref, { disks: [{ ...encrypted, name: "data0" }] }).osDisk).toMatchObject({ adeEnabled: false });
    expect(mapVm(body, ref, { disks: [{ name: osDiskName }], extensions: [extension] }).osDisk).toMatchObject({
      adeEnabled: false,
      encryptionStateRead: true,
      adeExtension: "ade",
    });
    // The extension in the model's resources (publisher + type), no instance view at all.
    body.resources = [
      { name: "AzureDiskEncryptionForLinux", properties: { publisher: "Microsoft.Azure.Security", type: "AzureDiskEncryptionForLinux" } },
    ];
    const mapped = mapVm(body, ref).osDisk;
    expect(mapped).toMatchObject({ adeEnabled: false, adeExtension: "AzureDiskEncryptionForLinux" });
    expect(mapped.encryptionStateRead).toBeUndefined();
    // Cut to what is read, the instance view still tells the same.
    const view = { disks: [{ ...encrypted, statuses: [{ code: "EncryptionState/encrypted" }] }], extensions: [extension] };
    expect(instanceViewAsRead(view)).toEqual({ disks: [encrypted], extensions: [{ name: "ade", type: extension.type }] });
    expect(mapVm(body, ref, instanceViewAsRead(view))).toEqual(mapVm(body, ref, view));
  });

  it.each([
    ["no properties", { id: ref.id }],
    ["properties is a string", { properties: "x" }],
    ["provisioningState is a number", { properties: { provisioningState: 42 } }],
    ["statuses is an object", { properties: { instanceView: { statuses: {} } } }],
    ["a status whose code is a number", { properties: { instanceView: { statuses: [{ code: 7 }] } } }],
    ["bootDiagnostics.enabled is a number", { properties: { diagnosticsProfile: { bootDiagnostics: { enabled: 1 } } } }],
    ["the body is an array", []],
  ])("malformed: %s throws", (_label, body) => {
    expect(() => mapVm(body, ref)).toThrow(MalformedResponseError);
  });
});

describe("mapStorageAccount", () => {
  const account = {
    id: "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-diag/providers/Microsoft.Storage/storageAccounts/acct",
    name: "acct",
    location: "westeurope",
    properties: {
      isHnsEnabled: false,
      networkAcls: {
        bypass: "AzureServices",
        defaultAction: "Deny",
        ipRules: [{ value: "52.146.139.220", action: "Allow" }],
        virtualNetworkRules: [],
      },
      primaryEndpoints: { blob: "https://acct.blob.core.windows.net/" },
    },
  };

  it("maps ACLs and reads the resource group from the id", () => {
    expect(mapStorageAccount(account)).toMatchObject({
      resourceGroup: "rg-diag",
      networkAcls: { defaultAction: "Deny", ipRules: [{ value: "52.146.139.220" }] },
      allowSharedKeyAccess: undefined,
    });
  });

  it("allowSharedKeyAccess null stays null (documented: equivalent to true)", () => {
    expect(
      mapStorageAccount({ ...account, properties: { ...account.properties, allowSharedKeyAccess: null } }).allowSharedKeyAccess,
    ).toBeNull();
  });

  it("an ipRule without value is malformed", () => {
    expect(() => mapStorageAccount({ ...account, properties: { networkAcls: { ipRules: [{ action: "Allow" }] } } })).toThrow(
      MalformedResponseError,
    );
  });

  it.each([
    ["https://acct.blob.core.windows.net/", "acct"],
    ["http://ACCT.blob.core.windows.net", "acct"],
    ["not a url", undefined],
    // Without its scheme it still names the account (boot-diagnostics-uri judges the missing scheme).
    ["acct.blob.core.windows.net", "acct"],
    ["nodots", undefined],
  ])("account name from %s", (uri, name) => {
    expect(storageAccountNameFromUri(uri)).toBe(name);
  });
});
