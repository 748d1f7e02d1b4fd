/**
 * `--output table`, the human view. One VM: verdict first, then one line per check, then what to do about each
 * failure or warning; colour only when the caller says so (a TTY without NO_COLOR / --no-color). An audit: the
 * summary line, counts per check and per subscription, then each VM that is not ready. All Azure text is sanitised.
 */
import pc from "picocolors";
import type { FleetSummary } from "../fleet/summary.js";
import { CHECK_IDS, type Status, type Verdict, type VmResult } from "../types.js";
import { onlyResult, type FormatOptions, type ReportInput } from "./formats.js";
import { sanitizeLine, sanitizeText } from "./sanitize.js";

/** The audit table starts with the fleet summary line, so stderr does not repeat it. */
export const showsSummary = true;

export default function formatTable(input: ReportInput, options: FormatOptions): string {
  return input.summary ? formatAuditTable(input.results, input.summary) : formatVmTable(onlyResult(input), options);
}

type Paint = ReturnType<typeof pc.createColors>;

const STATUS_LABEL: Record<Status, string> = { pass: "PASS", fail: "FAIL", warn: "WARN", skip: "SKIP", error: "ERROR" };
export const VERDICT_TEXT: Record<Verdict, string> = {
  ready: "ready — Serial Console should work",
  degraded: "degraded — Serial Console may work with limitations",
  unknown: "unknown — some checks could not be evaluated",
  blocked: "blocked — Serial Console will not work until the failures below are fixed",
};

function paintStatus(paint: Paint, status: Status, text: string): string {
  const colour = { pass: paint.green, fail: paint.red, warn: paint.yellow, skip: paint.dim, error: paint.magenta }[status];
  return colour(text);
}

function paintVerdict(paint: Paint, verdict: Verdict, text: string): string {
  return { ready: paint.green, degraded: paint.yellow, unknown: paint.magenta, blocked: paint.red }[verdict](paint.bold(text));
}

export function formatVmTable(result: VmResult, options: { color: boolean; verbose?: boolean }): string {
  const paint = pc.createColors(options.color);
  const lines: string[] = [];
  const name = sanitizeLine(result.vm.name, 120);
  lines.push(
    `${paintVerdict(paint, result.verdict, `${result.verdict.toUpperCase()}`)}  ${name}  ${paint.dim(sanitizeLine(VERDICT_TEXT[result.verdict]))}`,
  );
  lines.push(paint.dim(sanitizeLine(result.vm.id, 400)));
  lines.push("");
  const width = Math.max(...result.checks.map((c) => c.id.length), 8);
  for (const check of result.checks) {
    const label = paintStatus(paint, check.status, STATUS_LABEL[check.status].padEnd(5));
    const timing = options.verbose ? paint.dim(` (${check.durationMs} ms)`) : "";
    lines.push(`  ${label}  ${check.id.padEnd(width)}  ${sanitizeLine(check.reason, 300)}${timing}`);
  }
  const actionable = result.checks.filter((c) => c.status === "fail" || c.status === "warn");
  for (const check of actionable) {
    lines.push("");
    lines.push(`${paintStatus(paint, check.status, STATUS_LABEL[check.status])} ${paint.bold(check.id)}: ${sanitizeLine(check.title)}`);
    if (check.documentedError) lines.push(`  Documented error: "${sanitizeLine(check.documentedError.message, 600)}"`);
    if (check.mitigation) lines.push(`  Mitigation: ${sanitizeLine(check.mitigation, 800)}`);
    for (const fix of check.fix ?? []) lines.push(`  Fix: ${paint.cyan(sanitizeText(fix).replace(/\n/g, " "))}`);
  }
  return `${lines.join("\n")}\n`;
}

/** The audit's one-line summary (the table's first line; on stderr after the other formats). */
export function formatSummaryLine(summary: FleetSummary): string {
  const s = summary;
  const missing = s.notEvaluated?.length ? `; ${s.notEvaluated.length} not evaluated` : "";
  return `audit: ${s.vms} VMs — ${s.ready} ready, ${s.degraded} degraded, ${s.blocked} blocked, ${s.unknown} unknown${missing}\n`;
}

export function formatDriftLine(summary: FleetSummary): string {
  const d = summary.drift;
  return d ? `drift: ${d.newlyBlocked.length} newly blocked, ${d.fixed.length} fixed, ${d.stillBlocked.length} still blocked\n` : "";
}

export function formatAuditTable(results: readonly VmResult[], summary: FleetSummary): string {
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
  for (const result of results.filter((r) => r.verdict !== "ready")) {
    lines.push(`${result.verdict.toUpperCase().padEnd(8)} ${sanitizeLine(result.vm.id)}`);
    for (const c of result.checks.filter((c) => c.status === "fail" || c.status === "error" || c.status === "warn")) {
      lines.push(`         ${c.status.padEnd(5)} ${c.id}: ${sanitizeLine(c.reason, 200)}`);
    }
  }
  const drift = formatDriftLine(summary);
  if (drift) lines.push("", drift.trimEnd());
  return `${lines.join("\n")}\n`;
}
