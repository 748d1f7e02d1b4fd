import { describe, expect, it } from "vitest";
import { ResourceIdError, parseVmResourceId, vmRefFromParts } from "../../src/azure/resource-id.js";

const SUB = "00000000-0000-0000-0000-000000000001";
const VM = `/subscriptions/${SUB}/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/vm1`;
const VMSS = `/subscriptions/${SUB}/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachineScaleSets/ss1/virtualMachines/3`;

describe("parseVmResourceId: accepted forms", () => {
  it.each([
    ["canonical VM id", VM],
    ["lower-case id", VM.toLowerCase()],
    ["upper-case fixed segments", VM.replace("resourceGroups", "RESOURCEGROUPS").replace("Microsoft.Compute", "MICROSOFT.COMPUTE")],
    ["trailing slashes", `${VM}///`],
    ["surrounding whitespace", `  ${VM}\n`],
    ["portal URL", `https://portal.azure.com/#@contoso.onmicrosoft.com/resource${VM}/overview`],
    ["portal URL without tenant", `https://portal.azure.com/#resource${VM}`],
    ["percent-encoded portal URL", `https://portal.azure.com/#@contoso/resource${encodeURIComponent(VM)}`],
    ["percent-encoded id", encodeURIComponent(VM)],
    ["portal URL without its scheme", `portal.azure.com/#@contoso.onmicrosoft.com/resource${VM}/overview`],
  ])("%s", (_label, input) => {
    const ref = parseVmResourceId(input);
    expect(ref.kind).toBe("vm");
    expect(ref.subscriptionId).toBe(SUB);
    expect(ref.resourceGroup.toLowerCase()).toBe("rg1");
    expect(ref.name.toLowerCase()).toBe("vm1");
    expect(ref.id.toLowerCase()).toBe(VM.toLowerCase());
  });

  it("a uniform scale set instance", () => {
    const ref = parseVmResourceId(VMSS);
    expect(ref).toMatchObject({ kind: "vmss-uniform", scaleSet: "ss1", instanceId: "3", resourceGroup: "rg1" });
    expect(ref.id).toBe(VMSS);
  });

  it("a scale set instance inside a portal URL with a blade suffix", () => {
    expect(parseVmResourceId(`https://portal.azure.com/#@t/resource${VMSS}/serialConsole`)).toMatchObject({
      kind: "vmss-uniform",
      instanceId: "3",
    });
  });

  it("percent-escapes in an id (a resource group copied from a portal URL) are decoded", () => {
    const ref = parseVmResourceId(VM.replace("rg1", "My.RG%281%29_x"));
    expect(ref).toMatchObject({ resourceGroup: "My.RG(1)_x", name: "vm1" });
    expect(ref.id).toBe(VM.replace("rg1", "My.RG(1)_x"));
  });

  it("--vm <name> -g <rg> --subscription <id>", () => {
    expect(vmRefFromParts("vm1", "rg1", SUB.toUpperCase()).id).toBe(VM);
  });

  it.each([
    [["vm1", "rg1", "nope"], /^--subscription 'nope' is not a subscription id \(a GUID\) \(in "--vm vm1 -g rg1 --subscription nope"\)$/],
    [["vm1", "rg 1", SUB], /^-g\/--resource-group 'rg 1' is not a valid resource group name/],
    [["vm<1>", "rg1", SUB], /^--vm 'vm<1>' is not a valid virtual machine name/],
  ])("%j: the option at fault is named, not a resource id the user never typed", (parts, message) => {
    const [name, group, sub] = parts as [string, string, string];
    expect(() => vmRefFromParts(name, group, sub)).toThrow(message);
  });
});

describe("parseVmResourceId: malformed ids name the bad part", () => {
  it.each([
    ["", /empty/],
    ["vm1", /starts with '\/subscriptions\/'/],
    [
      `/subscriptions/not-a-guid/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/vm1`,
      /subscription id 'not-a-guid' is not a GUID/,
    ],
    [
      `/subscriptions/${SUB}/resourceGroup/rg1/providers/Microsoft.Compute/virtualMachines/vm1`,
      /expected 'resourceGroups'.*got 'resourceGroup'/,
    ],
    [
      `/subscriptions/${SUB}/resourceGroups/rg1/providers/Microsoft.Storage/storageAccounts/x`,
      /provider must be 'Microsoft.Compute', got 'Microsoft.Storage'/,
    ],
    [`/subscriptions/${SUB}/resourceGroups/rg1/providers/Microsoft.Compute/disks/d1`, /resource type 'disks' is not a virtual machine/],
    [`/subscriptions/${SUB}/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines`, /missing virtual machine name/],
    [
      `/subscriptions/${SUB}/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/vm1/extensions/x`,
      /unexpected segment 'extensions'/,
    ],
    [
      `/subscriptions/${SUB}/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachineScaleSets/ss1`,
      /must continue with '\/virtualMachines\/<instanceId>'/,
    ],
    [
      `/subscriptions/${SUB}/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachineScaleSets/ss1/virtualMachines/abc`,
      /instance id 'abc' must be a number .*Flexible scale set's member is an ordinary VM: address it by its own id, \/subscriptions\/.*\/virtualMachines\/abc \(in /,
    ],
    [
      `/subscriptions/${SUB}/resourceGroups/rg 1/providers/Microsoft.Compute/virtualMachines/vm1`,
      /resource group name 'rg 1' is not valid/,
    ],
    [
      `/subscriptions/${SUB}/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/vm<1>`,
      /virtual machine name 'vm<1>' is not valid/,
    ],
    ["https://portal.azure.com/#home", /does not contain '\/subscriptions\//],
    [`${VM}\u001b[31m`, /control characters/],
    [VM.replace("rg1", "rg%ZZ"), /'%ZZ' is not a percent-escape \(% and two hex digits\)/],
    [VM.replace("rg1", "rg%FF"), /percent-escapes do not decode to UTF-8 text/],
    [`https://portal.azure.com/#@t/resource${VM.replace("rg1", "rg%2")}`, /'%2\/' is not a percent-escape/],
    [VM.replaceAll("/", "\\"), /contains '\\': a resource id separates its parts with '\/'/],
  ])("%s", (input, message) => {
    expect(() => parseVmResourceId(input)).toThrow(ResourceIdError);
    expect(() => parseVmResourceId(input)).toThrow(message);
  });
});
