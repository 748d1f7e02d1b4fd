/**
 * Chaos for `sc-doctor audit` (smaller set): a generated fleet, random faults on the enumeration (Resource Graph,
 * subscriptions), the shared reads (console service, storage, permissions) and per-VM reads. The oracle is a clean
 * run of the same fleet: faults may turn a finding into `error` or leave a VM "not evaluated", but
 * - every VM of the clean run is accounted for exactly once (a result or not evaluated), or the run says it could
 *   not enumerate the fleet (exit 3) — never a silent drop or a duplicate;
 * - no check passes under faults unless it passed in the clean run (a fault never manufactures a pass);
 * - exit code 0/1/3 within the time bound, no crash, verdicts and summary agree with the checks, errors give reasons.
 * Default 12 runs; SC_DOCTOR_AUDIT_CHAOS_RUNS for more, SC_DOCTOR_CHAOS_SEED to replay. The clean run and every
 * fourth run spawn the built CLI; the others run it in-process.
 */
import { chaosSeed } from "./seed.js";
import { describe, expect, it } from "vitest";
import { FAULT_KINDS, type Fault, type Simulator } from "../azure-sim/index.mjs";
import { runCli, runInProcess, type CliRun } from "../e2e/harness.js";
import { verdictOf } from "../../src/types.js";
import { runBounded, withLanes } from "./lanes.js";
import { pick, prng } from "./schedule.js";

const RUNS = Number(process.env["SC_DOCTOR_AUDIT_CHAOS_RUNS"] ?? 12);
const SEED = chaosSeed(7001);
const FLEET = { vms: 40, subscriptions: 3, storageAccounts: 8, seed: 7 };
/** The generated VMs plus three uniform scale set instances per subscription, all audited. */
const AUDITED = FLEET.vms + FLEET.subscriptions * 3;
const TIMEOUT_MS = 2000;
const TIME_LIMIT_MS = TIMEOUT_MS * 6 + 8000;
/**
 * The clean reference run is the oracle (the fleet's answers without faults), not a test of --timeout: with
 * TIMEOUT_MS a slow answer under machine load would leave a subscription unevaluated (as it must, see
 * test/e2e/audit-isolation.test.ts) and the oracle short of VMs. It gets the CLI's default bound instead.
 */
const CLEAN_TIMEOUT_MS = 15_000;
const CLEAN_TIME_LIMIT_MS = 120_000;

const ROUTES = [
  "resourcegraph",
  "/subscriptions",
  "consoleServices",
  "Microsoft.Storage/storageAccounts",
  "/providers/Microsoft.Authorization/permissions",
  "/providers/Microsoft.Authorization/locks",
  "providers/Microsoft.Compute/virtualMachines",
  "rg-app-000",
];

interface AuditJson {
  summary: {
    vms: number;
    ready: number;
    degraded: number;
    blocked: number;
    unknown: number;
    notEvaluated?: string[];
    unevaluatedSubscriptions?: { subscriptionId: string; reason: string }[];
  };
  results: {
    vm: { id: string };
    verdict: string;
    checks: { id: string; status: "pass" | "fail" | "warn" | "skip" | "error"; reason: string }[];
  }[];
}

function planFaults(seed: number): Fault[] {
  const random = prng(seed);
  return Array.from({ length: 1 + Math.floor(random() * 3) }, () => {
    const kind = pick(random, FAULT_KINDS);
    const fault: Fault = { match: { path: pick(random, ROUTES) }, kind, count: pick(random, [1, 2, 5, 20]) };
    if (kind === "429" && random() < 0.5) fault.retryAfter = 0;
    return fault;
  });
}

const audit = (sim: Simulator, timeoutMs = TIMEOUT_MS, limitMs = TIME_LIMIT_MS + 5_000, cli = runCli): Promise<CliRun> =>
  runBounded(() => cli(["audit", "-o", "json", "--no-network", "--timeout", String(timeoutMs)], sim.env, limitMs), limitMs);

