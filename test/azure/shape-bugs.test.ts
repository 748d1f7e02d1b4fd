/**
 * Shape bugs found with Azure's own example bodies (issue: talk to Azure through its clients, test against its
 * bodies). Each reproduces the body that exposed it.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { mapVm } from "../../src/azure/map-vm.js";
import { MalformedResponseError } from "../../src/azure/json.js";
import { principalPermissionsFrom } from "../../src/azure/permissions.js";
import { loadSerialLog } from "../../src/azure/serial-log.js";
import { parseVmResourceId } from "../../src/azure/resource-id.js";
import { RunCache } from "../../src/azure/run-cache.js";
import osDisk from "../../src/checks/os-disk.js";
import powerState from "../../src/checks/power-state.js";
import bootDiagnostics from "../../src/checks/boot-diagnostics.js";
import { fleetLoaders } from "../../src/fleet/loaders.js";
import { bare, fakeArm, notFound } from "../fleet/fake-arm.js";

type Json = Record<string, any>;
const example = (name: string): Json =>
  JSON.parse(readFileSync(new URL(`../fixtures/azure-rest-examples/${name}`, import.meta.url), "utf8")).responses["200"].body;

const SUB = "00000000-0000-0000-0000-0000000000e2";
const VM_ID = `/subscriptions/${SUB}/resourceGroups/myResourceGroup/providers/Microsoft.Compute/virtualMachines/myVM`;

describe("a list row without properties (VirtualMachine_ListAll_MinimumSet_Gen)", () => {
  it("the audit fetches that VM instead of erroring every check", async () => {
    const [row] = example("VirtualMachine_ListAll_MinimumSet_Gen.json").value as Json[];
    const minimal = { ...row, id: VM_ID }; // schema-valid: location and id only
    const full: Json = { ...example("VirtualMachine_Get.json"), id: VM_ID };
    full.properties = { ...full.properties, instanceView: example("VirtualMachine_Get_InstanceView.json") };
    const arm = fakeArm((call) => {
      if (bare(call.path) === VM_ID.toLowerCase()) return full;
      throw notFound(call.path);
    });
    const ref = parseVmResourceId(VM_ID);
    const loaders = fleetLoaders(
      {
        arm,
        shared: new RunCache(),
        instanceView: {
          get: async () => undefined,
          single: async () => {
            throw new Error("not under test");
          },
          note: () => undefined,
          pending: () => undefined,
        },
        storage: async () => ({ kind: "not-applicable", reason: "not under test" }),
        network: async () => {
          throw new Error("not under test");
        },
      },
      ref,
      { text: JSON.stringify(minimal), hasInstanceView: false },
    );
    const vm = await loaders.vm();
    expect(vm).toMatchObject({ provisioningState: "Succeeded", osType: "Windows", bootDiagnostics: { enabled: true } });
    expect(vm.statuses.map((s) => s.code)).toContain("PowerState/running");
  });
});

describe("a VM model without storageProfile.osDisk", () => {
  it("is not reported as an unmanaged disk: os-disk says error (missing data is never an advisory)", () => {
    const body = example("VirtualMachine_Get.json");
    const { osDisk: _dropped, ...storageProfile } = body.properties.storageProfile;
    const vm = mapVm({ ...body, id: VM_ID, properties: { ...body.properties, storageProfile } }, parseVmResourceId(VM_ID));
    const finding = osDisk.evaluate({ vm });
    expect(finding.status).toBe("error");
    expect(finding.reason).toMatch(/storageProfile\.osDisk/);
    expect(finding.documentedErrorId).toBeUndefined();
  });

  it("a VHD OS disk is still unmanaged", () => {
    const body = example("VirtualMachine_Get.json");
    const storageProfile = {
      ...body.properties.storageProfile,
      osDisk: { osType: "Windows", name: "os", vhd: { uri: "https://a.blob.core.windows.net/vhds/os.vhd" } },
    };
    const vm = mapVm({ ...body, id: VM_ID, properties: { ...body.properties, storageProfile } }, parseVmResourceId(VM_ID));
    expect(osDisk.evaluate({ vm }).documentedErrorId).toBe("vmi-unmanaged-disk-not-supported");
  });
});

describe("an instance-view status without a code (InstanceViewStatus requires no field)", () => {
  it("is left out: the checks read the statuses that have one, none errors", () => {
    const body = example("VirtualMachine_Get.json");
    const statuses = [
      { level: "Info", displayStatus: "Guest agent heartbeat" },
      { code: null, level: "Info" },
      { code: "ProvisioningState/succeeded", level: "Info" },
      { code: "PowerState/running", level: "Info", displayStatus: "VM running" },
    ];
    const vm = mapVm({ ...body, id: VM_ID, properties: { ...body.properties, instanceView: { statuses } } }, parseVmResourceId(VM_ID));
    expect(powerState.evaluate({ vm }).status).toBe("pass");
  });

  it("a code of another type is still malformed", () => {
    const body = example("VirtualMachine_Get.json");
    const instanceView = { statuses: [{ code: 7 }] };
    expect(() => mapVm({ ...body, id: VM_ID, properties: { ...body.properties, instanceView } }, parseVmResourceId(VM_ID))).toThrow(
      /should be a string/,
    );
  });
});

describe("a uniform scale set instance whose instance view has no bootDiagnostics key", () => {
  const SS_ID = `/subscriptions/${SUB}/resourceGroups/myResourceGroup/providers/Microsoft.Compute/virtualMachineScaleSets/ss/virtualMachines/0`;
  const body = (instanceView: Json | undefined) => {
    const vm = example("VirtualMachineScaleSetVM_Get_WithUserData.json");
    return { ...vm, id: SS_ID, properties: { ...vm.properties, ...(instanceView ? { instanceView } : {}) } };
  };

  it("warns as for bootDiagnostics: null (the az extension refuses both: its SDK reads each as None)", () => {
    const statuses = [{ code: "PowerState/running" }];
    for (const instanceView of [{ statuses }, { statuses, bootDiagnostics: null }]) {
      const vm = mapVm(body(instanceView), parseVmResourceId(SS_ID));
      expect(bootDiagnostics.evaluate({ vm })).toMatchObject({ status: "warn", reason: /az serial-console CLI refuses/ });
    }
  });

  it("without an instance view at all, nothing is inferred from its absence", () => {
    const vm = mapVm(body(undefined), parseVmResourceId(SS_ID));
    expect(bootDiagnostics.evaluate({ vm }).status).toBe("pass");
  });
});

describe("a role assignment without properties.scope (--principal)", () => {
  it("is malformed, not an assignment at the root scope that applies everywhere", async () => {
    const assignment = {
      properties: {
        principalId: "p1",
        principalType: "User",
        roleDefinitionId: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/r1`,
      },
    };
    await expect(
      // The role definition reads fine: only the assignment's missing scope can refuse it.
      principalPermissionsFrom(
        fakeArm(() => example("GetRoleDefinitionById.json")),
        VM_ID,
        "p1",
        { assignments: [assignment], limitations: [] },
        {},
      ),
    ).rejects.toBeInstanceOf(MalformedResponseError);
  });
});

describe("a retrieveBootDiagnosticsData answer without serialConsoleLogBlobUri (both links are optional in the spec)", () => {
  it("is no log to read (an error saying so), never an empty log that blames the guest's console= setting", async () => {
    const body = example("VirtualMachine_Get.json");
    const ref = parseVmResourceId(VM_ID);
    const vm = mapVm({ ...body, id: VM_ID }, ref);
    const arm = fakeArm(() => ({ consoleScreenshotBlobUri: "https://a.blob.core.windows.net/c/vm.screenshot.bmp?sv=1&sig=x" }));
    await expect(loadSerialLog(arm, ref, () => Promise.resolve(vm))).rejects.toThrow(/returned no serialConsoleLogBlobUri/);
  });
});
