/** The audit summary (docs/contract.md, "JSON"): by verdict, by check, by subscription — built incrementally as VMs finish. */
import { parseArmId, subscriptionOf } from "../azure/resource-id.js";
import { SERIAL_LOG_NOT_READ } from "../azure/serial-log.js";
import {
  CHECK_IDS,
  isCheckId,
  verdictOf,
  type AuditScope,
  type Status,
  type AuditSummary,
  type UnevaluatedSubscription,
  type Verdict,
  type VmResult,
} from "../types.js";
import { inShard, parseShard } from "./shard.js";

/** The contract's summary plus the additions an audit reports: per subscription, not evaluated, drift. */
export interface FleetSummary extends AuditSummary {
  drift?: Drift;
}

export class SummaryBuilder {
  private readonly summary: AuditSummary = { vms: 0, ready: 0, degraded: 0, blocked: 0, unknown: 0, byCheck: {}, bySubscription: {} };
  /** Verdict per VM id (lower-case), for drift only (`--baseline`): otherwise nothing is kept per VM. */
  readonly verdicts = new Map<string, Judged>();
  /** One string per distinct set of checks run (a partial audit's VMs share one), and of switchable states. */
  private readonly checkSets = new Map<string, string>();

  constructor(private readonly options: { trackVerdicts?: boolean } = {}) {}

  add(result: VmResult): void {
    const s = this.summary;
    s.vms++;
    s[result.verdict]++;
    for (const check of result.checks) {
      if (check.status !== "fail" && check.status !== "warn" && check.status !== "error") continue;
      own(s.byCheck, check.id, () => ({ fail: 0, warn: 0, error: 0 }))[check.status]++;
    }
    const bySub = (s.bySubscription ??= {});
    const sub = own(bySub, result.vm.subscriptionId, () => ({ vms: 0, ready: 0, degraded: 0, blocked: 0, unknown: 0 }));
    sub.vms++;
    sub[result.verdict]++;
    if (this.options.trackVerdicts) {
      // Interned: the VMs of one audit share a handful of check sets and switchable states.
      const intern = (key: string) => this.checkSets.get(key) ?? (this.checkSets.set(key, key), key);
      const key = checkSetOf(result);
      const switchable = switchableOf(result.checks);
      this.verdicts.set(result.vm.id.toLowerCase(), {
        id: result.vm.id,
        verdict: result.verdict,
        ...(key === undefined ? {} : { checks: intern(key) }),
        ...(switchable ? { switchable: { rest: switchable.rest, states: intern(switchable.states) } } : {}),
      });
    }
  }

  /** Keys sorted for stable output: check ids in contract order (ids it does not know, from `report` inputs, after), subscriptions alphabetically. */
  build(notEvaluated: readonly string[], changes?: Drift, unevaluatedSubscriptions: readonly UnevaluatedSubscription[] = []): FleetSummary {
    const s = this.summary;
    const counts = Object.fromEntries(Object.entries(s.bySubscription ?? {}).map(([id, c]) => [id, { ...c }]));
    // As `vms`: a subscription's VMs an interrupted run did not evaluate are still enumerated (no verdict of theirs).
    const keyOf = new Map(Object.keys(counts).map((id) => [id.toLowerCase(), id]));
    for (const vmId of notEvaluated) {
      const sub = /^\/subscriptions\/([^/]+)/i.exec(vmId)?.[1];
      if (!sub) continue;
      const key = keyOf.get(sub.toLowerCase()) ?? sub;
      keyOf.set(sub.toLowerCase(), key);
      own(counts, key, () => ({ vms: 0, ready: 0, degraded: 0, blocked: 0, unknown: 0 })).vms++;
    }
    const bySubscription = Object.fromEntries(Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : 1)));
    const rank = (id: string) => (isCheckId(id) ? CHECK_IDS.indexOf(id) : CHECK_IDS.length);
    const byCheck = Object.fromEntries(Object.entries(s.byCheck).sort(([a], [b]) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0)));
    // `vms` counts the VMs enumerated (docs/contract.md): those an interrupted run did not evaluate too.
    const out: FleetSummary = { ...s, vms: s.vms + notEvaluated.length, byCheck, bySubscription };
    if (notEvaluated.length) out.notEvaluated = [...notEvaluated];
    if (unevaluatedSubscriptions.length) out.unevaluatedSubscriptions = unevaluatedSubscriptions.map((u) => ({ ...u }));
    if (changes) out.drift = changes;
    return out;
  }
}

/**
 * `record[key]`, made by `make` when it is not an own key: a key read back by `report` (a check or subscription id)
 * may name an Object.prototype member (`constructor`, `__proto__`), which `??=` would take for a count.
 */
function own<T>(record: Record<string, T | undefined>, key: string, make: () => T): T {
  const found = Object.hasOwn(record, key) ? record[key] : undefined;
  if (found !== undefined) return found;
  const made = make();
  // Defined, not assigned: assigning `__proto__` would set the record's prototype instead of adding a key.
  Object.defineProperty(record, key, { value: made, enumerable: true, writable: true, configurable: true });
  return made;
}

