/**
 * examples/sc-doctor-reader.role.json covers every Azure call sc-doctor makes, as the simulator logged them: every
 * scenario diagnosed with --vm (and --principal where the scenario is about it), and fleet audits with both
 * sources. Each logged method + path is mapped to its ARM action (test/fleet/arm-actions.ts) and evaluated against
 * the role with sc-doctor's own RBAC matcher. The runs are in-process (`runInProcess`); `--vm <name> -g <rg>` spawns
 * the built CLI.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SCENARIOS, startSimulator } from "../azure-sim/index.mjs";
import { isGranted } from "../../src/checks/support/permissions.js";
import { armAction } from "../fleet/arm-actions.js";
import { LOG_SCENARIOS } from "../azure-sim/scenarios/serial-logs.mjs";
import { VMSS_ID, VM_ID, runCli, runInProcess } from "./harness.js";

type Sim = Awaited<ReturnType<typeof startSimulator>>;
let sim: Sim;
const role = JSON.parse(readFileSync(new URL("../../examples/sc-doctor-reader.role.json", import.meta.url), "utf8")) as {
  Actions: string[];
  NotActions: string[];
};
// The principal-group scenario's user (its role comes through a group); in other worlds it simply has no roles.
const PRINCIPAL = "33333333-3333-3333-3333-333333333333";
/** Reads the role must allow although these runs may not make them: the instance-view GETs are fallbacks, for a
 * VM GET that comes without its instance view and for audit VMs that the bulk list does not cover. */
const FALLBACKS = [
  "Microsoft.Compute/virtualMachines/instanceView/read",
  "Microsoft.Compute/virtualMachineScaleSets/virtualMachines/instanceView/read",
];
const seen = new Map<string, string>();

/** Calls no RBAC action governs: SAS blob reads (the link is the credential) and the caller's own Cloud Shell settings. */
const NOT_RBAC = new Set(["blob", "cloud-shell-settings"]);

function record(source: string) {
  for (const entry of sim.requests) {
    if (NOT_RBAC.has(entry.kind)) continue;
    // The cloud metadata document is public: read without a token, it needs no role.
    if (entry.kind === "cloud-metadata") continue;
    // Resource Graph lists only what the caller may read: resource groups (ResourceContainers) need their own read.
    const groups = entry.graphTable === "resourcecontainers" ? ["Microsoft.Resources/subscriptions/resourceGroups/read"] : [];
    for (const action of [armAction(entry.method, entry.path), ...groups])
      if (!seen.has(action)) seen.set(action, `${entry.method} ${entry.path} (${source})`);
  }
  sim.resetLog();
}

beforeAll(async () => {
  sim = await startSimulator({ scenario: "healthy" });
});
afterAll(async () => {
  await sim?.close();
});

describe("the least-privilege role covers every call", () => {
  it("over every scenario (--vm, --principal) and a fleet audit (graph, arm)", async () => {
    // The serial-<log> scenarios differ only in the log's text, not in the calls made: one of them stands for all.
    const scenarios = Object.keys(SCENARIOS).filter((name) => !(name in LOG_SCENARIOS) || name === "serial-kernel-panic");
    for (const scenario of scenarios) {
      sim.setScenario(scenario);
      sim.resetLog();
      const vm = scenario.startsWith("vmss-uniform") || scenario === "vmss-outdated-model" ? VMSS_ID : VM_ID;
      await runInProcess(["--vm", vm, "-o", "json", "--no-network"], sim.env);
      if (scenario.startsWith("principal") || scenario.startsWith("rbac"))
        await runInProcess(["--vm", vm, "-o", "json", "--no-network", "--principal", PRINCIPAL], sim.env);
      record(`--vm, scenario ${scenario}`);
    }
    // --vm <name> -g <rg> without a subscription searches the subscriptions the caller can see.
    sim.setScenario("healthy");
    await runCli(["--vm", "vm1", "-g", "rg1", "-o", "json", "--no-network"], { ...sim.env, AZURE_SUBSCRIPTION_ID: "" });
    record("--vm <name> -g <rg>");
    sim.setFleet({ vms: 60, subscriptions: 3, storageAccounts: 6, seed: 3 });
    for (const source of ["graph", "arm"]) {
      sim.resetLog();
      await runInProcess(["audit", "--source", source, "-o", "jsonl", "--no-network", "--quiet"], sim.env);
      await runInProcess(["audit", "--source", source, "-o", "jsonl", "--no-network", "--quiet", "--principal", PRINCIPAL], sim.env);
      record(`audit --source ${source}`);
    }
    // A --resource-group with no VM: Resource Graph is asked whether the group exists.
    await runInProcess(["audit", "-g", "rg-with-no-vm", "-o", "jsonl", "--no-network", "--quiet"], sim.env);
    record("audit -g <a group with no VM>");
    const block = { actions: role.Actions, notActions: role.NotActions };
    const uncovered = [...seen].filter(([action]) => !isGranted([block], action)).map(([action, example]) => `${action} ← ${example}`);
    expect(uncovered).toEqual([]);
    expect(seen.has("Microsoft.ResourceGraph/resources/read")).toBe(true);
    // Least privilege: every action of the role is used by something (or is a documented fallback).
    const unused = role.Actions.filter((granted) => ![...seen.keys()].some((action) => action.toLowerCase() === granted.toLowerCase()));
    expect(unused.filter((action) => !FALLBACKS.includes(action))).toEqual([]);
  }, 300_000);
});
