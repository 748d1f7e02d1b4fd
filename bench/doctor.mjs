// Single-VM benchmark (issues 3 and 12): `--version` cold start against bare `node -e 0`, a full diagnosis at 0 ms
// latency, and at 50 ms per ARM call against a naive variant that makes the same calls one after another
// (--concurrency 1). Prints figures, targets and ratios; no assertions (results go to bench/RESULTS.md).
//
// Side by side with another build: BENCH_BASELINE_CLI=<path to that build's binary: dist/cli.cjs, or dist/cli.js before it> runs every measurement
// on both CLIs alternately (this, baseline, this, …) in the same run, so machine load hits both alike. E.g. the
// previous commit: `git worktree add /tmp/base <commit> && (cd /tmp/base && npm ci && npm run build)`.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startSimulator } from "../test/azure-sim/index.mjs";
import { CLI, VM_ID, fmt, median, timeCommand } from "./lib.mjs";

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const BASELINE = process.env.BENCH_BASELINE_CLI;
const LATENCY = 50;
// Dependent ARM round trips of the critical path: the VM GET, then the storage account GET together with the
// permissions at the account's expected id (speculative; see src/azure/loaders.ts) and the serial log's blob
// (`retrieveBootDiagnosticsData`, its SAS link, goes out beside the VM GET). The token request is not ARM.
const DEPENDENT_ROUND_TRIPS = 2;
// Against the simulator the path has one more, with the same latency: a custom ARM endpoint (--arm-endpoint, as
// for Azure Stack Hub) is asked for its token audience (`/metadata/endpoints`) before the token request. The public
// clouds skip it. So the 50 ms run is measured twice: with that read delayed like the ARM calls (Azure Stack Hub's
// path, 3 dependent round trips) and with it answered at once (the public clouds' path, 2).
const WITH_METADATA = DEPENDENT_ROUND_TRIPS + 1;
const TARGET = {
  version: 100,
  versionOverBare: 40,
  zero: 350,
  latency: 1.3 * DEPENDENT_ROUND_TRIPS * LATENCY + 250,
  latencyWithMetadata: 1.3 * WITH_METADATA * LATENCY + 250,
};

if (BASELINE && !existsSync(BASELINE)) throw new Error(`BENCH_BASELINE_CLI: no such file: ${BASELINE}`);
const clis = BASELINE ? [CLI, BASELINE] : [CLI];

const CPU = fileURLToPath(new URL("./support/report-cpu.cjs", import.meta.url));
const node = (args, env) => () => timeCommand(["-r", CPU, ...args], env);

const sim = await startSimulator({ scenario: "healthy" });
// Each build keeps its V8 code cache (src/code-cache.ts) in a directory of its own: a build sweeps other bundles'
// files from its directory, and the user's own cache stays untouched.
const cacheHomes = new Map(clis.map((cli) => [cli, mkdtempSync(join(tmpdir(), "sc-doctor-bench-cache-"))]));
const envFor = (cli) => ({ ...process.env, ...sim.env, NO_COLOR: "1", XDG_CACHE_HOME: cacheHomes.get(cli) });
const diagnose = (cli, extra = []) => node([cli, "--vm", VM_ID, "-o", "json", "--no-network", ...extra], envFor(cli));

/** Run each command `RUNS` times, alternating between them; medians (and minimums) of wall and CPU time, in order. */
async function alternate(commands) {
  const samples = commands.map(() => ({ wall: [], cpu: [] }));
  for (let i = 0; i < RUNS; i++) {
    for (const [j, command] of commands.entries()) {
      const run = await command();
      if (run.code !== 0 && run.code !== 1) throw new Error(`exit ${run.code}: ${run.stderr.slice(0, 500)}`);
      samples[j].wall.push(run.ms);
      samples[j].cpu.push(Number(/__sc_doctor_cpu_ms=([\d.]+)/.exec(run.stderr)?.[1]));
    }
  }
  return samples.map(({ wall, cpu }) => ({ median: median(wall), min: Math.min(...wall), cpu: median(cpu) }));
}

