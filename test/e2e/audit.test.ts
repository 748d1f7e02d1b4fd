/**
 * `sc-doctor audit` against the simulator's generated fleet (every failure kind represented): the contract's JSON,
 * a VM of each failure kind identical to what `sc-doctor --vm` says about it (the smoke test of audit parity; every
 * VM of every kind is compared in-process in test/fleet/audit-parity.test.ts), both sources, scope options, jsonl,
 * drift, and far fewer requests than diagnosing VM by VM. The first audit spawns the built CLI; the others run it
 * in-process (`runInProcess`).
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator } from "../azure-sim/index.mjs";
import { BULK_THRESHOLD } from "../../src/fleet/instance-views.js";
import { CHECK_IDS, type AuditReport } from "../../src/types.js";
import { FLEET_SIZE, byId, comparable, diagnoseEach, healed, parseAuditJson } from "./audit-support.js";
import { runCli, runInProcess } from "./harness.js";

type Sim = Awaited<ReturnType<typeof startSimulator>>;

/** The first VM of each kind — each (check, status) that is not a pass, and a ready one: the parity smoke sample. */
function onePerKind<T extends AuditReport["results"][number]>(results: readonly T[]): T[] {
  const seen = new Set<string>();
  return results.filter((result) => {
    const kinds = result.checks.filter((c) => c.status !== "pass").map((c) => `${c.id}:${c.status}`);
    const fresh = (kinds.length ? kinds : ["ready"]).filter((kind) => !seen.has(kind));
    for (const kind of fresh) seen.add(kind);
    return fresh.length > 0;
  });
}
let sim: Sim;
let graph: AuditReport;
let graphRequests = 0;
/** The generated fleet's VMs plus its uniform scale set instances (three per subscription), which the audit covers. */
const TOTAL = FLEET_SIZE + 3 * 3;

const audit = (args: string[]) => runInProcess(["audit", "--no-network", ...args], sim.env, 180_000);

beforeAll(async () => {
  sim = await startSimulator({ fleet: { vms: FLEET_SIZE, subscriptions: 3, storageAccounts: 12, seed: 11 } });
  const before = sim.stats().requests;
  const run = await runCli(["audit", "--no-network", "-o", "json"], sim.env, 180_000);
  graphRequests = sim.stats().requests - before;
  expect(run.code, run.stderr).toBe(1); // the fleet has blocked VMs
  graph = parseAuditJson(run.stdout);
}, 180_000);
afterAll(async () => {
  await sim?.close();
});

