/**
 * A VM whose instance view comes from its subscription's bulk list (read page after page) waits for that list
 * before its checks' clock starts: a slow list must not time out the first VMs that need it, where `--vm` (one VM's
 * own instance view) would pass.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type Simulator } from "../azure-sim/index.mjs";
import { parseAuditJson } from "./audit-support.js";
import { runInProcess } from "./harness.js";

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ fleet: { vms: 300, subscriptions: 1, storageAccounts: 3, seed: 5 } });
});
afterAll(async () => {
  await sim?.close();
});

describe("audit: the wait for a shared bulk list", () => {
  it("does not count against the checks' --timeout (300 VMs, 3 statusOnly pages at 450 ms, --timeout 1000)", async () => {
    sim.setLatency(450);
    try {
      const run = await runInProcess(
        ["audit", "--no-network", "-o", "json", "--only", "power-state", "--timeout", "1000"],
        sim.env,
        120_000,
      );
      const results = parseAuditJson(run.stdout).results;
      expect(results.length).toBeGreaterThan(250);
      expect(results.filter((r) => r.checks[0]?.reason === "timeout").map((r) => r.vm.name)).toEqual([]);
    } finally {
      sim.setLatency(0);
    }
  }, 120_000);
});
