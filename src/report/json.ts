/** `--output json`: exactly the contract's document (schemaVersion 1), for one VM or for an audit. */
import type { AuditReport, ToolInfo, VmReport, VmResult } from "../types.js";
import { gathered, onlyResult, type FatalDocument, type ReportInput } from "./formats.js";
import { stringifyMasked } from "./secrets.js";

/** The audit's JSON lists every VM not evaluated, and every subscription not audited, in its summary. */
export const listsNotEvaluated = { vms: "summary.notEvaluated", subscriptions: "summary.unevaluatedSubscriptions" };

/** `{ schemaVersion, tool, error: { code, message, credentials? } }` — one line, so it is valid `jsonl` too. */
export function formatFatal(error: FatalDocument, tool: ToolInfo): string {
  return `${stringifyMasked({ schemaVersion: 1, tool, error })}\n`;
}

export function vmReport(input: ReportInput, result: VmResult): VmReport {
  return { schemaVersion: 1, tool: input.tool, generatedAt: input.generatedAt, ...result };
}

function auditReport(input: ReportInput, summary: AuditReport["summary"]): AuditReport {
  return {
    schemaVersion: 1,
    tool: input.tool,
    generatedAt: input.generatedAt,
    ...(input.scope ? { scope: input.scope } : {}),
    ...(input.shard ? { shard: input.shard } : {}),
    ...(input.mergedScopes ? { mergedScopes: input.mergedScopes } : {}),
    summary,
    results: input.results,
  };
}

export default function formatJson(input: ReportInput): string {
  const document = input.summary ? auditReport(input, input.summary) : vmReport(input, onlyResult(input));
  return `${JSON.stringify(document, null, 2)}\n`;
}

/**
 * `formatJson`'s text in parts, result by result. One string of a whole audit passes V8's limit on a string's length
 * (2^29 − 24 characters, about 512 MiB) near 50,000 VMs: `JSON.stringify` then throws and the finished audit was lost
 * (exit 4). `results` is the document's last key, so the text before it is the document with an empty list, and
 * each result is its own `JSON.stringify(…, null, 2)` indented by two levels (a string never holds a raw newline).
 */
export function formatParts(input: ReportInput): Iterable<string> {
  const summary = input.summary;
  if (!summary || input.results.length === 0) return [formatJson(input)];
  return gathered(
    (function* () {
      const empty = JSON.stringify(auditReport({ ...input, results: [] }, summary), null, 2);
      const close = "[]\n}";
      if (!empty.endsWith(close)) throw new Error("the audit document does not end with its results");
      yield `${empty.slice(0, -close.length)}[\n`;
      const last = input.results.length - 1;
      for (const [i, result] of input.results.entries())
        yield `    ${JSON.stringify(result, null, 2).replace(/\n/g, "\n    ")}${i < last ? ",\n" : "\n"}`;
      yield "  ]\n}\n";
    })(),
  );
}
