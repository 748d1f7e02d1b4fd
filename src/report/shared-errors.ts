/**
 * One failed read of Azure makes every check that needed it `error` with the same reason (a 403 on the VM GET is
 * a dozen identical rows). The table says it once: later rows point at the first, and a refused read gets one block
 * with the whole answer and what access it needs.
 */
import type { CheckResult } from "../types.js";
import { reasonForPeople } from "./reason.js";

/** A reason shared by several `error` checks, with the checks in the order given. */
export interface SharedError {
  reason: string;
  checks: CheckResult[];
  /** Azure answered 403: the caller's access, not the resource, is the problem. */
  denied: boolean;
}

/**
 * The `error` checks grouped by their reason as people read it (`reasonForPeople`: timeouts that waited for
 * different reads are not one failure), first occurrence first.
 */
export function sharedErrors(checks: readonly CheckResult[]): Map<string, SharedError> {
  const groups = new Map<string, SharedError>();
  for (const check of checks) {
    if (check.status !== "error") continue;
    const reason = reasonForPeople(check);
    const group = groups.get(reason);
    if (group) group.checks.push(check);
    else groups.set(reason, { reason, checks: [check], denied: refusedRead(check) });
  }
  return groups;
}

/**
 * Resource Manager refused a read (403 on a fact, src/engine/errors.ts sets `operation`): the caller's access is
 * the problem. Not a storage firewall refusing this machine's address (the serial log's blob), also a 403, nor a
 * proxy answering for Azure (`proxy`).
 */
function refusedRead(check: CheckResult): boolean {
  return check.evidence["statusCode"] === 403 && typeof check.evidence["operation"] === "string" && check.evidence["proxy"] === undefined;
}

/** "could not read the VM: 403 AuthorizationFailed — <Azure's message>" → the part before Azure's message. */
export function reasonHead(reason: string): string {
  const dash = reason.indexOf(" — ");
  return dash > 0 ? reason.slice(0, dash) : reason;
}

/**
 * What a refused read needs, in words. The actions are the ones sc-doctor's reads use (see `sc-doctor checks`);
 * Reader grants every `*\/read` action but no `action` such as retrieveBootDiagnosticsData
 * (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/general#reader).
 */
export const ACCESS_HINT =
  "sc-doctor reads with the signed-in caller's own access: grant the action Azure names, at that scope. The built-in " +
  "Reader role covers every read; the serial log also needs Microsoft.Compute/virtualMachines/" +
  "retrieveBootDiagnosticsData/action. `sc-doctor checks` lists what each check needs.";
