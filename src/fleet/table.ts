/** The audit's human summary (`-o table`, and the one-line summary on stderr after jsonl). */
import { sanitizeLine } from "../report/sanitize.js";
import { CHECK_IDS, type AuditReport } from "../types.js";
import type { FleetSummary } from "./summary.js";

export function formatSummaryLine(summary: FleetSummary): string {
  const s = summary;
  const missing = s.notEvaluated?.length ? `; ${s.notEvaluated.length} not evaluated` : "";
  return `audit: ${s.vms} VMs — ${s.ready} ready, ${s.degraded} degraded, ${s.blocked} blocked, ${s.unknown} unknown${missing}\n`;
}

export function formatDriftLine(summary: FleetSummary): string {
  const d = summary.drift;
  return d ? `drift: ${d.newlyBlocked.length} newly blocked, ${d.fixed.length} fixed, ${d.stillBlocked.length} still blocked\n` : "";
}

export function formatAuditTable(report: AuditReport & { summary: FleetSummary }): string {
  const { summary } = report;
  const lines = [formatSummaryLine(summary).trimEnd(), ""];
  const byCheck = CHECK_IDS.flatMap((id) => (summary.byCheck[id] ? [[id, summary.byCheck[id]] as const] : []));
  if (byCheck.length) {
    lines.push("check                  fail  warn  error");
    for (const [id, c] of byCheck)
      lines.push(`${id.padEnd(21)}  ${String(c.fail).padStart(4)}  ${String(c.warn).padStart(4)}  ${String(c.error).padStart(5)}`);
    lines.push("");
  }
  const subs = Object.entries(summary.bySubscription ?? {});
  if (subs.length > 1) {
    lines.push("subscription                            vms  ready  degraded  blocked  unknown");
    for (const [id, c] of subs) {
      lines.push(
        `${sanitizeLine(id).padEnd(36)}  ${String(c.vms).padStart(5)}  ${String(c.ready).padStart(5)}  ${String(c.degraded).padStart(8)}  ${String(c.blocked).padStart(7)}  ${String(c.unknown).padStart(7)}`,
      );
    }
    lines.push("");
  }
  for (const result of report.results.filter((r) => r.verdict !== "ready")) {
    lines.push(`${result.verdict.toUpperCase().padEnd(8)} ${sanitizeLine(result.vm.id)}`);
    for (const c of result.checks.filter((c) => c.status === "fail" || c.status === "error" || c.status === "warn")) {
      lines.push(`         ${c.status.padEnd(5)} ${c.id}: ${sanitizeLine(c.reason, 200)}`);
    }
  }
  const drift = formatDriftLine(summary);
  if (drift) lines.push("", drift.trimEnd());
  return `${lines.join("\n")}\n`;
}
