/**
 * `--output markdown`: a report to paste into a support ticket. Always redacted (the caller redacts the input;
 * the header says so). One VM: verdict, VM facts, checks, documented errors with mitigations, fixes, the ARM
 * correlation ids support asks for, tool version and time. An audit: the summary first, then a section per VM
 * that is not `ready`.
 */
import { SOURCE_TITLES, getEntry, type SourceDoc } from "../catalog/index.js";
import { VERDICT_RANK, type AuditSummary, type CheckResult, type Status, type VmResult } from "../types.js";
import { coverageGaps, partialAuditLine } from "./coverage.js";
import { mdCell, mdCode, mdId, mdText } from "./escape.js";
import { gathered, type FormatOptions, type ReportInput } from "./formats.js";
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

/** The summary lists every VM not evaluated and every subscription not audited, as the HTML page does. */
export const listsNotEvaluated = { vms: "the report's “Not evaluated” section", subscriptions: "its “Not covered” section" };

function summarySection(summary: AuditSummary, results: readonly VmResult[]): string[] {
  const lines = ["## Summary", ""];
  lines.push(
    ...table(
      ["VMs", "ready", "degraded", "blocked", "unknown"],
      [[summary.vms, summary.ready, summary.degraded, summary.blocked, summary.unknown].map(String)],
    ),
  );
  const partial = partialAuditLine(results);
  if (partial) lines.push("", `**Partial run:** ${mdText(partial)}; a “ready” among them was judged by these checks only.`);
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

/** The report's text in pieces: the header and summary, then a VM's section at a time. */
function* pieces(input: ReportInput): Generator<string> {
  const audit = input.summary !== undefined;
  const head = [audit ? "# Azure Serial Console audit" : "# Azure Serial Console diagnosis", ""];
  head.push(
    `Generated by ${mdText(input.tool.name)} ${mdText(input.tool.version)} at ${mdText(input.generatedAt)}. Subscription, tenant and object ids, user names and secrets are redacted.`,
    "",
  );
  if (!input.summary) {
    yield [...head, ...input.results.flatMap((result) => vmSection(result, 2))].join("\n");
    return;
  }
  head.push(...summarySection(input.summary, input.results));
  const notReady = input.results.filter((r) => r.verdict !== "ready");
  head.push("", `## VMs that are not ready (${notReady.length})`);
  // Worst first (a stable sort keeps the audit's order within a verdict), and no more than fit where it is pasted.
  const worstFirst = [...notReady].sort((a, b) => VERDICT_RANK[b.verdict] - VERDICT_RANK[a.verdict]);
  const left = worstFirst.slice(MAX_MARKDOWN_VMS);
  if (left.length > 0) {
    const counts = (["blocked", "unknown", "degraded"] as const).flatMap((v) => {
      const n = left.filter((r) => r.verdict === v).length;
      return n > 0 ? [`${n} ${v}`] : [];
    });
    head.push(
      "",
      `${notReady.length} VMs are not ready; the ${MAX_MARKDOWN_VMS} worst are detailed here. Not detailed: ${counts.join(", ")} (\`-o json\`, \`-o csv\` or \`-o html\` hold them all).`,
    );
  }
  yield head.join("\n");
  for (const result of worstFirst.slice(0, MAX_MARKDOWN_VMS)) yield `\n\n${vmSection(result, 3).join("\n")}`;
}

/** `--output markdown`'s note for stderr when an audit's VMs not ready pass `MAX_MARKDOWN_VMS`. */
export function leftOut(input: ReportInput): string | undefined {
  if (!input.summary) return undefined;
  const notReady = input.results.filter((r) => r.verdict !== "ready").length;
  if (notReady <= MAX_MARKDOWN_VMS) return undefined;
  return `the Markdown details the ${MAX_MARKDOWN_VMS} worst of ${notReady.toLocaleString("en-US")} VMs that are not ready; -o json, -o csv or -o html hold them all`;
}

/**
 * VM sections in an audit's Markdown at most: one is some 5 KB, and Markdown is pasted where size is bounded (a
 * GitHub comment holds 65,536 characters, a job summary 1 MiB): a 3,000-VM audit's 8 MB would be cut, perhaps before
 * any blocked VM.
 */
export const MAX_MARKDOWN_VMS = 100;

/**
 * `texts` joined, every run of three or more line breaks made two (blank lines that sections end and start with),
 * runs across pieces included.
 */
export function* collapsed(texts: Iterable<string>): Generator<string> {
  // Line breaks at the end of what was yielded: a run of them, at most two once collapsed.
  let run = 0;
  for (const raw of texts) {
    const text = raw.replace(/\n{3,}/g, "\n\n");
    const leading = /^\n*/.exec(text)?.[0].length ?? 0;
    const joined = run + leading >= 3 ? 2 : run + leading;
    if (leading === text.length) {
      yield "\n".repeat(joined - run);
      run = joined;
      continue;
    }
    yield "\n".repeat(joined - run) + text.slice(leading);
    run = /\n*$/.exec(text)?.[0].length ?? 0;
  }
}

/**
 * The report in parts, VM by VM: a fleet's Markdown (some 5 KB per VM that is not ready) as one string passes V8's
 * longest string (about 512 MiB) past 100,000 such VMs.
 */
export function formatParts(input: ReportInput, _options?: FormatOptions): Iterable<string> {
  return gathered(
    (function* () {
      yield* collapsed(pieces(input));
      yield "\n";
    })(),
  );
}

/** The whole report as Markdown (CommonMark + GitHub tables), from an input that is already redacted. */
export default function formatMarkdown(input: ReportInput, options: FormatOptions): string {
  return [...formatParts(input, options)].join("");
}
