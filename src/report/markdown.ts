/**
 * `--output markdown`: a report to paste into a support ticket. Always redacted (the caller redacts the input;
 * the header says so). One VM: verdict, VM facts, checks, documented errors with mitigations, fixes, the ARM
 * correlation ids support asks for, tool version and time. An audit: the summary first, then a section per VM
 * that is not `ready`.
 */
import { SOURCE_TITLES, getEntry, type SourceDoc } from "../catalog/index.js";
import type { AuditSummary, CheckResult, Status, VmResult } from "../types.js";
import { coverageGaps } from "./coverage.js";
import { mdCell, mdCode, mdId, mdText } from "./escape.js";
import type { FormatOptions, ReportInput } from "./formats.js";
import { verdictText } from "./table.js";
import { vmFactRows } from "./vm-facts.js";
import { reasonForPeople } from "./reason.js";

const STATUS: Record<Status, string> = { pass: "✅ pass", fail: "❌ fail", warn: "⚠️ warn", skip: "⏭️ skip", error: "❓ error" };

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  return [`| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`, ...rows.map((row) => `| ${row.join(" | ")} |`)];
}

function vmFacts(result: VmResult): string[] {
  return table(
    ["Fact", "Value"],
    vmFactRows(result).map(([k, v]) => [k, mdCell(v)]),
  );
}

function sourceText(check: CheckResult): string {
  const entry = check.documentedError ? getEntry(check.documentedError.id) : undefined;
  const sources =
    entry?.sources.map((id: SourceDoc) => SOURCE_TITLES[id]) ?? (check.documentedError?.source ? [check.documentedError.source] : []);
  return sources.length > 0 ? ` — ${mdText(sources.join("; "))}` : "";
}

function finding(check: CheckResult, level: string): string[] {
  const lines = [
    `${level} ${STATUS[check.status]} ${mdId(check.id)} — ${mdText(check.title)}`,
    "",
    `**Result:** ${mdText(reasonForPeople(check))}`,
  ];
  if (check.documentedError) {
    lines.push(
      "",
      `**Documented error** (${mdId(check.documentedError.id)}${sourceText(check)}):`,
      "",
      `> ${mdText(check.documentedError.message)}`,
    );
  }
  if (check.mitigation) lines.push("", `**Mitigation:** ${mdText(check.mitigation)}`);
  if (check.fix && check.fix.length > 0) lines.push("", "**Suggested fix:**", "", mdCode(check.fix, "sh"));
  return lines;
}

function vmSection(result: VmResult, level: number): string[] {
  const h = "#".repeat(level);
  const lines = [
    `${h} ${mdText(result.vm.name || result.vm.id)} — ${result.verdict.toUpperCase()}`,
    "",
    `**Verdict:** ${verdictText(result)}`,
    "",
  ];
  lines.push(...vmFacts(result), "", `${h}# Checks`, "");
  lines.push(
    ...table(
      ["Status", "Check", "Result"],
      result.checks.map((c) => [STATUS[c.status], mdId(c.id), mdCell(reasonForPeople(c), 300)]),
    ),
  );
  const actionable = result.checks.filter((c) => c.status === "fail" || c.status === "warn" || c.status === "error");
  if (actionable.length > 0) {
    lines.push("", `${h}# Documented errors, mitigations and fixes`);
    for (const check of actionable) lines.push("", ...finding(check, `${h}##`));
  }
  const ids = result.correlationIds ?? [];
  lines.push("", `${h}# ARM correlation ids`, "");
  if (ids.length === 0) lines.push("(none recorded)");
  else
    lines.push(
      `Quote these to Azure support (\`x-ms-correlation-request-id\` of the ${ids.length} Resource Manager call${ids.length === 1 ? "" : "s"} made):`,
      "",
      mdCode(ids),
    );
  return lines;
}

function summarySection(summary: AuditSummary): string[] {
  const lines = ["## Summary", ""];
  lines.push(
    ...table(
      ["VMs", "ready", "degraded", "blocked", "unknown"],
      [[summary.vms, summary.ready, summary.degraded, summary.blocked, summary.unknown].map(String)],
    ),
  );
  const byCheck = Object.entries(summary.byCheck).filter(([, c]) => c && c.fail + c.warn + c.error > 0);
  if (byCheck.length > 0) {
    lines.push("", "### Findings by check", "");
    lines.push(
      ...table(
        ["Check", "fail", "warn", "error"],
        byCheck.map(([id, c]) => [mdId(id), String(c?.fail ?? 0), String(c?.warn ?? 0), String(c?.error ?? 0)]),
      ),
    );
  }
  const gaps = coverageGaps(summary);
  if (gaps.length > 0) lines.push("", "### Not covered", "", ...gaps.map((gap) => `- ${mdText(gap)}`));
  if (summary.notEvaluated && summary.notEvaluated.length > 0) {
    lines.push("", `### Not evaluated (${summary.notEvaluated.length})`, "", ...summary.notEvaluated.map((id) => `- ${mdText(id)}`));
  }
  return lines;
}

/**
 * Tickets are read by people outside the tenant: the pipeline redacts markdown's input whatever `--redact` says
 * (docs/contract.md, `--redact`).
 */
export const alwaysRedacts = true;

/** The whole report as Markdown (CommonMark + GitHub tables), from an input that is already redacted. */
export default function formatMarkdown(input: ReportInput, _options: FormatOptions): string {
  const audit = input.summary !== undefined;
  const lines = [audit ? "# Azure Serial Console audit" : "# Azure Serial Console diagnosis", ""];
  lines.push(
    `Generated by ${mdText(input.tool.name)} ${mdText(input.tool.version)} at ${mdText(input.generatedAt)}. Subscription, tenant and object ids, user names and secrets are redacted.`,
    "",
  );
  if (input.summary) {
    lines.push(...summarySection(input.summary));
    const notReady = input.results.filter((r) => r.verdict !== "ready");
    lines.push("", `## VMs that are not ready (${notReady.length})`);
    for (const result of notReady) lines.push("", ...vmSection(result, 3));
  } else {
    for (const result of input.results) lines.push(...vmSection(result, 2));
  }
  return `${lines.join("\n").replace(/\n{3,}/g, "\n\n")}\n`;
}
