import { describe, expect, it } from "vitest";
import bootDiagnostics from "../../src/checks/boot-diagnostics.js";
import bootDiagnosticsUri from "../../src/checks/boot-diagnostics-uri.js";
import powerState from "../../src/checks/power-state.js";
import provisioningState from "../../src/checks/provisioning-state.js";
import scaleSetModel from "../../src/checks/scale-set-model.js";
import { scaleSetVm, vm } from "./fixtures.js";

const power = (code: string) => vm({ statuses: [{ code }] });

describe("power-state", () => {
  it.each([
    ["PowerState/running", "pass", undefined],
    ["PowerState/starting", "warn", undefined],
    ["PowerState/stopped", "fail", "vm-not-running"],
    ["PowerState/stopping", "fail", "vm-not-running"],
    ["PowerState/deallocated", "fail", "vm-not-running"],
    ["PowerState/deallocating", "fail", "vm-not-running"],
    ["PowerState/unknown", "error", undefined],
  ])("%s → %s", (code, status, documented) => {
    const finding = powerState.evaluate({ vm: power(code) });
    expect(finding.status).toBe(status);
    expect(finding.documentedErrorId).toBe(documented);
  });

  it("no instance view is an error, never a pass", () => {
    expect(powerState.evaluate({ vm: vm({ hasInstanceView: false, statuses: [] }) }).status).toBe("error");
  });

  it("an instance view without a PowerState status is an error", () => {
    expect(powerState.evaluate({ vm: vm({ statuses: [{ code: "ProvisioningState/succeeded" }] }) })).toMatchObject({
      status: "error",
      reason: /no PowerState/,
    });
  });

  it("a stopped scale set instance gets an az vmss start fix", () => {
    const finding = powerState.evaluate({ vm: scaleSetVm({ statuses: [{ code: "PowerState/deallocated" }] }) });
    expect(finding.fix?.[0]).toContain("az vmss start --name ss1 --resource-group rg1 --instance-ids 0");
  });
});

describe("provisioning-state", () => {
  it.each([
    ["Succeeded", "pass"],
    ["Updating", "warn"],
    ["Creating", "fail"],
    ["Failed", "fail"],
    ["Deleting", "fail"],
  ])("%s → %s", (state, status) => {
    const finding = provisioningState.evaluate({ vm: vm({ provisioningState: state }) });
    expect(finding.status).toBe(status);
    if (status !== "pass") expect(finding.documentedErrorId).toBe("provisioning-not-done");
  });

  it("a failed VM is told to reapply, with its real names", () => {
    expect(provisioningState.evaluate({ vm: vm({ provisioningState: "Failed" }) }).fix).toEqual([
      "az vm reapply --name vm1 --resource-group rg1 --subscription 00000000-0000-0000-0000-000000000001",
    ]);
  });

  it("a missing provisioningState is an error", () => {
    expect(provisioningState.evaluate({ vm: vm({ provisioningState: undefined }) }).status).toBe("error");
  });

  it("a failed status's displayStatus is in the reason, kilobytes of it cut to a line", () => {
    const failed = (displayStatus: string) =>
      provisioningState.evaluate({
        vm: vm({ provisioningState: "Failed", statuses: [{ code: "ProvisioningState/failed/X", displayStatus }] }),
      });
    expect(failed("Provisioning failed").reason).toBe("provisioning state is Failed (Provisioning failed), not Succeeded");
    expect(failed("x".repeat(10_000)).reason).toBe(`provisioning state is Failed (${"x".repeat(199)}…), not Succeeded`);
    // An account key the cut would split (its `==` cut off, it no longer looks like one): masked first.
    const key = `${"Ab1+".repeat(21)}xy==`;
    const reason = failed(`${"y".repeat(150)} key ${key} was refused`).reason;
    expect(reason).not.toContain("Ab1+Ab1+");
    expect(reason).toContain(" key ***");
  });
});

describe("boot-diagnostics", () => {
  it.each([
    [{ enabled: true, storageUri: "https://a.blob.core.windows.net/" }, "pass", /custom/],
    [{ enabled: true }, "pass", /managed/],
    [{ enabled: false }, "fail", /not enabled/],
    [{}, "fail", /not enabled/],
  ])("%j → %s", (bootDiagnosticsFacts, status, reason) => {
    const finding = bootDiagnostics.evaluate({ vm: vm({ bootDiagnostics: bootDiagnosticsFacts }) });
    expect(finding.status).toBe(status);
    expect(finding.reason).toMatch(reason);
  });

  it("a scale set instance is fixed on the scale set model, then upgraded", () => {
    const finding = bootDiagnostics.evaluate({ vm: scaleSetVm({ bootDiagnostics: { enabled: false } }) });
    expect(finding.fix?.join("\n")).toMatch(
      /az vmss update .*"bootDiagnostics":\{"enabled":true\}[\s\S]*az vmss update-instances .*--instance-ids 0/,
    );
  });

  it("a scale set instance whose instance view has no boot diagnostics warns, naming az serial-console", () => {
    const finding = bootDiagnostics.evaluate({ vm: scaleSetVm({ bootDiagnostics: { enabled: true }, instanceViewBootDiagnostics: null }) });
    expect(finding).toMatchObject({ status: "warn", reason: /az serial-console/ });
  });

  it("a boot diagnostics status message from Azure warns", () => {
    const finding = bootDiagnostics.evaluate({
      vm: vm({ instanceViewBootDiagnostics: { status: "The storage account could not be reached" } }),
    });
    expect(finding.status).toBe("warn");
  });
});

