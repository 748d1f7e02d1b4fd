// Issue 3 benchmark: one diagnosis with 50 ms injected latency per ARM call, against a naive variant that makes
// the same calls one after another (--concurrency 1), measured side by side in one run; plus --version cold start
// and a full run at 0 ms latency. Prints figures and ratios; no assertions (results go to bench/RESULTS.md).
import { startSimulator } from "../test/azure-sim/index.mjs";
import { CLI, VM_ID, fmt, median, repeat, timeCommand } from "./lib.mjs";

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const LATENCY = 50;
// Dependent ARM round trips of the critical path: the VM GET, then the storage account GET together with the
// permissions at the account's expected id (speculative; see src/azure/loaders.ts). The token request is not ARM.
const DEPENDENT_ROUND_TRIPS = 2;

const sim = await startSimulator({ scenario: "healthy" });
const env = { ...process.env, ...sim.env, NO_COLOR: "1" };
const diagnose = (extra) => timeCommand([CLI, "--vm", VM_ID, "-o", "json", "--no-network", ...extra], env);

try {
  await diagnose([]); // warm the OS file cache

  const bare = median((await repeat(RUNS, () => timeCommand(["-e", "0"]))).map((r) => r.ms));
  const version = median((await repeat(RUNS, () => timeCommand([CLI, "--version"]))).map((r) => r.ms));

  sim.setLatency(0);
  const zero = median((await repeat(RUNS, () => diagnose([]))).map((r) => r.ms));

  sim.setLatency(LATENCY);
  sim.resetLog();
  const concurrent = median((await repeat(RUNS, () => diagnose([]))).map((r) => r.ms));
  const requestsPerRun = sim.requests.length / RUNS;
  const naive = median((await repeat(RUNS, () => diagnose(["--concurrency", "1"]))).map((r) => r.ms));

  const target = 1.3 * DEPENDENT_ROUND_TRIPS * LATENCY + 300;
  console.log(`node -e 0 (baseline process start)      ${fmt(bare)}`);
  console.log(`sc-doctor --version (cold start)        ${fmt(version)}   target ≤ 100 ms; ${fmt(version - bare)} over bare node`);
  console.log(`full diagnosis, 0 ms latency            ${fmt(zero)}   target ≤ 500 ms`);
  console.log(
    `full diagnosis, ${LATENCY} ms per ARM call       ${fmt(concurrent)}   target ≤ ${fmt(target)} (1.3 × ${DEPENDENT_ROUND_TRIPS} × ${LATENCY} ms + 300 ms); ${requestsPerRun.toFixed(1)} ARM requests/run`,
  );
  console.log(`naive (same calls one after another)    ${fmt(naive)}   ratio naive/concurrent = ${(naive / concurrent).toFixed(2)}×`);
} finally {
  await sim.close();
}
