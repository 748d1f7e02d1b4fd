/**
 * The least-privilege role (examples/sc-doctor-reader.role.json) covers every Azure call sc-doctor makes: single-VM
 * diagnoses, both audit sources, and --principal — here over the in-process fake fleet; test/e2e/audit-role.test.ts
 * does the same over the simulator's request log.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseVmResourceId } from "../../src/azure/resource-id.js";
import { CHECKS } from "../../src/checks/index.js";
import { isGranted } from "../../src/checks/support/permissions.js";
import { diagnoseVm } from "../../src/engine/diagnose.js";
import { runAudit } from "../../src/fleet/audit.js";
import { NOT_RBAC_PATH, armAction } from "./arm-actions.js";
import { PRINCIPAL, allVmIds, fleetArm, fleetModel } from "./fake-fleet.js";

export const role = JSON.parse(readFileSync(new URL("../../examples/sc-doctor-reader.role.json", import.meta.url), "utf8")) as {
  Actions: string[];
  NotActions: string[];
  DataActions: string[];
};
const network = async () => ({ skipped: "--no-network", targets: [] });

describe("examples/sc-doctor-reader.role.json", () => {
  it("is read-only: every action is a read (or retrieveBootDiagnosticsData, which only returns SAS links), no wildcard, no data action", () => {
    expect(role.DataActions).toEqual([]);
    for (const action of role.Actions) expect(action).toMatch(/^[A-Za-z.]+\/[A-Za-z/]+\/(read|retrieveBootDiagnosticsData\/action)$/);
    expect(new Set(role.Actions).size).toBe(role.Actions.length);
  });

  it.each([
    ["GET", "/subscriptions?api-version=1", "Microsoft.Resources/subscriptions/read"],
    [
      "GET",
      "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm/instanceView?x",
      "Microsoft.Compute/virtualMachines/instanceView/read",
    ],
    [
      "GET",
      "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachineScaleSets/ss/virtualMachines/0",
      "Microsoft.Compute/virtualMachineScaleSets/virtualMachines/read",
    ],
    ["GET", "/subscriptions/s/providers/Microsoft.SerialConsole/consoleServices/default", "Microsoft.SerialConsole/consoleServices/read"],
    [
      "GET",
      "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm/providers/Microsoft.Authorization/permissions",
      "Microsoft.Authorization/permissions/read",
    ],
    ["POST", "/providers/Microsoft.ResourceGraph/resources?api-version=2022-10-01", "Microsoft.ResourceGraph/resources/read"],
    [
      "POST",
      "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm/retrieveBootDiagnosticsData?api-version=2024-07-01",
      "Microsoft.Compute/virtualMachines/retrieveBootDiagnosticsData/action",
    ],
    [
      "POST",
      "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachineScaleSets/ss/virtualMachines/0/retrieveBootDiagnosticsData",
      "Microsoft.Compute/virtualMachineScaleSets/virtualMachines/retrieveBootDiagnosticsData/action",
    ],
  ])("%s %s → %s", (method, path, action) => expect(armAction(method, path)).toBe(action));

  it("covers every call of --vm (each VM), audit --source graph and arm, and --principal", async () => {
    const calls: { method: string; path: string }[] = [];
    for (const source of ["graph", "arm"] as const) {
      for (const principal of [undefined, PRINCIPAL]) {
        const arm = fleetArm(fleetModel(), { subscriptionPermissions: true });
        await runAudit(arm, { source, principal, checks: CHECKS, timeoutMs: 5000, concurrency: 8, network, keepResults: false });
        calls.push(...arm.calls);
      }
    }
    for (const id of allVmIds()) {
      for (const principal of [undefined, PRINCIPAL]) {
        const arm = fleetArm();
        await diagnoseVm(arm, parseVmResourceId(id), { checks: CHECKS, timeoutMs: 5000, concurrency: 16, network, principal });
        calls.push(...arm.calls);
      }
    }
    const actions = new Set(calls.filter((c) => !NOT_RBAC_PATH.test(c.path)).map((c) => armAction(c.method, c.path)));
    const block = { actions: role.Actions, notActions: role.NotActions };
    expect([...actions].filter((action) => !isGranted([block], action))).toEqual([]);
    // …and nothing in the role goes unused (least privilege), VMSS instance reads aside: the fake fleet has none; nor
    // an account secured by a network security perimeter, nor a --resource-group with no VM.
    const unused = role.Actions.filter((granted) => ![...actions].some((a) => a.toLowerCase() === granted.toLowerCase()));
    expect(unused.sort()).toEqual([
      "Microsoft.Compute/virtualMachineScaleSets/virtualMachines/instanceView/read",
      "Microsoft.Compute/virtualMachineScaleSets/virtualMachines/read",
      "Microsoft.Compute/virtualMachineScaleSets/virtualMachines/retrieveBootDiagnosticsData/action",
      // Resource Graph's ResourceContainers (audit -g, a group with no VM) lists only groups the caller may read.
      "Microsoft.Resources/subscriptions/resourceGroups/read",
      "Microsoft.Storage/storageAccounts/networkSecurityPerimeterConfigurations/read",
    ]);
  });
});
