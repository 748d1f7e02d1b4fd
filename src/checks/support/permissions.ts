/**
 * Azure RBAC action matching (role-definitions.md): an action is granted when some permission block has a
 * matching `actions` pattern and no matching `notActions` pattern *in that same block* — NotActions subtract,
 * they do not deny. `*` matches any run of characters, `/` included; comparison ignores case. Control-plane
 * `actions` never grant data actions.
 */
import type { PermissionBlock } from "../../azure/facts.js";

const cache = new Map<string, RegExp>();

/** Does the RBAC pattern (e.g. `Microsoft.Compute/*` or `*` + `/read`) match this action? */
export function actionMatches(pattern: string, action: string): boolean {
  let regex = cache.get(pattern);
  if (!regex) {
    const source = pattern.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*");
    regex = new RegExp(`^${source}$`, "i");
    if (cache.size < 10_000) cache.set(pattern, regex);
  }
  return regex.test(action);
}

export function isGranted(blocks: readonly PermissionBlock[], action: string): boolean {
  return blocks.some(
    (block) => block.actions.some((pattern) => actionMatches(pattern, action)) && !block.notActions.some((pattern) => actionMatches(pattern, action)),
  );
}

/** The actions of `required` that no block grants. */
export function missingActions(blocks: readonly PermissionBlock[], required: readonly string[]): string[] {
  return required.filter((action) => !isGranted(blocks, action));
}
