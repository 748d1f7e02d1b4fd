// Issue 6 benchmark: `sc-doctor audit` over a generated fleet (default 10,000 VMs, 5 subscriptions, 50 storage
// accounts), 30 ms latency per ARM call, throttling on — side by side with the naive approach (one single-VM
// diagnosis per VM, in-process, same concurrency) measured in the same run. The naive run covers a sample
// (default 500 VMs spread over the fleet) and is extrapolated linearly to the full fleet, which the output says.
// Also: peak RSS with jsonl streaming at 1k and at the full size. Prints figures and ratios; no assertions.
//
//   npm run build && node bench/audit.mjs      SC_DOCTOR_FLEET_SIZE=10000 SC_DOCTOR_NAIVE_SAMPLE=500 (0 = full)
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startSimulator } from "../test/azure-sim/index.mjs";
import { CLI, fmt, refill } from "./lib.mjs";

const SIZE = Number(process.env.SC_DOCTOR_FLEET_SIZE ?? 10_000);
const SMALL = Math.min(1000, SIZE);
const SAMPLE = Number(process.env.SC_DOCTOR_NAIVE_SAMPLE ?? 500) || SIZE;
const LATENCY = 30;
const CONCURRENCY = 16;
const fleet = (vms) => ({ vms, subscriptions: 5, storageAccounts: 50, seed: 6 });
const RSS = fileURLToPath(new URL("./support/report-rss.mjs", import.meta.url));
const NAIVE = fileURLToPath(new URL("../test/fleet/naive-runner.mjs", import.meta.url));

/** Run a node script; count stdout lines (keeping only VM ids, not the results) and keep stderr. */
function run(args, env) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    const ids = [];
    let partial = "";
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      const text = partial + chunk.toString();
      const lines = text.split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines) {
        if (line.startsWith('{"vm"')) ids.push(JSON.parse(line).vm.id);
        else stdout += `${line}\n`;
      }
    });
    child.stderr.on("data", (chunk) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) =>
      resolve({
        code,
        ms: performance.now() - started,
        ids,
        stdout,
        stderr,
        maxRssKb: Number(/__sc_doctor_max_rss_kb=(\d+)/.exec(stderr)?.[1] ?? NaN),
      }),
    );
  });
}

async function audit(sim, env, source) {
  const before = sim.stats();
  const result = await run(
    ["--import", RSS, CLI, "audit", "--source", source, "-o", "jsonl", "--no-network", "--quiet", "--concurrency", String(CONCURRENCY)],
    env,
  );
  const after = sim.stats();
  return { ...result, requests: after.requests - before.requests, throttled: after.throttled - before.throttled };
}

const sim = await startSimulator({ fleet: fleet(SMALL), throttle: true, latencyMs: LATENCY });
const env = { ...process.env, ...sim.env, NO_COLOR: "1" };
try {
  const small = await audit(sim, env, "graph");
  sim.setFleet(fleet(SIZE));
  await refill(sim);
  const graph = await audit(sim, env, "graph");
  await refill(sim);
  const arm = await audit(sim, env, "arm");
  await refill(sim);

  // Naive: the same VMs (ids from the graph run), a sample spread evenly over the fleet.
  const ids = [...graph.ids].sort();
  const step = Math.max(1, Math.floor(ids.length / SAMPLE));
  const sample = ids.filter((_, i) => i % step === 0).slice(0, SAMPLE);
  const dir = mkdtempSync(join(tmpdir(), "sc-doctor-bench-"));
  writeFileSync(join(dir, "ids.txt"), `${sample.join("\n")}\n`);
  const before = sim.stats();
  const naiveRun = await run([NAIVE, join(dir, "ids.txt"), String(CONCURRENCY)], env);
  const after = sim.stats();
  const naive = {
    ...JSON.parse(naiveRun.stdout.trim().split("\n").pop() ?? "{}"),
    requests: after.requests - before.requests,
    throttled: after.throttled - before.throttled,
  };
  const scale = SIZE / sample.length;
  const naiveRequests = naive.requests * scale;
  const naiveMs = naive.ms * scale;
  // ARM reads: 25/s per subscription once the 250-token burst is spent — a floor no concurrency gets under.
  // (429 answers take no token, so only the requests that were answered count against it.)
  const throttleFloorMs = (Math.max(0, ((naive.requests - naive.throttled) * scale) / 5 - 250) / 25) * 1000;

  const perVm = (r, n) => (r / n).toFixed(3);
  const mb = (kb) => `${(kb / 1024).toFixed(0)} MB`;
  console.log(
    `fleet: ${SIZE} VMs, 5 subscriptions, 50 storage accounts; ${LATENCY} ms per ARM call; throttling on; concurrency ${CONCURRENCY}`,
  );
  console.log(
    `audit --source graph   ${fmt(graph.ms)}  ${graph.ids.length} VMs  ${graph.requests} requests (${perVm(graph.requests, SIZE)}/VM, target ≤ 0.05)  ${graph.throttled} throttled  exit ${graph.code}  (wall target ≤ 10 s, issue 15)`,
  );
  console.log(
    `audit --source arm     ${fmt(arm.ms)}  ${arm.ids.length} VMs  ${arm.requests} requests (${perVm(arm.requests, SIZE)}/VM, target ≤ 1.0)  ${arm.throttled} throttled  exit ${arm.code}`,
  );
  console.log(
    `naive, ${sample.length}-VM sample   ${fmt(naive.ms)}  ${naive.requests} requests (${perVm(naive.requests, sample.length)}/VM, of which ${naive.throttled} answered 429 and retried; ${perVm(naive.requests - naive.throttled, sample.length)}/VM answered)`,
  );
  console.log(
    `naive, ${SIZE} VMs ${scale === 1 ? "(measured)" : `(EXTRAPOLATED ×${scale.toFixed(1)} from the sample)`}  ${fmt(naiveMs)}  ${Math.round(naiveRequests)} requests; throttle floor alone ${fmt(throttleFloorMs)}`,
  );
  console.log(
    `ratios: requests naive/graph ${(naiveRequests / graph.requests).toFixed(0)}× (target ≥ 50×), naive/arm ${(naiveRequests / arm.requests).toFixed(1)}×; wall naive/graph ${(naiveMs / graph.ms).toFixed(0)}× (target ≥ 20×)`,
  );
  console.log(
    `peak RSS, jsonl streaming: ${SMALL} VMs ${mb(small.maxRssKb)}, ${SIZE} VMs ${mb(graph.maxRssKb)} (graph), ${mb(arm.maxRssKb)} (arm) (target ≤ 400 MB without forced GC, issue 15)`,
  );
  // The generated fleet adds 3 uniform scale set instances per subscription to the SIZE VMs.
  if (graph.ids.length < SIZE || arm.ids.length < SIZE)
    console.log(
      `WARNING: not every VM was reported (graph ${graph.ids.length}, arm ${arm.ids.length} of ${SIZE}):\n${graph.stderr}\n${arm.stderr}`,
    );
} finally {
  await sim.close();
}
