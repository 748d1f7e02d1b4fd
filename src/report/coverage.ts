/**
 * What an audit did not cover, for the formats people read: subscriptions it could not enumerate
 * (`summary.unevaluatedSubscriptions`, with Azure's reason) and VMs it enumerated but did not evaluate
 * (`summary.notEvaluated`, an interrupted run); for `report`, inputs written by an audit that failed
 * (`summary.failedInputs`), whose VMs are missing; and the checks an `--only`/`--skip` run left out (`partial`
 * results). A report that left them out would read as a complete audit.
 */
import { PARTLY_LISTED } from "../fleet/unevaluated-reasons.js";
import { CHECK_IDS, type AuditSummary, type FailedInput, type VmResult } from "../types.js";

/** "input a.jsonl, line 3, was not merged: the audit that wrote it failed (code: message)". */
export function failedInputGap({ input, line, code, message }: FailedInput): string {
  return `input ${input}${line === undefined ? "" : `, line ${line},`} was not merged: the audit that wrote it failed (${code}: ${message})`;
}

/** "not audited", or "only partly audited" when its reason says the VMs listed before the failure were audited. */
export function notAuditedWords(reason: string): string {
  return reason.startsWith(PARTLY_LISTED) ? "only partly audited" : "not audited";
}

/**
 * One sentence per gap, in order: each input from a failed audit, each subscription not audited, each
 * `--resource-group` found nowhere, then the VMs not evaluated (empty: complete).
 */
export function coverageGaps(summary: AuditSummary | undefined): string[] {
  if (!summary) return [];
  const subscriptions = (summary.unevaluatedSubscriptions ?? []).map(
    ({ subscriptionId, reason }) => `subscription ${subscriptionId} was ${notAuditedWords(reason)}: ${reason}`,
  );
  const vms = summary.notEvaluated?.length ?? 0;
  const interrupted = vms > 0 ? [`${vms} enumerated VM${vms === 1 ? " was" : "s were"} not evaluated (the run was interrupted)`] : [];
  const inputs = (summary.failedInputs ?? []).map(failedInputGap);
  const groups = (summary.absentResourceGroups ?? []).map(absentGroupGap);
  return [...inputs, ...subscriptions, ...groups, ...interrupted];
}

/** An audit with `--only`/`--skip`: which checks its verdicts are about (docs/contract.md: "2 of 20 checks run"). */
export function partialAuditLine(results: Iterable<Pick<VmResult, "partial" | "checks">>): string | undefined {
  const ran = new PartialChecks();
  for (const result of results) ran.add(result);
  return ran.line();
}

/** The checks that ran in results `--only`/`--skip` made partial, gathered one result at a time (a streamed audit). */
export class PartialChecks {
  private readonly ran = new Set<string>();
  private partial = 0;
  private total = 0;
  /** Some check of a partial result judged something (any status but skip). */
  private judged = false;

  add(result: Pick<VmResult, "partial" | "checks">): void {
    this.total++;
    if (!result.partial) return;
    this.partial++;
    for (const check of result.checks) {
      this.ran.add(check.id);
      if (check.status !== "skip") this.judged = true;
    }
  }

  /**
   * "verdicts are about the checks that ran: 2 of 20 checks run (…)" — prefixed "3 of 10 VMs'" when others (merged
   * by `report`) ran every check, followed by "nothing was judged" when every check that ran skipped — or undefined
   * when no result was partial.
   */
  line(): string | undefined {
    if (this.partial === 0) return undefined;
    const whose = this.partial === this.total ? "verdicts" : `${this.partial} of ${this.total} VMs' verdicts`;
    // `audit --only serial-log` without --serial-log: "23 ready" would read as 23 consoles that work.
    const nothing = this.judged ? "" : " — nothing was judged: every check that ran was skipped (each result says why)";
    return `${whose} are about the checks that ran: ${this.ran.size} of ${CHECK_IDS.length} checks run (${[...this.ran].join(", ")})${nothing}`;
  }
}

/** A `--resource-group` the audit found in none of its subscriptions, as a coverage gap. */
export function absentGroupGap(name: string): string {
  return `resource group ${name} was not found in any audited subscription`;
}
