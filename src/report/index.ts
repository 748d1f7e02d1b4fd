/**
 * The formats beyond the table and the single-VM JSON: one pure `(input, options) => string` per format, and
 * redaction applied to the input before any of them sees it.
 * (Skeleton: jsonl and secret masking; markdown, junit, csv and sarif come with the reports work.)
 */
import type { AuditSummary, ToolInfo, VmResult } from "../types.js";

/** What every formatter receives: one VM (`sc-doctor --vm`) or many (`audit`, with its summary). */
export interface ReportInput {
  tool: ToolInfo;
  generatedAt: string;
  results: VmResult[];
  summary?: AuditSummary;
}

export interface FormatOptions {
  redact: boolean;
  color: boolean;
}

export type FileFormat = "jsonl" | "markdown" | "junit" | "csv" | "sarif";
export type Formatter = (input: ReportInput, options: FormatOptions) => string;

/** One VM result per line (audit streaming). */
export function formatJsonLine(result: VmResult): string {
  return `${JSON.stringify(result)}\n`;
}

const notYet = (name: string): Formatter => () => {
  throw new Error(`the ${name} format is not implemented yet`);
};

export const FORMATS: Record<FileFormat, Formatter> = {
  jsonl: (input) => input.results.map(formatJsonLine).join(""),
  markdown: notYet("markdown"),
  junit: notYet("junit"),
  csv: notYet("csv"),
  sarif: notYet("sarif"),
};

/** Mask `secrets` (values from our own environment) always; with `redact`, also ids and secrets Azure echoes. */
export function redactInput(input: ReportInput, secrets: readonly string[], redact: boolean): ReportInput {
  void redact;
  const mask = (text: string) => secrets.reduce((out, secret) => out.split(secret).join("***"), text);
  return JSON.parse(mask(JSON.stringify(input))) as ReportInput;
}
