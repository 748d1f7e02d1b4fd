/**
 * Ctrl-C / SIGTERM mid-audit against a slow simulator: what finished is written (whole jsonl lines), the rest is
 * listed as not evaluated, none is lost or reported twice, and the exit code is 3.
 */
import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator } from "../azure-sim/index.mjs";
import { CLI, cleanEnv } from "./harness.js";

type Sim = Awaited<ReturnType<typeof startSimulator>>;
let sim: Sim;
const VMS = 40;

beforeAll(async () => {
  // Ten VMs per subscription: each gets its own instance-view GET, 250 ms each, two VMs at a time.
  sim = await startSimulator({ fleet: { vms: VMS, subscriptions: 4, storageAccounts: 4, seed: 5 }, latencyMs: 250 });
});
afterAll(async () => {
  await sim?.close();
});

/** Run the audit, send `signal` once `lines` results are out, and collect everything. */
function interruptAfter(
  lines: number,
  signal: NodeJS.Signals,
  output: "jsonl" | "json",
): Promise<{ code: number | null; stdout: string; stderr: string; sentAt: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, "audit", "-o", output, "--no-network", "--concurrency", "2"], {
      env: cleanEnv(sim.env),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let sentAt = -1;
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`the audit did not exit in time\n${stderr}`));
    }, 60_000);
    const send = () => {
      if (sentAt >= 0) return;
      sentAt = stdout.split("\n").length - 1;
      child.kill(signal);
    };
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      if (output === "jsonl" && stdout.split("\n").length - 1 >= lines) send();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    // json prints at the end only: interrupt after a fixed delay instead (enumeration takes ~1 s here).
    if (output === "json") setTimeout(send, 2500);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, sentAt });
    });
  });
}

const notEvaluatedIds = (stderr: string) => [...stderr.matchAll(/^not evaluated: (.+)$/gm)].map((m) => m[1] ?? "");

describe("interrupted audit", () => {
  it.each(["SIGINT", "SIGTERM"] as const)(
    "%s with -o jsonl: complete lines for what finished, the rest listed, exit 3",
    async (signal) => {
      const run = await interruptAfter(3, signal, "jsonl");
      expect(run.code).toBe(3);
      const lines = run.stdout.split("\n");
      expect(lines.pop()).toBe(""); // ends with a newline: no half-written line
      const finished = lines.map((line) => (JSON.parse(line) as { vm: { id: string } }).vm.id);
      const skipped = notEvaluatedIds(run.stderr);
      expect(finished.length).toBeGreaterThanOrEqual(3);
      expect(skipped.length).toBeGreaterThan(0);
      expect(new Set([...finished, ...skipped]).size).toBe(VMS); // every VM, exactly once
      expect(finished.length + skipped.length).toBe(VMS);
      expect(run.stderr).toMatch(/interrupted/);
    },
    90_000,
  );

  it("SIGINT with -o json: the document lists what finished and summary.notEvaluated", async () => {
    const run = await interruptAfter(0, "SIGINT", "json");
    expect(run.code).toBe(3);
    const report = JSON.parse(run.stdout) as { results: { vm: { id: string } }[]; summary: { vms: number; notEvaluated?: string[] } };
    expect(report.summary.vms).toBe(report.results.length);
    expect(report.results.length + (report.summary.notEvaluated?.length ?? 0)).toBe(VMS);
    expect(report.summary.notEvaluated?.length).toBeGreaterThan(0);
  }, 90_000);
});
