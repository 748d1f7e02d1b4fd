import type { VmResult } from "../types.js";
import type { FormatOptions, ReportInput } from "./formats.js";
import type { Cleaner } from "./redact.js";

/** One VM result per line (audit streaming; `jq -c` friendly). */
export function formatJsonLine(result: VmResult): string {
  return `${JSON.stringify(result)}\n`;
}

/** An audit in jsonl is streamed: each VM's line is written as soon as it finishes. */
export const formatResult = formatJsonLine;

/**
 * The streamed line of a result not yet cleaned: the same text as `formatJsonLine(clean(result))`, but serialised
 * first and written as it is when the cleaner can tell from that text that it would change nothing (nearly every
 * VM: no control character, no credential shape), instead of walking every string of the result.
 */
export function formatCleanResult(result: VmResult, clean: Cleaner): string {
  if (!clean.leavesJsonAsIs) return formatJsonLine(clean(result));
  const line = formatJsonLine(result);
  return clean.leavesJsonAsIs(line) ? line : formatJsonLine(clean(result));
}

/** `--output jsonl`: every VM result, one per line. */
export default function formatJsonl(input: ReportInput, _options?: FormatOptions): string {
  return input.results.map(formatJsonLine).join("");
}
