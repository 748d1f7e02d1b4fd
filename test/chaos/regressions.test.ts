/**
 * Lies found by chaos runs, pinned with the smallest reproduction (a fake ARM answering by path), so each fix
 * stays fixed without a simulator.
 */
import { describe, expect, it } from "vitest";
import { AzureCallError, CorrelationLog, type ArmContext } from "../../src/azure/arm.js";
import type { VmFacts } from "../../src/azure/facts.js";
import { findStorageAccount } from "../../src/azure/storage-lookup.js";
import { listPermissions, principalPermissions } from "../../src/azure/permissions.js";

const SUB = "00000000-0000-0000-0000-000000000001";
const ACCOUNT_ID = `/subscriptions/${SUB}/resourceGroups/rg-diag/providers/Microsoft.Storage/storageAccounts/scdiagstore`;

/** A fake ARM: the first route whose pattern matches the path answers (a function may throw AzureCallError). */
function fakeArm(routes: [RegExp, () => unknown][]): ArmContext {
  return {
    credential: { getToken: async () => null },
    endpoint: "https://arm.invalid",
    audience: "https://management.azure.com/.default",
    cloud: "AzureCloud",
    correlation: new CorrelationLog(),
    async getJson(operation, path) {
      const route = routes.find(([pattern]) => pattern.test(path.split("?")[0] ?? ""));
      if (!route) throw new AzureCallError(operation, "not found", 404, "ResourceNotFound");
      return route[1]();
    },
    async postJson(operation) {
      throw new AzureCallError(operation, "no POST here", 405);
    },
  };
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
