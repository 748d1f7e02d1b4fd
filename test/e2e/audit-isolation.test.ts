/**
 * The audit at tenant scale (issue 15): one subscription that hangs or refuses does not stop the others; scoping
 * to a resource group reads only that group; a Resource Graph 429 without Retry-After is waited out; shards merged
 * by `sc-doctor report` equal one audit, and a VM in two inputs is a usage error. The audits run in-process
 * (`runInProcess`); the built CLI is spawned for the hung subscription (lines streamed while it waits) and for the
 * usage errors of `report`.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator } from "../azure-sim/index.mjs";
import type { AuditReport, VmResult } from "../../src/types.js";
import { byId, comparable, healed, parseAuditJson } from "./audit-support.js";
import { CLI, cleanEnv, runCli, runInProcess } from "./harness.js";

type Sim = Awaited<ReturnType<typeof startSimulator>>;
let sim: Sim;
let full: AuditReport;
const sub = (i: number) => `00000000-0000-0000-0000-${String(i).padStart(12, "0")}`;
/** The second subscription is one of the two large ones of this fleet (the last two are small). */
const BAD = sub(2);

const audit = (args: string[], timeoutMs = 120_000) => runInProcess(["audit", "--no-network", ...args], sim.env, timeoutMs);
const without = (results: VmResult[], subscriptionId: string) => results.filter((r) => r.vm.subscriptionId !== subscriptionId);
const same = (actual: VmResult[], expected: VmResult[]) => {
  expect(actual.map((r) => r.vm.id)).toEqual(expected.map((r) => r.vm.id));
  const byIdExpected = byId(expected);
  for (const result of actual)
    expect(comparable(result), result.vm.id).toEqual(comparable(byIdExpected.get(result.vm.id.toLowerCase()) ?? result));
};

beforeAll(async () => {
  sim = await startSimulator({ fleet: { vms: 120, subscriptions: 4, storageAccounts: 8, seed: 21 } });
  const run = await audit(["-o", "json"]);
  expect(run.code, run.stderr).toBe(1);
  full = parseAuditJson(run.stdout);
  expect(without(full.results, BAD).length).toBeLessThan(full.results.length - 20);
}, 120_000);
afterAll(async () => {
  await sim?.close();
});

/** Run `body` with the simulator's faults set to `faults`, and none after. */
async function withFaults(faults: Parameters<Sim["setFaults"]>[0], body: () => Promise<void>): Promise<void> {
  sim.setFaults(faults);
  try {
    await body();
  } finally {
    sim.setFaults([]);
  }
}

/** The built CLI's audit with `args`, and what it had written to stdout when stderr first said "not audited". */
function auditWhileHung(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string; stdoutWhenReported: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, "audit", "--no-network", ...args], {
      env: cleanEnv(sim.env),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let stdoutWhenReported: string | undefined;
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stdoutWhenReported === undefined && /not audited/.test(stderr)) stdoutWhenReported = stdout;
    });
    child.on("close", (code) => resolve({ code, stdout, stderr, stdoutWhenReported: stdoutWhenReported ?? "" }));
  });
}