describe("scale-set-model", () => {
  it.each([
    [scaleSetVm({ latestModelApplied: true }), "pass"],
    [scaleSetVm({ latestModelApplied: false }), "warn"],
    [scaleSetVm({ latestModelApplied: false, bootDiagnostics: {}, instanceViewBootDiagnostics: null }), "fail"],
    [scaleSetVm({ latestModelApplied: undefined }), "error"],
    [vm(), "skip"],
    [vm({ scaleSetId: "/subscriptions/x/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachineScaleSets/flex" }), "skip"],
  ])("case %# → %s", (facts, status) => {
    expect(scaleSetModel.evaluate({ vm: facts }).status).toBe(status);
  });

  it("an outdated instance without boot diagnostics: enable it in the scale set's model, then apply the model", () => {
    const finding = scaleSetModel.evaluate({
      vm: scaleSetVm({ latestModelApplied: false, bootDiagnostics: {}, instanceViewBootDiagnostics: null }),
    });
    // Applying the model alone cannot help when the model itself does not enable boot diagnostics.
    expect(finding.fix).toEqual([
      expect.stringMatching(
        /^az vmss update --name ss1 .*--set virtualMachineProfile\.diagnosticsProfile='\{"bootDiagnostics":\{"enabled":true\}\}'$/,
      ),
      expect.stringMatching(/^az vmss update-instances --name ss1 .*--instance-ids 0$/),
    ]);
  });
});

describe("boot-diagnostics-uri", () => {
  it.each([
    ["https://scdiagstore.blob.core.windows.net/", "pass"],
    ["https://scdiagstore.blob.core.usgovcloudapi.net/", "pass"],
    ["http://scdiagstore.blob.core.windows.net/", "fail"],
    ["https://scdiagstore.file.core.windows.net/", "fail"],
    ["https://Bad_Name.blob.core.windows.net/", "fail"],
    ["not a url", "fail"],
  ])("%s → %s", (storageUri, status) => {
    const finding = bootDiagnosticsUri.evaluate({ storagePath: "legacy", vm: vm({ bootDiagnostics: { enabled: true, storageUri } }) });
    expect(finding.status).toBe(status);
    if (status === "fail") expect(finding.documentedErrorId).toBe("bad-request-400");
  });

  it("a query string (a pasted SAS token) warns, and the token is not echoed", () => {
    const finding = bootDiagnosticsUri.evaluate({
      storagePath: "legacy",
      vm: vm({ bootDiagnostics: { enabled: true, storageUri: "https://scdiagstore.blob.core.windows.net/?sv=2022&sig=SECRET" } }),
    });
    expect(finding.status).toBe("warn");
    expect(JSON.stringify(finding)).not.toContain("SECRET");
  });

  it("the fix for http:// is the same account over https://", () => {
    const finding = bootDiagnosticsUri.evaluate({
      storagePath: "legacy",
      vm: vm({ bootDiagnostics: { enabled: true, storageUri: "http://scdiagstore.blob.core.windows.net/" } }),
    });
    expect(finding.fixArgs?.["storageUri"]).toBe("https://scdiagstore.blob.core.windows.net/");
  });

  // The fix keeps the cloud of the URI: a China or US Government account is not under blob.core.windows.net
  // (https://learn.microsoft.com/azure/china/resources-developer-guide), and `--storage` also takes an account name
  // (az vm boot-diagnostics enable: "Name or URI of a storage account").
  it.each([
    ["https://scdiagstore.file.core.chinacloudapi.cn/", "https://scdiagstore.blob.core.chinacloudapi.cn/"],
    ["https://scdiagstore.table.core.usgovcloudapi.net/", "https://scdiagstore.blob.core.usgovcloudapi.net/"],
    ["https://scdiagstore.z12.dfs.storage.azure.net/", "https://scdiagstore.z12.blob.storage.azure.net/"],
    ["https://scdiagstore.example.com/", "scdiagstore"],
  ])("a URI that is not a blob endpoint (%s): the fix names %s, in the URI's own cloud", (storageUri, fixed) => {
    const finding = bootDiagnosticsUri.evaluate({ storagePath: "legacy", vm: vm({ bootDiagnostics: { enabled: true, storageUri } }) });
    expect(finding).toMatchObject({ status: "fail", documentedErrorId: "bad-request-400" });
    expect(finding.fixArgs?.["storageUri"]).toBe(fixed);
  });

  it.each([[{ enabled: true }], [{ enabled: false }]])("skips without a custom URI (%j)", (boot) => {
    expect(bootDiagnosticsUri.evaluate({ storagePath: "legacy", vm: vm({ bootDiagnostics: boot }) }).status).toBe("skip");
  });
});
