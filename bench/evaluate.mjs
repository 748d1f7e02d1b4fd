// Issue 15 benchmark: evaluation alone — the audit's per-VM CPU work with every Azure answer already in memory.
// The simulator's own routes answer in-process (no HTTP, no latency, no throttling), so what is measured is
// enumeration parsing, mapping, the checks, sanitising, redaction and one JSON line per VM — the work that bounds
// an audit once enumeration is done. Prints VMs/s (target ≥ 10,000) and the same run with the naive cost of one
// `diagnoseVm` per VM in-process on a sample, as the baseline ratio.
//
//   npm run build && node bench/evaluate.mjs        SC_DOCTOR_FLEET_SIZE=100000 (default) SC_DOCTOR_PROFILE=1 (cpu profile)
import { loadavg } from "node:os";
import { CALLER_OBJECT_ID } from "../test/azure-sim/world/builders.mjs";
import { inProcessArm } from "../test/azure-sim/in-process.mjs";
import { runAudit } from "../dist/fleet/audit.js";
import { CHECKS } from "../dist/checks/index.js";
import { diagnoseVm } from "../dist/engine/diagnose.js";
import { parseVmResourceId } from "../dist/azure/resource-id.js";
import { createCleaner } from "../dist/commands/render.js";
import { SERIAL_LOG_NOT_READ } from "../dist/azure/serial-log.js";
import { formatJsonLine } from "../dist/report/jsonl.js";
import { createArmContext } from "../dist/azure/arm.js";
import { requestKind } from "./support/request-kinds.mjs";

const SIZE = Number(process.env.SC_DOCTOR_FLEET_SIZE ?? 100_000);
const SOURCE = process.env.SC_DOCTOR_SOURCE ?? "graph";
const NAIVE_SAMPLE = Number(process.env.SC_DOCTOR_NAIVE_SAMPLE ?? 2000);
const network = async () => ({ skipped: "--no-network", targets: [] });
const arm = inProcessArm({ vms: SIZE, subscriptions: 50, storageAccounts: 50, seed: 6, uniformShare: 0.2 }, { createArmContext });
const { world } = arm;
// The CLI's own output pipeline: sanitise + mask (one cleaner for the run), one JSON line per VM.
const clean = createCleaner([], false);
let bytes = 0;

const started = performance.now();
const cpuStarted = process.cpuUsage();
let count = 0;
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
    bytes += formatJsonLine(clean(result)).length;
  },
});
const auditMs = performance.now() - started;
// On a shared machine wall time measures the neighbours too: CPU time (user + system) is this process's own work.
const cpu = process.cpuUsage(cpuStarted);
const auditCpuMs = (cpu.user + cpu.system) / 1000;

const auditCalls = arm.calls.splice(0);
// Naive: diagnoseVm per VM (its own GETs), in-process on the same in-memory Azure, on a sample.
const ids = [...world.vms.keys()].slice(0, NAIVE_SAMPLE).map((id) => world.vms.get(id).model.id);
const naiveStarted = performance.now();
for (let i = 0; i < ids.length; i += 16) {
  await Promise.all(
    ids.slice(i, i + 16).map(async (id) => {
      const { result } = await diagnoseVm(arm, parseVmResourceId(id), { checks: CHECKS, timeoutMs: 60_000, concurrency: 16, network });
      bytes += formatJsonLine(clean(result)).length;
    }),
  );
}
const naiveMs = performance.now() - naiveStarted;

const rate = (count / auditMs) * 1000;
const naiveRate = (ids.length / naiveMs) * 1000;
console.log(`evaluation alone: ${count} VMs (${SIZE} generated + uniform instances, 50 subscriptions) in ${auditMs.toFixed(0)} ms`);
console.log(
  `  ${rate.toFixed(0)} VMs/s wall (target ≥ 10,000); ${((count / auditCpuMs) * 1000).toFixed(0)} VMs per CPU-second (${auditCpuMs.toFixed(0)} ms CPU); ${(bytes / 1e6).toFixed(0)} MB of JSON lines; load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")}`,
);
console.log(
  `naive diagnoseVm per VM, ${ids.length}-VM sample: ${naiveRate.toFixed(0)} VMs/s; ratio audit/naive ${(rate / naiveRate).toFixed(1)}×`,
);
const byKind = (calls) => {
  const counts = new Map();
  for (const { method, path } of calls) counts.set(requestKind(method, path), (counts.get(requestKind(method, path)) ?? 0) + 1);
  return counts;
};
const auditRequests = byKind(auditCalls);
const auditTotal = auditCalls.length;
console.log(
  `requests (--source ${SOURCE}, counted in memory, no throttling): ${auditTotal} = ${(auditTotal / count).toFixed(4)}/VM; naive ${(arm.calls.length / ids.length).toFixed(2)}/VM`,
);
for (const [kind, n] of [...auditRequests].sort((a, b) => b[1] - a[1])) console.log(`  ${String(n).padStart(7)}  ${kind}`);
