/**
 * Lies found by chaos runs, pinned with the smallest reproduction (a fake ARM answering by path), so each fix
 * stays fixed without a simulator.
 */
import { describe, expect, it } from "vitest";
import { AzureCallError, type ArmContext } from "../../src/azure/arm.js";
import { fakeArm as fakeArmRoute } from "../fleet/fake-arm.js";
import type { VmFacts } from "../../src/azure/facts.js";
import { findStorageAccount } from "../../src/azure/storage-lookup.js";
import { listPermissions, principalPermissions } from "../../src/azure/permissions.js";
import { listLocksAt, listSubscriptionLocks } from "../../src/azure/locks.js";
import { CHECKS } from "../../src/checks/index.js";
import { parseVmResourceId } from "../../src/azure/resource-id.js";
import { diagnoseVm } from "../../src/engine/diagnose.js";
import { runAudit } from "../../src/fleet/audit.js";
import { allVmIds, fleetArm } from "../fleet/fake-fleet.js";

const SUB = "00000000-0000-0000-0000-000000000001";
const ACCOUNT_ID = `/subscriptions/${SUB}/resourceGroups/rg-diag/providers/Microsoft.Storage/storageAccounts/scdiagstore`;

/** A fake ARM: the first route whose pattern matches the path answers (a function may throw AzureCallError). */
function fakeArm(routes: [RegExp, () => unknown][]): ArmContext {
  return fakeArmRoute((call) => {
    if (call.method === "POST") throw new AzureCallError("x", "no POST here", 405);
    const route = routes.find(([pattern]) => pattern.test(call.path.split("?")[0] ?? ""));
    if (!route) throw new AzureCallError("x", "not found", 404, "ResourceNotFound");
    return route[1]();
  });
}

const vm = {
  id: "/x",
  name: "vm1",
  resourceGroup: "rg1",
  subscriptionId: SUB,
  kind: "vm",
  hasInstanceView: true,
  statuses: [],
  bootDiagnostics: { enabled: true, storageUri: "https://scdiagstore.blob.core.windows.net/" },
  osDisk: { managed: true, ephemeral: false, adeEnabled: false },
} satisfies VmFacts;

describe("storage lookup (chaos: missing-fields / wrong-types on the storage list)", () => {
  it("a listed account whose body is malformed is an error, not the documented 'unable to determine the resource group'", async () => {
    const arm = fakeArm([
      [/\/storageAccounts$/, () => ({ value: [{ id: ACCOUNT_ID, name: "scdiagstore" }] })], // properties stripped
      [/^\/subscriptions$/, () => ({ value: [] })],
    ]);
    await expect(findStorageAccount(arm, vm, {})).rejects.toThrow(/properties/);
  });

  it("a listed account whose id really has no resource group is still the documented rg-undetermined", async () => {
    const arm = fakeArm([
      [
        /\/storageAccounts$/,
        () => ({ value: [{ id: "/providers/Microsoft.Storage/storageAccounts/scdiagstore", name: "scdiagstore", properties: {} }] }),
      ],
      [/^\/subscriptions$/, () => ({ value: [] })],
    ]);
    await expect(findStorageAccount(arm, vm, {})).resolves.toMatchObject({ kind: "rg-undetermined" });
  });
});

describe("permissions (chaos: missing-fields on the Permissions API)", () => {
  it("a permission block without 'actions' is malformed, not 'you hold no action'", async () => {
    const arm = fakeArm([[/\/permissions$/, () => ({ value: [{ id: "x" }] })]]);
    await expect(listPermissions(arm, ACCOUNT_ID)).rejects.toThrow(/actions/);
  });

  it("an empty actions list is a real answer", async () => {
    const arm = fakeArm([[/\/permissions$/, () => ({ value: [{ actions: [], notActions: [] }] })]]);
    await expect(listPermissions(arm, ACCOUNT_ID)).resolves.toMatchObject({ blocks: [{ actions: [], notActions: [] }] });
  });
});

