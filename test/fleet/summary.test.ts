import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readBaseline } from "../../src/commands/audit-options.js";
import { SummaryBuilder, drift } from "../../src/fleet/summary.js";
import { UNLISTED_REASON } from "../../src/fleet/unevaluated-reasons.js";
import { verdictOf, type CheckResult, type Verdict, type VmResult } from "../../src/types.js";

const check = (id: CheckResult["id"], status: CheckResult["status"]): CheckResult => ({
  id,
  title: id,
  status,
  reason: "r",
  durationMs: 0,
  evidence: {},
});
const result = (id: string, sub: string, verdict: Verdict, checks: CheckResult[]): VmResult => ({
  vm: { id, name: id, resourceGroup: "rg", subscriptionId: sub },
  verdict,
  checks,
});

describe("SummaryBuilder", () => {
  it("byCheck in contract order, whichever VM finished first", () => {
    const a = result("a", "s1", "degraded", [check("os-disk", "warn")]);
    const b = result("b", "s1", "blocked", [check("power-state", "fail")]);
    const orders = [
      [a, b],
      [b, a],
    ].map((results) => {
      const builder = new SummaryBuilder();
      for (const r of results) builder.add(r);
      return Object.keys(builder.build([]).byCheck);
    });
    expect(orders).toEqual([
      ["power-state", "os-disk"],
      ["power-state", "os-disk"],
    ]);
  });

  it("counts verdicts, fail/warn/error per check, and per subscription (sorted)", () => {
    const builder = new SummaryBuilder();
    builder.add(result("a", "s2", "blocked", [check("power-state", "fail"), check("os-disk", "warn"), check("network", "skip")]));
    builder.add(result("b", "s1", "unknown", [check("power-state", "error")]));
    builder.add(result("c", "s1", "ready", [check("power-state", "pass")]));
    const summary = builder.build([]);
    expect(summary).toMatchObject({ vms: 3, ready: 1, degraded: 0, blocked: 1, unknown: 1 });
    expect(summary.byCheck).toEqual({ "power-state": { fail: 1, warn: 0, error: 1 }, "os-disk": { fail: 0, warn: 1, error: 0 } });
    expect(Object.keys(summary.bySubscription ?? {})).toEqual(["s1", "s2"]);
    expect(summary.bySubscription?.["s1"]).toEqual({ vms: 2, ready: 1, degraded: 0, blocked: 0, unknown: 1 });
    expect(summary.notEvaluated).toBeUndefined();
    expect(builder.build(["x"]).notEvaluated).toEqual(["x"]);
  });

  it("an interrupted audit's VMs not evaluated count in their subscription's vms, as in the total (enumerated)", () => {
    const builder = new SummaryBuilder();
    builder.add(result("/subscriptions/S1/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/a", "s1", "ready", []));
    const notEvaluated = [
      "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/b",
      "/subscriptions/s3/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/c",
    ];
    const summary = builder.build(notEvaluated);
    expect(summary.vms).toBe(3);
    expect(summary.bySubscription).toEqual({
      s1: { vms: 2, ready: 1, degraded: 0, blocked: 0, unknown: 0 },
      s3: { vms: 1, ready: 0, degraded: 0, blocked: 0, unknown: 0 },
    });
    // Building again counts them once: the builder's own counts are not changed.
    expect(builder.build(notEvaluated).bySubscription?.["s1"]?.vms).toBe(2);
  });
});

