/**
 * Azure RBAC action matching (role-definitions.md): an action is granted when some permission block has a
 * matching `actions` pattern and no matching `notActions` pattern *in that same block* — NotActions subtract,
 * they do not deny. `*` matches any run of characters, `/` included; comparison ignores case. Control-plane
 * `actions` never grant data actions.
 */
import type { PermissionBlock } from "../../azure/facts.js";

/**
 * Does the RBAC pattern (e.g. `Microsoft.Compute/*` or `*` + `/read`) match this action?
 * A linear-time glob match (greedy, backtracking only to the last `*`), not a RegExp: patterns come from Azure
 * responses, and a regex such as `^.*a.*a.*a…b$` backtracks exponentially — a synchronous hang that the per-check
 * `--timeout` cannot interrupt.
 */
export function actionMatches(pattern: string, action: string): boolean {
  const p = pattern.toLowerCase();
  const t = action.toLowerCase();
  let pi = 0;
  let ti = 0;
  let star = -1; // index in p of the last `*` seen
  let resume = 0; // where in t that `*` is currently made to end
  while (ti < t.length) {
    if (pi < p.length && p[pi] !== "*" && p[pi] === t[ti]) {
      pi++;
      ti++;
    } else if (pi < p.length && p[pi] === "*") {
      star = pi++;
      resume = ti;
    } else if (star >= 0) {
      pi = star + 1;
      ti = ++resume;
    } else {
      return false;
    }
  }
  while (pi < p.length && p[pi] === "*") pi++;
  return pi === p.length;
}

// An audit judges the same few actions against the same permission blocks (shared per scope) for every VM: answers
// are remembered per blocks array. Facts are never mutated once loaded, so an answer cannot go stale.
type ActionBlock = Pick<PermissionBlock, "actions" | "notActions">;
const judged = new WeakMap<readonly ActionBlock[], Map<string, boolean>>();

/** Do `blocks` grant `action` (some block's `actions` match it and that block's `notActions` do not)? */
export function isGranted(blocks: readonly ActionBlock[], action: string): boolean {
  let answers = judged.get(blocks);
  if (!answers) judged.set(blocks, (answers = new Map()));
  let granted = answers.get(action);
  if (granted === undefined) answers.set(action, (granted = grants(blocks, action)));
  return granted;
}

function grants(blocks: readonly ActionBlock[], action: string): boolean {
  return blocks.some(
    (block) =>
      block.actions.some((pattern) => actionMatches(pattern, action)) &&
      !block.notActions.some((pattern) => actionMatches(pattern, action)),
  );
}

/** The actions of `required` that no block grants. */
export function missingActions(blocks: readonly PermissionBlock[], required: readonly string[]): string[] {
  return required.filter((action) => !isGranted(blocks, action));
}
