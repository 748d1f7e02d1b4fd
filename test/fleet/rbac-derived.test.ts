/**
 * The caller's permissions at a resource group, derived from the subscription's Permissions API answer plus the
 * roles assigned at the group to the caller directly — and the Permissions API asked whenever an assignment there
 * could apply another way (a group membership, a condition).
 */
import { describe, expect, it } from "vitest";
import { callerPermissionsAt } from "../../src/fleet/rbac.js";
import { bare, fakeArm } from "./fake-arm.js";
import { RunCache } from "../../src/azure/run-cache.js";

const SUB = "/subscriptions/00000000-0000-0000-0000-000000000001";
const RG = `${SUB}/resourceGroups/rg1`;
const VM = `${RG}/providers/Microsoft.Compute/virtualMachines/vm1`;
const CALLER = "11111111-1111-1111-1111-111111111111";
const READ = { actions: ["*/read"], notActions: [], dataActions: [], notDataActions: [] };
const CONNECT = { actions: ["Microsoft.SerialConsole/serialPorts/connect/action"], notActions: [], dataActions: [], notDataActions: [] };
const REQUIRED = ["Microsoft.Compute/virtualMachines/read", "Microsoft.SerialConsole/serialPorts/connect/action"];
const CONNECT_ROLE = "/providers/Microsoft.Authorization/roleDefinitions/connect";

function arm(assignment: Record<string, unknown>) {
  return fakeArm((call) => {
    const path = bare(call.path);
    if (path === `${SUB}/providers/microsoft.authorization/permissions`.toLowerCase()) return { value: [READ] };
    // What the Permissions API would say at the group, whatever the assignment's kind: it grants.
    if (path === `${RG}/providers/microsoft.authorization/permissions`.toLowerCase()) return { value: [READ, CONNECT] };
    if (path === `${SUB}/providers/microsoft.authorization/roleassignments`.toLowerCase())
      return { value: [{ id: "ra1", properties: { scope: RG, roleDefinitionId: CONNECT_ROLE, ...assignment } }] };
    if (path === CONNECT_ROLE.toLowerCase()) return { id: CONNECT_ROLE, properties: { roleName: "Connect", permissions: [CONNECT] } };
    throw new Error(`unexpected ${call.path}`);
  });
}

const groupPermissionCalls = (a: ReturnType<typeof arm>) =>
  a.calls.filter((c) => bare(c.path) === `${RG}/providers/microsoft.authorization/permissions`.toLowerCase()).length;

describe("callerPermissionsAt: a resource group's permissions", () => {
  it("an assignment to the caller at the group: derived, no Permissions API call there", async () => {
    const a = arm({ principalId: CALLER, principalType: "User", condition: null });
    const facts = await callerPermissionsAt(a, VM, REQUIRED, new RunCache(), undefined, CALLER);
    expect(facts.blocks).toEqual([READ, CONNECT]);
    expect(facts.scope).toBe(VM);
    expect(groupPermissionCalls(a)).toBe(0);
  });

  it("an assignment to another user only: the derived answer falls short, so the Permissions API at the group decides (roles delegated through Azure Lighthouse are in no list)", async () => {
    const a = arm({ principalId: "22222222-2222-2222-2222-222222222222", principalType: "User", condition: null });
    const shared = new RunCache();
    const facts = await callerPermissionsAt(a, VM, REQUIRED, shared, undefined, CALLER);
    expect(facts.blocks).toEqual([READ, CONNECT]);
    expect(groupPermissionCalls(a)).toBe(1);
    // Asked once per group, however many VMs it holds.
    await callerPermissionsAt(a, `${RG}/providers/Microsoft.Compute/virtualMachines/vm2`, REQUIRED, shared, undefined, CALLER);
    expect(groupPermissionCalls(a)).toBe(1);
  });

  it.each([
    [
      "to a group (the caller may be a member)",
      { principalId: "33333333-3333-3333-3333-333333333333", principalType: "Group", condition: null },
    ],
    ["to the caller with a condition (ABAC)", { principalId: CALLER, principalType: "User", condition: "@Resource[x] StringEquals 'y'" }],
    ["of an unknown principal type", { principalId: "44444444-4444-4444-4444-444444444444" }],
  ])("an assignment %s: the Permissions API at the group decides", async (_what, assignment) => {
    const a = arm(assignment);
    const facts = await callerPermissionsAt(a, VM, REQUIRED, new RunCache(), undefined, CALLER);
    expect(facts.blocks).toEqual([READ, CONNECT]);
    expect(groupPermissionCalls(a)).toBe(1);
  });

  it("without the caller's object id: the Permissions API at the group", async () => {
    const a = arm({ principalId: CALLER, principalType: "User", condition: null });
    await callerPermissionsAt(a, VM, REQUIRED, new RunCache());
    expect(groupPermissionCalls(a)).toBe(1);
  });
});

describe("callerPermissionsAt: a role-assignment list with rows that do not say where they are assigned", () => {
  // The subscription grants read only, the group nothing more; the VM's own Permissions API answer grants connect
  // (a role assigned at the VM). A row without `properties` (or `scope`) may be that assignment.
  function withRows(rows: unknown[]) {
    return fakeArm((call) => {
      const path = bare(call.path);
      if (path === `${SUB}/providers/microsoft.authorization/permissions`.toLowerCase()) return { value: [READ] };
      if (path === `${RG}/providers/microsoft.authorization/permissions`.toLowerCase()) return { value: [READ] };
      if (path === `${VM}/providers/microsoft.authorization/permissions`.toLowerCase()) return { value: [READ, CONNECT] };
      if (path === `${SUB}/providers/microsoft.authorization/roleassignments`.toLowerCase()) return { value: rows };
      throw new Error(`unexpected ${call.path}`);
    });
  }

  it.each([
    ["no properties", [{ id: "ra1" }]],
    ["no scope", [{ id: "ra1", properties: { principalId: CALLER, roleDefinitionId: CONNECT_ROLE } }]],
  ])("%s: the list cannot rule out an assignment at the VM, so the VM's own answer decides (as --vm)", async (_what, rows) => {
    const facts = await callerPermissionsAt(withRows(rows), VM, REQUIRED, new RunCache(), undefined, CALLER);
    expect(facts.blocks).toEqual([READ, CONNECT]);
  });

  it("rows that say where: none at the VM, so the group's answer is the VM's (one call fewer)", async () => {
    const rows = [{ id: "ra1", properties: { scope: SUB, principalId: CALLER, principalType: "User", roleDefinitionId: "/x" } }];
    const a = withRows(rows);
    const facts = await callerPermissionsAt(a, VM, REQUIRED, new RunCache(), undefined, CALLER);
    expect(facts.blocks).toEqual([READ]);
    expect(a.calls.some((c) => bare(c.path) === `${VM}/providers/microsoft.authorization/permissions`.toLowerCase())).toBe(false);
  });
});
