import type { VmResult } from "../types.js";
import { gathered, type FormatOptions, type ReportInput } from "./formats.js";
import type { Cleaner } from "./redact.js";

/** One VM result per line (audit streaming; `jq -c` friendly). */
export function formatJsonLine(result: VmResult): string {
  return `${JSON.stringify(result)}\n`;
}

/** The same one-line error object as json's. */
export { formatFatal } from "./json.js";

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

/**
 * `formatJsonl`'s text in parts (what `report -o jsonl` writes): one string of a large merge's lines (some 9 KB per
 * VM) passes V8's longest string (about 512 MiB) near 55,000 VMs.
 */
export function formatParts(input: ReportInput, _options?: FormatOptions): Iterable<string> {
  return gathered(
    (function* () {
      for (const result of input.results) yield formatJsonLine(result);
    })(),
  );
}

/** `--output jsonl`: every VM result, one per line. */
export default function formatJsonl(input: ReportInput, options?: FormatOptions): string {
  return [...formatParts(input, options)].join("");
}
