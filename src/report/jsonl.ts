import type { VmResult } from "../types.js";
import type { FormatOptions, ReportInput } from "./formats.js";

/** One VM result per line (audit streaming; `jq -c` friendly). */
export function formatJsonLine(result: VmResult): string {
  return `${JSON.stringify(result)}\n`;
}

/** An audit in jsonl is streamed: each VM's line is written as soon as it finishes. */
export const formatResult = formatJsonLine;

/** `--output jsonl`: every VM result, one per line. */
export default function formatJsonl(input: ReportInput, _options?: FormatOptions): string {
  return input.results.map(formatJsonLine).join("");
}
