import type { VmResult } from "../types.js";
import type { ReportInput } from "./index.js";

/** One VM result per line (audit streaming; `jq -c` friendly). */
export function formatJsonLine(result: VmResult): string {
  return `${JSON.stringify(result)}\n`;
}

/** `--output jsonl`: every VM result, one per line. */
export function formatJsonl(input: ReportInput): string {
  return input.results.map(formatJsonLine).join("");
}
