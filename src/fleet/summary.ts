/** The audit summary (CONTRACT.md): by verdict, by check, by subscription — built incrementally as VMs finish. */
import type { AuditSummary, VmResult } from "../types.js";

export class SummaryBuilder {
  private readonly summary: AuditSummary = { vms: 0, ready: 0, degraded: 0, blocked: 0, unknown: 0, byCheck: {}, bySubscription: {} };

  add(result: VmResult): void {
    const s = this.summary;
    s.vms++;
    s[result.verdict]++;
    for (const check of result.checks) {
      if (check.status !== "fail" && check.status !== "warn" && check.status !== "error") continue;
      const counts = (s.byCheck[check.id] ??= { fail: 0, warn: 0, error: 0 });
      counts[check.status]++;
    }
    const bySub = (s.bySubscription ??= {});
    const sub = (bySub[result.vm.subscriptionId] ??= { vms: 0, ready: 0, degraded: 0, blocked: 0, unknown: 0 });
    sub.vms++;
    sub[result.verdict]++;
  }

  build(notEvaluated: string[]): AuditSummary {
    return notEvaluated.length ? { ...this.summary, notEvaluated } : { ...this.summary };
  }
}

export interface Drift {
  newlyBlocked: string[];
  fixed: string[];
  stillBlocked: string[];
}

/** Compare with a previous `audit --output json`: which VMs became blocked, which were fixed. */
export function drift(baseline: { results?: { vm?: { id?: string }; verdict?: string }[] }, current: VmResult[]): Drift {
  const before = new Map<string, string>();
  for (const result of baseline.results ?? []) if (result.vm?.id && result.verdict) before.set(result.vm.id.toLowerCase(), result.verdict);
  const out: Drift = { newlyBlocked: [], fixed: [], stillBlocked: [] };
  for (const result of current) {
    const was = before.get(result.vm.id.toLowerCase());
    if (result.verdict === "blocked") (was === "blocked" ? out.stillBlocked : out.newlyBlocked).push(result.vm.id);
    else if (was === "blocked") out.fixed.push(result.vm.id);
  }
  return out;
}
