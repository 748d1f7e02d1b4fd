/** The audit's human summary (`-o table`, and the one-line summary on stderr after jsonl). */
import pc from "picocolors";
import { sanitizeLine } from "../report/sanitize.js";
import { paintStatus, paintVerdict } from "../report/table.js";
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

/**
 * `audit -o table`: the summary, counts by check and subscription, then each VM that is not ready with its
 * findings (short `resource group/name` ids; the full ids are in every other format), and the summary again at
 * the bottom, where a long listing ends.
 */
export function formatAuditTable(report: AuditReport & { summary: FleetSummary }, options: { color: boolean } = { color: false }): string {
  const paint = pc.createColors(options.color);
  const { summary } = report;
  const lines = [paint.bold(formatSummaryLine(summary).trimEnd()), ""];
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
  const manySubscriptions = new Set(report.results.map((r) => r.vm.subscriptionId)).size > 1;
  for (const result of report.results.filter((r) => r.verdict !== "ready")) {
    const { vm } = result;
    const where = manySubscriptions ? `  (subscription ${sanitizeLine(vm.subscriptionId, 40)})` : "";
    const shortId =
      vm.resourceGroup && vm.name ? `${sanitizeLine(vm.resourceGroup, 90)}/${sanitizeLine(vm.name, 80)}` : sanitizeLine(vm.id);
    lines.push(`${paintVerdict(paint, result.verdict, result.verdict.toUpperCase().padEnd(8))} ${shortId}${paint.dim(where)}`);
    for (const c of result.checks.filter((c) => c.status === "fail" || c.status === "error" || c.status === "warn")) {
      lines.push(`         ${paintStatus(paint, c.status, c.status.padEnd(5))} ${c.id}: ${sanitizeLine(c.reason, 200)}`);
    }
  }
  const drift = formatDriftLine(summary);
  if (drift) lines.push("", drift.trimEnd());
  if (report.results.some((r) => r.verdict !== "ready")) lines.push("", paint.bold(formatSummaryLine(summary).trimEnd()));
  return `${lines.join("\n")}\n`;
}
