/** Shared by rbac-vm and rbac-storage: judge a principal's permission blocks against the actions needed. */
import type { PermissionFacts } from "../../azure/facts.js";
import { LIGHTHOUSE_LIMITATION } from "../../azure/permissions.js";
import type { Finding } from "../../types.js";
import type { DocumentedErrorId } from "../../catalog/index.js";
import { denials, type Denial } from "./deny.js";
import { missingActions } from "./permissions.js";

/** What the evaluation cannot see: the view's own limits, and deny assignments unless they were read. */
function limitationsOf(facts: PermissionFacts): string[] {
  const others = (facts.limitations ?? []).filter((line) => !line.startsWith("deny assignments"));
  const deny = facts.denyAssignments;
  if (deny && "listed" in deny) {
    const skipped = deny.skipped ?? [];
    if (skipped.length === 0) return others;
    const n = skipped.length;
    return [
      ...others,
      `${n} deny assignment${n === 1 ? "" : "s"} could not be read and ${n === 1 ? "is" : "are"} not judged (${skipped[0]})`,
    ];
  }
  const unread = deny
    ? `deny assignments could not be read (${deny.unreadable})`
    : "deny assignments are not reflected by the Permissions API";
  return [...others, unread];
}

/** Why a deny assignment may have gone unseen, when it may: the list did not come, or some rows could not be read. */
function unseenDenials(facts: PermissionFacts): string | undefined {
  const deny = facts.denyAssignments;
  if (!deny) return undefined;
  if ("unreadable" in deny) return deny.notOffered ? undefined : `the deny assignments could not be read (${deny.unreadable})`;
  const n = deny.skipped?.length ?? 0;
  return n > 0 ? `${n} deny assignment${n === 1 ? "" : "s"} could not be read (${deny.skipped?.[0]})` : undefined;
}

const shownDenial = (d: Denial) => `${d.action} (deny assignment "${d.assignment}" at ${d.scope}${d.unsure ? `; ${d.unsure}` : ""})`;

/**
 * `facts` (the role view at `facts.scope`) against `required`, with the deny assignments that bear on `resourceId`
 * — the resource the actions act on, which may lie below the scope roles are judged at (a scale set's instance).
 */
export function judgePermissions(
  facts: PermissionFacts,
  required: readonly string[],
  what: string,
  documentedErrorId: DocumentedErrorId,
  fixArgs: Record<string, string>,
  resourceId: string = facts.scope,
): Finding {
  const missing = missingActions(facts.blocks, required);
  const principal = facts.source === "principal";
  const who = principal ? `principal ${facts.principalId}` : "you";
  // The verb agrees with its subject: "you hold", "principal … holds".
  const verb = (plural: string, singular: string) => `${who} ${principal ? singular : plural}`;
  const principalId = facts.principalId ?? facts.callerObjectId;
  const denied =
    facts.denyAssignments && "listed" in facts.denyAssignments
      ? denials(facts.denyAssignments.listed, resourceId, required, principalId, principal ? "the principal" : "you")
      : [];
  const evidence = {
    scope: facts.scope,
    evaluatedFor: facts.source === "principal" ? (facts.principalId ?? null) : "caller (Permissions API)",
    required: [...required],
    missing,
    roles: facts.roles ?? [],
    ...(denied.length > 0
      ? { denied: denied.map(({ action, assignment, scope, unsure }) => ({ action, assignment, scope, sure: !unsure })) }
      : {}),
    limitations: limitationsOf(facts),
  };
  const args = { ...fixArgs, principal: principalId ?? "" };
  // A deny assignment wins over any role: a role assignment cannot lift it (no fix), only its owner can (a
  // deployment stack's deny settings, a managed application, whoever created it) — by excluding the principal.
  const sure = denied.filter((d) => !d.unsure);
  // Missing roles too: a role granted would still be denied, so the denial is what to name (and no role fix).
  if (sure.length > 0)
    return {
      status: "fail",
      reason: `${verb("are", "is")} denied ${sure.map(shownDenial).join(", ")} on ${what}${missing.length > 0 ? ` (and lack ${missing.join(", ")})` : ""}: a deny assignment overrides every role, so only its owner can lift it (exclude ${principal ? "the principal" : "you"} from it)`,
      evidence,
      documentedErrorId: "deny-assignment",
      fixArgs: args,
      fix: [],
    };
  // A denial not seen may be there: the list did not come (Azure did not answer), or rows of it could not be read.
  const unseen = missing.length === 0 && sure.length === 0 ? unseenDenials(facts) : undefined;
  if (unseen)
    return {
      status: "error",
      reason: `${verb("hold", "holds")} every action Serial Console needs on ${what}, but ${unseen}: one may deny them`,
      evidence,
    };
  if (missing.length === 0 && denied.length > 0)
    return {
      status: "warn",
      reason: `${verb("hold", "holds")} every action Serial Console needs on ${what}, but a deny assignment may deny ${denied.map(shownDenial).join(", ")}`,
      evidence,
      documentedErrorId: "deny-assignment",
      fixArgs: args,
      fix: [],
    };
  if (missing.length === 0) {
    const deny = facts.denyAssignments;
    const unread = deny && "notOffered" in deny ? ` (deny assignments not offered here: ${deny.notOffered})` : "";
    return { status: "pass", reason: `${verb("hold", "holds")} every action Serial Console needs on ${what}${unread}`, evidence };
  }
  // When the view could not include group memberships or Lighthouse delegations, a missing action may still come
  // through them: say so.
  const limitations = facts.limitations ?? [];
  const blind = limitations.some((l) => l.startsWith("group memberships"))
    ? "group memberships could not be expanded"
    : limitations.some((l) => l.startsWith(LIGHTHOUSE_LIMITATION))
      ? `${LIGHTHOUSE_LIMITATION} (the subscription is managed through Azure Lighthouse)`
      : undefined;
  if (blind) {
    return {
      status: "warn",
      reason: `no role seen for ${who} grants ${missing.join(", ")} on ${what}, but ${blind}`,
      evidence,
      documentedErrorId,
      fixArgs: args,
    };
  }
  return {
    status: "fail",
    reason: `${verb("lack", "lacks")} ${missing.join(", ")} on ${what}`,
    evidence,
    documentedErrorId,
    fixArgs: args,
  };
}
