// Issue 15 benchmark: evaluation with every fact in memory — the checks, each VM's result and its jsonl line, as
// `audit -o jsonl` produces them, after each VM's facts were loaded (untimed) by the audit's own loaders from the
// simulator's routes in-process. bench/evaluate.mjs times the rest too (the clients' pipeline and deserialisers,
// enumeration, mapping); this isolates what the "evaluation alone (facts in memory)" names.
// Chunks of 2,000 VMs: load a chunk's facts, then time its evaluation, 16 VMs at a time as the audit does. The facts
// are loaded from a recording of the simulator's answers (as bench/evaluate.mjs pass 2), not from its world.
// Prints VMs/s wall and per CPU-second of the timed part (target ≥ 10,000 VMs/s).
//
//   npm run build && node bench/evaluate-facts.mjs      SC_DOCTOR_FLEET_SIZE=20000 (default)
//   SC_DOCTOR_PROFILE=<dir>  a CPU profile of the timed parts, written to <dir>/evaluate-facts.cpuprofile
import { mkdirSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";
import { CALLER_OBJECT_ID } from "../test/azure-sim/world/builders.mjs";
import { inProcessArm, replayArm } from "../test/azure-sim/in-process.mjs";

const DIST = pathToFileURL(resolve(process.env.SC_DOCTOR_DIST ?? new URL("../dist", import.meta.url).pathname)).href;
const load = (path) => import(`${DIST}/${path}`);
const { CHECKS } = await load("checks/index.js");
const { runChecks } = await load("engine/run.js");
const { summarise, toVmResult } = await load("engine/diagnose.js");
const { createCleaner } = await load("commands/render.js");
const { SERIAL_LOG_NOT_READ } = await load("azure/serial-log.js");
const { formatCleanResult } = await load("report/jsonl.js");
const { createArmContext } = await load("azure/arm.js");
const { RunCache } = await load("azure/run-cache.js");
const { enumerateFleet, listSubscriptions } = await load("fleet/sources.js");
const { fleetContext } = await load("fleet/audit.js");
const { fleetLoaders } = await load("fleet/loaders.js");

const SIZE = Number(process.env.SC_DOCTOR_FLEET_SIZE ?? 20_000);
const CHUNK = 2000;
const WORKERS = 16;
const network = async () => ({ skipped: "--no-network", targets: [] });

const spec = { vms: SIZE, subscriptions: 50, storageAccounts: 50, seed: 6, uniformShare: 0.2 };
const factNames = [...new Set(CHECKS.flatMap((check) => check.needs))];

/** The audit's own set-up (src/fleet/audit.ts `fleetContext`) over `arm`, and the VMs it enumerates. */
async function setUp(arm) {
  const shared = new RunCache();
  const subscriptions = (await listSubscriptions(arm, shared)).map((s) => s.subscriptionId);
  const auditOptions = { source: "graph", checks: CHECKS, timeoutMs: 60_000, concurrency: WORKERS, network, keepResults: false };
  const { context, instanceView, index } = fleetContext(
    arm,
    { ...auditOptions, callerObjectId: CALLER_OBJECT_ID, skipSerialLog: SERIAL_LOG_NOT_READ.audit },
    subscriptions,
    shared,
  );
  const vms = [];
  await enumerateFleet(
    arm,
    { source: "graph", subscriptions },
    {
      vms: async (page) => {
        index.request(page.flatMap((vm) => (vm.storageName ? [vm.storageName] : [])));
        for (const vm of page) {
          instanceView.note(vm);
          if (vm.ref) vms.push(vm);
        }
      },
      failed: (subscriptionId, reason) => console.error(`not enumerated: ${subscriptionId}: ${reason}`),
    },
  );
  /** Every fact of `vm` loaded (a failed one stays failed, as in the audit). */
  const loaded = async (vm) => {
    const loaders = fleetLoaders(context, vm.ref, vm);
    await Promise.allSettled(factNames.map((name) => Promise.resolve().then(() => loaders[name]())));
    const facts = await loaders.vm().catch(() => undefined);
    return { ref: vm.ref, loaders, facts };
  };
  return { vms, loaded };
}

// Pass 1 records every answer of the simulator (its routes in-process); pass 2 loads the facts from that recording
// alone, so the simulator's world (every VM's model and instance view, Azure's side) is not in the heap while
// evaluation is timed: the audit does not hold it either, and a larger live heap makes garbage collection dearer.
let sim = inProcessArm(spec, { createArmContext }, { record: true });
{
  const { vms, loaded } = await setUp(sim);
  for (let i = 0; i < vms.length; i += CHUNK) await Promise.all(vms.slice(i, i + CHUNK).map(loaded));
}
const replay = replayArm({ recording: sim.recording }, { createArmContext });
sim = undefined;
const { vms, loaded } = await setUp(replay);
if (replay.misses.length) console.error(`${replay.misses.length} requests were not recorded, e.g. ${replay.misses[0]}`);

const clean = createCleaner([], false);
let session;
if (process.env.SC_DOCTOR_PROFILE) {
  session = new Session();
  session.connect();
  await session.post("Profiler.enable");
}
let wallMs = 0;
let cpuMs = 0;
// Of the wall time, the part spent writing each result's jsonl line (serialising, sanitising, masking): the workers
// interleave only at awaits, and the line is written without one, so this is that part's own time.
let lineMs = 0;
let count = 0;
let bytes = 0;
for (let i = 0; i < vms.length; i += CHUNK) {
  const ready = await Promise.all(vms.slice(i, i + CHUNK).map(loaded));
  await session?.post("Profiler.start");
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  let next = 0;
  const worker = async () => {
    for (let item = ready[next++]; item; item = ready[next++]) {
      const checks = await runChecks(CHECKS, item.loaders, { timeoutMs: 60_000, concurrency: CHECKS.length });
      const result = toVmResult(summarise(item.ref, item.facts), checks);
      const lineStarted = performance.now();
      bytes += formatCleanResult(result, clean).length;
      lineMs += performance.now() - lineStarted;
      count++;
    }
  };
  await Promise.all(Array.from({ length: WORKERS }, worker));
  const cpu = process.cpuUsage(cpuStarted);
  wallMs += performance.now() - started;
  cpuMs += (cpu.user + cpu.system) / 1000;
  if (session) {
    const { profile } = await session.post("Profiler.stop");
    // The first chunk warms the code up: the profile is of the second (of the only one in a small fleet).
    if (i === 0 && vms.length > CHUNK) continue;
    mkdirSync(process.env.SC_DOCTOR_PROFILE, { recursive: true });
    writeFileSync(`${process.env.SC_DOCTOR_PROFILE}/evaluate-facts.cpuprofile`, JSON.stringify(profile));
    session.disconnect();
    session = undefined;
  }
}

const fmt = (x) => Math.round(x).toLocaleString("en-US");
console.log(`evaluation with every fact in memory: ${fmt(count)} VMs (${SIZE} generated + uniform instances, 50 subscriptions)`);
console.log(
  `  checks + result + jsonl line (target ≥ 10,000 VMs/s): ${fmt((count / wallMs) * 1000)} VMs/s wall (${fmt(wallMs)} ms), ` +
    `${fmt((count / cpuMs) * 1000)} VMs per CPU-second (${fmt(cpuMs)} ms CPU); ${fmt(bytes / 1e6)} MB of JSON lines`,
);
console.log(`  of which the jsonl lines ${fmt(lineMs)} ms; checks + result alone: ${fmt((count / (wallMs - lineMs)) * 1000)} VMs/s wall`);