describe("audit --source graph", () => {
  it("reports every VM once, sorted, with the contract's summary", () => {
    expect(graph.results).toHaveLength(TOTAL);
    const ids = graph.results.map((r) => r.vm.id.toLowerCase());
    expect(ids).toEqual([...ids].sort());
    const s = graph.summary;
    expect(s.vms).toBe(TOTAL);
    expect(s.ready + s.degraded + s.blocked + s.unknown).toBe(TOTAL);
    expect(Object.values(s.bySubscription ?? {}).reduce((n, sub) => n + sub.vms, 0)).toBe(TOTAL);
    expect(sim.writes).toHaveLength(0);
  });

  it("covers uniform scale set instances (Resource Graph's ComputeResources table)", () => {
    const instances = graph.results.filter((r) => /\/virtualMachineScaleSets\/[^/]+\/virtualMachines\//i.test(r.vm.id));
    expect(instances).toHaveLength(9);
    // Instance 2 runs an outdated model but already has boot diagnostics: a warning, not a failure (the documents tie
    // the model only to boot diagnostics).
    expect(instances.map((r) => r.checks.find((c) => c.id === "scale-set-model")?.status)).toContain("warn");
  });

  it("covers every failure kind the single-VM checks know (so the comparison below is not vacuous)", () => {
    const found = new Set(
      graph.results.flatMap((r) => r.checks.filter((c) => c.status === "fail" || c.status === "warn").map((c) => c.id)),
    );
    const expected = [
      "subscription-state",
      "console-enabled",
      "provisioning-state",
      "power-state",
      "boot-diagnostics",
      "boot-diagnostics-uri",
      "storage-account",
      "storage-firewall",
      "storage-hns",
      "storage-shared-key",
      "rbac-vm",
      "rbac-storage",
      "trusted-launch",
      "os-disk",
    ];
    for (const id of expected) {
      expect(found, id).toContain(id);
    }
  });

  it("a VM of each failure kind: identical to `sc-doctor --vm` for it (statuses, reasons, evidence, documented errors, fixes)", async () => {
    const sample = onePerKind(graph.results);
    expect(sample.length).toBeGreaterThan(10);
    const single = byId(
      await diagnoseEach(
        sample.map((r) => r.vm.id),
        sim.env,
      ),
    );
    for (const result of sample) {
      const alone = single.get(result.vm.id.toLowerCase());
      expect(alone, result.vm.id).toBeDefined();
      if (alone) expect(comparable(result), result.vm.id).toEqual(comparable(alone));
    }
  }, 180_000);

  it("needs a small fraction of the requests", () => {
    // Fixed costs (subscriptions, queries, list pages, scopes) dominate a small fleet; bench/audit.mjs measures 10k.
    expect(graphRequests).toBeLessThan(FLEET_SIZE * 0.3);
  });
});

describe("audit --principal", () => {
  it("a principal with no role: a VM of each kind identical to `sc-doctor --vm --principal` (rbac-vm and rbac-storage fail everywhere)", async () => {
    const principal = "55555555-5555-5555-5555-555555555555";
    const run = await audit(["-o", "json", "--principal", principal, "--subscription", graph.results[0]?.vm.subscriptionId ?? ""]);
    const report = parseAuditJson(run.stdout);
    const sample = onePerKind(report.results);
    const single = byId(
      await diagnoseEach(
        sample.map((r) => r.vm.id),
        sim.env,
        { principal },
      ),
    );
    for (const result of sample)
      expect(comparable(result), result.vm.id).toEqual(comparable(single.get(result.vm.id.toLowerCase()) ?? result));
    expect(report.summary.byCheck["rbac-vm"]?.fail).toBe(report.results.length);
  }, 180_000);
});

describe("audit --source arm", () => {
  it("gives exactly the graph results", async () => {
    const run = await audit(["--source", "arm", "-o", "json"]);
    const arm = parseAuditJson(run.stdout);
    expect(arm.results.map(comparable)).toEqual(graph.results.map(comparable));
    expect(arm.summary).toEqual(graph.summary);
  }, 180_000);
});

describe("output and scope", () => {
  it("-o jsonl: one VM result per line, the summary on stderr", async () => {
    const run = await audit(["-o", "jsonl"]);
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(TOTAL);
    const streamed = byId(lines.map((line) => JSON.parse(line) as AuditReport["results"][number]));
    for (const result of graph.results) expect(comparable(streamed.get(result.vm.id.toLowerCase()) ?? result)).toEqual(comparable(result));
    expect(run.stderr).toMatch(
      new RegExp(
        `audit: ${TOTAL} VMs — ${graph.summary.ready} ready, ${graph.summary.degraded} degraded, ${graph.summary.blocked} blocked, ${graph.summary.unknown} unknown`,
      ),
    );
  }, 180_000);

  it("--subscription, --resource-group and --where select the same VMs as filtering the whole audit", async () => {
    const first = graph.results[0]?.vm;
    if (!first) throw new Error("empty fleet");
    const cases: [string[], (r: AuditReport["results"][number]) => boolean][] = [
      [["--subscription", first.subscriptionId], (r) => r.vm.subscriptionId === first.subscriptionId],
      [
        ["--subscription", first.subscriptionId, "--resource-group", first.resourceGroup],
        (r) => r.vm.subscriptionId === first.subscriptionId && r.vm.resourceGroup.toLowerCase() === first.resourceGroup.toLowerCase(),
      ],
      [["--where", `location =~ '${first.location ?? ""}'`], (r) => r.vm.location?.toLowerCase() === first.location?.toLowerCase()],
    ];
    for (const [args, keep] of cases) {
      const scoped = parseAuditJson((await audit(["-o", "json", "--exit-zero", ...args])).stdout);
      expect(scoped.results.map(comparable), args.join(" ")).toEqual(graph.results.filter(keep).map(comparable));
    }
  }, 180_000);

  it.each([
    ["sarif", (out: string) => expect(JSON.parse(out)).toMatchObject({ version: "2.1.0" })],
    ["junit", (out: string) => expect(out).toMatch(/^<\?xml[^]*<testsuites/)],
    ["csv", (out: string) => expect(out.trimEnd().split("\n").length).toBeGreaterThan(FLEET_SIZE)],
    ["markdown", (out: string) => expect(out).toMatch(/^#/m)],
  ] as const)(
    "-o %s goes through the shared formatter",
    async (format, looksRight) => {
      const run = await audit(["-o", format]);
      expect(run.code, run.stderr).toBe(1);
      looksRight(run.stdout);
    },
    180_000,
  );

  it("a --where that is not a filter is a usage error, before any request", async () => {
    sim.resetLog();
    const run = await audit(["--where", "location =~ 'x' | project id"]);
    expect(run.code).toBe(2);
    expect(sim.requests).toHaveLength(0);
  });
});

describe("--tag", () => {
  it("matches tag names whatever their case, with Resource Graph as with the ARM lists (Azure's tag names are case-insensitive)", async () => {
    const ids = async (...args: string[]) => {
      const run = await audit(["-o", "json", "--only", "power-state", ...args]);
      expect(run.code, run.stderr).not.toBe(2);
      return parseAuditJson(run.stdout).results.map((r) => r.vm.id);
    };
    // The generated fleet tags its VMs `env: prod` or `env: dev`.
    const prod = await ids("--tag", "env=prod");
    expect(prod.length).toBeGreaterThan(0);
    expect(prod.length).toBeLessThan(FLEET_SIZE);
    expect(await ids("--tag", "ENV=prod")).toEqual(prod);
    expect(await ids("--tag", "Env=Prod", "--source", "arm")).toEqual(prod);
    expect((await ids("--tag", "ENV")).length).toBe(FLEET_SIZE);
  }, 180_000);
});

describe("drift with --baseline", () => {
  it("newly blocked fails the run with --fail-on-drift; an unchanged fleet passes", async () => {
    const { mkdtempSync, readFileSync, writeFileSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { tmpdir } = await import("node:os");
    const dir = mkdtempSync(join(tmpdir(), "sc-doctor-drift-"));
    const same = join(dir, "same.json");
    writeFileSync(same, JSON.stringify(graph));
    const unchanged = await audit(["-o", "json", "--baseline", same, "--fail-on-drift"]);
    expect(unchanged.code).toBe(0);
    const blockedIds = graph.results.filter((r) => r.verdict === "blocked").map((r) => r.vm.id);
    expect((parseAuditJson(unchanged.stdout).summary as { drift?: { stillBlocked: string[] } }).drift?.stillBlocked).toEqual(blockedIds);

    const healthier = join(dir, "healthier.json");
    const newlyBlocked = blockedIds.slice(0, 3);
    writeFileSync(
      healthier,
      JSON.stringify({ ...graph, results: graph.results.map((r) => (newlyBlocked.includes(r.vm.id) ? healed(r) : r)) }),
    );
    const worse = await audit(["-o", "json", "--baseline", healthier, "--fail-on-drift"]);
    expect(worse.code).toBe(1);
    expect((parseAuditJson(worse.stdout).summary as { drift?: { newlyBlocked: string[] } }).drift?.newlyBlocked).toEqual(newlyBlocked);
    expect(worse.stderr).toMatch(/drift: 3 newly blocked, 0 fixed/);
    // `-` reads the baseline from stdin, as `report -` reads an input (`… | sc-doctor audit --baseline -`).
    const piped = await runInProcess(
      ["audit", "--no-network", "-o", "json", "--baseline", "-", "--fail-on-drift"],
      sim.env,
      180_000,
      readFileSync(healthier, "utf8"),
    );
    expect(piped.code, piped.stderr).toBe(1);
    expect((parseAuditJson(piped.stdout).summary as { drift?: { newlyBlocked: string[] } }).drift?.newlyBlocked).toEqual(newlyBlocked);
    // --exit-zero: 0 whenever the run completed, drift or not.
    expect((await audit(["-o", "json", "--baseline", healthier, "--fail-on-drift", "--exit-zero"])).code).toBe(0);

    // Nothing newly blocked, but checks that could not be evaluated: 3 (such a VM may be newly blocked).
    sim.setFaults([{ match: { path: "Microsoft.SerialConsole" }, kind: "403" }]);
    try {
      const unread = await audit(["-o", "json", "--baseline", same, "--fail-on-drift"]);
      expect(parseAuditJson(unread.stdout).summary.byCheck["console-enabled"]?.error).toBeGreaterThan(0);
      expect((parseAuditJson(unread.stdout).summary as { drift?: { newlyBlocked: string[] } }).drift?.newlyBlocked).toEqual([]);
      expect(unread.code).toBe(3);
    } finally {
      sim.setFaults([]);
    }
  }, 180_000);
});

describe("drift against a 'report' merge (examples/ci: the merged JSON is the next run's --baseline)", () => {
  it("covers what its inputs covered: one shard's merge calls the other shard's VMs nothing; every shard's, the whole", async () => {
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { tmpdir } = await import("node:os");
    const dir = mkdtempSync(join(tmpdir(), "sc-doctor-drift-merge-"));
    const file = (name: string, text: string) => (writeFileSync(join(dir, name), text), join(dir, name));
    const checks = ["--only", "power-state,boot-diagnostics"];
    const shard = async (k: number) => file(`shard-${k}.json`, (await audit(["-o", "json", ...checks, "--shard", `${k}/2`])).stdout);
    const report = async (name: string, ...inputs: string[]) =>
      file(name, (await runInProcess(["report", ...inputs, "-o", "json"], sim.env, 180_000)).stdout);
    const driftAgainst = async (baseline: string) => {
      const run = await audit(["-o", "json", ...checks, "--baseline", baseline, "--fail-on-drift"]);
      return (parseAuditJson(run.stdout).summary as { drift?: { newlyBlocked: string[]; stillBlocked: string[] } }).drift;
    };
    const [first, second] = [await shard(1), await shard(2)];
    const inSecond = parseAuditJson(readFileSync(second, "utf8")).results.filter((r) => r.verdict === "blocked");
    expect(inSecond.length).toBeGreaterThan(0);

    // One shard merged: the other shard's blocked VMs were never looked at, so none is "newly" blocked.
    expect((await driftAgainst(await report("one.json", first)))?.newlyBlocked).toEqual([]);
    // Both shards merged: the whole scope, so a blocked VM the merge does not hold is new.
    const both = JSON.parse(readFileSync(await report("both.json", first, second), "utf8")) as { results: { vm: { id: string } }[] };
    const gone = inSecond[0]!.vm.id;
    const without = file("without.json", JSON.stringify({ ...both, results: both.results.filter((r) => r.vm.id !== gone) }));
    expect((await driftAgainst(without))?.newlyBlocked).toEqual([gone]);
    // A merge of merges carries its inputs' scopes on.
    expect((await driftAgainst(await report("again.json", await report("one-again.json", first))))?.newlyBlocked).toEqual([]);
  }, 180_000);
});

describe("audit leaving out serial-log", () => {
  it("--skip serial-log judges what a plain audit judges: no result is partial", async () => {
    const run = await audit(["-o", "json", "--skip", "serial-log"]);
    const results = parseAuditJson(run.stdout).results;
    expect(results).toHaveLength(TOTAL);
    expect(results.filter((r) => r.partial)).toEqual([]);
    expect(results.every((r) => !r.checks.some((c) => c.id === "serial-log"))).toBe(true);
    // Leaving out any other check still makes every result partial.
    const partial = await audit(["-o", "json", "--skip", "os-disk"]);
    expect(parseAuditJson(partial.stdout).results.every((r) => r.partial)).toBe(true);
    // stderr, where the other formats' summary line goes, says so under it.
    expect(partial.stderr).toMatch(
      new RegExp(`verdicts are about the checks that ran: ${CHECK_IDS.length - 1} of ${CHECK_IDS.length} checks run`),
    );
    expect(run.stderr).not.toMatch(/checks that ran/);
  }, 180_000);
});

describe("throttled", () => {
  it("Resource Graph answering 429 with Retry-After: the audit waits, retries and reports every VM", async () => {
    sim.setFaults([{ match: { path: "Microsoft.ResourceGraph" }, kind: "429", count: 2, retryAfter: 1 }]);
    sim.resetLog();
    try {
      const run = await audit(["-o", "json"]);
      expect(run.code, run.stderr).toBe(1);
      expect(parseAuditJson(run.stdout).results.map(comparable)).toEqual(graph.results.map(comparable));
      expect(sim.requests.filter((r) => r.fault === "429")).toHaveLength(2);
    } finally {
      sim.setFaults([]);
    }
  }, 180_000);
});

describe("throttled past retries", () => {
  it("a VM whose reads keep answering 429 ends as error with the reason; nothing is dropped", async () => {
    // Scoped (--where on the name) to the fewest VMs of one subscription that still get a bulk instance-view list:
    // when it is throttled each VM falls back to a GET of its own (at the client-side throttle's 25/s), so a small
    // scope keeps the test short at any SC_DOCTOR_FLEET_SIZE.
    const scopes = new Map<string, AuditReport["results"]>();
    for (const r of graph.results) {
      if (/\/virtualMachineScaleSets\//i.test(r.vm.id)) continue;
      const key = `${r.vm.subscriptionId} ${r.vm.name.slice(0, -2)}`; // vm-01-00123 → vm-01-001: up to 100 names
      scopes.set(key, [...(scopes.get(key) ?? []), r]);
    }
    const [scope, inScope] = [...scopes].filter(([, rs]) => rs.length > BULK_THRESHOLD).sort((a, b) => a[1].length - b[1].length)[0] ?? [];
    const [sub, prefix] = scope?.split(" ") ?? [];
    const victim = inScope?.find((r) => r.verdict === "ready") ?? inScope?.[0];
    if (!sub || !prefix || !inScope || !victim) throw new Error(`no ${BULK_THRESHOLD + 1} VMs of one subscription share a name prefix`);
    sim.setFaults([
      // The subscription's bulk instance-view list is throttled, so each VM asks for its own — and the victim's too.
      { match: { path: `/subscriptions/${sub}/providers/Microsoft.Compute/virtualMachines` }, kind: "429", retryAfter: 0 },
      { match: { path: `${victim.vm.id}/instanceView` }, kind: "429", retryAfter: 0 },
    ]);
    try {
      const before = sim.stats().faulted;
      const run = await audit(["-o", "json", "--subscription", sub, "--where", `name startswith '${prefix}'`]);
      const report = parseAuditJson(run.stdout);
      expect(report.results.map((r) => r.vm.id)).toEqual(inScope.map((r) => r.vm.id));
      // The bulk list was asked for (and refused) before the VMs fell back to their own GETs.
      expect(sim.stats().faulted - before).toBeGreaterThan(4);
      const hit = report.results.find((r) => r.vm.id === victim.vm.id);
      // unknown — or blocked, where the subscription itself already fails (an error never hides a failure).
      expect(hit?.verdict).toBe(victim.verdict === "blocked" ? "blocked" : "unknown");
      expect(hit?.checks.find((c) => c.id === "power-state")).toMatchObject({ status: "error", reason: expect.stringMatching(/429/) });
      expect(run.code).toBe(1);
    } finally {
      sim.setFaults([]);
    }
  }, 180_000);
});
