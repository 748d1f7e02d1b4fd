import { describe, expect, it } from "vitest";
import rbacStorage from "../../src/checks/rbac-storage.js";
import rbacVm from "../../src/checks/rbac-vm.js";
import { actionMatches, missingActions } from "../../src/checks/support/permissions.js";
import { found, managedLookup, permissions, scaleSetVm, vm } from "./fixtures.js";

// Built-in role permission blocks (built-in-roles.md), trimmed to what matters here.
const VM_CONTRIBUTOR = {
  actions: [
    "Microsoft.Compute/virtualMachines/*",
    "Microsoft.Compute/virtualMachineScaleSets/*",
    "Microsoft.SerialConsole/serialPorts/connect/action",
    "Microsoft.Storage/storageAccounts/listKeys/action",
    "Microsoft.Storage/storageAccounts/read",
  ],
  notActions: [],
};
const READER = { actions: ["*/read"], notActions: [] };
const CONTRIBUTOR = { actions: ["*"], notActions: ["Microsoft.Authorization/*/Delete", "Microsoft.Authorization/*/Write"] };

describe("action matching", () => {
  it.each([
    ["*", "Microsoft.SerialConsole/serialPorts/connect/action", true],
    ["*/read", "Microsoft.Compute/virtualMachines/read", true],
    ["*/read", "Microsoft.SerialConsole/serialPorts/connect/action", false],
    ["Microsoft.Compute/*", "microsoft.compute/virtualmachines/read", true],
    ["Microsoft.Network/*/read", "Microsoft.Network/virtualNetworks/subnets/read", true],
    ["Microsoft.Compute/virtualMachines/read", "Microsoft.Compute/virtualMachines/readX", false],
    ["Microsoft.Compute/virtualMachines/(read)", "Microsoft.Compute/virtualMachines/read", false],
  ])("%s matches %s: %s", (pattern, action, expected) => {
    expect(actionMatches(pattern, action)).toBe(expected);
  });

  it("notActions subtract only within their own block", () => {
    const denied = { actions: ["*"], notActions: ["Microsoft.SerialConsole/*"] };
    expect(missingActions([denied], ["Microsoft.SerialConsole/serialPorts/connect/action"])).toHaveLength(1);
    expect(missingActions([denied, VM_CONTRIBUTOR], ["Microsoft.SerialConsole/serialPorts/connect/action"])).toHaveLength(0);
  });
});

describe("rbac-vm", () => {
  it.each([
    ["Virtual Machine Contributor", [VM_CONTRIBUTOR], "pass"],
    ["Contributor", [CONTRIBUTOR], "pass"],
    ["Reader", [READER], "fail"],
    ["nothing", [], "fail"],
  ])("%s → %s", (_role, blocks, status) => {
    const finding = rbacVm.evaluate({ vmPermissions: permissions(blocks), vmTarget: vm() });
    expect(finding.status).toBe(status);
    if (status === "fail") {
      expect(finding.documentedErrorId).toBe("rbac-vm-permissions");
      expect(finding.reason).toContain("Microsoft.SerialConsole/serialPorts/connect/action");
    }
  });

  it("a scale set instance needs the scale set VM read action", () => {
    const finding = rbacVm.evaluate({
      vmPermissions: permissions([
        { actions: ["Microsoft.Compute/virtualMachines/read", "Microsoft.SerialConsole/serialPorts/connect/action"], notActions: [] },
      ]),
      vmTarget: scaleSetVm(),
    });
    expect(finding.status).toBe("fail");
    expect(finding.reason).toContain("virtualMachineScaleSets/virtualMachines/read");
  });

  it("a VM Azure refused to read (403): judged from its id — a missing role fails, roles that grant it are no pass", () => {
    const refused = { ...vm(), readRefused: "403 AuthorizationFailed" };
    expect(rbacVm.evaluate({ vmPermissions: permissions([]), vmTarget: refused })).toMatchObject({
      status: "fail",
      documentedErrorId: "rbac-vm-permissions",
    });
    // The roles seen grant the read Azure refused: a deny assignment or a condition the Permissions API hides.
    expect(rbacVm.evaluate({ vmPermissions: permissions([VM_CONTRIBUTOR]), vmTarget: refused })).toMatchObject({
      status: "error",
      reason: /refused to let you read VM vm1 \(403 AuthorizationFailed\).*deny assignment/,
    });
    // With --principal the refused read was the caller's: the principal's roles are judged as they are.
    const principal = permissions([VM_CONTRIBUTOR], { source: "principal", principalId: "p1" });
    expect(rbacVm.evaluate({ vmPermissions: principal, vmTarget: refused }).status).toBe("pass");
  });

  it("--principal without group expansion: a missing action is a warning that says what it could not see", () => {
    const facts = permissions([READER], {
      source: "principal",
      principalId: "p1",
      limitations: ["group memberships are not expanded: only roles assigned directly to the principal are seen"],
    });
    const finding = rbacVm.evaluate({ vmPermissions: facts, vmTarget: vm() });
    expect(finding).toMatchObject({ status: "warn", reason: /group memberships could not be expanded/ });
    expect(finding.fixArgs?.["principal"]).toBe("p1");
  });
});

describe("rbac-storage", () => {
  it.each([
    [[VM_CONTRIBUTOR], "pass"],
    [[READER], "fail"],
  ])("case %# → %s", (blocks, status) => {
    const finding = rbacStorage.evaluate({ storagePath: "legacy", storage: found(), storagePermissions: permissions(blocks), vm: vm() });
    expect(finding.status).toBe(status);
    if (status === "fail") expect(finding).toMatchObject({ documentedErrorId: "rbac-storage-write", reason: /listKeys/ });
  });

  it("managed boot diagnostics: skip, whatever the permissions", () => {
    expect(rbacStorage.evaluate({ storagePath: "legacy", storage: managedLookup, storagePermissions: null, vm: vm() })).toMatchObject({
      status: "skip",
      reason: /managed/,
    });
  });
});
