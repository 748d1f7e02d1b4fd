/**
 * Through the CLI: malformed --vm values (mutations of valid ids, hostile text) are usage errors (exit 2)
 * decided before anything is sent — the simulator sees no ARM request and no token request — and the message
 * that names the bad part is itself free of terminal escapes. In-process (`runInProcess`); the id carrying a
 * terminal escape spawns the built CLI (its message on a real stderr).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Simulator } from "../azure-sim/index.mjs";
import { VM_ID, runCli, runInProcess, useSimulator } from "../e2e/harness.js";
import { terminalProblems } from "./output-checks.js";

let sim: Simulator;
useSimulator((started) => (sim = started));

const SEED = Number(process.env["SC_DOCTOR_PROPERTY_SEED"] ?? 20261125);
const fixed: [name: string, vm: string][] = [
  ["a child resource (an extension)", `${VM_ID}/extensions/x`],
  ["a disk, not a VM", VM_ID.replace("virtualMachines", "disks")],
  ["a subscription that is not a GUID", VM_ID.replace("00000000-0000-0000-0000-000000000001", "not-a-guid")],
  ["a terminal escape after the id", `${VM_ID}\u001b[31m`],
  ["a bidi override in the VM name", `${VM_ID.replace("vm1", "vm1\u202e")}`],
  ["a portal URL with a bad percent-escape", `https://portal.azure.com/#@t/resource${VM_ID.replace("rg1", "%ZZ")}`],
  [
    "a 91-character resource group",
    `/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/${"r".repeat(91)}/providers/Microsoft.Compute/virtualMachines/vm1`,
  ],
];
/** The one case run by the built CLI. */
const SPAWNED = "a terminal escape after the id";
// Random mutations of a valid id that the parser must reject (those it accepts are not usage errors).
const mutated: [name: string, vm: string][] = fc
  .sample(fc.record({ at: fc.nat({ max: VM_ID.length }), insert: fc.constantFrom(" ", "<", ">", "%", "\u0007", "?", "\\", "..", "|") }), {
    numRuns: 6,
    seed: SEED,
  })
  .map(({ at, insert }) => [`${JSON.stringify(insert)} in place of character ${at}`, VM_ID.slice(0, at) + insert + VM_ID.slice(at + 1)]);

describe("malformed --vm through the CLI", () => {
  it("an id without its leading '/' says so (not 'give its resource group with -g')", async () => {
    const run = await runInProcess(["--vm", VM_ID.slice(1), "-o", "json", "--no-network"], sim.env);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/not a resource id: one starts with '\/subscriptions\/' \(the leading '\/' is missing\)/);
  });

  it.each([
    [
      "a backslash-separated id",
      VM_ID.replaceAll("/", "\\"),
      /invalid VM resource id: it contains '\\': a resource id separates its parts with '\/'/,
    ],
    ["a blank --vm", " ", /--vm is empty: give a VM resource id/],
    ["a bad percent-escape in an id", VM_ID.replace("rg1", "rg%ZZ"), /'%ZZ' is not a percent-escape/],
  ])("%s: exit 2 naming what is wrong, not 'give its resource group with -g'", async (_, vm, message) => {
    sim.resetLog();
    const run = await runInProcess(["--vm", vm, "-o", "json", "--no-network"], sim.env);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/-g <resource-group>/);
    expect(sim.requests).toHaveLength(0);
  });

  it.each([
    ["a percent-encoded id", encodeURIComponent(VM_ID)],
    ["a portal URL without its scheme", `portal.azure.com/#@contoso.onmicrosoft.com/resource${VM_ID}/overview`],
  ])("%s is the VM's id", async (_, vm) => {
    sim.setScenario("healthy");
    const run = await runInProcess(["--vm", vm, "-o", "json", "--no-network", "--only", "power-state"], sim.env);
    expect(run.code, run.stderr).toBe(0);
    expect((JSON.parse(run.stdout) as { vm: { id: string } }).vm.id.toLowerCase()).toBe(VM_ID.toLowerCase());
  });

  it.each([...fixed, ...mutated])("%s → exit 2, nothing sent", async (name, vm) => {
    sim.resetLog();
    const run = await (name === SPAWNED ? runCli : runInProcess)(["--vm", vm, "-o", "json", "--no-network"], sim.env);
    if (run.code !== 2) {
      // A mutation the parser accepts must be a real, well-formed VM id: it is then diagnosed like any other.
      expect([0, 1, 3], run.stderr).toContain(run.code);
      return;
    }
    expect(run.stderr).toMatch(/invalid VM resource id|not a resource id/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(terminalProblems(run.stderr)).toEqual([]);
    expect(sim.requests).toHaveLength(0);
    expect(sim.stats().tokens).toBe(0);
  });
});
