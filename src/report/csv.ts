/**
 * `--output csv`: a row per check per VM, for spreadsheets and `csvkit`, then a row per gap in an audit's coverage
 * (a VM not evaluated, a subscription not audited, a `report` input from a failed audit) with verdict `unknown`: a
 * sheet without them would read as the whole fleet. RFC 4180 quoting and CRLF line ends come
 * from csv-stringify; every cell is first defused against formula injection (`escape.ts#csvCell`).
 */
import { stringify } from "csv-stringify/sync";
import { gathered, type FormatOptions, type ReportInput } from "./formats.js";
import { csvCell } from "./escape.js";
import { absentGroupGap, failedInputGap, notAuditedWords } from "./coverage.js";
import { parseArmId } from "../azure/resource-id.js";
import type { AuditSummary } from "../types.js";

/** The rows after the VMs' list every VM not evaluated and every subscription not audited. */
export const listsNotEvaluated = {
  vms: "the rows whose reason is 'not evaluated: …'",
  subscriptions: "the rows whose reason is 'subscription not audited: …'",
};

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
  // "true" when `--only`/`--skip` left checks out: the verdict is about the checks that ran (last: added columns go last).
  "partial",
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
      result.partial ? "true" : "",
    ].map(csvCell),
  );
}

/** A row for what the audit did not cover: only the columns it knows, verdict `unknown` (not evaluated), status `error`. */
function gapRow(cells: { vmId?: string; subscriptionId?: string; reason: string }): string[] {
  const { name: last = "", resourceGroup = "" } = cells.vmId ? parseArmId(cells.vmId) : {};
  // A uniform scale set instance is named `<set>_<instance id>`, as its evaluated rows are.
  const instance = cells.vmId ? /\/virtualMachineScaleSets\/([^/]+)\/virtualMachines\/[^/]+\/?$/i.exec(cells.vmId) : null;
  const name = instance ? `${instance[1]}_${last}` : last;
  const row: Record<(typeof CSV_COLUMNS)[number], string> = {
    ...(Object.fromEntries(CSV_COLUMNS.map((column) => [column, ""])) as Record<(typeof CSV_COLUMNS)[number], string>),
    vm_id: cells.vmId ?? "",
    vm_name: name,
    resource_group: resourceGroup,
    subscription_id: cells.subscriptionId ?? "",
    verdict: "unknown",
    status: "error",
    reason: cells.reason,
  };
  return CSV_COLUMNS.map((column) => csvCell(row[column]));
}

/**
 * Rows for coverage gaps, in `coverageGaps`'s order: failed inputs, subscriptions not audited, resource groups found
 * nowhere, VMs not evaluated.
 */
function gapRows(summary: AuditSummary | undefined): string[][] {
  if (!summary) return [];
  return [
    ...(summary.failedInputs ?? []).map((failed) => gapRow({ reason: failedInputGap(failed) })),
    ...(summary.unevaluatedSubscriptions ?? []).map(({ subscriptionId, reason }) =>
      gapRow({ subscriptionId, reason: `subscription ${notAuditedWords(reason)}: ${reason}` }),
    ),
    ...(summary.absentResourceGroups ?? []).map((group) => gapRow({ reason: absentGroupGap(group) })),
    ...(summary.notEvaluated ?? []).map((vmId) =>
      gapRow({ vmId, subscriptionId: parseArmId(vmId).subscriptionId, reason: "not evaluated: the run was interrupted" }),
    ),
  ];
}

// csv-stringify quotes a field holding the record delimiter (CRLF), not a bare LF or CR: RFC 4180 wants any line
// break quoted, and readers such as Python's csv module split the row otherwise (a fix cell with two commands).
// A field holding an apostrophe is quoted too: the stream's secret masking (src/report/secrets.ts) takes
// `password='…'` to its closing apostrophe, which in an unquoted field could lie fields later, across their commas.
const OPTIONS = { record_delimiter: "windows", quoted_match: /[\r\n']/ } as const;
/**
 * `formatCsv`'s text in parts, VM by VM: a large fleet's CSV (about 7 KB per VM) as one string passes V8's limit on
 * a string's length (about 512 MiB) near 70,000 VMs, which ended the audit with nothing written (exit 4).
 */
export function formatParts(input: ReportInput, _options?: FormatOptions): Iterable<string> {
  return gathered(
    (function* () {
      yield stringify([[...CSV_COLUMNS]], OPTIONS);
      for (const result of input.results) yield stringify(rowsOf(result), OPTIONS);
      const gaps = gapRows(input.summary);
      if (gaps.length > 0) yield stringify(gaps, OPTIONS);
    })(),
  );
}

/** All rows with a header line. */
export default function formatCsv(input: ReportInput, _options: FormatOptions): string {
  return stringify([[...CSV_COLUMNS], ...input.results.flatMap(rowsOf), ...gapRows(input.summary)], OPTIONS);
}
