// Issue 15 benchmark: the audit at tenant scale on the simulator — 30 ms per ARM call, throttling on, -o jsonl,
// 50 subscriptions, a fifth of the VMs in uniform scale sets. Prints, each with its target:
//   --source graph: wall, requests per VM (≤ 0.02), peak RSS without any forced GC (≤ 400 MB);
//   --source arm: requests per VM (≤ 0.05);
//   --shard 1/4 … 4/4 one after another: total requests vs the single graph audit's (≤ 1.25×).
// The 10,000-VM wall time and the naive per-VM ratio come from bench/audit.mjs; evaluation alone from bench/evaluate.mjs.
//
//   npm run build && node bench/fleet-scale.mjs      SC_DOCTOR_FLEET_SIZE=100000 (default) SC_DOCTOR_SKIP=arm,shards
//   SC_DOCTOR_PROFILE=<dir> (a CPU profile of each CLI run)  SC_DOCTOR_BREAKDOWN=1 (requests by kind)  SC_DOCTOR_CLI=<a copy of dist/cli.js> (so that rebuilding meanwhile cannot change it)
import { spawn } from "node:child_process";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { startSimulator } from "../test/azure-sim/index.mjs";
import { CLI, fmt, refill } from "./lib.mjs";
import { requestKind } from "./support/request-kinds.mjs";

const SIZE = Number(process.env.SC_DOCTOR_FLEET_SIZE ?? 100_000);
const SKIP = new Set((process.env.SC_DOCTOR_SKIP ?? "").split(",").filter(Boolean));
const LATENCY = 30;
const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(" ");

const RSS = fileURLToPath(new URL("./support/report-rss.mjs", import.meta.url));
const spec = { vms: SIZE, subscriptions: 50, storageAccounts: 50, seed: 6, uniformShare: 0.2 };

/** Run the CLI; count jsonl lines without keeping them; keep stderr. */
function run(args, env) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const profile = process.env.SC_DOCTOR_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${process.env.SC_DOCTOR_PROFILE}`] : [];
    const child = spawn(process.execPath, [...profile, "--import", RSS, CLI, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
    let lines = 0;
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) lines++;
    });
    child.stderr.on("data", (chunk) => (stderr = (stderr + chunk.toString()).slice(-20_000)));
    child.on("error", reject);
    child.on("close", (code) =>
      resolve({
        code,
        ms: performance.now() - started,
        lines,
        stderr,
        maxRssKb: Number(/__sc_doctor_max_rss_kb=(\d+)/.exec(stderr)?.[1] ?? NaN),
        cpuMs: Number(/__sc_doctor_cpu_ms=(\d+)/.exec(stderr)?.[1] ?? NaN),
      }),
    );
  });
}

async function audit(sim, env, extra) {
  sim.resetLog();
  const before = sim.stats();
  const simCpu = process.cpuUsage();
  const result = await run(["audit", "-o", "jsonl", "--no-network", "--quiet", ...extra], env);
  const after = sim.stats();
  const { user, system } = process.cpuUsage(simCpu);
  result.simulatorCpuMs = (user + system) / 1000;
  // Where the requests went, by kind (SC_DOCTOR_BREAKDOWN=1): the simulator's log of this run.
  if (process.env.SC_DOCTOR_BREAKDOWN) {
    const kinds = new Map();
    for (const entry of sim.requests) {
      const query = new URLSearchParams(entry.query).toString();
      const kind = requestKind(entry.method, `${entry.path}${query ? `?${query}` : ""}`);
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    }
    console.log(`  requests of audit ${extra.join(" ")} by kind:`);
    for (const [kind, n] of [...kinds].sort((a, b) => b[1] - a[1])) console.log(`    ${String(n).padStart(7)}  ${kind}`);
  }
  sim.resetLog();
  return { ...result, requests: after.requests - before.requests, throttled: after.throttled - before.throttled };
}

const buildStarted = performance.now();
const sim = await startSimulator({ fleet: spec, throttle: true, latencyMs: LATENCY });
const env = { ...process.env, ...sim.env, NO_COLOR: "1" };
console.log(
  `fleet: ${SIZE} generated VMs, 50 subscriptions, a fifth in uniform scale sets; ${LATENCY} ms per ARM call; throttling on; -o jsonl`,
);
console.log(`(simulator built in ${fmt(performance.now() - buildStarted)}; load average at start ${load()})`);
const perVm = (requests, vms) => (requests / vms).toFixed(4);
const mb = (kb) => `${(kb / 1024).toFixed(0)} MB`;
try {
  const graph = await audit(sim, env, ["--source", "graph"]);
  console.log(
    `audit --source graph  ${fmt(graph.ms)} (target ≤ 60 s)  ${graph.lines} VMs  ${graph.requests} requests = ${perVm(graph.requests, graph.lines)}/VM (target ≤ 0.02)  ${graph.throttled} throttled  peak RSS ${mb(graph.maxRssKb)} (target ≤ 400 MB, no forced GC)  CLI CPU ${fmt(graph.cpuMs)} = ${((graph.lines / graph.cpuMs) * 1000).toFixed(0)} VMs per CPU-second  bench process CPU (the simulator, and reading the CLI's output) ${fmt(graph.simulatorCpuMs)}  exit ${graph.code}  load ${load()}`,
  );
  if (!SKIP.has("arm")) {
    await refill(sim);
    const arm = await audit(sim, env, ["--source", "arm"]);
    console.log(
      `audit --source arm    ${fmt(arm.ms)}  ${arm.lines} VMs  ${arm.requests} requests = ${perVm(arm.requests, arm.lines)}/VM (target ≤ 0.05)  ${arm.throttled} throttled  peak RSS ${mb(arm.maxRssKb)}  CLI CPU ${fmt(arm.cpuMs)}  exit ${arm.code}  load ${load()}`,
    );
  }
  if (!SKIP.has("shards")) {
    let requests = 0;
    let lines = 0;
    let ms = 0;
    for (let k = 1; k <= 4; k++) {
      await refill(sim);
      const shard = await audit(sim, env, ["--source", "graph", "--shard", `${k}/4`]);
      requests += shard.requests;
      lines += shard.lines;
      ms += shard.ms;
      console.log(`  --shard ${k}/4  ${fmt(shard.ms)}  ${shard.lines} VMs  ${shard.requests} requests  exit ${shard.code}`);
    }
    console.log(
      `shards 1/4…4/4 in turn  ${fmt(ms)}  ${lines} VMs  ${requests} requests = ${(requests / graph.requests).toFixed(2)}× the single audit's ${graph.requests} (target ≤ 1.25×)`,
    );
  }
} finally {
  await sim.close();
}
