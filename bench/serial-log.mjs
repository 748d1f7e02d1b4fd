// Issue 14 benchmark: what reading the boot diagnostics serial log adds to `sc-doctor --vm`'s critical path.
// The diagnosis runs in-process (the built dist/, the real credential and pipeline) in a child process that has the
// simulator's CA, against a fixed latency per call (ARM and blob alike), so process start-up and a busy machine's
// CPU noise stay out of the figure: the same diagnosis with the serial log skipped (as --no-serial-log) and read,
// interleaved, for a small log (one ranged GET) and a 3 MB log (two ranged GETs). Prints medians, the difference in
// round trips of the injected latency, and the ratio; no assertions (results go to bench/RESULTS.md).
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { VM_ID, fmt, median } from "./lib.mjs";

const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const LATENCY = Number(process.env.BENCH_LATENCY ?? 200);

if (process.argv[2] === "--child") {
  const { createArmContext } = await import("../dist/azure/arm.js");
  const { createCredential } = await import("../dist/azure/credential.js");
  const { parseVmResourceId } = await import("../dist/azure/resource-id.js");
  const { SERIAL_LOG_NOT_READ } = await import("../dist/azure/serial-log.js");
  const { networkFactFor } = await import("../dist/commands/network-fact.js");
  const { diagnoseVm } = await import("../dist/engine/diagnose.js");
  const { selectChecks } = await import("../dist/engine/select.js");
  const credential = await createCredential("AzureCloud");
  const network = networkFactFor({ enabled: false, cloud: "AzureCloud", resolve: [], timeoutMs: 15000 });
  const checks = selectChecks();
  const ref = parseVmResourceId(VM_ID);
  const diagnose = async (readLog) => {
    const arm = createArmContext({ credential, cloud: "AzureCloud", armEndpoint: process.env.SC_DOCTOR_ARM_ENDPOINT });
    const started = performance.now();
    const { result } = await diagnoseVm(arm, ref, {
      checks,
      timeoutMs: 30000,
      concurrency: 16,
      network,
      skipSerialLog: readLog ? undefined : SERIAL_LOG_NOT_READ.vm,
    });
    const status = result.checks.find((c) => c.id === "serial-log")?.status;
    if (readLog && status !== "pass" && status !== "warn") throw new Error(`serial-log was ${status}`);
    return performance.now() - started;
  };
  await diagnose(true); // sign in (token cached by the credential) and warm up, outside the timings
  const without = [];
  const withLog = [];
  for (let i = 0; i < RUNS; i++) {
    without.push(await diagnose(false));
    withLog.push(await diagnose(true));
  }
  process.stdout.write(JSON.stringify({ without, withLog }));
  process.exit(0);
}

const { startSimulator } = await import("../test/azure-sim/index.mjs");
const sim = await startSimulator({ scenario: "healthy" });
try {
  for (const scenario of ["healthy", "serial-3mb"]) {
    sim.setScenario(scenario);
    sim.setLatency(LATENCY);
    sim.resetLog();
    const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), "--child"], {
      env: { ...process.env, ...sim.env },
      encoding: "utf8",
      maxBuffer: 1 << 20,
    });
    if (child.status !== 0) throw new Error(child.stderr);
    const { without, withLog } = JSON.parse(child.stdout);
    const posts = sim.requests.filter((r) => r.kind === "boot-diagnostics-data").length;
    const blobs = sim.requests.filter((r) => r.kind === "blob").length;
    const a = median(without);
    const b = median(withLog);
    console.log(
      `${scenario.padEnd(11)} serial log skipped ${fmt(a)} (${(a / LATENCY).toFixed(2)} × ${LATENCY} ms)   read ${fmt(b)} (${(b / LATENCY).toFixed(2)} ×)   added ${fmt(b - a)} = ${((b - a) / LATENCY).toFixed(2)} round trips   ratio ${(b / a).toFixed(2)}×   (per read: ${(posts / (RUNS + 1)).toFixed(0)} POST + ${(blobs / (RUNS + 1)).toFixed(0)} ranged blob GET)`,
    );
  }
} finally {
  await sim.close();
}