describe("drift against a baseline", () => {
  const baseline = {
    results: [
      { vm: { id: "/VM/A" }, verdict: "blocked" },
      { vm: { id: "/vm/b" }, verdict: "blocked" },
      { vm: { id: "/vm/c" }, verdict: "ready" },
      { vm: { id: "/vm/d" }, verdict: "blocked" },
      { vm: { id: "/vm/gone" }, verdict: "blocked" },
      { vm: {}, verdict: "blocked" },
    ],
  };
  it.each([
    ["/vm/a", "blocked", "stillBlocked"],
    ["/vm/b", "ready", "fixed"],
    ["/vm/c", "blocked", "newlyBlocked"],
    ["/vm/new", "blocked", "newlyBlocked"],
    ["/vm/d", "degraded", "fixed"],
  ] as const)("%s now %s → %s (ids compared case-insensitively)", (id, verdict, list) => {
    expect(drift(baseline, [{ id, verdict }])[list]).toEqual([id]);
  });

  it("a blocked VM that is unknown now is not 'fixed' — we could not tell; one not evaluated is in no list", () => {
    expect(drift(baseline, [{ id: "/vm/a", verdict: "unknown" }])).toEqual({ newlyBlocked: [], fixed: [], stillBlocked: [] });
  });

  it("a VM the baseline could not evaluate (its subscription not audited, or the run interrupted) is not 'newly blocked'", () => {
    const sub = "00000000-0000-0000-0000-000000000002";
    const unread = `/subscriptions/${sub.toUpperCase()}/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1`;
    const listed = `/subscriptions/${sub}/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm2`;
    const interrupted = "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm3";
    const unknownBefore = {
      results: [{ vm: { id: listed }, verdict: "ready" }],
      unevaluatedSubscriptions: [sub],
      notEvaluated: [interrupted.toUpperCase()],
    };
    const now = [unread, listed, interrupted].map((id) => ({ id, verdict: "blocked" as const }));
    // A VM of that subscription the baseline did evaluate (its enumeration stopped part way) still counts.
    expect(drift(unknownBefore, now)).toEqual({ newlyBlocked: [listed], fixed: [], stillBlocked: [] });
  });

  it("a VM outside the baseline's scope (subscriptions, resource groups, shard) was never looked at: not 'newly blocked'", () => {
    const id = (sub: string, rg: string, name: string) =>
      `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Compute/virtualMachines/${name}`;
    const inScope = id("s1", "RG-App", "in");
    const otherSub = id("s2", "rg-app", "other-sub");
    const otherGroup = id("s1", "rg-db", "other-group");
    const now = [inScope, otherSub, otherGroup].map((vm) => ({ id: vm, verdict: "blocked" as const }));
    const scoped = { results: [], scope: { subscriptions: ["S1"], resourceGroups: ["rg-app"] } };
    expect(drift(scoped, now).newlyBlocked).toEqual([inScope]);
    expect(drift({ results: [], scope: { subscriptions: "all" as const } }, now).newlyBlocked).toHaveLength(3);
    // No scope at all (an audit from before scopes): as then, every VM was looked at.
    expect(drift({ results: [] }, now).newlyBlocked).toHaveLength(3);
    // A report merge: what the complete audits it merged covered, together; nothing when it merged none (jsonl).
    const merged = (...scopes: { subscriptions: string[] | "all"; tags?: string[] }[]) => drift({ results: [], mergedScopes: scopes }, now);
    expect(merged({ subscriptions: ["s1"], tags: ["env=prod"] }, { subscriptions: ["s2"] }).newlyBlocked).toEqual([otherSub]);
    expect(merged().newlyBlocked).toEqual([]);
    // A shard looked only at its own VMs.
    const [first, second] = [1, 2].map((k) => drift({ results: [], scope: { subscriptions: "all" as const, shard: `${k}/2` } }, now));
    expect([...first!.newlyBlocked, ...second!.newlyBlocked].sort()).toEqual(now.map((vm) => vm.id).sort());
    expect(first!.newlyBlocked.length).toBeLessThan(3);
    // --tag / --where judged what a result does not record; a failed input may have held any absent VM.
    expect(drift({ results: [], scope: { subscriptions: "all" as const, tags: ["env=prod"] } }, now).newlyBlocked).toEqual([]);
    expect(drift({ results: [], scope: { subscriptions: "all" as const, where: "name startswith 'a'" } }, now).newlyBlocked).toEqual([]);
    expect(drift({ results: [], missingInputs: true }, now).newlyBlocked).toEqual([]);
    // A VM the baseline holds is compared whatever its scope says.
    expect(drift({ results: [{ vm: { id: otherSub }, verdict: "ready" }], scope: scoped.scope }, now).newlyBlocked).toEqual([
      inScope,
      otherSub,
    ]);
  });

  it("a VM unknown in the baseline (a check errored then) and blocked now is not 'newly blocked': it was not known", () => {
    const unknownThen = { results: [{ vm: { id: "/vm/x" }, verdict: "unknown" }] };
    expect(drift(unknownThen, [{ id: "/vm/x", verdict: "blocked" }])).toEqual({ newlyBlocked: [], fixed: [], stillBlocked: [] });
  });

  it("verdicts about different checks (--only/--skip in one run, not the other) are not compared: a check left out is no fix", () => {
    const full = { results: [{ vm: { id: "/vm/a" }, verdict: "blocked" }] };
    const onlyRbac = { partial: true, checks: [{ id: "rbac-vm" }] };
    const builder = new SummaryBuilder({ trackVerdicts: true });
    builder.add({ ...result("/vm/a", "s1", "ready", [check("rbac-vm", "pass")]), partial: true });
    const partialNow = [...builder.verdicts.values()];
    expect(partialNow[0]?.checks).toBe("rbac-vm");
    expect(drift(full, partialNow)).toEqual({ newlyBlocked: [], fixed: [], stillBlocked: [] });
    // A partial baseline, a full run now: not newly blocked either.
    const partialThen = { results: [{ vm: { id: "/vm/a" }, verdict: "ready", ...onlyRbac }] };
    expect(drift(partialThen, [{ id: "/vm/a", verdict: "blocked" }]).newlyBlocked).toEqual([]);
    // The same checks both times: compared.
    expect(drift({ results: [{ vm: { id: "/vm/a" }, verdict: "blocked", ...onlyRbac }] }, partialNow).fixed).toEqual(["/vm/a"]);
  });

  describe("a check a flag switched off in one run (--no-network, no --serial-log) is left out of both verdicts", () => {
    const skipped = (id: CheckResult["id"], reason: string): CheckResult => ({ ...check(id, "skip"), reason });
    const noNetwork = skipped("network", "--no-network: the probe from this machine was not run");
    const noSerialLog = skipped("serial-log", "audits read the serial log only with --serial-log");
    const vm = (checks: CheckResult[]) => result("/vm/a", "s1", verdictOf(checks), checks);
    const now = (checks: CheckResult[]) => {
      const builder = new SummaryBuilder({ trackVerdicts: true });
      builder.add(vm(checks));
      return [...builder.verdicts.values()];
    };
    const none = { newlyBlocked: [], fixed: [], stillBlocked: [] };

    it.each([
      ["the probe failed then, --no-network now: not 'fixed'", [check("network", "fail"), noSerialLog], [noNetwork, noSerialLog], none],
      ["--no-network then, the probe fails now: not 'newly blocked'", [noNetwork], [check("network", "fail")], none],
      [
        "what the other checks say still counts",
        [check("network", "fail"), check("power-state", "pass")],
        [noNetwork, check("power-state", "fail")],
        { ...none, newlyBlocked: ["/vm/a"] },
      ],
      [
        "judged both times, the network is compared",
        [check("network", "fail"), check("power-state", "pass")],
        [check("network", "pass"), check("power-state", "pass")],
        { ...none, fixed: ["/vm/a"] },
      ],
      [
        "--serial-log now and not then: its finding is no drift",
        [noSerialLog, check("power-state", "pass")],
        [check("serial-log", "fail")],
        none,
      ],
    ])("%s", (_, then, checks, expected) => {
      expect(drift({ results: [vm(then)] }, now(checks))).toEqual(expected);
    });
  });

  it("an interrupted baseline (no scope recorded: its --tag/--where/-g unknown) calls no absent VM new", () => {
    const now = [
      { id: "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/dev", verdict: "blocked" as const },
    ];
    expect(drift({ results: [], notEvaluated: ["/subscriptions/s1/x"], interrupted: true }, now).newlyBlocked).toEqual([]);
  });

  it("lists are sorted", () => {
    expect(
      drift({ results: [] }, [
        { id: "/b", verdict: "blocked" },
        { id: "/A", verdict: "blocked" },
      ]).newlyBlocked,
    ).toEqual(["/A", "/b"]);
  });
});

