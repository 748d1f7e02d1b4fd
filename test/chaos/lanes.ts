/**
 * Run plans on a fixed number of lanes, each with its own simulator (faults are global to a simulator, so two
 * concurrent runs must not share one). Bounded: `lanes` processes at a time, each killed by runCli's own timeout.
 */
import { startSimulator, type Simulator } from "../azure-sim/index.mjs";

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
