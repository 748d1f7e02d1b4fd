/** `--output json`: exactly the contract's document (schemaVersion 1), for one VM or for an audit. */
import type { AuditReport, VmReport, VmResult } from "../types.js";
import { onlyResult, type ReportInput } from "./formats.js";

/** The audit's JSON lists every VM not evaluated in `summary.notEvaluated`. */
export const listsNotEvaluated = true;

export function vmReport(input: ReportInput, result: VmResult): VmReport {
  return { schemaVersion: 1, tool: input.tool, generatedAt: input.generatedAt, ...result };
}

function auditReport(input: ReportInput, summary: AuditReport["summary"]): AuditReport {
  return {
    schemaVersion: 1,
    tool: input.tool,
    generatedAt: input.generatedAt,
    ...(input.scope ? { scope: input.scope } : {}),
    summary,
    results: input.results,
  };
}

export default function formatJson(input: ReportInput): string {
  const document = input.summary ? auditReport(input, input.summary) : vmReport(input, onlyResult(input));
  return `${JSON.stringify(document, null, 2)}\n`;
}
