/**
 * Ctrl-C / SIGTERM mid-audit against a slow simulator: what finished is written (whole jsonl lines), what was not
 * evaluated is summarised on stderr (a count per subscription and a few example ids, never one line per VM; the
 * full list is in -o json's summary.notEvaluated), none is lost or reported twice, and the exit code is 3.
 */
import { spawn } from "node:child_process";
import { createServer, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator } from "../azure-sim/index.mjs";
import { CLI, cleanEnv } from "./harness.js";

type Sim = Awaited<ReturnType<typeof startSimulator>>;
let sim: Sim;
const GENERATED = 40;
/** The generated VMs plus three uniform scale set instances in each of the four subscriptions. */
const VMS = GENERATED + 4 * 3;

beforeAll(async () => {
  // Ten VMs per subscription: each gets its own instance-view GET, 250 ms each, two VMs at a time.
  sim = await startSimulator({ fleet: { vms: GENERATED, subscriptions: 4, storageAccounts: 4, seed: 5 }, latencyMs: 250 });
});
afterAll(async () => {
  await sim?.close();
});

/** `sc-doctor audit -o <output>` against the simulator, 16 VMs at a time, its output read by the test. */
function spawnAudit(output: "json" | "jsonl") {
  return spawn(process.execPath, [CLI, "audit", "-o", output, "--no-network", "--concurrency", "16"], {
    env: cleanEnv(sim.env),
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** Run the audit, send `signal` once `lines` results are out, and collect everything. */
function interruptAfter(
  lines: number,
  signal: NodeJS.Signals,
  output: "jsonl" | "json" | "html" | "markdown" | "csv",
  extra: string[] = [],
): Promise<{ code: number | null; stdout: string; stderr: string; sentAt: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, "audit", "-o", output, "--no-network", "--concurrency", "2", ...extra], {
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
    // json and html print at the end only: interrupt once evaluation has begun (the first per-VM read reached the simulator),
    // not after a fixed delay, which a loaded machine may not reach the audit in.
    if (output !== "jsonl") {
      sim.resetLog();
      const poll = setInterval(() => {
        // After this child's subscription list: a previous child's last reads can still reach the log after
        // resetLog, and a signal sent on one of those would arrive before this audit handles signals at all.
        const requests = sim.requests;
        const started = requests.findIndex((r) => r.kind === "subscriptions");
        if (started >= 0 && requests.slice(started).some((r) => r.kind === "vm-instance-view" || r.kind === "permissions")) {
          clearInterval(poll);
          send();
        }
      }, 50);
      child.on("close", () => clearInterval(poll));
    }
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, sentAt });
    });
  });
}

/** The summary's total and its per-subscription counts. */
function notEvaluatedSummary(stderr: string): { total: number; bySubscription: number[]; examples: string[] } {
  const total = Number(/^sc-doctor: (\d+) VMs? not evaluated/m.exec(stderr)?.[1] ?? NaN);
  const bySubscription = [...stderr.matchAll(/^ {2}subscription [0-9a-f-]+: (\d+)$/gm)].map((m) => Number(m[1]));
  const examples = (/^ {2}e\.g\. (.+)$/m.exec(stderr)?.[1] ?? "").split(", ").filter(Boolean);
  return { total, bySubscription, examples };
}

