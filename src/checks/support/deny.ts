/**
 * Deny assignments against the actions a check needs: a deny assignment "takes precedence over role assignments"
 * (https://learn.microsoft.com/azure/role-based-access-control/deny-assignments). It applies at its scope and below
 * unless `doNotApplyToChildScopes`; to its principals (the all-zero id is Everyone) except its `excludePrincipals`;
 * to the actions of a block's `actions` not in that block's `notActions` — matched as role actions are.
 */
import type { DenyAssignmentFacts } from "../../azure/facts.js";
import { isPrefixScope } from "../../azure/permissions.js";
import { actionMatches } from "./permissions.js";

/** "Everyone": the principal of system deny assignments and deployment stacks' deny settings. */
const EVERYONE = "00000000-0000-0000-0000-000000000000";

export interface Denial {
  action: string;
  assignment: string;
  scope: string;
  /** Why it may not apply (a group whose membership is not known here, a condition); absent: it applies. */
  unsure?: string;
}

/**
 * The deny assignments of `listed` that deny an action of `required` at `resourceId` to `principalId` (lower-case
 * object id; undefined when not known). Each denied action once, definite denials before possible ones. `subject`
 * names the principal in the reasons ("you", "the principal").
 */
export function denials(
  listed: readonly DenyAssignmentFacts[],
  resourceId: string,
  required: readonly string[],
  principalId: string | undefined,
  subject = "you",
): Denial[] {
  const found: Denial[] = [];
  const nearby = candidates(listed, resourceId);
  for (const action of required) {
    const matches = nearby
      .filter((deny) => appliesAt(deny, resourceId) && denies(deny, action))
      .map((deny) => ({ deny, unsure: unsureFor(deny, principalId?.toLowerCase(), subject) }))
      .filter((match): match is { deny: DenyAssignmentFacts; unsure: string | undefined } => match.unsure !== null);
    const best = matches.find((match) => match.unsure === undefined) ?? matches[0];
    if (best) found.push({ action, assignment: best.deny.name, scope: best.deny.scope, ...(best.unsure ? { unsure: best.unsure } : {}) });
  }
  return found.sort((a, b) => Number(a.unsure !== undefined) - Number(b.unsure !== undefined));
}

/** `/subscriptions/{s}/resourcegroups/{rg}` of a scope, lower-cased; undefined above a resource group. */
const groupOf = (scope: string) => /^\/subscriptions\/[^/]+\/resourcegroups\/[^/]+/.exec(scope.toLowerCase())?.[0];

// An audit judges every VM of a subscription against the same list (shared, never mutated): indexed once by resource
// group, so a VM is tested against the assignments above groups and its own group's, not the whole subscription's.
const indexes = new WeakMap<
  readonly DenyAssignmentFacts[],
  { above: DenyAssignmentFacts[]; byGroup: Map<string, DenyAssignmentFacts[]> }
>();

/** The assignments of `listed` that may apply at `resourceId`: those above resource groups, and those in its group. */
function candidates(listed: readonly DenyAssignmentFacts[], resourceId: string): readonly DenyAssignmentFacts[] {
  let index = indexes.get(listed);
  if (!index) {
    index = { above: [], byGroup: new Map() };
    for (const deny of listed) {
      const group = groupOf(deny.scope);
      const into = !group ? index.above : (index.byGroup.get(group) ?? index.byGroup.set(group, []).get(group));
      into?.push(deny);
    }
    indexes.set(listed, index);
  }
  const group = groupOf(resourceId);
  return group ? [...index.above, ...(index.byGroup.get(group) ?? [])] : listed;
}

function appliesAt(deny: DenyAssignmentFacts, resourceId: string): boolean {
  if (!isPrefixScope(deny.scope, resourceId)) return false;
  return !deny.doNotApplyToChildScopes || deny.scope.toLowerCase() === resourceId.toLowerCase();
}

function denies(deny: DenyAssignmentFacts, action: string): boolean {
  return deny.blocks.some(
    (block) =>
      block.actions.some((pattern) => actionMatches(pattern, action)) &&
      !block.notActions.some((pattern) => actionMatches(pattern, action)),
  );
}

/** Principal types that are one identity: a principal of another id of these types is not the one judged. */
const SINGLE = new Set(["user", "serviceprincipal"]);

/** undefined: it applies to the principal; a reason: it may; null: it does not. */
function unsureFor(deny: DenyAssignmentFacts, principalId: string | undefined, subject: string): string | undefined | null {
  const isPrincipal = (p: { id: string }) => principalId !== undefined && p.id === principalId;
  const other = (p: { id: string; type: string }) => !isPrincipal(p) && p.id !== EVERYONE;
  const mayHold = (p: { id: string; type: string }) => other(p) && (principalId === undefined || !SINGLE.has(p.type.toLowerCase()));
  if (deny.excludePrincipals.some(isPrincipal)) return null;
  const named = deny.principals.some((p) => p.id === EVERYONE || isPrincipal(p));
  if (!named) return deny.principals.some(mayHold) ? `it names a group or identity that may include ${subject}` : null;
  if (deny.excludePrincipals.some(mayHold)) return `it excludes a group or identity that may include ${subject}`;
  if (deny.conditional) return "a condition limits the resources it applies to";
  return undefined;
}