export interface Drift {
  /** Blocked now, not blocked (or not present) in the baseline. */
  newlyBlocked: string[];
  /** Blocked in the baseline, now ready or degraded (an `unknown` now is not "fixed": we could not tell). */
  fixed: string[];
  stillBlocked: string[];
}

/** A VM's verdict as drift compares it: with the checks it is about when `--only`/`--skip` left some out. */
export interface Judged {
  id: string;
  verdict: Verdict;
  /** `checkSetOf` the result: undefined for a result of every check. */
  checks?: string;
  /** `switchableOf` its checks: undefined when it lists none of them. */
  switchable?: Switchable;
}

/**
 * Checks a run's flags can leave unjudged while still listing them as `skip`, by id, with how such a skip is told.
 * `network`: `--no-network`, or a cloud with no documented console endpoint — nothing was probed from this machine,
 * whatever the reason. `serial-log`: an audit without `--serial-log` (or `--vm --no-serial-log`), not a VM whose boot
 * diagnostics are off, which is a finding about the VM.
 */
const SWITCHED_OFF: Readonly<Record<string, (reason: unknown) => boolean>> = {
  network: () => true,
  "serial-log": (reason) => Object.values<unknown>(SERIAL_LOG_NOT_READ).includes(reason),
};

/** Whether drift reads check `id`'s reason (to tell it switched off): the reason of any other check it never reads. */
export const isSwitchable = (id: string): boolean => Object.hasOwn(SWITCHED_OFF, id);

/** A result's switchable checks, each `id=status` or `id=off` (sorted, comma-joined), and the verdict of the others. */
export interface Switchable {
  states: string;
  rest: Verdict;
}

const STATUSES: ReadonlySet<unknown> = new Set<Status>(["pass", "warn", "fail", "error", "skip"]);
const isStatus = (value: unknown): value is Status => STATUSES.has(value);

/** What drift needs of a result's checks (saved or run now) to compare verdicts about the checks both runs judged. */
export function switchableOf(checks: unknown): Switchable | undefined {
  if (!Array.isArray(checks)) return undefined;
  const states: string[] = [];
  const others: { status: Status }[] = [];
  const list: unknown[] = checks;
  for (const check of list) {
    if (typeof check !== "object" || check === null) continue;
    const [id, status, reason] = [field(check, "id"), field(check, "status"), field(check, "reason")];
    if (!isStatus(status)) continue;
    const switchedOff = typeof id === "string" && isSwitchable(id) ? SWITCHED_OFF[id] : undefined;
    if (switchedOff) states.push(`${String(id)}=${status === "skip" && switchedOff(reason) ? "off" : status}`);
    else others.push({ status });
  }
  return states.length > 0 ? { states: states.sort().join(","), rest: verdictOf(others) } : undefined;
}

const field = (object: object, key: string): unknown => Reflect.get(object, key);

/** The switchable checks `switchable` lists as switched off. */
function switchedOffIn(switchable: Switchable | undefined): string[] {
  return (switchable?.states.split(",") ?? []).filter((state) => state.endsWith("=off")).map((state) => state.slice(0, -"=off".length));
}

const STATUS_OF: Record<Verdict, Status> = { blocked: "fail", unknown: "error", degraded: "warn", ready: "pass" };

/** The verdict of a result without the checks `off` (switched off in either run); its own verdict when it lists none. */
function verdictWithout(verdict: unknown, switchable: Switchable | undefined, off: ReadonlySet<string>): unknown {
  if (!switchable || off.size === 0) return verdict;
  const kept: { status: Status }[] = [{ status: STATUS_OF[switchable.rest] }];
  for (const state of switchable.states.split(",")) {
    const [id = "", status] = state.split("=");
    if (!off.has(id) && isStatus(status)) kept.push({ status });
  }
  return verdictOf(kept);
}

/**
 * The checks a partial result's verdict is about (`partial: true`: `--only`/`--skip` left some out), as one
 * comparable string; undefined for a result of every check. Two verdicts are comparable only about the same checks.
 */
export function checkSetOf(result: { partial?: unknown; checks?: unknown }): string | undefined {
  if (result.partial !== true || !Array.isArray(result.checks)) return undefined;
  const ids = result.checks.map((check: unknown) => (typeof check === "object" && check !== null && "id" in check ? String(check.id) : ""));
  return ids.sort().join(",");
}

