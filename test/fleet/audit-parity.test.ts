/**
 * The audit runs the single-VM checks over bulk facts: for every VM of the fake fleet (one per failure kind), its
 * audit result must equal what `sc-doctor --vm` (diagnoseVm) gives — statuses, reasons, evidence, documented errors,
 * fixes — with durationMs and correlation ids left out. Both sources, and with the RBAC shortcuts on and off.
 */
import { describe, expect, it } from "vitest";
import { parseVmResourceId } from "../../src/azure/resource-id.js";
import { CHECKS } from "../../src/checks/index.js";
import { diagnoseVm } from "../../src/engine/diagnose.js";
import { SERIAL_LOG_NOT_READ } from "../../src/azure/serial-log.js";
import { runAudit } from "../../src/fleet/audit.js";
import type { VmResult } from "../../src/types.js";
import { PRINCIPAL, S1, allVmIds, fleetArm, fleetModel } from "./fake-fleet.js";

/** The caller's object id ends up in RBAC fixes (`--assignee`): both paths must carry it. */
const CALLER = "99999999-9999-9999-9999-999999999999";
const network = async () => ({ skipped: "--no-network: the probe from this machine was not run", targets: [] });

/** What must be identical: everything but timings and correlation ids. */
export function comparable(result: VmResult) {
  return { vm: result.vm, verdict: result.verdict, checks: result.checks.map(({ durationMs: _, ...rest }) => rest) };
}

async function singleVm(id: string, options: Parameters<typeof fleetArm>[1] = {}, principal?: string) {
  const { result } = await diagnoseVm(fleetArm(fleetModel(), options), parseVmResourceId(id), {
    checks: CHECKS,
    timeoutMs: 5000,
    concurrency: 16,
    network,
    principal,
    callerObjectId: principal ? undefined : CALLER,
    skipSerialLog: SERIAL_LOG_NOT_READ.audit,
  });
  return comparable(result);
}

describe.each([
  ["graph", {}, undefined],
  ["arm", {}, undefined],
  ["graph", { subscriptionPermissions: true }, undefined],
  ["graph", { roleAssignments: false }, undefined],
  ["graph", {}, PRINCIPAL],
  ["arm", {}, PRINCIPAL],
] as const)("audit --source %s %j --principal %s equals sc-doctor --vm for every VM", (source, armOptions, principal) => {
  it("identical results, and every VM accounted for", async () => {
    const arm = fleetArm(fleetModel(), armOptions);
    const outcome = await runAudit(arm, {
      source,
      checks: CHECKS,
      timeoutMs: 5000,
      concurrency: 8,
      network,
      keepResults: true,
      principal,
      callerObjectId: principal ? undefined : CALLER,
      skipSerialLog: SERIAL_LOG_NOT_READ.audit,
    });
    const ids = allVmIds();
    expect(outcome.notEvaluated).toEqual([]);
    expect(outcome.results.map((r) => r.vm.id).sort()).toEqual([...ids].sort());
    for (const result of outcome.results) {
      expect(comparable(result), result.vm.id).toEqual(await singleVm(result.vm.id, armOptions, principal));
    }
    // Sanity: the fleet really covers failure kinds, so equality is not vacuous.
    const failing = new Set(
      outcome.results.flatMap((r) => r.checks.filter((c) => c.status === "fail" || c.status === "warn").map((c) => c.id)),
    );
    expect([...failing].sort()).toEqual(
      expect.arrayContaining([
        "boot-diagnostics",
        "boot-diagnostics-uri",
        "console-enabled",
        "os-disk",
        "power-state",
        "provisioning-state",
        "rbac-storage",
        "rbac-vm",
        "resource-locks",
        "storage-account",
        "storage-firewall",
        "storage-hns",
        "storage-shared-key",
        "subscription-state",
        "trusted-launch",
      ]),
    );
  });
});

describe("sharing: each subscription, account and scope is read once", () => {
  it("graph: no per-VM call when the subscription's VMs are few and their scopes grant everything", async () => {
    const arm = fleetArm(fleetModel(), { subscriptionPermissions: true });
    await runAudit(arm, { source: "graph", checks: CHECKS, timeoutMs: 5000, concurrency: 8, network, keepResults: false });
    const keys = arm.calls.map((c) => `${c.method} ${c.path.split("?")[0]} ${JSON.stringify(c.body ?? "")}`);
    expect(
      keys.filter((key, i) => keys.indexOf(key) !== i),
      "calls made more than once",
    ).toEqual([]);
  });

  it("the VM-scope Permissions API is asked only where a role is assigned at the VM itself", async () => {
    const arm = fleetArm(fleetModel(), {});
    await runAudit(arm, { source: "graph", checks: CHECKS, timeoutMs: 5000, concurrency: 8, network, keepResults: false });
    const vmScoped = arm.calls.filter((c) => /virtualMachines\/[^/]+\/providers\/Microsoft\.Authorization\/permissions/i.test(c.path));
    // Resource ids are case-insensitive (the generated clients write `resourcegroups`).
    expect(vmScoped.map((c) => c.path.split("/providers/Microsoft.Authorization")[0]?.toLowerCase())).toEqual([
      `/subscriptions/${S1}/resourceGroups/rg-reader/providers/Microsoft.Compute/virtualMachines/own-assignment`.toLowerCase(),
    ]);
  });
});

describe("--principal: role assignments listed once per subscription, not once per VM", () => {
  it("one assignment list per subscription and one definition read per role", async () => {
    const arm = fleetArm();
    await runAudit(arm, {
      source: "graph",
      principal: PRINCIPAL,
      checks: CHECKS,
      timeoutMs: 5000,
      concurrency: 8,
      network,
      keepResults: false,
    });
    const lists = arm.calls
      .filter((c) => /roleAssignments/i.test(c.path))
      .map((c) => c.path.split("/providers/Microsoft.Authorization")[0]);
    expect(lists.sort()).toEqual(
      fleetModel()
        .subscriptions.map((s) => `/subscriptions/${s.subscriptionId}`)
        .sort(),
    );
    const definitions = arm.calls.filter((c) => /roleDefinitions/i.test(c.path)).map((c) => c.path);
    expect(new Set(definitions).size).toBe(definitions.length);
  });
});