/** The audit's document; undefined for anything else (no JSON, or the fatal-error document a run that could not start writes). */
function parse(run: CliRun): AuditJson | undefined {
  try {
    const parsed = JSON.parse(run.stdout) as AuditJson;
    return Array.isArray(parsed.results) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function violations(run: CliRun, report: AuditJson | undefined, baseline: AuditJson): string[] {
  const found: string[] = [];
  if (run.code === null || ![0, 1, 3].includes(run.code)) found.push(`exit code ${run.code}: ${run.stderr.split("\n")[0]}`);
  if (run.code === null) return found; // killed at the limit: nothing else to judge
  if (run.ms > TIME_LIMIT_MS) found.push(`took ${run.ms} ms`);
  if (/\n\s+at .+:\d+:\d+/.test(run.stderr) || /internal error|unhandled/i.test(run.stderr))
    found.push(`crash on stderr: ${run.stderr.split("\n")[0]}`);
  if (!report) {
    if (!(run.code === 3 && /could not enumerate|interrupted|authentication failed/i.test(run.stderr)))
      found.push("no JSON report and no 'could not enumerate' explanation");
    return found;
  }
  const ids = report.results.map((r) => r.vm.id.toLowerCase());
  const notEvaluated = (report.summary.notEvaluated ?? []).map((id) => id.toLowerCase());
  const seen = [...ids, ...notEvaluated];
  if (new Set(seen).size !== seen.length) found.push("a VM is accounted for more than once");
  // A subscription that could not be enumerated is reported as such: its VMs are accounted for by that entry.
  const unevaluated = new Set((report.summary.unevaluatedSubscriptions ?? []).map((u) => u.subscriptionId.toLowerCase()));
  const expected = new Set(baseline.results.map((r) => r.vm.id.toLowerCase()));
  const missing = [...expected].filter((id) => !seen.includes(id) && !unevaluated.has(id.split("/")[2] ?? ""));
  if (unevaluated.size > 0 && !/not audited|only partly audited/.test(run.stderr))
    found.push("a subscription not audited is missing from stderr");
  if (missing.length > 0) found.push(`${missing.length} VM(s) silently dropped, e.g. ${missing[0]}`);
  const clean = new Map(baseline.results.map((r) => [r.vm.id.toLowerCase(), new Map(r.checks.map((c) => [c.id, c.status]))]));
  for (const result of report.results) {
    if (result.verdict !== verdictOf(result.checks)) found.push(`${result.vm.id}: verdict ${result.verdict} disagrees with its checks`);
    for (const check of result.checks) {
      if (check.status === "error" && !check.reason.trim()) found.push(`${result.vm.id} ${check.id}: error without a reason`);
      const before = clean.get(result.vm.id.toLowerCase())?.get(check.id);
      if (check.status === "pass" && before !== undefined && before !== "pass")
        found.push(`${result.vm.id} ${check.id}: pass under faults, ${before} without`);
    }
  }
  const verdicts = report.results.reduce<Record<string, number>>((n, r) => ({ ...n, [r.verdict]: (n[r.verdict] ?? 0) + 1 }), {});
  for (const v of ["ready", "degraded", "blocked", "unknown"] as const) {
    if ((report.summary[v] ?? 0) !== (verdicts[v] ?? 0))
      found.push(`summary.${v} ${report.summary[v]} but ${verdicts[v] ?? 0} results say so`);
  }
  return found;
}

describe("chaos: sc-doctor audit under random faults", () => {
  it(
    `${RUNS} seeded runs account for every VM and never manufacture a pass (seed ${SEED})`,
    async () => {
      const plans = Array.from({ length: RUNS }, (_, i) => ({ seed: SEED + i, faults: planFaults(SEED + i) }));
      let baseline: AuditJson | undefined;
      // The fleet is loaded once per simulator: runs only change faults (and reloading per run once hit a
      // simulator control-channel failure, "failed to apply setFleet", reported to the simulator's owner).
      const loaded = new WeakSet<Simulator>();
      const outcomes = await withLanes(2, plans, async (sim, plan) => {
        if (!loaded.has(sim)) {
          sim.setFleet(FLEET);
          loaded.add(sim);
        }
        if (!baseline) {
          sim.setFaults([]);
          const run = await audit(sim, CLEAN_TIMEOUT_MS, CLEAN_TIME_LIMIT_MS);
          const clean = parse(run);
          if (!clean || clean.results.length !== AUDITED)
            throw new Error(
              `the clean audit did not report ${AUDITED} VMs (exit ${run.code}, ${run.ms} ms, ${clean?.results.length ?? "no"} results): ${run.stderr}`,
            );
          baseline ??= clean;
        }
        sim.setFaults(plan.faults);
        sim.resetLog();
        const run = await audit(sim, TIMEOUT_MS, TIME_LIMIT_MS + 5_000, (plan.seed - SEED) % 4 === 0 ? runCli : runInProcess);
        const faulted = sim.stats().faulted;
        sim.setFaults([]);
        return { plan, faulted, problems: violations(run, parse(run), baseline), writes: sim.writes.length };
      });
      const failing = outcomes.filter((o) => o.problems.length > 0 || o.writes > 0);
      console.log(
        `[chaos audit] seed ${SEED}: ${outcomes.length} runs of ${FLEET.vms} VMs, ${outcomes.reduce((n, o) => n + o.faulted, 0)} faulted responses, ${failing.length} runs with violations`,
      );
      const report = failing.map(
        (o) =>
          `replay: SC_DOCTOR_CHAOS_SEED=${o.plan.seed} SC_DOCTOR_AUDIT_CHAOS_RUNS=1 (faults ${JSON.stringify(o.plan.faults)})\n  - ${[...o.problems, ...(o.writes ? [`${o.writes} writes`] : [])].join("\n  - ")}`,
      );
      expect(report, report.join("\n")).toEqual([]);
    },
    30 * 60_000,
  );
});
