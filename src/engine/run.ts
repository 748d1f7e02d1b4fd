/**
 * Runs checks for one VM: concurrently (p-limit), each bounded by its own timeout, isolated (a throw or a failed
 * fact is that check's `error`, never a crash), with dependency-aware skips. Results come back in contract order.
 */
import pLimit from "p-limit";
import type { CheckDefinition, FactMap, FactName } from "../checks/define.js";
import type { FactLoaders } from "../azure/loaders.js";
import { CHECK_IDS, type CheckId, type CheckResult } from "../types.js";
import { describeError } from "./errors.js";
import { toCheckResult } from "./result.js";

export interface RunOptions {
  timeoutMs: number;
  concurrency: number;
}

class CheckTimeout extends Error {}

// An audit runs every check of every VM through here: one promise per timeout (not a race plus a finally), the facts
// gathered without a closure each, and the limiter only when it can limit anything.
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new CheckTimeout()), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/** The check's facts; `arrived` gathers the names of those that settled, for a timeout's evidence. */
async function loadFacts(check: CheckDefinition, loaders: FactLoaders, arrived: Set<FactName>): Promise<Pick<FactMap, FactName>> {
  const values = await Promise.all(
    check.needs.map((name) => {
      const promise = loaders[name]();
      const note = () => arrived.add(name);
      promise.then(note, note);
      return promise;
    }),
  );
  const facts: Partial<Record<FactName, unknown>> = {};
  check.needs.forEach((name, i) => (facts[name] = values[i]));
  return facts as Pick<FactMap, FactName>;
}

const ORDER = new Map<CheckId, number>(CHECK_IDS.map((id, i) => [id, i]));

/** A fact's outcome once settled. */
type Settled = { ok: true; value: unknown } | { ok: false; error: unknown };

/** What a check list needs, worked out once per list (an audit runs the same list for every VM). */
interface Plan {
  /** Every fact any of the checks needs, once. */
  facts: FactName[];
  /** The checks, each after the dependencies it has in the list. */
  dependenciesFirst: CheckDefinition[];
  /** The checks in contract order (CHECK_IDS). */
  contractOrder: CheckDefinition[];
}

const plans = new WeakMap<readonly CheckDefinition[], Plan>();

function planFor(checks: readonly CheckDefinition[]): Plan {
  let plan = plans.get(checks);
  if (plan) return plan;
  const byId = new Map(checks.map((check) => [check.id, check]));
  const dependenciesFirst: CheckDefinition[] = [];
  const placed = new Set<CheckId>();
  const place = (check: CheckDefinition): void => {
    if (placed.has(check.id)) return;
    placed.add(check.id);
    for (const dependencyId of check.dependsOn ?? []) {
      const dependency = byId.get(dependencyId);
      if (dependency) place(dependency);
    }
    dependenciesFirst.push(check);
  };
  checks.forEach(place);
  plan = {
    facts: [...new Set(checks.flatMap((check) => check.needs))],
    dependenciesFirst,
    contractOrder: [...checks].sort((a, b) => (ORDER.get(a.id) ?? 0) - (ORDER.get(b.id) ?? 0)),
  };
  plans.set(checks, plan);
  return plan;
}

/**
 * Every fact the checks need, asked for now (loaders are memoised), and their outcomes once all have settled — or
 * undefined when one has not settled by the next turn of the event loop (a real round trip): then the checks run
 * one by one with their own timeouts. Facts already in memory (an audit's shared reads) settle within microtasks,
 * before `setImmediate` fires.
 */
async function settledNow(names: readonly FactName[], loaders: FactLoaders): Promise<Map<FactName, Settled> | undefined> {
  const outcomes = new Map<FactName, Settled>();
  return new Promise((resolve) => {
    const immediate = setImmediate(() => resolve(undefined));
    const note = (name: FactName, outcome: Settled) => {
      outcomes.set(name, outcome);
      if (outcomes.size === names.length) {
        clearImmediate(immediate);
        resolve(outcomes);
      }
    };
    for (const name of names) {
      let promise: Promise<unknown>;
      try {
        promise = loaders[name]();
      } catch (error) {
        promise = Promise.reject(error); // as the general path: a loader that throws is a failed fact
      }
      promise.then(
        (value) => note(name, { ok: true, value }),
        (error: unknown) => note(name, { ok: false, error }),
      );
    }
    if (names.length === 0) {
      clearImmediate(immediate);
      resolve(outcomes);
    }
  });
}

/**
 * The skip of a check after `dependency` (`dependencyId`'s result) failed or could not be evaluated — or was itself
 * skipped because one of its own could not be (a hung VM GET: no fresh timer on the same read); else undefined.
 */
function skipAfter(check: CheckDefinition, dependencyId: CheckId, dependency: CheckResult | undefined): CheckResult | undefined {
  const unevaluated = dependency?.status === "error" || (dependency?.status === "skip" && dependency.evidence["unevaluated"] === true);
  if (!dependency || (dependency.status !== "fail" && !unevaluated)) return undefined;
  const why = unevaluated ? "could not be evaluated" : "failed";
  return toCheckResult(
    check,
    {
      status: "skip",
      reason: `${dependencyId} ${why}, so this check does not apply`,
      evidence: { dependsOn: dependencyId, ...(unevaluated ? { unevaluated: true } : {}) },
    },
    0,
  );
}