/** What a baseline must hold: a previous `audit --output json` (ids, verdicts, and a partial result's checks are read). */
export interface Baseline {
  results: { vm?: { id?: unknown }; verdict?: unknown; partial?: unknown; checks?: unknown }[];
  /** Its `summary.unevaluatedSubscriptions` ids: VMs of these it has no result for were unknown, not absent. */
  unevaluatedSubscriptions?: readonly string[];
  /** Its `summary.notEvaluated` (an interrupted run): VMs listed but unknown. */
  notEvaluated?: readonly string[];
  /**
   * Its `scope` (a run that went the whole way records it): a VM outside it was never looked at, so blocked now is
   * not "newly" blocked. Undefined, and no `mergedScopes` either (an audit from before scopes): every VM.
   */
  scope?: AuditScope;
  /** A `report` merge's `mergedScopes`: the scopes of the complete audits it merged; a VM in none was not looked at. */
  mergedScopes?: readonly AuditScope[];
  /** Its `summary.failedInputs` was not empty (a `report` merge missing a failed shard): an absent VM may be in one. */
  missingInputs?: boolean;
  /**
   * It was interrupted (it records no `scope` then): what it holds no result for may be outside the filters it had
   * (`--tag`, `--where`, `-g`), which it did not record.
   */
  interrupted?: boolean;
}

/**
 * Whether `baseline` looked at a VM it holds no result for (so that VM is new since). Not when a failed input may
 * have held it; not outside its subscriptions, resource groups or shard; and not under `--tag`/`--where`, which
 * judge what a result does not record (a VM tagged since would be called new).
 */
function baselineLookedAt(baseline: Baseline, id: string): boolean {
  if (baseline.missingInputs || baseline.interrupted) return false;
  if (baseline.scope) return scopeCovers(baseline.scope, id);
  // Shards 1…n of one scope cover it together: each VM is in one of them.
  if (baseline.mergedScopes) return baseline.mergedScopes.some((scope) => scopeCovers(scope, id));
  return true;
}

/** Whether an audit of `scope` looked at VM `id` (see baselineLookedAt). */
function scopeCovers(scope: AuditScope, id: string): boolean {
  if (scope.where !== undefined || (scope.tags?.length ?? 0) > 0) return false;
  const { subscriptionId = "", resourceGroup = "" } = parseArmId(id);
  if (scope.subscriptions !== "all" && !scope.subscriptions.some((sub) => sub.toLowerCase() === subscriptionId.toLowerCase())) return false;
  if (scope.resourceGroups && !scope.resourceGroups.some((group) => group.toLowerCase() === resourceGroup.toLowerCase())) return false;
  const shard = scope.shard === undefined ? undefined : parseShard(scope.shard);
  if (typeof shard === "string") return false;
  return inShard(id, shard);
}

/**
 * Compare with a previous audit. VMs not evaluated now are in neither list: their state is not known. Nor are
 * VMs the baseline could not evaluate (`unknown`, not evaluated, a subscription not audited) or did not look at
 * (outside its scope): blocked now is not "newly" blocked when we did not know before. Nor are VMs whose verdicts
 * are about different checks (`--only`/`--skip` in one run and not the other): a check left out is no fix. A check
 * a flag switched off in one run (`--no-network`, an audit without `--serial-log`) is left out of both verdicts:
 * they are compared about the checks both runs judged.
 */
export function drift(baseline: Baseline, current: Iterable<Judged>): Drift {
  const before = new Map<string, { verdict: unknown; checks?: string; switchable?: Switchable }>();
  for (const result of baseline.results)
    if (typeof result.vm?.id === "string")
      before.set(result.vm.id.toLowerCase(), {
        verdict: result.verdict,
        checks: checkSetOf(result),
        switchable: switchableOf(result.checks),
      });
  const unknownSubscriptions = new Set(baseline.unevaluatedSubscriptions?.map((sub) => sub.toLowerCase()));
  const unknownVms = new Set(baseline.notEvaluated?.map((id) => id.toLowerCase()));
  const out: Drift = { newlyBlocked: [], fixed: [], stillBlocked: [] };
  for (const { id, verdict: saidNow, checks, switchable } of current) {
    const judged = before.get(id.toLowerCase());
    // A check a flag switched off in either run (`--no-network`, no `--serial-log`) is left out of both verdicts.
    const off = new Set([...switchedOffIn(judged?.switchable), ...switchedOffIn(switchable)]);
    const was = verdictWithout(judged?.verdict, judged?.switchable, off);
    const verdict = verdictWithout(saidNow, switchable, off);
    if (
      judged === undefined &&
      (unknownVms.has(id.toLowerCase()) || unknownSubscriptions.has(subscriptionOf(id)) || !baselineLookedAt(baseline, id))
    )
      continue;
    if (judged !== undefined && (was === "unknown" || judged.checks !== checks)) continue;
    if (verdict === "blocked") (was === "blocked" ? out.stillBlocked : out.newlyBlocked).push(id);
    else if (was === "blocked" && (verdict === "ready" || verdict === "degraded")) out.fixed.push(id);
  }
  const sort = (ids: string[]) => ids.sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1));
  return { newlyBlocked: sort(out.newlyBlocked), fixed: sort(out.fixed), stillBlocked: sort(out.stillBlocked) };
}