describe("isolation per subscription", () => {
  it("--source arm: one subscription's VM list hangs while the others stream; it is reported after --timeout", async () => {
    await withFaults([{ match: { path: `/subscriptions/${BAD}/providers/Microsoft.Compute/virtualMachines` }, kind: "hang" }], async () => {
      const run = await auditWhileHung(["--source", "arm", "-o", "jsonl", "--timeout", "5000", "--concurrency", "4"]);
      expect(run.code, run.stderr).toBe(1); // findings in the healthy subscriptions
      const streamed = run.stdout
        .trimEnd()
        .split("\n")
        .map((line) => JSON.parse(line) as VmResult);
      same(
        streamed.sort((a, b) => (a.vm.id.toLowerCase() < b.vm.id.toLowerCase() ? -1 : 1)),
        without(full.results, BAD),
      );
      expect(run.stderr).toMatch(new RegExp(`subscription ${BAD} not audited: .*no response within 5000 ms`));
      // The healthy subscriptions' results were written while the hung list was still waiting.
      expect(run.stdoutWhenReported.split("\n").length - 1).toBeGreaterThan(0);
    });
  }, 120_000);

  it("--source graph: after a batch hangs, a subscription that hangs again alone does not hold up those after it", async () => {
    await withFaults([{ match: { method: "POST", body: BAD }, kind: "hang" }], async () => {
      const run = await auditWhileHung(["-o", "jsonl", "--timeout", "3000", "--only", "power-state"]);
      expect(run.stderr).toMatch(new RegExp(`subscription ${BAD} not audited`));
      // The subscriptions after the hung one in Resource Graph's order were streamed before it was given up on.
      const before = new Set(
        run.stdoutWhenReported
          .trimEnd()
          .split("\n")
          .filter(Boolean)
          .map((line) => (JSON.parse(line) as VmResult).vm.subscriptionId),
      );
      expect(before).toEqual(new Set([sub(1), sub(3), sub(4)]));
    });
  }, 120_000);

  it("--source graph: one subscription's Resource Graph queries hang; the others' results, storage lookups included, equal one audit's", async () => {
    // The storage accounts are listed by one query over every subscription in scope: it hangs with the bad one, and
    // each VM's storage lookup must then go its own subscription's way instead of waiting with it (then timing out).
    await withFaults([{ match: { method: "POST", body: BAD }, kind: "hang" }], async () => {
      const run = await audit(["-o", "json", "--timeout", "3000"]);
      const report = parseAuditJson(run.stdout);
      expect(report.summary.unevaluatedSubscriptions?.map((s) => s.subscriptionId)).toEqual([BAD]);
      same(report.results, without(full.results, BAD));
      expect(run.code, run.stderr).toBe(1);
    });
  }, 120_000);

  it("-o json records the audit's scope (report reads it to tell a rerun of a subscription from a part of one)", async () => {
    const run = await audit([
      "-o",
      "json",
      "--only",
      "power-state",
      "--subscription",
      sub(1),
      "--resource-group",
      "rg-a",
      "--shard",
      "1/2",
    ]);
    expect(parseAuditJson(run.stdout).scope).toEqual({ subscriptions: [sub(1)], resourceGroups: ["rg-a"], shard: "1/2" });
    const all = await audit(["-o", "json", "--only", "power-state", "--where", "location =~ 'westeurope'"]);
    expect(parseAuditJson(all.stdout).scope).toEqual({ subscriptions: "all", where: "location =~ 'westeurope'" });
  }, 120_000);

  it("a named subscription the caller cannot read (Graph just returns none of it) is reported, not passed as empty", async () => {
    const unknown = "00000000-0000-0000-0000-0000000000ff";
    const run = await audit(["-o", "json", "--only", "power-state", "--subscription", sub(1), "--subscription", unknown]);
    const report = parseAuditJson(run.stdout);
    expect(report.results.length).toBeGreaterThan(0);
    // Not audited: exit 3, unless findings make it 1.
    expect(run.code, run.stderr).toBe(report.results.some((r) => r.verdict === "blocked") ? 1 : 3);
    expect(report.summary.unevaluatedSubscriptions).toEqual([
      {
        subscriptionId: unknown,
        reason: expect.stringMatching(
          /none of its VMs, and the subscription itself could not be read: .*404 SubscriptionNotFound/,
        ) as unknown as string,
      },
    ]);
    expect(run.stderr).toMatch(new RegExp(`subscription ${unknown} not audited`));
    // Resource Graph answered: a subscription that is not there is no reason to leave it for --source arm.
    expect(run.stderr).not.toMatch(/Resource Graph did not serve/);
    // --source arm: its VM list answers SubscriptionNotFound, as Azure does.
    const arm = await audit(["-o", "json", "--source", "arm", "--only", "power-state", "--subscription", unknown]);
    expect(arm.code, arm.stderr).toBe(3);
    expect(parseAuditJson(arm.stdout).summary.unevaluatedSubscriptions).toEqual([
      { subscriptionId: unknown, reason: expect.stringMatching(/404 SubscriptionNotFound/) as unknown as string },
    ]);
  }, 120_000);

  it("--source arm: a subscription not registered for Microsoft.Compute (409) holds no VM, as Resource Graph says: audited, not reported", async () => {
    await withFaults([{ match: { path: `/subscriptions/${BAD}/providers/Microsoft.Compute/` }, kind: "409" }], async () => {
      const run = await audit(["-o", "json", "--source", "arm", "--only", "power-state", "--subscription", BAD, "--subscription", sub(1)]);
      const report = parseAuditJson(run.stdout);
      expect(report.summary.unevaluatedSubscriptions ?? []).toEqual([]);
      expect(report.results.filter((r) => r.vm.subscriptionId === BAD)).toEqual([]);
      expect(report.results.length).toBe(full.results.filter((r) => r.vm.subscriptionId === sub(1)).length);
      expect(run.stderr).not.toContain("not audited");
    });
    // With -g: a group there answers 409 too, and exists all the same: it is not called absent on that account.
    await withFaults(
      [{ match: { path: `/subscriptions/${BAD}/resourceGroups/rg-diag/providers/Microsoft.Compute/` }, kind: "409" }],
      async () => {
        const scoped = await audit(["-o", "json", "--source", "arm", "--only", "power-state", "--subscription", BAD, "-g", "rg-diag"]);
        expect(scoped.code, scoped.stderr).toBe(0);
        expect(scoped.stderr).not.toContain("was not found");
      },
    );
  }, 120_000);

  it("the subscription's lock list refused (rights at group scope only): each VM's own locks, as --vm reads them", async () => {
    await withFaults([{ match: { path: `/subscriptions/${BAD}/providers/Microsoft.Authorization/locks` }, kind: "403" }], async () => {
      const run = await audit(["-o", "json", "--only", "resource-locks", "--subscription", BAD]);
      const results = parseAuditJson(run.stdout).results;
      expect(results.length).toBeGreaterThan(0);
      expect(results.filter((r) => r.checks[0]?.status === "error").map((r) => r.checks[0]?.reason)).toEqual([]);
      expect(
        sim.requests.some((r: { path: string }) => /\/virtualMachines\/[^/]+\/providers\/Microsoft\.Authorization\/locks$/i.test(r.path)),
      ).toBe(true);
    });
  }, 120_000);

  it("--source graph: a named subscription whose Graph query is refused is reported once, with that reason", async () => {
    await withFaults(
      [
        { match: { method: "POST", body: BAD }, kind: "403" },
        { match: { path: `/subscriptions/${BAD}` }, kind: "403" },
      ],
      async () => {
        const run = await audit(["-o", "json", "--only", "power-state", "--subscription", BAD]);
        const entries = parseAuditJson(run.stdout).summary.unevaluatedSubscriptions ?? [];
        expect(entries).toHaveLength(1);
        expect(entries[0]?.reason).not.toMatch(/returned none of its VMs/);
      },
    );
  }, 120_000);

  it.each(["arm", "graph"] as const)(
    "--source %s: a 403 on one subscription is reported in summary.unevaluatedSubscriptions, the others are audited",
    async (source) => {
      const fault =
        source === "arm"
          ? { match: { path: `/subscriptions/${BAD}/providers/Microsoft.Compute/virtualMachines` }, kind: "403" as const }
          : { match: { method: "POST", body: BAD }, kind: "403" as const };
      await withFaults([fault], async () => {
        const run = await audit(["-o", "json", "--source", source]);
        expect(run.code, run.stderr).toBe(1);
        const report = parseAuditJson(run.stdout);
        same(report.results, without(full.results, BAD));
        // Azure's own words: what was refused, on which scope (not the client pager's "Pagination failed …").
        expect(report.summary.unevaluatedSubscriptions).toEqual([
          {
            subscriptionId: BAD,
            reason: expect.stringMatching(/403 AuthorizationFailed.*does not have authorization to perform action/) as unknown as string,
          },
        ]);
        expect(run.stderr).toMatch(new RegExp(`subscription ${BAD} not audited: could not read .*403 AuthorizationFailed`));
      });
    },
    120_000,
  );

  it("--source arm: a VM list whose nextLink points back at itself is reported at its first page, not paged 10,000 times", async () => {
    const list = `/subscriptions/${BAD}/providers/Microsoft.Compute/virtualMachines`;
    await withFaults([{ match: { pathIs: list, method: "GET" }, kind: "loop-link" }], async () => {
      sim.resetLog();
      const run = await audit(["-o", "json", "--source", "arm"]);
      expect(run.code, run.stderr).toBe(1);
      const report = parseAuditJson(run.stdout);
      same(report.results, without(full.results, BAD));
      expect(report.summary.unevaluatedSubscriptions).toEqual([
        { subscriptionId: BAD, reason: expect.stringMatching(/nextLink leads back to a page already read/) as unknown as string },
      ]);
      expect(sim.requests.filter((entry) => entry.path.toLowerCase() === list.toLowerCase()).length).toBeLessThanOrEqual(2);
    });
  }, 120_000);

  it("--source graph: a subscription whose instance query fails after its VMs were listed says how many of them are audited", async () => {
    // The batch's scale set instance query is refused, then the first subscription's own (retried alone): by then
    // that subscription's VMs were listed and audited, and only its uniform instances are missing.
    await withFaults([{ match: { method: "POST", body: "virtualmachinescalesets/virtualmachines" }, kind: "403", count: 2 }], async () => {
      const run = await audit(["-o", "json", "--source", "graph"]);
      expect(run.code, run.stderr).toBe(1);
      const report = parseAuditJson(run.stdout);
      const [entry, ...others] = report.summary.unevaluatedSubscriptions ?? [];
      expect(others).toEqual([]);
      const partial = entry?.subscriptionId ?? "";
      const uniform = (r: VmResult) => /\/virtualMachineScaleSets\//i.test(r.vm.id);
      const listed = full.results.filter((r) => r.vm.subscriptionId === partial && !uniform(r)).length;
      expect(listed).toBeGreaterThan(0);
      same(
        report.results,
        full.results.filter((r) => !(r.vm.subscriptionId === partial && uniform(r))),
      );
      expect(entry?.reason).toMatch(
        new RegExp(`^its enumeration stopped after ${listed} VMs, which are audited: .*403 AuthorizationFailed`),
      );
      expect(run.stderr).toContain(`subscription ${partial} only partly audited: its enumeration stopped after ${listed} VMs`);
    });
  }, 120_000);

  it("a subscription not audited makes the exit code 3 when nothing else is found", async () => {
    await withFaults([{ match: { path: `/subscriptions/${BAD}/providers/Microsoft.Compute/virtualMachines` }, kind: "403" }], async () => {
      const run = await audit(["-o", "json", "--source", "arm", "--only", "os-disk"]);
      expect(run.code, run.stderr).toBe(3);
    });
  }, 120_000);
  it("--fail-on-drift: a subscription not audited still makes the exit code 3 when nothing became blocked; newly blocked makes it 1", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sc-doctor-drift-unevaluated-"));
    const unchanged = join(dir, "unchanged.json");
    writeFileSync(unchanged, JSON.stringify(full));
    const blocked = without(full.results, BAD).find((r) => r.verdict === "blocked")?.vm.id;
    if (!blocked) throw new Error("no blocked VM outside the refused subscription");
    const healthier = join(dir, "healthier.json");
    writeFileSync(healthier, JSON.stringify({ ...full, results: full.results.map((r) => (r.vm.id === blocked ? healed(r) : r)) }));
    await withFaults([{ match: { path: `/subscriptions/${BAD}/providers/Microsoft.Compute/virtualMachines` }, kind: "403" }], async () => {
      const same = await audit(["-o", "json", "--source", "arm", "--baseline", unchanged, "--fail-on-drift"]);
      expect(parseAuditJson(same.stdout).summary.unevaluatedSubscriptions?.map((s) => s.subscriptionId)).toEqual([BAD]);
      expect(same.code, same.stderr).toBe(3);
      const worse = await audit(["-o", "json", "--source", "arm", "--baseline", healthier, "--fail-on-drift"]);
      expect(worse.code, worse.stderr).toBe(1);
    });
  }, 120_000);
  it("--baseline whose audit could not read a subscription: that subscription's blocked VMs are not 'newly blocked' now", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sc-doctor-drift-first-evaluated-"));
    const baseline = join(dir, "baseline.json");
    const unevaluatedSubscriptions = [{ subscriptionId: BAD, reason: "403 AuthorizationFailed" }];
    writeFileSync(
      baseline,
      JSON.stringify({ ...full, results: without(full.results, BAD), summary: { ...full.summary, unevaluatedSubscriptions } }),
    );
    expect(full.results.some((r) => r.vm.subscriptionId === BAD && r.verdict === "blocked")).toBe(true);
    const run = await audit(["-o", "json", "--baseline", baseline, "--fail-on-drift"]);
    const drift = (parseAuditJson(run.stdout).summary as { drift?: { newlyBlocked: string[] } }).drift;
    expect(drift?.newlyBlocked).toEqual([]);
    expect(run.code, run.stderr).toBe(0);
  }, 120_000);
});