describe("interrupted audit", () => {
  it.each(["SIGINT", "SIGTERM"] as const)(
    "%s with -o jsonl: complete lines for what finished, the rest listed, exit 3",
    async (signal) => {
      const run = await interruptAfter(3, signal, "jsonl");
      expect(run.code).toBe(3);
      const lines = run.stdout.split("\n");
      expect(lines.pop()).toBe(""); // ends with a newline: no half-written line
      const finished = lines.map((line) => (JSON.parse(line) as { vm: { id: string } }).vm.id);
      const skipped = notEvaluatedSummary(run.stderr);
      expect(finished.length).toBeGreaterThanOrEqual(3);
      expect(new Set(finished).size).toBe(finished.length);
      expect(skipped.total).toBeGreaterThan(0);
      expect(finished.length + skipped.total).toBe(VMS); // every VM, exactly once
      expect(skipped.bySubscription.reduce((a, b) => a + b, 0)).toBe(skipped.total);
      expect(skipped.examples.length).toBeGreaterThan(0);
      expect(skipped.examples.length).toBeLessThanOrEqual(3);
      for (const id of skipped.examples) expect(finished).not.toContain(id);
      // A summary, not one line per VM: the stderr stays short however many were left.
      expect(run.stderr.split("\n").length).toBeLessThan(12);
      expect(run.stderr).not.toMatch(/^not evaluated: /m);
      expect(run.stderr).toMatch(/interrupted/);
    },
    90_000,
  );

  it("SIGINT with -o json: the document lists what finished and summary.notEvaluated", async () => {
    const run = await interruptAfter(0, "SIGINT", "json");
    expect(run.code).toBe(3);
    const report = JSON.parse(run.stdout) as {
      scope?: unknown;
      results: { vm: { id: string } }[];
      summary: { vms: number; notEvaluated?: string[] };
    };
    // What it covered is not what it set out to: no scope, so `report` lets it supersede nothing.
    expect(report.scope).toBeUndefined();
    const accounted = report.results.length + (report.summary.notEvaluated?.length ?? 0);
    // "summary.vms counts the VMs that were enumerated": those evaluated and those the interrupt left.
    expect(report.summary.vms).toBe(accounted);
    // Interrupted while uniform instances were still being listed: those are not counted, and stderr says so.
    if (/enumeration was interrupted too/.test(run.stderr)) expect(accounted).toBeLessThanOrEqual(VMS);
    else expect(accounted).toBe(VMS);
    expect(report.summary.notEvaluated?.length).toBeGreaterThan(0);
  }, 90_000);

  it.each([
    ["html", /<h2>Not evaluated \(\d+\)<\/h2>/, /\(all listed in the report's “Not evaluated” section\)/],
    ["markdown", /### Not evaluated \(\d+\)/, /\(all listed in the report's “Not evaluated” section\)/],
    ["csv", /,not evaluated: the run was interrupted/, /\(all listed in the rows whose reason is 'not evaluated: …'\)/],
  ] as const)(
    "SIGINT with -o %s: the output lists every VM not evaluated, and stderr points there",
    async (output, listed, pointer) => {
      const run = await interruptAfter(0, "SIGINT", output);
      expect(run.code).toBe(3);
      expect(run.stdout).toMatch(listed);
      expect(run.stderr).toMatch(pointer);
    },
    90_000,
  );

  it("SIGINT with -o json --shard: no scope, but the shard it was, so a whole rerun of that shard supersedes it", async () => {
    const run = await interruptAfter(0, "SIGINT", "json", ["--shard", "1/2"]);
    expect(run.code).toBe(3);
    const report = JSON.parse(run.stdout) as { scope?: unknown; shard?: string };
    expect(report.scope).toBeUndefined();
    expect(report.shard).toBe("1/2");
  }, 90_000);

  it("a subscription still being listed when interrupted is named on stderr and in summary.unevaluatedSubscriptions", async () => {
    const hung = "00000000-0000-0000-0000-000000000003";
    sim.setFaults([{ match: { path: `/subscriptions/${hung}/providers/Microsoft.Compute/virtualMachines` }, kind: "hang" }]);
    try {
      const run = await interruptAfter(0, "SIGINT", "json", ["--source", "arm"]);
      expect(run.code).toBe(3);
      const report = JSON.parse(run.stdout) as { summary: { unevaluatedSubscriptions?: { subscriptionId: string; reason: string }[] } };
      expect(report.summary.unevaluatedSubscriptions).toContainEqual({
        subscriptionId: hung,
        reason: expect.stringMatching(/interrupted before all of its VMs were listed/) as unknown as string,
      });
      expect(run.stderr).toMatch(
        new RegExp(`enumeration was interrupted too: \\d+ subscriptions? (was|were) not fully listed \\(.*${hung}`),
      );
    } finally {
      sim.setFaults([]);
    }
  }, 90_000);

  it("a signal while the output is written lets it finish whole (a reader slower than the audit), exit 3", async () => {
    const child = spawnAudit("json");
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => {
      // The first part of the document is out: the reader stops reading, the pipe fills, the signal comes.
      child.stdout.once("data", (chunk: Buffer) => {
        stdout += chunk.toString();
        child.stdout.pause();
        child.kill("SIGTERM");
        setTimeout(() => {
          child.stdout.on("data", (more: Buffer) => (stdout += more.toString()));
          child.stdout.resume();
        }, 500);
      });
      child.on("close", resolve);
    });
    expect(code, stderr).toBe(3);
    const report = JSON.parse(stdout) as { results: unknown[]; summary: { notEvaluated?: string[] } };
    expect(report.results.length).toBe(VMS);
    expect(stderr).toMatch(/interrupted — every VM was evaluated; finishing the output/);
    expect(stderr).not.toMatch(/not evaluated \(interrupted\)/);
  }, 90_000);

  it("a signal after the audit's summary, while a reader that stopped reading still has the output to take: exit 3, every line whole", async () => {
    const child = spawnAudit("jsonl");
    let stdout = "";
    let stderr = "";
    child.stdout.pause();
    const read = () => {
      child.stdout.on("data", (more: Buffer) => (stdout += more.toString()));
      child.stdout.resume();
    };
    // Lines wait for the reader (they do not pile up in memory): if the audit waits, the reader comes back later.
    const comeBack = setTimeout(read, 8_000);
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      if (!/^audit: /m.test(stderr) || child.exitCode !== null) return;
      clearTimeout(comeBack);
      child.kill("SIGTERM");
      setTimeout(read, 300);
    });
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
      child.on("close", (exitCode, killedBy) => resolve([exitCode, killedBy])),
    );
    clearTimeout(comeBack);
    // Not ended by the signal's default action (130/143), with what Node still held for the reader dropped.
    expect(signal, stderr).toBeNull();
    expect(stdout.endsWith("\n"), stdout.slice(-200)).toBe(true);
    const lines = stdout.trimEnd().split("\n");
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    expect(lines).toHaveLength(VMS);
    if (/finishing the output/.test(stderr)) expect(code).toBe(3);
  }, 90_000);

  it("a second signal (Ctrl-C twice; CI's SIGINT then SIGTERM) stops without cutting a line, and says what is missing", async () => {
    const child = spawnAudit("jsonl");
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    // A reader that is not reading: lines are queued for the pipe when both signals come.
    child.stdout.pause();
    const read = () => {
      child.stdout.on("data", (more: Buffer) => (stdout += more.toString()));
      child.stdout.resume();
    };
    const poll = setInterval(() => {
      if (!sim.requests.some((r) => r.kind === "vm-instance-view" || r.kind === "permissions")) return;
      clearInterval(poll);
      setTimeout(() => {
        child.kill("SIGINT");
        setTimeout(() => child.kill("SIGTERM"), 50);
        setTimeout(read, 400);
      }, 1500);
    }, 50);
    sim.resetLog();
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    clearInterval(poll);
    expect(code, stderr).toBe(3);
    expect(stderr).toMatch(/interrupted again — stopping now: what was not evaluated is not summarised/);
    expect(stdout.length).toBeGreaterThan(0);
    expect(stdout.endsWith("\n"), stdout.slice(-200)).toBe(true);
    for (const line of stdout.trimEnd().split("\n")) expect(() => JSON.parse(line)).not.toThrow();
  }, 90_000);

  it.each([["audit"], ["--vm"]])(
    "%s: a signal while the bundle loads (the first few hundred ms) exits 3, not the default 143",
    async (command) => {
      // A preload that sends SIGTERM the moment the binary installs its listener: before the bundle has loaded.
      const preload = `data:text/javascript,${encodeURIComponent(`
        const on = process.on;
        process.on = function (event, listener) {
          const result = on.call(this, event, listener);
          if (event === "SIGTERM" && !globalThis.sent) { globalThis.sent = true; process.kill(process.pid, "SIGTERM"); }
          return result;
        };`)}`;
      const args =
        command === "audit"
          ? ["audit", "-o", "jsonl"]
          : [
              "--vm",
              "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/vm1",
            ];
      const child = spawn(process.execPath, ["--import", preload, CLI, ...args, "--no-network"], {
        env: cleanEnv(sim.env),
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
      expect(code, stderr).toBe(3);
      // --vm: the binary's own listener answered. The audit: its handler, which the binary's listener calls once
      // it is installed (it may be by the time the signal is handled).
      if (command === "--vm") expect(stderr).toBe("sc-doctor: interrupted before its output was complete\n");
      else expect(stderr).toMatch(/^sc-doctor: interrupted( before its output was complete| while signing in: no VM was evaluated)\n$/);
      expect(stdout).toBe("");
    },
    90_000,
  );

  it("a signal while signing in exits 3 at once, saying so, with nothing on stdout", async () => {
    // A managed-identity endpoint that accepts the connection and never answers: sign-in is under way.
    const sockets: Socket[] = [];
    const identity = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => identity.listen(0, "127.0.0.1", resolve));
    const address = identity.address();
    const port = typeof address === "object" && address ? address.port : 0;
    try {
      const child = spawn(process.execPath, [CLI, "audit", "-o", "json", "--no-network"], {
        env: cleanEnv({ ...sim.env, IDENTITY_ENDPOINT: `http://127.0.0.1:${port}/msi/token` }),
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      identity.once("connection", () => child.kill("SIGINT"));
      const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
      expect(code, stderr).toBe(3);
      expect(stderr).toMatch(/interrupted while signing in: no VM was evaluated/);
      expect(stdout).toBe("");
    } finally {
      for (const socket of sockets) socket.destroy();
      identity.close();
    }
  }, 90_000);
});
