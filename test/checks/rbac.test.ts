import { describe, expect, it } from "vitest";
import rbacStorage from "../../src/checks/rbac-storage.js";
import rbacVm from "../../src/checks/rbac-vm.js";
import { actionMatches, missingActions } from "../../src/checks/support/permissions.js";
import { denials } from "../../src/checks/support/deny.js";
import type { DenyAssignmentFacts, PermissionFacts } from "../../src/azure/facts.js";
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

  it("--principal: the reasons speak of the principal, in the third person", () => {
    const as = (blocks: Parameters<typeof permissions>[0]) => permissions(blocks, { source: "principal", principalId: "p1" });
    expect(rbacVm.evaluate({ vmPermissions: as([READER]), vmTarget: vm() }).reason).toMatch(/^principal p1 lacks Microsoft\./);
    expect(rbacVm.evaluate({ vmPermissions: as([VM_CONTRIBUTOR]), vmTarget: vm() }).reason).toMatch(
      /^principal p1 holds every action Serial Console needs on VM vm1$/,
    );
    const denied = rbacVm.evaluate({
      vmPermissions: {
        ...as([VM_CONTRIBUTOR]),
        scope: vm().id,
        denyAssignments: {
          listed: [
            {
              name: "stack",
              scope: vm().id,
              doNotApplyToChildScopes: false,
              principals: [{ id: "00000000-0000-0000-0000-000000000000", type: "SystemDefined" }],
              excludePrincipals: [{ id: "g1", type: "Group" }],
              blocks: [{ actions: ["*"], notActions: [] }],
              conditional: false,
            },
          ],
        },
      },
      vmTarget: vm(),
    });
    expect(denied.reason).toMatch(/^principal p1 holds every action .* may include the principal\)$/);
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

describe("deny assignments (denials)", () => {
  const RG = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg1";
  const VM = `${RG}/providers/Microsoft.Compute/virtualMachines/vm1`;
  const CALLER = "11111111-1111-1111-1111-111111111111";
  const CONNECT = "Microsoft.SerialConsole/serialPorts/connect/action";
  const READ = "Microsoft.Compute/virtualMachines/read";
  const EVERYONE = { id: "00000000-0000-0000-0000-000000000000", type: "SystemDefined" };
  const stack = (over: Partial<DenyAssignmentFacts> = {}): DenyAssignmentFacts => ({
    name: "stack",
    scope: RG,
    doNotApplyToChildScopes: false,
    principals: [EVERYONE],
    excludePrincipals: [],
    blocks: [{ actions: ["*"], notActions: ["*/read"] }],
    conditional: false,
    ...over,
  });
  const judge = (deny: DenyAssignmentFacts, principal: string | undefined = CALLER) =>
    denials([deny], VM, [READ, CONNECT], principal).map(({ action, unsure }) => [action, unsure ?? "applies"]);

  it.each([
    ["everyone, every action but reads", stack(), [[CONNECT, "applies"]]],
    ["the caller excluded", stack({ excludePrincipals: [{ id: CALLER, type: "User" }] }), []],
    [
      "another user excluded",
      stack({ excludePrincipals: [{ id: "22222222-2222-2222-2222-222222222222", type: "User" }] }),
      [[CONNECT, "applies"]],
    ],
    [
      "a group excluded",
      stack({ excludePrincipals: [{ id: "33333333-3333-3333-3333-333333333333", type: "Group" }] }),
      [[CONNECT, expect.stringMatching(/excludes a group/)]],
    ],
    ["another user named", stack({ principals: [{ id: "22222222-2222-2222-2222-222222222222", type: "User" }] }), []],
    [
      "a group named",
      stack({ principals: [{ id: "33333333-3333-3333-3333-333333333333", type: "Group" }] }),
      [[CONNECT, expect.stringMatching(/names a group/)]],
    ],
    [
      "the caller named (another case)",
      stack({ principals: [{ id: CALLER.toUpperCase().toLowerCase(), type: "User" }] }),
      [[CONNECT, "applies"]],
    ],
    ["at the group only (doNotApplyToChildScopes)", stack({ doNotApplyToChildScopes: true }), []],
    ["at the VM itself with doNotApplyToChildScopes", stack({ scope: VM, doNotApplyToChildScopes: true }), [[CONNECT, "applies"]]],
    ["another group's", stack({ scope: `${RG}-other` }), []],
    ["a management group's", stack({ scope: "/providers/Microsoft.Management/managementGroups/mg1" }), [[CONNECT, "applies"]]],
    ["with a condition", stack({ conditional: true }), [[CONNECT, expect.stringMatching(/condition/)]]],
    ["compute writes only", stack({ blocks: [{ actions: ["Microsoft.Compute/*/write"], notActions: [] }] }), []],
  ])("%s", (_what, deny, expected) => {
    expect(judge(deny)).toEqual(expected);
  });

  it("without the caller's object id, a deny naming anyone but everyone may apply", () => {
    const other = stack({ principals: [{ id: "22222222-2222-2222-2222-222222222222", type: "User" }] });
    expect(denials([other], VM, [CONNECT], undefined)).toEqual([
      expect.objectContaining({ action: CONNECT, unsure: expect.stringMatching(/may include you/) }),
    ]);
  });

  it("rbac-vm: a sure denial fails with no role fix; a possible one warns; unread ones are a stated limitation", () => {
    const facts = (denyAssignments: PermissionFacts["denyAssignments"]) => ({
      vmTarget: vm(),
      vmPermissions: { ...permissions([VM_CONTRIBUTOR], { scope: VM }), callerObjectId: CALLER, denyAssignments },
    });
    const denied = rbacVm.evaluate(facts({ listed: [stack()] }));
    // Resource Manager's DenyAssignmentAuthorizationFailed, not the console's "Virtual Machine Contributor" error.
    expect(denied).toMatchObject({ status: "fail", fix: [], documentedErrorId: "deny-assignment" });
    expect(denied.reason).toMatch(/^you are denied Microsoft\.SerialConsole\/serialPorts\/connect\/action \(deny assignment "stack"/);
    expect(rbacVm.evaluate(facts({ listed: [stack({ conditional: true })] })).status).toBe("warn");
    // Lacking a role as well: still the denial named, and no role fix (a role granted would be denied).
    const lacking = rbacVm.evaluate({
      vmTarget: vm(),
      vmPermissions: { ...permissions([READER], { scope: VM }), callerObjectId: CALLER, denyAssignments: { listed: [stack()] } },
    });
    expect(lacking).toMatchObject({ status: "fail", fix: [] });
    expect(lacking.reason).toMatch(
      /^you are denied .*connect\/action .*\(and lack Microsoft\.SerialConsole\/serialPorts\/connect\/action\)/,
    );
    expect(rbacVm.evaluate(facts({ listed: [] }))).toMatchObject({ status: "pass", evidence: { limitations: [] } });
    // A row that could not be read costs only itself: the others still deny, and the evidence says what was skipped.
    expect(rbacVm.evaluate(facts({ listed: [stack()], skipped: ["a", "b"] }))).toMatchObject({
      status: "fail",
      evidence: { limitations: ["2 deny assignments could not be read and are not judged (a)"] },
    });
    // …but it is no pass: the row not judged may be the one that denies.
    const skipped = rbacVm.evaluate(facts({ listed: [], skipped: ["denyAssignments[0].properties.scope is missing"] }));
    expect(skipped.status).toBe("error");
    expect(skipped.reason).toMatch(/^you hold every action .* but 1 deny assignment could not be read/);
    // Azure did not answer (throttled or failing past the retries, a malformed body): the check could not evaluate.
    const throttled = rbacVm.evaluate(facts({ unreadable: "429 TooManyRequests" }));
    expect(throttled).toMatchObject({ status: "error", evidence: { missing: [] } });
    expect(throttled.reason).toMatch(/but the deny assignments could not be read \(429 TooManyRequests\)/);
    // Refused to the caller (403 without denyAssignments/read): one it cannot see may deny it — no pass.
    const refused = rbacVm.evaluate(facts({ unreadable: "403 AuthorizationFailed — no access" }));
    expect(refused).toMatchObject({ status: "error", evidence: { missing: [] } });
    expect(refused.reason).toMatch(/but the deny assignments could not be read \(403 AuthorizationFailed — no access\): one may deny them/);
    // Not offered (a cloud without the API): there are none, the roles stand, and the reason says so.
    const absent = rbacVm.evaluate(facts({ unreadable: "404 NotFound — no such API", notOffered: "404 NotFound" }));
    expect(absent).toMatchObject({
      status: "pass",
      evidence: { limitations: ["deny assignments could not be read (404 NotFound — no such API)"] },
    });
    expect(absent.reason).toMatch(/\(deny assignments not offered here: 404 NotFound\)$/);
  });
});