describe("Resource Graph throttling", () => {
  it("a 429 without Retry-After is waited out (quota window, else back-off), and every VM is reported", async () => {
    // One 429: its quota window (5 s, as Azure's) is waited out; test/fleet covers repeated ones and the bound.
    await withFaults(
      [{ match: { method: "POST", path: "/providers/Microsoft.ResourceGraph/resources" }, kind: "429", count: 1 }],
      async () => {
        const before = sim.stats().faulted;
        const run = await audit(["-o", "json"]);
        expect(sim.stats().faulted - before).toBe(1);
        expect(run.code, run.stderr).toBe(1);
        same(parseAuditJson(run.stdout).results, full.results);
      },
    );
  }, 120_000);

  it.each(["graph", "arm"])(
    "--source %s: a Retry-After longer than --timeout ends those lists at once (reported), not after three waits of it",
    async (source) => {
      const path =
        source === "graph"
          ? "/providers/Microsoft.ResourceGraph/resources"
          : `/subscriptions/${BAD}/providers/Microsoft.Compute/virtualMachines`;
      await withFaults([{ match: { path }, kind: "429", retryAfter: 60 }], async () => {
        const started = Date.now();
        const run = await audit(["-o", "json", "--source", source, "--timeout", "3000"]);
        expect(Date.now() - started).toBeLessThan(30_000);
        // Graph asks for every subscription in one batch: none audited, 3; with arm the others' findings make it 1.
        expect(run.code, run.stderr).toBe(source === "graph" ? 3 : 1);
        const unevaluated = parseAuditJson(run.stdout).summary.unevaluatedSubscriptions ?? [];
        expect(unevaluated.map((u) => u.subscriptionId)).toContain(BAD);
        expect(unevaluated.find((u) => u.subscriptionId === BAD)?.reason).toMatch(
          /Azure asked to wait 60 s before asking again, longer than --timeout \(3000 ms\)/,
        );
      });
    },
    120_000,
  );
});

