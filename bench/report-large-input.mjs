// `sc-doctor report` of an input past V8's longest string (~512 MiB): a pretty-printed `audit -o json` of
// SC_DOCTOR_BIG_INPUT_VMS results (default 45,000, some 600 MB), read result by result (src/commands/saved-pieces.ts).
// Baseline in the same run: the same results' first twentieth, under 256 MiB, read whole — the ratio is the cost per
// VM of reading in pieces. Prints wall time, per VM, and peak RSS (GNU time, when installed).
//
//   npm run build && node bench/report-large-input.mjs
import { spawnSync } from "node:child_process";
import { createWriteStream, existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startSimulator } from "../test/azure-sim/index.mjs";
import { CLI } from "./lib.mjs";

const VMS = Number(process.env.SC_DOCTOR_BIG_INPUT_VMS ?? 45_000);
const dir = mkdtempSync(join(tmpdir(), "sc-doctor-big-input-"));

// Real results to copy: an audit of a generated fleet (every failure kind), each copy under its own VM id.
const sim = await startSimulator({ fleet: { vms: 200, subscriptions: 2, storageAccounts: 5, seed: 6, uniformShare: 0.2 } });
const audit = spawnSync(process.execPath, [CLI, "audit", "-o", "json", "--no-network"], {
  env: { ...process.env, ...sim.env },
  encoding: "utf8",
  maxBuffer: 1 << 30,
});
await sim.close();
const templates = JSON.parse(audit.stdout);

/** An `audit -o json` document of `count` results, written as the audit writes it (src/report/json.ts). */
async function writeDocument(path, count) {
  const stream = createWriteStream(path);
  const write = (text) => new Promise((resolve) => (stream.write(text) ? resolve() : stream.once("drain", resolve)));
  const head = JSON.stringify({ ...templates, summary: { ...templates.summary, vms: count }, results: [] }, null, 2);
  await write(`${head.slice(0, -"[]\n}".length)}[\n`);
  for (let i = 0; i < count; i++) {
    const t = templates.results[i % templates.results.length];
    const copy = { ...t, vm: { ...t.vm, id: `${t.vm.id}-${i}`, name: `${t.vm.name}-${i}` } };
    await write(`    ${JSON.stringify(copy, null, 2).replace(/\n/g, "\n    ")}${i < count - 1 ? ",\n" : "\n"}`);
  }
  await write("  ]\n}\n");
  await new Promise((resolve) => stream.end(resolve));
}

const gnuTime = existsSync("/usr/bin/time");
/** `report <path> -o jsonl` with stdout discarded: wall ms, peak RSS (MB, when GNU time is there) and exit code. */
function report(path) {
  const args = [CLI, "report", path, "-o", "jsonl"];
  const started = performance.now();
  const run = gnuTime
    ? spawnSync("/usr/bin/time", ["-f", "%M", process.execPath, ...args], { stdio: ["ignore", "ignore", "pipe"], encoding: "utf8" })
    : spawnSync(process.execPath, args, { stdio: ["ignore", "ignore", "pipe"], encoding: "utf8" });
  const ms = performance.now() - started;
  const rssKb = gnuTime ? Number(run.stderr.trim().split("\n").at(-1)) : NaN;
  return { ms, rssMb: rssKb / 1024, code: run.status, stderr: run.stderr };
}

try {
  const big = join(dir, "big.json");
  const small = join(dir, "small.json");
  await writeDocument(big, VMS);
  await writeDocument(small, Math.ceil(VMS / 20));
  const fmt = (x) => Math.round(x).toLocaleString("en-US");
  const mb = (path) => fmt(statSync(path).size / 1e6);
  const whole = report(small);
  const pieces = report(big);
  if (pieces.code !== 1 || whole.code !== 1) throw new Error(`report exited ${pieces.code} / ${whole.code}: ${pieces.stderr}`);
  const perVm = (run, count) => run.ms / count;
  console.log(`report of a pretty-printed audit -o json past V8's longest string: ${fmt(VMS)} VMs, ${mb(big)} MB`);
  console.log(
    `  read in pieces: ${fmt(pieces.ms)} ms (${perVm(pieces, VMS).toFixed(2)} ms per VM)${gnuTime ? `, peak RSS ${fmt(pieces.rssMb)} MB` : ""}`,
  );
  console.log(
    `  baseline, read whole: ${fmt(Math.ceil(VMS / 20))} VMs, ${mb(small)} MB: ${fmt(whole.ms)} ms (${perVm(whole, Math.ceil(VMS / 20)).toFixed(2)} ms per VM)${gnuTime ? `, peak RSS ${fmt(whole.rssMb)} MB` : ""}`,
  );
  console.log(`  ratio per VM, pieces / whole: ${(perVm(pieces, VMS) / perVm(whole, Math.ceil(VMS / 20))).toFixed(2)}×`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
