// Issue 15 benchmark: evaluation alone — the audit's per-VM CPU work with every Azure answer already in memory.
// The simulator's routes answer in-process (no HTTP, no latency, no throttling). Two passes over the same fleet:
//   1. with the simulator: it builds and serialises every answer (Azure's work) in this process, and each answer's
//      status and body text is recorded by request;
//   2. sc-doctor alone: a fresh context (new clients, nothing cached, a new output cleaner) is answered from the
//      recording — the "facts in memory" of the issue — so what is timed is sc-doctor's own work: the generated
//      clients' pipeline and deserialisers, enumeration parsing, mapping, the checks, sanitising, redaction and one
//      JSON line per VM.
// Prints VMs/s wall and per CPU-second for both passes (target ≥ 10,000 VMs/s for pass 2), and the naive cost of one
// `diagnoseVm` per VM in-process on a sample, measured the same two ways, as the baseline ratio.
//
//   npm run build && node bench/evaluate.mjs
//   SC_DOCTOR_FLEET_SIZE=100000 (default)  SC_DOCTOR_NAIVE_SAMPLE=2000 (default)
//   SC_DOCTOR_PROFILE=<dir>  a CPU profile of pass 2 alone (node:inspector), written to <dir>/evaluate.cpuprofile
//   SC_DOCTOR_DIST=<dir>     measure another build's dist/ (a baseline), default ../dist
import { mkdirSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { loadavg } from "node:os";
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";
import { CALLER_OBJECT_ID } from "../test/azure-sim/world/builders.mjs";
import { inProcessArm, replayArm } from "../test/azure-sim/in-process.mjs";
import { requestKind } from "./support/request-kinds.mjs";

const DIST = pathToFileURL(resolve(process.env.SC_DOCTOR_DIST ?? new URL("../dist", import.meta.url).pathname)).href;
const load = (path) => import(`${DIST}/${path}`);
const { runAudit } = await load("fleet/audit.js");
const { CHECKS } = await load("checks/index.js");
const { diagnoseVm } = await load("engine/diagnose.js");
const { parseVmResourceId } = await load("azure/resource-id.js");
const { createCleaner } = await load("commands/render.js");
const { SERIAL_LOG_NOT_READ } = await load("azure/serial-log.js");
const { formatJsonLine, formatCleanResult } = await load("report/jsonl.js");
// As `audit -o jsonl` writes each line (src/commands/audit.ts); a build before formatCleanResult cleaned, then serialised.
const jsonLine = formatCleanResult ?? ((result, clean) => formatJsonLine(clean(result)));
const { createArmContext } = await load("azure/arm.js");

const SIZE = Number(process.env.SC_DOCTOR_FLEET_SIZE ?? 100_000);
const SOURCE = process.env.SC_DOCTOR_SOURCE ?? "graph";
const NAIVE_SAMPLE = Number(process.env.SC_DOCTOR_NAIVE_SAMPLE ?? 2000);
const PROFILE = process.env.SC_DOCTOR_PROFILE;
const network = async () => ({ skipped: "--no-network", targets: [] });
let sim = inProcessArm(
  { vms: SIZE, subscriptions: 50, storageAccounts: 50, seed: 6, uniformShare: 0.2 },
  { createArmContext },
  { record: true },
);

/** Wall and CPU time (user + system: this process's own work, steadier than wall on a shared machine) of `run`. */
async function timed(run) {
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  const value = await run();
  const cpu = process.cpuUsage(cpuStarted);
  return { value, wallMs: performance.now() - started, cpuMs: (cpu.user + cpu.system) / 1000 };
}

/** One audit, as `audit -o jsonl` runs it: the CLI's output pipeline (sanitise + mask, one cleaner), one JSON line per VM. */
async function audit(arm) {
  const clean = createCleaner([], false);
  let count = 0;
  let bytes = 0;
  await runAudit(arm, {
    source: SOURCE,
    checks: CHECKS,
    timeoutMs: 60_000,
    concurrency: 16,
    network,
    keepResults: false,
    // As the CLI passes it from the token: the simulator's caller.
    callerObjectId: CALLER_OBJECT_ID,
    skipSerialLog: SERIAL_LOG_NOT_READ.audit,
    onResult: (result) => {
      count++;
      bytes += jsonLine(result, clean).length;
    },
  });
  return { count, bytes };
}

/** Naive: diagnoseVm per VM (its own GETs), 16 at a time, on the sample. */
const sample = [...sim.world.vms.keys()].slice(0, NAIVE_SAMPLE).map((id) => sim.world.vms.get(id).model.id);
async function naive(arm) {
  const clean = createCleaner([], false);
  for (let i = 0; i < sample.length; i += 16) {
    await Promise.all(
      sample.slice(i, i + 16).map(async (id) => {
        const { result } = await diagnoseVm(arm, parseVmResourceId(id), { checks: CHECKS, timeoutMs: 60_000, concurrency: 16, network });
        jsonLine(result, clean);
      }),
    );
  }
}

const withSim = await timed(() => audit(sim));
const auditCalls = sim.calls.splice(0);
const naiveWithSim = await timed(() => naive(sim));
const naiveCalls = sim.calls.length;

// Only the recording is kept: the simulator's world (every VM's model and instance view) is not in sc-doctor's heap
// when it audits Azure either, and a larger live heap makes garbage collection dearer.
const replay = replayArm({ recording: sim.recording }, { createArmContext });
sim = undefined;
let session;
if (PROFILE) {
  session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.start");
}
const alone = await timed(() => audit(replay));
if (session) {
  const { profile } = await session.post("Profiler.stop");
  mkdirSync(PROFILE, { recursive: true });
  writeFileSync(`${PROFILE}/evaluate.cpuprofile`, JSON.stringify(profile));
  session.disconnect();
}
const auditMisses = replay.misses.splice(0);

const naiveAlone = await timed(() => naive(replay));

const perSecond = (n, ms) => (n / ms) * 1000;
const fmt = (x) => Math.round(x).toLocaleString("en-US");
const line = (label, run, n) =>
  `  ${label}: ${fmt(perSecond(n, run.wallMs))} VMs/s wall (${fmt(run.wallMs)} ms), ${fmt(perSecond(n, run.cpuMs))} VMs per CPU-second (${fmt(run.cpuMs)} ms CPU)`;
const { count } = alone.value;
console.log(`evaluation alone: ${count} VMs (${SIZE} generated + uniform instances, 50 subscriptions), --source ${SOURCE}, dist ${DIST}`);
console.log(line("sc-doctor alone (answers from memory; target ≥ 10,000 VMs/s)", alone, count));
console.log(line("with the simulator building every answer in-process", withSim, withSim.value.count));
console.log(
  `  ${(alone.value.bytes / 1e6).toFixed(0)} MB of JSON lines; replay misses ${auditMisses.length}; load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")}`,
);
console.log(
  `naive diagnoseVm per VM, ${sample.length}-VM sample: alone ${fmt(perSecond(sample.length, naiveAlone.cpuMs))} VMs per CPU-second ` +
    `(${fmt(perSecond(sample.length, naiveAlone.wallMs))} wall), with the simulator ${fmt(perSecond(sample.length, naiveWithSim.cpuMs))}; ` +
    `ratio audit/naive per CPU-second ${(perSecond(count, alone.cpuMs) / perSecond(sample.length, naiveAlone.cpuMs)).toFixed(1)}× alone, ` +
    `${(perSecond(withSim.value.count, withSim.cpuMs) / perSecond(sample.length, naiveWithSim.cpuMs)).toFixed(1)}× with the simulator; replay misses ${replay.misses.length}`,
);
const byKind = (calls) => {
  const counts = new Map();
  for (const { method, path } of calls) counts.set(requestKind(method, path), (counts.get(requestKind(method, path)) ?? 0) + 1);
  return counts;
};
console.log(
  `requests (--source ${SOURCE}, counted in memory, no throttling): ${auditCalls.length} = ${(auditCalls.length / count).toFixed(4)}/VM; naive ${(naiveCalls / sample.length).toFixed(2)}/VM`,
);
for (const [kind, n] of [...byKind(auditCalls)].sort((a, b) => b[1] - a[1])) console.log(`  ${String(n).padStart(7)}  ${kind}`);
