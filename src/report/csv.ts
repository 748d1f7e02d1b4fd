/**
 * `--output csv`: a row per check per VM, for spreadsheets and `csvkit`. RFC 4180 quoting and CRLF line ends come
 * from csv-stringify; every cell is first defused against formula injection (`escape.ts#csvCell`).
 */
import { stringify } from "csv-stringify/sync";
import { gathered, type FormatOptions, type ReportInput } from "./formats.js";
import { csvCell } from "./escape.js";

export const CSV_COLUMNS = [
  "vm_id",
  "vm_name",
  "resource_group",
  "subscription_id",
  "location",
  "verdict",
  "check_id",
  "check_title",
  "status",
  "reason",
  "documented_error_id",
  "documented_error",
  "mitigation",
  "fix",
  "duration_ms",
  "correlation_ids",
] as const;

/** A row per check of one VM. Multiple fix commands share one cell, one per line; correlation ids are space-separated. */
function rowsOf(result: ReportInput["results"][number]): string[][] {
  return result.checks.map((check) =>
    [
      result.vm.id,
      result.vm.name,
      result.vm.resourceGroup,
      result.vm.subscriptionId,
      result.vm.location ?? "",
      result.verdict,
      check.id,
      check.title,
      check.status,
      check.reason,
      check.documentedError?.id ?? "",
      check.documentedError?.message ?? "",
      check.mitigation ?? "",
      (check.fix ?? []).join("\n"),
      String(check.durationMs),
      (result.correlationIds ?? []).join(" "),
    ].map(csvCell),
  );
}

// csv-stringify quotes a field holding the record delimiter (CRLF), not a bare LF or CR: RFC 4180 wants any line
// break quoted, and readers such as Python's csv module split the row otherwise (a fix cell with two commands).
const OPTIONS = { record_delimiter: "windows", quoted_match: /[\r\n]/ } as const;
/**
 * `formatCsv`'s text in parts, VM by VM: a large fleet's CSV (about 7 KB per VM) as one string passes V8's limit on
 * a string's length (about 512 MiB) near 70,000 VMs, which ended the audit with nothing written (exit 4).
 */
export function formatParts(input: ReportInput, _options?: FormatOptions): Iterable<string> {
  return gathered(
    (function* () {
      yield stringify([[...CSV_COLUMNS]], OPTIONS);
      for (const result of input.results) yield stringify(rowsOf(result), OPTIONS);
    })(),
  );
}

/** All rows with a header line. */
export default function formatCsv(input: ReportInput, _options: FormatOptions): string {
  return stringify([[...CSV_COLUMNS], ...input.results.flatMap(rowsOf)], OPTIONS);
}
