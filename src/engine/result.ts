import { getEntry, renderFix } from "../catalog/index.js";
import type { CheckDefinition } from "../checks/define.js";
import type { CheckResult, Finding } from "../types.js";

const STATUSES = new Set(["pass", "fail", "warn", "skip", "error"]);

/**
 * Turn a check's finding into its contract result: words from the catalogue (documented error, mitigation,
 * fix templates filled with real names) for fail/warn findings.
 */
export function toCheckResult(check: CheckDefinition, finding: Finding, durationMs: number): CheckResult {
  if (!STATUSES.has(finding.status)) {
    return base(check, { status: "error", reason: `internal error: the check returned status '${String(finding.status)}'` }, durationMs);
  }
  const result = base(check, finding, durationMs);
  if ((finding.status === "fail" || finding.status === "warn") && finding.documentedErrorId) {
    const entry = getEntry(finding.documentedErrorId);
    if (entry) {
      result.documentedError = { id: entry.id, message: entry.message, source: entry.sources.join(", ") };
      result.mitigation = finding.mitigation ?? entry.mitigation;
      const fix = finding.fix ?? renderFix(entry.fix ?? [], finding.fixArgs ?? {});
      if (fix.length > 0) result.fix = fix;
    }
  } else if (finding.fix && finding.fix.length > 0 && finding.status !== "pass") {
    result.fix = finding.fix;
  }
  return result;
}

function base(check: CheckDefinition, finding: Pick<Finding, "status" | "reason" | "evidence">, durationMs: number): CheckResult {
  return {
    id: check.id,
    title: check.title,
    status: finding.status,
    reason: finding.reason || (finding.status === "error" ? "could not be evaluated (no reason was recorded)" : ""),
    durationMs: Math.round(durationMs),
    evidence: finding.evidence ?? {},
  };
}
