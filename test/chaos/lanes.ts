/**
 * Run plans on a fixed number of lanes, each with its own simulator (faults are global to a simulator, so two
 * concurrent runs must not share one). Bounded: `lanes` processes at a time, each killed by runCli's own timeout.
 */
import { startSimulator, type Simulator } from "../azure-sim/index.mjs";
import type { CliRun } from "../e2e/harness.js";

export async function withLanes<P, R>(lanes: number, plans: readonly P[], work: (sim: Simulator, plan: P) => Promise<R>): Promise<R[]> {
  const sims = await Promise.all(Array.from({ length: lanes }, () => startSimulator({ scenario: "healthy" })));
  const results: R[] = new Array(plans.length);
  let next = 0;
  try {
    await Promise.all(
      sims.map(async (sim) => {
        while (next < plans.length) {
          const index = next++;
          results[index] = await work(sim, plans[index] as P);
        }
      }),
    );
  } finally {
    await Promise.all(sims.map((sim) => sim.close()));
  }
  return results;
}

/** runCli, but a process killed at the limit is a result (exit code null, `killed`), not an exception. */
export async function runBounded(run: () => Promise<CliRun>, limitMs: number): Promise<CliRun & { killed?: boolean }> {
  const started = Date.now();
  try {
    return await run();
  } catch (error) {
    return {
      code: null,
      stdout: "",
      stderr: String(error instanceof Error ? error.message : error),
      ms: Date.now() - started,
      killed: Date.now() - started >= limitMs,
    };
  }
}
