/** Shared by rbac-vm and rbac-storage: judge a principal's permission blocks against the actions needed. */
import type { PermissionFacts } from "../../azure/facts.js";
import type { Finding } from "../../types.js";
import type { DocumentedErrorId } from "../../catalog/index.js";
import { missingActions } from "./permissions.js";

export function judgePermissions(
  facts: PermissionFacts,
  required: readonly string[],
  what: string,
  documentedErrorId: DocumentedErrorId,
  fixArgs: Record<string, string>,
): Finding {
  const missing = missingActions(facts.blocks, required);
  const who = facts.source === "principal" ? `principal ${facts.principalId}` : "you";
  const evidence = {
    scope: facts.scope,
    evaluatedFor: facts.source === "principal" ? (facts.principalId ?? null) : "caller (Permissions API)",
    required: [...required],
    missing,
    roles: facts.roles ?? [],
    limitations: facts.limitations ?? ["deny assignments are not reflected by the Permissions API"],
  };
  if (missing.length === 0) return { status: "pass", reason: `${who} hold every action Serial Console needs on ${what}`, evidence };
  const args = { ...fixArgs, principal: facts.principalId ?? facts.callerObjectId ?? "" };
  // When the view could not include group memberships, a missing action may still come through a group: say so.
  const blind = (facts.limitations ?? []).some((l) => l.startsWith("group memberships"));
  if (blind) {
    return {
      status: "warn",
      reason: `no role seen for ${who} grants ${missing.join(", ")} on ${what}, but group memberships could not be expanded`,
      evidence,
      documentedErrorId,
      fixArgs: args,
    };
  }
  return { status: "fail", reason: `${who} lack ${missing.join(", ")} on ${what}`, evidence, documentedErrorId, fixArgs: args };
}
