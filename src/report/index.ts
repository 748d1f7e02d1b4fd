/**
 * The formats beyond the table and the single-VM JSON: one pure `(input, options) => string` per format, each in
 * its own file, and redaction applied to the input before any of them sees it.
 */
import type { AuditSummary, ToolInfo, VmResult } from "../types.js";
import { formatCsv } from "./csv.js";
import { formatHtml } from "./html.js";
import { formatJsonl } from "./jsonl.js";
import { formatJunit } from "./junit.js";
import { formatMarkdown } from "./markdown.js";
import { createRedactor } from "./redact.js";

export { createRedactor, type Redactor } from "./redact.js";
import { formatSarif } from "./sarif.js";

export { formatJsonLine } from "./jsonl.js";

/** What every formatter receives: one VM (`sc-doctor --vm`) or many (`audit`, with its summary). */
export interface ReportInput {
  tool: ToolInfo;
  /** ISO 8601 UTC time the report was made. */
  generatedAt: string;
  results: VmResult[];
  summary?: AuditSummary;
}

export interface FormatOptions {
  /** Identifiers were masked (the formatter says so in the output where the format has room). */
  redact: boolean;
  color: boolean;
}

export type FileFormat = "jsonl" | "markdown" | "junit" | "csv" | "sarif" | "html";
export type Formatter = (input: ReportInput, options: FormatOptions) => string;

export const FORMATS: Record<FileFormat, Formatter> = {
  jsonl: formatJsonl,
  markdown: formatMarkdown,
  junit: formatJunit,
  csv: formatCsv,
  sarif: formatSarif,
  html: formatHtml,
};

/**
 * Mask `secrets` (values from our own environment) and credentials always; with `redact`, also subscription,
 * tenant and object ids, user names and e-mails (see `redact.ts`). Labels are consistent across the whole input.
 */
export function redactInput(input: ReportInput, secrets: readonly string[], redact: boolean): ReportInput {
  return createRedactor(secrets, redact)(input);
}
