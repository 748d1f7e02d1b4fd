// Issue 15 benchmark, one part of "evaluation": what writing one audit line costs — `formatCleanResult` (serialise,
// the sanitising and credential scans, the walk when one says so) and its parts — on real results, for this build
// and, side by side in the same run, a baseline build (the machine's speed drifts between runs; within one run the
// builds alternate). Prints µs per line; no assertions.
//
//   npm run build && node bench/line-cost.mjs            BENCH_BASELINE_DIST=<another build's dist/> to compare
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { CALLER_OBJECT_ID } from "../test/azure-sim/world/builders.mjs";
import { inProcessArm } from "../test/azure-sim/in-process.mjs";

const dists = [new URL("../dist", import.meta.url).pathname, process.env.BENCH_BASELINE_DIST].filter(Boolean);
const load = (dist, path) => import(`${pathToFileURL(resolve(dist)).href}/${path}`);

// Real results: a 500-VM audit of the simulator, in-process, by this build.
const [{ runAudit }, { CHECKS }, { createArmContext }, { SERIAL_LOG_NOT_READ }] = await Promise.all(
  ["fleet/audit.js", "checks/index.js", "azure/arm.js", "azure/serial-log.js"].map((path) => load(dists[0], path)),
);
const sim = inProcessArm({ vms: 500, subscriptions: 5, storageAccounts: 10, seed: 6, uniformShare: 0.2 }, { createArmContext }, {});
const results = [];
await runAudit(sim, {
  source: "graph",
  checks: CHECKS,
  timeoutMs: 60_000,
  concurrency: 16,
  network: async () => ({ skipped: "--no-network", targets: [] }),
  keepResults: false,
  callerObjectId: CALLER_OBJECT_ID,
  skipSerialLog: SERIAL_LOG_NOT_READ.audit,
  onResult: (result) => results.push(JSON.parse(JSON.stringify(result))),
});
const lines = results.map((result) => JSON.stringify(result));
console.log(
  `${results.length} results, ${Math.round(lines.reduce((sum, line) => sum + line.length, 0) / lines.length)} characters per line`,
);

const builds = await Promise.all(
  dists.map(async (dist) => {
    const [{ jsonMayNeedSanitizing }, { jsonMayHoldSecrets, maskSecrets }, { createCleaner }, { formatCleanResult }] = await Promise.all(
      ["report/sanitize.js", "report/secrets.js", "commands/render.js", "report/jsonl.js"].map((path) => load(dist, path)),
    );
    const clean = createCleaner([], false);
    return {
      dist,
      parts: {
        "JSON.stringify": (i) => JSON.stringify(results[i]).length,
        "control-character scan": (i) => jsonMayNeedSanitizing(lines[i]),
        "credential hints": (i) => jsonMayHoldSecrets(lines[i], []),
        "formatCleanResult (the line)": (i) => formatCleanResult(results[i], clean).length,
        "maskSecrets (stdout filter)": (i) => maskSecrets(lines[i], []).length,
      },
    };
  }),
);

const ROUNDS = 5;
const timings = new Map();
for (let round = 0; round < ROUNDS; round++) {
  for (const build of builds) {
    for (const [name, part] of Object.entries(build.parts)) {
      const started = performance.now();
      let sink = 0;
      for (let repeat = 0; repeat < 10; repeat++) for (let i = 0; i < results.length; i++) sink += Number(part(i));
      const us = ((performance.now() - started) / (10 * results.length)) * 1000;
      if (round > 0 && sink >= 0) timings.set(`${build.dist}\u0000${name}`, [...(timings.get(`${build.dist}\u0000${name}`) ?? []), us]);
    }
  }
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
for (const name of Object.keys(builds[0].parts)) {
  const [mine, base] = builds.map((build) => median(timings.get(`${build.dist}\u0000${name}`) ?? [0]));
  const ratio = base ? `   baseline ${base.toFixed(1)} µs, ratio ${(mine / base).toFixed(2)}×` : "";
  console.log(`${name.padEnd(30)} ${mine.toFixed(1).padStart(6)} µs per line${ratio}`);
}
