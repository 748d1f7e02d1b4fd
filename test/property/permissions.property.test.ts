/**
 * RBAC matching decides rbac-vm/rbac-storage. Properties, against a small independent reference model
 * (role-definitions.md: `*` matches any run of characters including `/`, case-insensitive, NotActions subtract
 * only within their own block):
 * - `actionMatches` agrees with the reference for patterns full of regex metacharacters;
 * - matching time is bounded (patterns come from Azure responses: a pathological one must not freeze the
 *   process, because a synchronous match cannot be interrupted by `--timeout`);
 * - `isGranted` = some block grants and its own notActions don't remove it; a block's notActions never take
 *   away what another block grants.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { PermissionBlock } from "../../src/azure/facts.js";
import { actionMatches, isGranted, missingActions } from "../../src/checks/support/permissions.js";
import { propertyParams } from "./config.js";

/** Reference glob matcher: dynamic programming over (pattern, text), lower-cased. */
function referenceMatch(pattern: string, text: string): boolean {
  const p = pattern.toLowerCase();
  const t = text.toLowerCase();
  let row = new Array<boolean>(t.length + 1).fill(false);
  row[0] = true;
  for (const pc of p) {
    const next = new Array<boolean>(t.length + 1).fill(false);
    if (pc === "*") {
      next[0] = row[0] ?? false;
      for (let j = 1; j <= t.length; j++) next[j] = (row[j] ?? false) || (next[j - 1] ?? false);
    } else {
      for (let j = 1; j <= t.length; j++) next[j] = (row[j - 1] ?? false) && t[j - 1] === pc;
    }
    row = next;
  }
  return row[t.length] ?? false;
}

// ASCII only: Azure action names are ASCII, and this keeps "case-insensitive" unambiguous.
const metaChar = fc.constantFrom(..."aAbB/.*+?^$(){}[]|\\-:".split(""));
const word = fc.array(metaChar, { maxLength: 12 }).map((a) => a.join(""));
const actionChar = fc.constantFrom(..."aAbB/.+?^$(){}[]|\\-:".split(""));
const action = fc.array(actionChar, { maxLength: 14 }).map((a) => a.join(""));
/** Patterns built from real-looking pieces, so matches are frequent. */
const realistic = fc.constantFrom(
  "*",
  "*/read",
  "Microsoft.Compute/*",
  "microsoft.compute/virtualmachines/*",
  "Microsoft.SerialConsole/serialPorts/connect/action",
  "Microsoft.*/read",
  "Microsoft.Storage/storageAccounts/listKeys/action",
  "Microsoft.Compute/virtualMachines/(read)",
  "Microsoft.Compute/virtualMachines/rea?",
);
const realAction = fc.constantFrom(
  "Microsoft.Compute/virtualMachines/read",
  "MICROSOFT.SERIALCONSOLE/SERIALPORTS/CONNECT/ACTION",
  "Microsoft.Storage/storageAccounts/listKeys/action",
  "Microsoft.Compute/virtualMachines/(read)",
  "Microsoft.Compute/virtualMachines/reaX",
);

describe("actionMatches", () => {
  it("agrees with a reference glob matcher, regex metacharacters included", () => {
    fc.assert(
      fc.property(fc.oneof(word, realistic), fc.oneof(action, realAction), (pattern, act) => {
        expect(actionMatches(pattern, act)).toBe(referenceMatch(pattern, act));
      }),
      propertyParams(2000),
    );
  });

  it("ignores case on both sides", () => {
    fc.assert(
      fc.property(fc.oneof(word, realistic), fc.oneof(action, realAction), (pattern, act) => {
        const expected = actionMatches(pattern, act);
        expect(actionMatches(pattern.toUpperCase(), act.toLowerCase())).toBe(expected);
        expect(actionMatches(pattern.toLowerCase(), act.toUpperCase())).toBe(expected);
      }),
      propertyParams(),
    );
  });

  it("never throws on arbitrary Unicode", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 60 }), fc.string({ unit: "binary", maxLength: 60 }), (pattern, act) => {
        expect(typeof actionMatches(pattern, act)).toBe("boolean");
      }),
      propertyParams(),
    );
  });

  it("stays fast on patterns built to make a backtracking matcher explode", () => {
    fc.assert(
      fc.property(fc.integer({ min: 8, max: 30 }), fc.integer({ min: 30, max: 300 }), (stars, length) => {
        const started = performance.now();
        const pattern = `${"*a".repeat(stars)}*b`;
        expect(actionMatches(pattern, "a".repeat(length))).toBe(false);
        // Not a performance figure (bench/ measures those): a backtracking matcher takes seconds to forever here,
        // a linear one microseconds, so a bound this loose tells them apart even on a saturated machine.
        expect(performance.now() - started).toBeLessThan(2000);
      }),
      propertyParams(30),
    );
  });
});

const block: fc.Arbitrary<PermissionBlock> = fc.record({
  actions: fc.array(fc.oneof(realistic, word), { maxLength: 4 }),
  notActions: fc.array(fc.oneof(realistic, word), { maxLength: 3 }),
});

describe("isGranted / missingActions", () => {
  it("granted iff one block matches in actions and not in its own notActions", () => {
    fc.assert(
      fc.property(fc.array(block, { maxLength: 5 }), fc.oneof(realAction, action), (blocks, act) => {
        const expected = blocks.some(
          (b) => b.actions.some((p) => referenceMatch(p, act)) && !b.notActions.some((p) => referenceMatch(p, act)),
        );
        expect(isGranted(blocks, act)).toBe(expected);
        expect(missingActions(blocks, [act])).toEqual(expected ? [] : [act]);
      }),
      propertyParams(1000),
    );
  });

  it("another block's notActions never take a grant away (NotActions subtract, they do not deny)", () => {
    fc.assert(
      fc.property(
        fc.array(block, { maxLength: 4 }),
        fc.array(fc.oneof(realistic, word), { maxLength: 3 }),
        realAction,
        (blocks, denied, act) => {
          fc.pre(isGranted(blocks, act));
          expect(isGranted([...blocks, { actions: [], notActions: ["*", ...denied] }], act)).toBe(true);
        },
      ),
      propertyParams(),
    );
  });
});
