/**
 * `--vm`'s early start (src/engine/diagnose.ts `ready`): while the Azure client packages still load, the facts are
 * already requested — but not the network probe, whose own budget is its check's clock, which starts at `ready`.
 */
import { describe, expect, it } from "vitest";
import { createArmContext } from "../../src/azure/arm.js";
import { parseVmResourceId } from "../../src/azure/resource-id.js";
import { CHECKS } from "../../src/checks/index.js";
import { diagnoseVm } from "../../src/engine/diagnose.js";
import { inProcessArm } from "../azure-sim/in-process.mjs";

describe("diagnoseVm with `ready`", () => {
  it("asks Azure for the facts before `ready`, and starts the network probe only after it", async () => {
    const arm = inProcessArm({ vms: 3, subscriptions: 1, storageAccounts: 1, seed: 3 }, { createArmContext });
    const [first] = (arm.world as { vms: Map<string, { model: { id: string } }> }).vms.values();
    if (!first) throw new Error("no VM in the fleet");
    let release: () => void = () => undefined;
    const ready = new Promise<void>((resolve) => (release = resolve));
    let probedBeforeReady = false;
    let released = false;
    const network = async () => {
      if (!released) probedBeforeReady = true;
      return { skipped: "test", targets: [] };
    };
    const diagnosis = diagnoseVm(arm, parseVmResourceId(first.model.id), {
      checks: CHECKS,
      timeoutMs: 10_000,
      concurrency: 16,
      network,
      ready,
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const beforeReady = arm.calls.length;
    released = true;
    release();
    const { result } = await diagnosis;
    expect(beforeReady).toBeGreaterThan(0);
    expect(probedBeforeReady).toBe(false);
    expect(result.checks.find((c) => c.id === "network")?.status).toBe("skip");
  });
});