describe("readBaseline: what a saved audit tells drift", () => {
  const dir = mkdtempSync(join(tmpdir(), "sc-doctor-baseline-"));
  const saved = (name: string, document: object) => {
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify({ schemaVersion: 1, ...document }));
    return path;
  };
  const summary = { vms: 0, ready: 0, degraded: 0, blocked: 0, unknown: 0, byCheck: {} };

  it("an interrupted run (no scope; VMs not evaluated, or a subscription not all listed) is interrupted", async () => {
    expect(
      (await readBaseline(saved("stopped.json", { results: [], summary: { ...summary, notEvaluated: ["/subscriptions/s1/x"] } })))
        ?.interrupted,
    ).toBe(true);
    const unlisted = { ...summary, unevaluatedSubscriptions: [{ subscriptionId: "s2", reason: UNLISTED_REASON }] };
    expect((await readBaseline(saved("unlisted.json", { results: [], summary: unlisted })))?.interrupted).toBe(true);
  });

  it("a complete run (its scope), or a report merge of complete ones (no scope, nothing left out), is not", async () => {
    expect((await readBaseline(saved("complete.json", { results: [], summary, scope: { subscriptions: "all" } })))?.interrupted).toBe(
      false,
    );
    expect((await readBaseline(saved("merged.json", { results: [], summary })))?.interrupted).toBe(false);
  });

  it("a partial result keeps the checks it ran (drift compares verdicts about the same checks)", async () => {
    const partial = {
      vm: { id: "/vm/a", subscriptionId: "s1" },
      verdict: "ready",
      partial: true,
      checks: [{ id: "rbac-vm", status: "pass" }],
    };
    expect((await readBaseline(saved("partial.json", { results: [partial], summary })))?.results[0]).toMatchObject({ partial: true });
  });
});
