// Issue 15 benchmark: evaluation alone — the audit's per-VM CPU work with every Azure answer already in memory.
// The simulator's own routes answer in-process (no HTTP, no latency, no throttling), so what is measured is
// enumeration parsing, mapping, the checks, sanitising, redaction and one JSON line per VM — the work that bounds
// an audit once enumeration is done. Prints VMs/s (target ≥ 10,000) and the same run with the naive cost of one
// `diagnoseVm` per VM in-process on a sample, as the baseline ratio.
//
//   npm run build && node bench/evaluate.mjs        SC_DOCTOR_FLEET_SIZE=100000 (default) SC_DOCTOR_PROFILE=1 (cpu profile)
import { answer, findRoute } from "../test/azure-sim/routes.mjs";
import { graphQuery } from "../test/azure-sim/graph.mjs";
import { World } from "../test/azure-sim/world/world.mjs";
import { buildFleet } from "../test/azure-sim/fleet.mjs";
import { runAudit } from "../dist/fleet/audit.js";
import { CHECKS } from "../dist/checks/index.js";
import { diagnoseVm } from "../dist/engine/diagnose.js";
import { parseVmResourceId } from "../dist/azure/resource-id.js";
import { createRedactor } from "../dist/report/redact.js";
import { formatJsonLine } from "../dist/report/jsonl.js";
import { sanitizeDeep } from "../dist/report/sanitize.js";
import { AzureCallError } from "../dist/azure/arm.js";

const SIZE = Number(process.env.SC_DOCTOR_FLEET_SIZE ?? 100_000);
const NAIVE_SAMPLE = 2000;
const ORIGIN = "https://arm.invalid";

/** An ArmContext answered by the simulator's routes in-process: bodies cloned via JSON, as the wire would. */
function memoryArm(world) {
  const reply = (method, pathAndQuery, body) => {
    const url = new URL(pathAndQuery, ORIGIN);
    const path = decodeURIComponent(url.pathname).replace(/\/+$/, "");
    const ctx = { world, method, path, query: url.searchParams, origin: ORIGIN, body, correlationId: "bench" };
    const response = method === "POST" ? graphQuery(ctx) : answer(ctx, findRoute(path));
    const text = JSON.stringify(response.body ?? {});
    if (response.status >= 400) {
      const error = JSON.parse(text).error ?? {};
      throw new AzureCallError("bench", error.message ?? `HTTP ${response.status}`, response.status, error.code);
    }
    return JSON.parse(text);
  };
  return {
    endpoint: ORIGIN,
    correlation: { add: () => undefined, list: () => [] },
    getJson: async (_operation, path) => reply("GET", path),
    postJson: async (_operation, path, body) => reply("POST", path, JSON.parse(JSON.stringify(body))),
  };
}

const network = async () => ({ skipped: "--no-network", targets: [] });
const world = new World(buildFleet({ vms: SIZE, subscriptions: 50, storageAccounts: 50, seed: 6, uniformShare: 0.2 }));
const arm = memoryArm(world);
const redactor = createRedactor([], false);
let bytes = 0;

const started = performance.now();
let count = 0;
await runAudit(arm, {
  source: "graph",
  checks: CHECKS,
  timeoutMs: 60_000,
  concurrency: 16,
  network,
  keepResults: false,
  onResult: (result) => {
    count++;
    bytes += formatJsonLine(redactor(sanitizeDeep(result))).length;
  },
});
const auditMs = performance.now() - started;

// Naive: diagnoseVm per VM (its own GETs), in-process on the same in-memory Azure, on a sample.
const ids = [...world.vms.keys()].slice(0, NAIVE_SAMPLE).map((id) => world.vms.get(id).model.id);
const naiveStarted = performance.now();
for (let i = 0; i < ids.length; i += 16) {
  await Promise.all(
    ids.slice(i, i + 16).map(async (id) => {
      const { result } = await diagnoseVm(arm, parseVmResourceId(id), { checks: CHECKS, timeoutMs: 60_000, concurrency: 16, network });
      bytes += formatJsonLine(redactor(sanitizeDeep(result))).length;
    }),
  );
}
const naiveMs = performance.now() - naiveStarted;

const rate = (count / auditMs) * 1000;
const naiveRate = (ids.length / naiveMs) * 1000;
console.log(`evaluation alone: ${count} VMs (${SIZE} generated + uniform instances, 50 subscriptions) in ${auditMs.toFixed(0)} ms`);
console.log(`  ${rate.toFixed(0)} VMs/s (target ≥ 10,000); ${(bytes / 1e6).toFixed(0)} MB of JSON lines`);
console.log(
  `naive diagnoseVm per VM, ${ids.length}-VM sample: ${naiveRate.toFixed(0)} VMs/s; ratio audit/naive ${(rate / naiveRate).toFixed(1)}×`,
);
