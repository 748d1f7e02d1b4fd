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

async function loadFacts(check: CheckDefinition, loaders: FactLoaders): Promise<Pick<FactMap, FactName>> {
  const values = await Promise.all(check.needs.map((name) => loaders[name]()));
  const facts: Partial<Record<FactName, unknown>> = {};
  check.needs.forEach((name, i) => (facts[name] = values[i]));
  return facts as Pick<FactMap, FactName>;
}

const ORDER = new Map<CheckId, number>(CHECK_IDS.map((id, i) => [id, i]));

export async function runChecks(checks: readonly CheckDefinition[], loaders: FactLoaders, options: RunOptions): Promise<CheckResult[]> {
  const limiter = options.concurrency >= checks.length ? undefined : pLimit(Math.max(1, options.concurrency));
  const limit = (task: () => Promise<CheckResult>) => (limiter ? limiter(task) : task());
  const running = new Map<CheckId, Promise<CheckResult>>();

  const runOne = async (check: CheckDefinition): Promise<CheckResult> => {
    // Ask for the facts now, not after the dependencies finish: loaders are memoised, so this only moves fetches
    // off the critical path. `--concurrency 1` stays strictly one-after-another (the naive baseline).
    const prefetched = options.concurrency > 1 ? loadFacts(check, loaders) : undefined;
    prefetched?.catch(() => undefined);
    await Promise.resolve(); // let every check register before any looks up its dependencies
    // Wait for dependencies outside the limiter, so a waiting check never holds a slot its dependency needs.
    for (const dependencyId of check.dependsOn ?? []) {
      const dependency = await running.get(dependencyId);
      if (dependency && (dependency.status === "fail" || dependency.status === "error")) {
        const why = dependency.status === "fail" ? "failed" : "could not be evaluated";
        return toCheckResult(
          check,
          { status: "skip", reason: `${dependencyId} ${why}, so this check does not apply`, evidence: { dependsOn: dependencyId } },
          0,
        );
      }
    }
    return limit(async () => {
      const started = performance.now();
      try {
        const finding = await withTimeout(
          (prefetched ?? loadFacts(check, loaders)).then((facts) => check.evaluate(facts)),
          options.timeoutMs,
        );
        return toCheckResult(check, finding, performance.now() - started);
      } catch (error) {
        const elapsed = performance.now() - started;
        if (error instanceof CheckTimeout) {
          return toCheckResult(check, { status: "error", reason: "timeout", evidence: { timeoutMs: options.timeoutMs } }, elapsed);
        }
        const { reason, evidence } = describeError(error);
        return toCheckResult(check, { status: "error", reason, evidence }, elapsed);
      }
    });
  };

  for (const check of checks) running.set(check.id, runOne(check));
  const results = await Promise.all(running.values());
  return results.sort((a, b) => (ORDER.get(a.id) ?? 0) - (ORDER.get(b.id) ?? 0));
}
