/**
 * Through the built CLI: malformed --vm values (mutations of valid ids, hostile text) are usage errors (exit 2)
 * decided before anything is sent — the simulator sees no ARM request and no token request — and the message
 * that names the bad part is itself free of terminal escapes.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Simulator } from "../azure-sim/index.mjs";
import { VM_ID, runCli, useSimulator } from "../e2e/harness.js";
import { terminalProblems } from "./output-checks.js";

let sim: Simulator;
useSimulator((started) => (sim = started));

const SEED = Number(process.env["SC_DOCTOR_PROPERTY_SEED"] ?? 20261125);
const fixed = [
  `${VM_ID}/extensions/x`,
  VM_ID.replace("virtualMachines", "disks"),
  VM_ID.replace("00000000-0000-0000-0000-000000000001", "not-a-guid"),
  `${VM_ID}\u001b[31m`,
  `${VM_ID.replace("vm1", "vm1\u202e")}`,
  `https://portal.azure.com/#@t/resource${VM_ID.replace("rg1", "%ZZ")}`,
  `/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/${"r".repeat(91)}/providers/Microsoft.Compute/virtualMachines/vm1`,
];
// Random mutations of a valid id that the parser must reject (those it accepts are not usage errors).
const mutated = fc.sample(
  fc
    .record({ at: fc.nat({ max: VM_ID.length }), insert: fc.constantFrom(" ", "<", ">", "%", "\u0007", "?", "\\", "..", "|") })
    .map(({ at, insert }) => VM_ID.slice(0, at) + insert + VM_ID.slice(at + 1)),
  { numRuns: 6, seed: SEED },
);

describe("malformed --vm through the CLI", () => {
  it.each([...fixed, ...mutated])("%j → exit 2, nothing sent", async (vm) => {
    sim.resetLog();
    const run = await runCli(["--vm", vm, "-o", "json", "--no-network"], sim.env);
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
