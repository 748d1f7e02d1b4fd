// Issue 14 benchmark: what reading the boot diagnostics serial log adds to `sc-doctor --vm`'s critical path. With
// 50 ms injected latency per call (ARM and blob), the same diagnosis with and without `--no-serial-log`, runs
// interleaved in one process; for a small log (one ranged GET) and a 3 MB log (two ranged GETs). Prints figures
// and the added time in round trips; no assertions (results go to bench/RESULTS.md).
import { startSimulator } from "../test/azure-sim/index.mjs";
import { CLI, VM_ID, fmt, median } from "./lib.mjs";

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const LATENCY = Number(process.env.BENCH_LATENCY ?? 50);

const sim = await startSimulator({ scenario: "healthy" });
const env = { ...process.env, ...sim.env, NO_COLOR: "1" };
const { timeCommand } = await import("./lib.mjs");
const diagnose = (extra) => timeCommand([CLI, "--vm", VM_ID, "-o", "json", "--no-network", ...extra], env);

async function compare(scenario) {
  sim.setScenario(scenario);
  sim.setLatency(LATENCY);
  await diagnose([]); // warm the OS file cache
  const without = [];
  const withLog = [];
  let calls = 0;
  let blobCalls = 0;
  for (let i = 0; i < RUNS; i++) {
    without.push((await diagnose(["--no-serial-log"])).ms);
    sim.resetLog();
    const run = await diagnose([]);
    withLog.push(run.ms);
    calls += sim.requests.filter((r) => r.kind === "boot-diagnostics-data").length;
    blobCalls += sim.requests.filter((r) => r.kind === "blob").length;
    const status = JSON.parse(run.stdout).checks.find((c) => c.id === "serial-log")?.status;
    if (status !== "pass" && status !== "warn") throw new Error(`serial-log was ${status} in ${scenario}`);
  }
  const a = median(without);
  const b = median(withLog);
  console.log(
    `${scenario.padEnd(12)} --no-serial-log ${fmt(a)}   with serial log ${fmt(b)}   added ${fmt(b - a)} = ${((b - a) / LATENCY).toFixed(2)} round trips of ${LATENCY} ms   (ratio ${(b / a).toFixed(2)}×; ${(calls / RUNS).toFixed(0)} POST + ${(blobCalls / RUNS).toFixed(0)} blob GET per run)`,
  );
}

try {
  await compare("healthy");
  await compare("serial-3mb");
} finally {
  await sim.close();
}
