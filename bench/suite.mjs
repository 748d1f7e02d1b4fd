// Issue 13 benchmark: `npm test` as CI runs it — a clean clone, `npm ci`, then the README's test command — for this
// commit and a baseline commit, one after the other in the same run. Prints wall and CPU time (user + system of
// the whole tree of processes) and the ratio to the baseline (target: ≤ 2 minutes on two cores).
//
//   node bench/suite.mjs        BENCH_BASELINE_REV=<commit> (default HEAD~1)  BENCH_REV=<commit> (default HEAD)
//
// Minutes long (two installs, two suites): `npm run bench` leaves it out; run it on its own on a quiet machine.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const git = (...args) => execFileSync("git", ["-C", root, ...args], { encoding: "utf8" }).trim();
const revisions = {
  this: git("rev-parse", process.env.BENCH_REV ?? "HEAD"),
  baseline: git("rev-parse", process.env.BENCH_BASELINE_REV ?? "HEAD~1"),
};
const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(" ");

/** Run `command` in `cwd`: wall time, exit code, output. */
function timed(command, args, cwd) {
  const started = performance.now();
  const run = spawnSync(command, args, { cwd, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  return { ms: performance.now() - started, code: run.status, output: `${run.stdout}${run.stderr}` };
}

/** Clone `rev`, install, run `npm test` under /usr/bin/time (CPU of the whole process tree, user + system). */
function suite(name, rev) {
  const dir = mkdtempSync(join(tmpdir(), `sc-doctor-suite-${name}-`));
  try {
    execFileSync("git", ["clone", "--quiet", root, dir]);
    execFileSync("git", ["-C", dir, "checkout", "--quiet", rev]);
    const install = timed("npm", ["ci", "--no-audit", "--no-fund"], dir);
    if (install.code !== 0) throw new Error(`${name}: npm ci failed:\n${install.output.slice(-2000)}`);
    const startLoad = load();
    const test = timed("/usr/bin/time", ["-f", "CPU %U %S", "npm", "test"], dir);
    const [, user, system] = /CPU ([\d.]+) ([\d.]+)\s*$/.exec(test.output) ?? [];
    const counts = [...test.output.replace(/\u001b\[[0-9;]*m/g, "").matchAll(/Tests\s+(\d+) passed/g)].map((m) => Number(m[1]));
    return {
      name,
      rev: rev.slice(0, 7),
      code: test.code,
      ms: test.ms,
      cpu: user === undefined ? undefined : Number(user) + Number(system),
      passed: counts.reduce((a, b) => a + b, 0),
      load: `${startLoad} → ${load()}`,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(`npm test in a clean clone after npm ci; this ${revisions.this.slice(0, 7)}, baseline ${revisions.baseline.slice(0, 7)}`);
const baseline = suite("baseline", revisions.baseline);
const current = suite("this", revisions.this);
for (const r of [current, baseline])
  console.log(
    `${r.name.padEnd(8)} ${r.rev}  exit ${r.code}  ${(r.ms / 1000).toFixed(1)} s wall  ${r.cpu === undefined ? "CPU ?" : `${r.cpu.toFixed(1)} s CPU`}  ${r.passed} tests passed  load ${r.load}`,
  );
console.log(
  `ratio wall ${(current.ms / baseline.ms).toFixed(2)}×${current.cpu && baseline.cpu ? `, CPU ${(current.cpu / baseline.cpu).toFixed(2)}×` : ""}; target ≤ 120 s wall: ${current.ms <= 120_000 ? "met" : "NOT met"}`,
);
if (current.code !== 0 || baseline.code !== 0) process.exitCode = 1;