/** The skip of a check whose dependency (already evaluated, in `results`) failed or could not be evaluated. */
function skipFor(check: CheckDefinition, results: ReadonlyMap<CheckId, CheckResult>): CheckResult | undefined {
  for (const dependencyId of check.dependsOn ?? []) {
    const skip = skipAfter(check, dependencyId, results.get(dependencyId));
    if (skip) return skip;
  }
  return undefined;
}

/**
 * Every fact settled: evaluate synchronously, dependencies first — the results the general path gives (no check
 * could time out: each fact arrived before any check's own timeout could have started), without a promise and a
 * timer per check.
 */
function evaluateSettled(plan: Plan, facts: ReadonlyMap<FactName, Settled>, started: number): CheckResult[] {
  const results = new Map<CheckId, CheckResult>();
  const finished = new Map<CheckId, number>();
  for (const check of plan.dependenciesFirst) {
    let from = started;
    for (const dependencyId of check.dependsOn ?? []) from = Math.max(from, finished.get(dependencyId) ?? started);
    const skip = skipFor(check, results);
    if (skip) {
      results.set(check.id, skip);
      finished.set(check.id, performance.now());
      continue;
    }
    let failed: Extract<Settled, { ok: false }> | undefined;
    const values: Partial<Record<FactName, unknown>> = {};
    for (const name of check.needs) {
      const outcome = facts.get(name) as Settled;
      if (outcome.ok) values[name] = outcome.value;
      // The first failure in the check's own `needs`: what Promise.all over facts already settled gives (the general path).
      else failed ??= outcome;
    }
    let result: CheckResult;
    try {
      if (failed) throw failed.error;
      result = toCheckResult(check, check.evaluate(values as Pick<FactMap, FactName>), 0);
    } catch (error) {
      const { reason, evidence } = describeError(error);
      result = toCheckResult(check, { status: "error", reason, evidence }, 0);
    }
    const now = performance.now();
    result.durationMs = Math.round(now - from);
    results.set(check.id, result);
    finished.set(check.id, now);
  }
  return plan.contractOrder.map((check) => results.get(check.id) as CheckResult);
}

export async function runChecks(checks: readonly CheckDefinition[], loaders: FactLoaders, options: RunOptions): Promise<CheckResult[]> {
  const started = performance.now();
  const plan = planFor(checks);
  // `--concurrency 1` asks for each fact only when its check runs (the naive baseline): no fast path there.
  const settled = options.concurrency > 1 ? await settledNow(plan.facts, loaders) : undefined;
  if (settled) return evaluateSettled(plan, settled, started);
  const results = await runEach(checks, loaders, options);
  return results.sort((a, b) => (ORDER.get(a.id) ?? 0) - (ORDER.get(b.id) ?? 0));
}

/** The general path: each check on its own, after its dependencies, bounded by its own timeout. */
async function runEach(checks: readonly CheckDefinition[], loaders: FactLoaders, options: RunOptions): Promise<CheckResult[]> {
  const limiter = options.concurrency >= checks.length ? undefined : pLimit(Math.max(1, options.concurrency));
  const limit = (task: () => Promise<CheckResult>) => (limiter ? limiter(task) : task());
  const running = new Map<CheckId, Promise<CheckResult>>();
  const arrived = new Set<FactName>();
  // Facts a check already waited --timeout for: a later check (`--concurrency 1`) is not given a fresh wait on them.
  const timedOut = new Set<FactName>();
  const timeoutOf = (check: CheckDefinition, elapsed: number, alreadyWaited = false) => {
    // The contract's reason is the bare word; the evidence says which reads had not answered.
    const waitingFor = check.needs.filter((name) => !arrived.has(name));
    // Only what this check itself waited for: one that gave up at once waited for none of its reads.
    if (!alreadyWaited) for (const name of waitingFor) timedOut.add(name);
    const evidence = { timeoutMs: options.timeoutMs, waitingFor, ...(alreadyWaited ? { alreadyWaited: true } : {}) };
    return toCheckResult(check, { status: "error", reason: "timeout", evidence }, elapsed);
  };

  const runOne = async (check: CheckDefinition): Promise<CheckResult> => {
    // Ask for the facts now, not after the dependencies finish: loaders are memoised, so this only moves fetches
    // off the critical path. `--concurrency 1` stays strictly one-after-another (the naive baseline).
    const prefetched = options.concurrency > 1 ? loadFacts(check, loaders, arrived) : undefined;
    prefetched?.catch(() => undefined);
    await Promise.resolve(); // let every check register before any looks up its dependencies
    // Wait for dependencies outside the limiter, so a waiting check never holds a slot its dependency needs.
    for (const dependencyId of check.dependsOn ?? []) {
      const skip = skipAfter(check, dependencyId, await running.get(dependencyId));
      if (skip) return skip;
    }
    return limit(async () => {
      const started = performance.now();
      if (check.needs.some((name) => timedOut.has(name) && !arrived.has(name))) return timeoutOf(check, 0, true);
      try {
        const finding = await withTimeout(
          (prefetched ?? loadFacts(check, loaders, arrived)).then((facts) => check.evaluate(facts)),
          options.timeoutMs,
        );
        return toCheckResult(check, finding, performance.now() - started);
      } catch (error) {
        const elapsed = performance.now() - started;
        if (error instanceof CheckTimeout) return timeoutOf(check, elapsed);
        const { reason, evidence } = describeError(error);
        return toCheckResult(check, { status: "error", reason, evidence }, elapsed);
      }
    });
  };

  for (const check of checks) running.set(check.id, runOne(check));
  return Promise.all(running.values());
}
