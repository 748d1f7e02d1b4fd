/**
 * Deny assignments against the actions a check needs: a deny assignment "takes precedence over role assignments"
 * (https://learn.microsoft.com/azure/role-based-access-control/deny-assignments). It applies at its scope and below
 * unless `doNotApplyToChildScopes`; to its principals (the all-zero id is Everyone) except its `excludePrincipals`;
 * to the actions of a block's `actions` not in that block's `notActions` — matched as role actions are (and
 * remembered per blocks array as theirs are: an audit asks the same few actions of the same list for every VM).
 */
import type { DenyAssignmentFacts } from "../../azure/facts.js";
import { coversScopes } from "../../azure/permissions.js";
import { trimTrailingSlashes } from "../../trim.js";
import { isGranted } from "./permissions.js";

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
  const principal = principalId?.toLowerCase();
  const applicable = applicableAt(listed, resourceId.toLowerCase());
  for (const action of required) {
    // The first that surely applies, else the first that may: in list order.
    let possible: { deny: DenyAssignmentFacts; unsure: string } | undefined;
    let sure: DenyAssignmentFacts | undefined;
    for (const deny of applicable) {
      if (!isGranted(deny.blocks, action)) continue; // its blocks "grant" the action: it denies it
      const unsure = unsureFor(deny, principal, subject);
      if (unsure === undefined) {
        sure = deny;
        break;
      }
      if (unsure !== null) possible ??= { deny, unsure };
    }
    if (sure) found.push({ action, assignment: sure.name, scope: sure.scope });
    else if (possible) found.push({ action, assignment: possible.deny.name, scope: possible.deny.scope, unsure: possible.unsure });
  }
  return found.sort((a, b) => Number(a.unsure !== undefined) - Number(b.unsure !== undefined));
}

/** `/subscriptions/{s}/resourcegroups/{rg}` of a lower-case scope; undefined above a resource group. */
const groupOf = (scope: string) => /^\/subscriptions\/[^/]+\/resourcegroups\/[^/]+/.exec(scope)?.[0];

/** The deny assignments at one scope, with that scope prepared once (lower-case; its test), not once per VM. */
interface AtScope {
  scope: string;
  covers: (resourceId: string) => boolean;
  denies: DenyAssignmentFacts[];
}

// An audit judges every VM of a subscription against the same list (shared, never mutated): indexed once by resource
// group, and by scope within it, so a VM is tested against each scope above groups and in its own group once — not
// against every assignment of the subscription (a deployment stack per group makes thousands).
const indexes = new WeakMap<readonly DenyAssignmentFacts[], { above: Map<string, AtScope>; byGroup: Map<string, Map<string, AtScope>> }>();

/** The assignments of `listed` that apply at `resourceId` (lower-case), by scope in the order first listed. */
function applicableAt(listed: readonly DenyAssignmentFacts[], resourceId: string): DenyAssignmentFacts[] {
  let index = indexes.get(listed);
  if (!index) {
    index = { above: new Map(), byGroup: new Map() };
    for (const deny of listed) {
      const scope = trimTrailingSlashes(deny.scope.toLowerCase());
      const group = groupOf(scope);
      let scopes = index.above;
      if (group) scopes = index.byGroup.get(group) ?? index.byGroup.set(group, new Map()).get(group) ?? scopes;
      const at = scopes.get(scope) ?? scopes.set(scope, { scope, covers: coversScopes(scope), denies: [] }).get(scope);
      at?.denies.push(deny);
    }
    indexes.set(listed, index);
  }
  const group = groupOf(resourceId);
  const nearby = group ? [index.above, index.byGroup.get(group) ?? new Map<string, AtScope>()] : [index.above, ...index.byGroup.values()];
  const applicable: DenyAssignmentFacts[] = [];
  for (const scopes of nearby)
    for (const { scope, covers, denies } of scopes.values())
      if (covers(resourceId)) for (const deny of denies) if (!deny.doNotApplyToChildScopes || scope === resourceId) applicable.push(deny);
  return applicable;
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
