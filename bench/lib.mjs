// Small helpers shared by the benchmarks: spawn the built CLI and time it.
import { spawn } from "node:child_process";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const { bin } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
/**
 * The built CLI, as the package's `bin` (what `npx sc-doctor` runs); SC_DOCTOR_CLI points a long benchmark at a
 * copy, so that rebuilding meanwhile cannot change it.
 */
export const CLI = process.env.SC_DOCTOR_CLI ?? fileURLToPath(new URL(`../${bin["sc-doctor"]}`, import.meta.url));
export const VM_ID =
  "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/vm1";

export function timeCommand(args, env = process.env) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c) => (stdout += c));
    child.stderr.on("data", (c) => (stderr += c));
    child.on("error", reject);
    child.on("close", (code) => resolve({ ms: performance.now() - started, code, stdout, stderr }));
  });
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export async function repeat(times, fn) {
  const samples = [];
  for (let i = 0; i < times; i++) samples.push(await fn(i));
  return samples;
}

export const fmt = (ms) => `${ms.toFixed(0)} ms`;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Let the simulator's token buckets refill between measurements (ARM: 250 at 25/s = 10 s; Resource Graph: 5 s). */
export async function refill(sim) {
  sim.setThrottle(false);
  await sleep(10_500);
  sim.setThrottle(true);
}

/** Apparent bytes of every file under `dir` (what a tarball would carry, not the filesystem's blocks). */
export function bytes(dir) {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += bytes(path);
    else if (entry.isFile()) total += statSync(path).size;
  }
  return total;
}