const show = (m) => `${fmt(m.median)} (min ${fmt(m.min)}, CPU ${fmt(m.cpu)})`;
const within = (value, target) => (value <= target ? "within" : "OVER");

try {
  for (const cli of clis) await diagnose(cli)(); // warm the OS file cache

  const [bare, ...startups] = await alternate([
    node(["-e", "0"]),
    ...clis.map((cli) => node([cli, "--version"], envFor(cli))),
    ...clis.map((cli) => node([cli, "--help"], envFor(cli))),
  ]);
  const version = startups.slice(0, clis.length);
  const help = startups.slice(clis.length);
  sim.setLatency(0);
  const zero = await alternate(clis.map((cli) => diagnose(cli)));
  sim.setLatency(LATENCY, { metadata: false });
  sim.resetLog();
  const latency = await alternate(clis.map((cli) => diagnose(cli)));
  const requestsPerRun = sim.requests.length / RUNS / clis.length;
  sim.setLatency(LATENCY);
  const latencyWithMetadata = await alternate(clis.map((cli) => diagnose(cli)));
  const [naive] = await alternate([diagnose(CLI, ["--concurrency", "1"])]);

  const rows = [
    ["node -e 0 (bare process start)", bare],
    [`sc-doctor --version`, version, `≤ ${TARGET.version} ms and ≤ bare + ${TARGET.versionOverBare} ms`],
    [`sc-doctor --help (loads the whole CLI)`, help],
    ["full diagnosis, 0 ms latency", zero, `≤ ${TARGET.zero} ms`],
    [
      `full diagnosis, ${LATENCY} ms per ARM call (public cloud path)`,
      latency,
      `≤ ${fmt(TARGET.latency)} (1.3 × ${DEPENDENT_ROUND_TRIPS} × ${LATENCY} + 250)`,
    ],
    [
      `  the same, metadata read delayed too (Azure Stack Hub path)`,
      latencyWithMetadata,
      `≤ ${fmt(TARGET.latencyWithMetadata)} (1.3 × ${WITH_METADATA} × ${LATENCY} + 250)`,
    ],
  ];
  console.log(
    `${RUNS} runs each, alternating${BASELINE ? ` with the baseline ${BASELINE}` : ""}; wall-time medians (minimum; the process's own CPU time, median)`,
  );
  console.log(
    `Node ${process.version}; load average ${loadavg()
      .map((x) => x.toFixed(1))
      .join(" ")} (1, 5, 15 min) at the end`,
  );
  for (const [label, m, target] of rows) {
    const [mine, base] = Array.isArray(m) ? m : [m];
    const ratio = base
      ? `   baseline ${show(base)}, ratio ${(mine.median / base.median).toFixed(2)}× (CPU ${(mine.cpu / base.cpu).toFixed(2)}×)`
      : "";
    console.log(`${label.padEnd(58)} ${show(mine).padEnd(38)}${target ? ` target ${target}` : ""}${ratio}`);
  }
  const overBare = version[0].median - bare.median;
  console.log(
    `  --version: ${fmt(overBare)} over bare node — ${within(version[0].median, TARGET.version)} ${TARGET.version} ms, ${within(overBare, TARGET.versionOverBare)} bare + ${TARGET.versionOverBare} ms`,
  );
  console.log(
    `  0 ms latency: ${within(zero[0].median, TARGET.zero)}; ${LATENCY} ms latency: ${within(latency[0].median, TARGET.latency)} ${fmt(TARGET.latency)} (public cloud path),` +
      ` ${within(latencyWithMetadata[0].median, TARGET.latencyWithMetadata)} ${fmt(TARGET.latencyWithMetadata)} (with the /metadata/endpoints read)`,
  );
  console.log(`  ${requestsPerRun.toFixed(1)} ARM requests per diagnosis (both builds)`);
  console.log(
    `${"naive (same calls one after another)".padEnd(58)} ${show(naive)}   ratio naive/concurrent = ${(naive.median / latencyWithMetadata[0].median).toFixed(2)}× (both with the metadata read)`,
  );
} finally {
  await sim.close();
  for (const dir of cacheHomes.values()) rmSync(dir, { recursive: true, force: true });
}
