/**
 * The engine's two paths give the same results: with every fact already settled it evaluates synchronously from a
 * plan worked out once per check list (src/engine/run.ts `evaluateSettled`); `--concurrency 1` runs each check on
 * its own, after its dependencies, with its own timeout. Any subset of the checks, any dependency graph among
 * them, in any order, with failing facts and checks that throw: same ids, statuses, reasons and evidence, in
 * contract order. (Found worth keeping by review when the plan replaced the per-VM work.)
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { FactLoaders } from "../../src/azure/loaders.js";
import { defineCheck, type CheckDefinition, type FactName } from "../../src/checks/define.js";
import { runChecks } from "../../src/engine/run.js";
import { CHECK_IDS, type CheckId, type Status } from "../../src/types.js";
import { propertyParams } from "./config.js";

const FACTS: FactName[] = ["vm", "subscription", "consoleService", "storage", "vmPermissions", "storagePermissions", "network"];
const STATUSES: Status[] = ["pass", "fail", "warn", "error", "skip"];

const spec = fc.record({
  checks: fc.uniqueArray(
    fc.record({
      id: fc.constantFrom(...CHECK_IDS),
      rank: fc.nat(),
      status: fc.constantFrom(...STATUSES),
      throws: fc.boolean(),
      needs: fc.subarray(FACTS),
      dependsOn: fc.subarray([...CHECK_IDS], { maxLength: 3 }),
    }),
    { selector: (c) => c.id, minLength: 1, maxLength: CHECK_IDS.length },
  ),
  failing: fc.subarray(FACTS),
});

/** The checks of `s`; a check depends only on checks of lower rank (no cycle), listed or not. */
type Spec = { checks: { id: CheckId; rank: number; status: Status; throws: boolean; needs: FactName[]; dependsOn: CheckId[] }[] };

function checksOf(s: Spec): CheckDefinition[] {
  const rank = new Map(s.checks.map((c) => [c.id, c.rank]));
  return s.checks.map((c) => ({
    ...defineCheck({
      id: c.id,
      title: c.id,
      needs: c.needs,
      permissions: [],
      evaluate: () => {
        if (c.throws) throw new Error(`boom ${c.id}`);
        return { status: c.status, reason: `${c.id} ${c.status}`, evidence: { id: c.id } };
      },
    }),
    dependsOn: c.dependsOn.filter((d) => d !== c.id && (rank.get(d) ?? -1) < c.rank),
  })) as CheckDefinition[];
}

/** Memoised loaders, as the real ones: a failing fact fails the same way for every check that asks. */
function loadersFailing(failing: readonly FactName[]): FactLoaders {
  const settled = new Map<FactName, Promise<unknown>>();
  const load = (name: FactName) => () => {
    let promise = settled.get(name);
    if (!promise) {
      promise = failing.includes(name) ? Promise.reject(new Error(`${name} failed`)) : Promise.resolve({ name });
      promise.catch(() => undefined);
      settled.set(name, promise);
    }
    return promise;
  };
  return Object.fromEntries(FACTS.map((name) => [name, load(name)])) as unknown as FactLoaders;
}

const comparable = (results: { id: string; status: string; reason: string; evidence?: unknown }[]) =>
  results.map(({ id, status, reason, evidence }) => ({ id, status, reason, evidence }));

describe("runChecks: facts in memory vs one check at a time", () => {
  it("same results, in contract order, for any checks, dependencies and failures", async () => {
    await fc.assert(
      fc.asyncProperty(spec, async (s) => {
        const checks = checksOf(s);
        const inMemory = await runChecks(checks, loadersFailing(s.failing), { timeoutMs: 1000, concurrency: 20 });
        const oneByOne = await runChecks(checks, loadersFailing(s.failing), { timeoutMs: 1000, concurrency: 1 });
        expect(comparable(inMemory)).toEqual(comparable(oneByOne));
        const order = inMemory.map((r) => CHECK_IDS.indexOf(r.id));
        expect(order).toEqual([...order].sort((a, b) => a - b));
      }),
      propertyParams(150),
    );
  });
});