describe("a 503 asking a wait longer than --timeout", () => {
  it("--source arm -v: that subscription's VM list ends at once as throttled (reported), -v says so, the others are audited", async () => {
    const path = `/subscriptions/${BAD}/providers/Microsoft.Compute/virtualMachines`;
    await withFaults([{ match: { path }, kind: "503", retryAfter: 60 }], async () => {
      const run = await audit(["-o", "json", "--source", "arm", "--timeout", "3000", "-v"]);
      expect(run.code, run.stderr).toBe(1);
      const report = parseAuditJson(run.stdout);
      expect(report.summary.unevaluatedSubscriptions?.find((u) => u.subscriptionId === BAD)?.reason).toMatch(
        /throttled: Azure asked to wait 60 s before asking again, longer than --timeout \(3000 ms\)/,
      );
      expect(run.stderr).toMatch(
        /virtualMachines → 503: Azure asked to wait 60 s \(Retry-After\), longer than is left of --timeout: not waiting/,
      );
      same(report.results, without(full.results, BAD));
    });
  }, 120_000);
});

describe("--shard and sc-doctor report", () => {
  const dir = mkdtempSync(join(tmpdir(), "sc-doctor-shards-"));

  it("three shards are disjoint, balanced, and merged by `report` equal one audit (results and summary)", async () => {
    const files: string[] = [];
    const sizes: number[] = [];
    for (let k = 1; k <= 3; k++) {
      // One shard saved as jsonl, the others as json: report reads both.
      const format = k === 2 ? "jsonl" : "json";
      const run = await audit(["--shard", `${k}/3`, "-o", format, "--exit-zero"]);
      expect(run.code, run.stderr).toBe(0);
      const file = join(dir, `shard-${k}.${format}`);
      writeFileSync(file, run.stdout);
      files.push(file);
      sizes.push(format === "json" ? parseAuditJson(run.stdout).results.length : run.stdout.trimEnd().split("\n").length);
    }
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(full.results.length);
    for (const size of sizes) expect(size).toBeGreaterThan(full.results.length / 6);

    const merged = await runInProcess(["report", ...files, "-o", "json"]);
    expect(merged.code, merged.stderr).toBe(1); // the audit's exit code: findings
    const report = parseAuditJson(merged.stdout);
    same(report.results, full.results);
    expect(report.summary).toEqual(full.summary);

    // Any registered format renders the merge, html included: one row per VM in the page's table.
    const page = await runInProcess(["report", ...files, "-o", "html"]);
    expect(page.code, page.stderr).toBe(1);
    expect(page.stdout).toMatch(/^<!doctype html>/i);
    expect(page.stdout.match(/<tr data-verdict="/g)?.length).toBe(full.results.length);
  }, 240_000);

  it("--redact: <subscription-k> is the k-th audited subscription in every shard and run, whichever VM finishes first", async () => {
    // The first subscription's VM list answers late, so its VMs are not the first to stream.
    const subscriptions = [...new Set(full.results.map((r) => r.vm.subscriptionId.toLowerCase()))].sort();
    const redacted = (id: string) =>
      id.replace(
        /\/subscriptions\/([^/]+)/i,
        (_, s: string) => `/subscriptions/<subscription-${subscriptions.indexOf(s.toLowerCase()) + 1}>`,
      );
    const expected = new Set(full.results.map((r) => redacted(r.vm.id)));
    const seen: string[] = [];
    await withFaults(
      [{ match: { path: `subscriptions/${sub(1)}/providers/Microsoft.Compute/virtualMachines` }, kind: "429", count: 3, retryAfter: 1 }],
      async () => {
        for (let k = 1; k <= 3; k++) {
          const run = await audit(["--source", "arm", "--shard", `${k}/3`, "-o", "jsonl", "--redact", "--exit-zero"]);
          expect(run.code, run.stderr).toBe(0);
          seen.push(
            ...run.stdout
              .trimEnd()
              .split("\n")
              .map((line) => (JSON.parse(line) as VmResult).vm.id),
          );
        }
      },
    );
    expect(seen.length).toBe(full.results.length);
    for (const id of seen) expect(expected.has(id), id).toBe(true);
  }, 240_000);

  it("report --redact labels the subscriptions as audit --redact does: in sorted order, whatever else a result names first", async () => {
    const subscriptions = [...new Set(full.results.map((r) => r.vm.subscriptionId.toLowerCase()))].sort();
    // The first VM's boot diagnostics account in the last subscription: named before any VM of the second.
    const document = structuredClone(full);
    const first = document.results[0]?.checks[0];
    if (first)
      first.evidence = {
        ...first.evidence,
        storageAccountId: `/subscriptions/${subscriptions.at(-1)}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/diag`,
      };
    const file = join(dir, "unredacted.json");
    writeFileSync(file, JSON.stringify(document));
    const run = await runInProcess(["report", file, "--redact", "-o", "jsonl"]);
    expect(run.code, run.stderr).toBe(1);
    const ids = run.stdout
      .trimEnd()
      .split("\n")
      .map((line) => (JSON.parse(line) as VmResult).vm.id);
    const expected = full.results.map((r) =>
      r.vm.id.replace(
        /\/subscriptions\/([^/]+)/i,
        (_, s: string) => `/subscriptions/<subscription-${subscriptions.indexOf(s.toLowerCase()) + 1}>`,
      ),
    );
    expect(ids).toEqual(expected);
  });

  it("a VM in two inputs is a usage error naming it (exit 2)", async () => {
    const file = join(dir, "full.json");
    writeFileSync(file, JSON.stringify(full));
    const run = await runInProcess(["report", file, file, "-o", "json"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`VM ${full.results[0]?.vm.id ?? ""} is in both`);
    expect(run.stdout).toBe("");
  });

  it("an input that is not audit output is a usage error (exit 2), never a stack trace", async () => {
    const file = join(dir, "junk.jsonl");
    const first = { vm: { id: "/subscriptions/s/vm", name: "vm", resourceGroup: "rg", subscriptionId: BAD }, verdict: "ready", checks: [] };
    writeFileSync(file, `${JSON.stringify(first)}\nnot json\n`);
    const run = await runCli(["report", file]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/junk\.jsonl: line 2 is not JSON/);
    expect(run.stderr).not.toMatch(/at .*\.js:\d+/);
  });

  it("--shard that is not k/n is a usage error before any request", async () => {
    const before = sim.stats().requests;
    for (const bad of ["0/3", "4/3", "1/0", "x"]) {
      const run = await audit(["--shard", bad, "-o", "json"]);
      expect(run.code, bad).toBe(2);
      expect(run.stderr).toMatch(/--shard/);
    }
    expect(sim.stats().requests).toBe(before);
  });
});

describe("--resource-group reads that group only", () => {
  let scoped: Sim;
  beforeAll(async () => {
    // One subscription of 600 VMs in six groups of 100: the subscription-wide lists would be six pages each.
    scoped = await startSimulator({ fleet: { vms: 600, subscriptions: 1, storageAccounts: 4, seed: 3 } });
  });
  afterAll(async () => {
    await scoped?.close();
  });

  it.each(["arm", "graph"] as const)(
    "--source %s: the group's lists only, never the subscription's",
    async (source) => {
      scoped.resetLog();
      const run = await runInProcess(
        ["audit", "--no-network", "--source", source, "--resource-group", "rg-app-003", "-o", "json", "--exit-zero"],
        scoped.env,
        120_000,
      );
      expect(run.code, run.stderr).toBe(0);
      expect(parseAuditJson(run.stdout).results).toHaveLength(100);
      const lists = scoped.requests.filter((r) => r.kind === "vm-list" || r.kind === "scale-set-list");
      expect(lists.length).toBeGreaterThan(0);
      for (const list of lists) expect(list.path.toLowerCase()).toContain("/resourcegroups/rg-app-003/");
      // No VM of the group costs a request of its own: its instance view comes with the group's list.
      expect(scoped.requests.filter((r) => r.kind === "vm-instance-view")).toHaveLength(0);
      expect(scoped.requests.length).toBeLessThan(20);
    },
    120_000,
  );
});
