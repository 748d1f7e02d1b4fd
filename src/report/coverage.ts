/**
 * What an audit did not cover, for the formats people read: subscriptions it could not enumerate
 * (`summary.unevaluatedSubscriptions`, with Azure's reason) and VMs it enumerated but did not evaluate
 * (`summary.notEvaluated`, an interrupted run); for `report`, inputs written by an audit that failed
 * (`summary.failedInputs`), whose VMs are missing. A report that left them out would read as a complete audit.
 */
import type { AuditSummary, FailedInput } from "../types.js";

/** "input a.jsonl, line 3, was not merged: the audit that wrote it failed (code: message)". */
export function failedInputGap({ input, line, code, message }: FailedInput): string {
  return `input ${input}${line === undefined ? "" : `, line ${line},`} was not merged: the audit that wrote it failed (${code}: ${message})`;
}

/**
 * One sentence per gap, in order: each input from a failed audit, each subscription not audited, then the VMs not
 * evaluated (empty: complete).
 */
export function coverageGaps(summary: AuditSummary | undefined): string[] {
  if (!summary) return [];
  const subscriptions = (summary.unevaluatedSubscriptions ?? []).map(
    ({ subscriptionId, reason }) => `subscription ${subscriptionId} was not audited: ${reason}`,
  );
  const vms = summary.notEvaluated?.length ?? 0;
  const interrupted = vms > 0 ? [`${vms} enumerated VM${vms === 1 ? " was" : "s were"} not evaluated (the run was interrupted)`] : [];
  const inputs = (summary.failedInputs ?? []).map(failedInputGap);
  return [...inputs, ...subscriptions, ...interrupted];
}