describe("--principal (chaos: missing-fields on role assignments and definitions)", () => {
  const PRINCIPAL = "33333333-3333-3333-3333-333333333333";
  const ROLE = "/providers/Microsoft.Authorization/roleDefinitions/9980e02c-c2be-4d73-94e8-173b1dc7cf3c";
  const assignment = {
    id: "a1",
    properties: { principalId: PRINCIPAL, principalType: "User", scope: `/subscriptions/${SUB}`, roleDefinitionId: ROLE },
  };
  const definition = {
    id: ROLE,
    properties: { roleName: "Virtual Machine Contributor", permissions: [{ actions: ["*"], notActions: [] }] },
  };

  it("an assignment without properties is malformed, not silently 'no role'", async () => {
    const arm = fakeArm([[/roleAssignments$/, () => ({ value: [{ id: "a1" }] })]]);
    await expect(principalPermissions(arm, ACCOUNT_ID, PRINCIPAL, {})).rejects.toThrow(/role assignment has no properties/);
  });

  it("a role definition without permissions is malformed, not 'grants nothing'", async () => {
    const arm = fakeArm([
      [/roleAssignments$/, () => ({ value: [assignment] })],
      [/roleDefinitions\//, () => ({ id: ROLE })],
    ]);
    await expect(principalPermissions(arm, ACCOUNT_ID, PRINCIPAL, {})).rejects.toThrow(/no properties.permissions/);
  });

  it("well-formed assignments and definitions still evaluate", async () => {
    const arm = fakeArm([
      [/roleAssignments$/, () => ({ value: [assignment] })],
      [/roleDefinitions\//, () => definition],
    ]);
    await expect(principalPermissions(arm, ACCOUNT_ID, PRINCIPAL, {})).resolves.toMatchObject({ blocks: [{ actions: ["*"] }] });
  });
});

describe("management locks (never read a distorted answer as 'no locks')", () => {
  const VM_SCOPE = `/subscriptions/${SUB}/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/vm1`;
  const lock = { id: `/subscriptions/${SUB}/resourceGroups/rg1/providers/Microsoft.Authorization/locks/freeze`, name: "freeze" };
  const read = (body: () => unknown) => {
    const arm = fakeArm([[/\/locks$/, body]]);
    const lists = [listLocksAt(arm, VM_SCOPE, {}), listSubscriptionLocks(arm, SUB, {})];
    // Both run at once (a 500 is retried): the second may settle while the first is awaited.
    for (const list of lists) list.catch(() => undefined);
    return lists;
  };

  it.each([
    ["an empty object (no 'value')", () => ({})],
    ["'value' that is not a list", () => ({ value: "none" })],
    ["a lock without properties (missing-fields)", () => ({ value: [lock] })],
    ["a lock whose level is mistyped (wrong-types)", () => ({ value: [{ ...lock, properties: { level: { value: "ReadOnly" } } }] })],
    ["a lock that is not an object", () => ({ value: ["ReadOnly"] })],
    ["a non-JSON body", () => Promise.reject(new AzureCallError("locks", "not valid JSON", 200, "MalformedResponse"))],
    ["a fault status", () => Promise.reject(new AzureCallError("locks", "server error", 500, "InternalServerError"))],
  ])("%s is an error", async (_label, body) => {
    for (const list of read(body)) await expect(list).rejects.toThrow();
  });

  it("an empty list is a real answer: no locks", async () => {
    for (const list of read(() => ({ value: [] }))) await expect(list).resolves.toEqual([]);
  });

  it.each([
    ["a stripped lock", { value: [lock] }],
    ["no 'value'", {}],
  ])("%s: resource-locks is error, never pass, in sc-doctor --vm and in audit", async (_label, body) => {
    const fleet = fleetArm();
    // The generated clients send the requests; the fleet answers all but the lock lists.
    const arm = fakeArmRoute((call) =>
      /\/providers\/microsoft.authorization\/locks\?/i.test(call.path)
        ? body
        : call.method === "POST"
          ? fleet.postJson("", call.path, call.body)
          : fleet.getJson("", call.path),
    );
    const options = { checks: CHECKS, timeoutMs: 5000, concurrency: 8, network: async () => ({ skipped: "off", targets: [] }) };
    const id = allVmIds()[0] ?? "";
    const { result } = await diagnoseVm(arm, parseVmResourceId(id), options);
    const audit = await runAudit(arm, { ...options, source: "arm", keepResults: true });
    for (const vm of [result, ...audit.results]) {
      const row = vm.checks.find((c) => c.id === "resource-locks");
      expect(row?.status, vm.vm.id).toBe("error");
      expect(row?.reason).toMatch(/lock/i);
    }
  });
});
