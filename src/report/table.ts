/**
 * `--output table`, the human view. One VM: verdict first, then one line per check, then what to do about each
 * failure or warning. An audit: the summary line, counts per check and per subscription, then each VM that is not
 * ready, and the summary again at the bottom. Colour only when the caller says so (a TTY without NO_COLOR /
 * --no-color). All Azure text is sanitised.
 */
import pc from "picocolors";
import type { FleetSummary } from "../fleet/summary.js";
import { CHECK_IDS, type CheckResult, type Status, type Verdict, type VmResult } from "../types.js";
import { findingDoc } from "./doc-links.js";
import { fixLabel } from "./fix-label.js";
import { coverageGaps, notAuditedWords, partialAuditLine } from "./coverage.js";
import { onlyResult, type FormatOptions, type ReportInput } from "./formats.js";
import { sanitizeLine, sanitizeText } from "./sanitize.js";
import { wrapHanging } from "./wrap.js";
import { reasonForPeople } from "./reason.js";
import { ACCESS_HINT, reasonHead, sharedErrors, type SharedError } from "./shared-errors.js";

/** The audit table starts and ends with the fleet summary line, so stderr does not repeat it. */
export const showsSummary = true;

export default function formatTable(input: ReportInput, options: FormatOptions): string {
  return input.summary ? formatAuditTable(input.results, input.summary, options) : formatVmTable(onlyResult(input), options);
}

type Paint = ReturnType<typeof pc.createColors>;

const STATUS_LABEL: Record<Status, string> = { pass: "PASS", fail: "FAIL", warn: "WARN", skip: "SKIP", error: "ERROR" };
/** What each verdict means for the user, after the verdict word itself. */
const VERDICT_MEANING: Record<Verdict, string> = {
  ready: "Serial Console should work",
  degraded: "Serial Console may work with limitations",
  unknown: "some checks could not be evaluated",
  blocked: "Serial Console will not work until the failures below are fixed",
};
export const VERDICT_TEXT: Record<Verdict, string> = {
  ready: `ready — ${VERDICT_MEANING.ready}`,
  degraded: `degraded — ${VERDICT_MEANING.degraded}`,
  unknown: `unknown — ${VERDICT_MEANING.unknown}`,
  blocked: `blocked — ${VERDICT_MEANING.blocked}`,
};

/**
 * The verdict in words. A partial run (`--only`/`--skip`) never says the console "should work": it names how many
 * checks ran, and which, since the verdict is only about them.
 */
export function verdictText(result: Pick<VmResult, "verdict" | "partial" | "checks">): string {
  return `${result.verdict} — ${verdictMeaning(result)}`;
}

/** `verdictText` without the verdict word, for the table's header line that prints the word in colour. */
export function verdictMeaning(result: Pick<VmResult, "verdict" | "partial" | "checks">): string {
  if (!result.partial) return VERDICT_MEANING[result.verdict];
  const ran = `${result.checks.length} of ${CHECK_IDS.length} checks run: ${result.checks.map((c) => c.id).join(", ")}`;
  // Every check selected skipped (`--only network --no-network`): "nothing found" would read as a clean bill.
  const judgedNothing = result.checks.every((c) => c.status === "skip");
  const text = judgedNothing
    ? "nothing was judged: every check selected was skipped (see why below); the others were left out"
    : result.verdict === "ready"
      ? "nothing found by the checks that ran; the others were left out"
      : VERDICT_MEANING[result.verdict];
  return `${text} (${ran})`;
}

function paintStatus(paint: Paint, status: Status, text: string): string {
  const colour = { pass: paint.green, fail: paint.red, warn: paint.yellow, skip: paint.dim, error: paint.magenta }[status];
  return colour(text);
}

function paintVerdict(paint: Paint, verdict: Verdict, text: string): string {
  return { ready: paint.green, degraded: paint.yellow, unknown: paint.magenta, blocked: paint.red }[verdict](paint.bold(text));
}

/** The table's options for one VM: `quiet` and `width` are the table's own (see FormatOptions). */
export type TableOptions = Pick<FormatOptions, "color" | "verbose" | "quiet" | "width">;

/** A check's reason in the list of checks is cut at this many characters; a finding's details give all of it. */
const REASON_IN_LIST = 300;

export function formatVmTable(result: VmResult, options: TableOptions): string {
  const paint = pc.createColors(options.color);
  const { width } = options;
  const lines: string[] = [];
  const name = sanitizeLine(result.vm.name, 120);
  lines.push(
    `${paintVerdict(paint, result.verdict, result.verdict.toUpperCase())}  ${name} — ${sanitizeLine(verdictMeaning(result), 2000)}`,
  );
  if (!options.quiet) lines.push(paint.dim(sanitizeLine(result.vm.id, 400)));
  lines.push("");
  const idWidth = Math.max(...result.checks.map((c) => c.id.length), 8);
  const shown = options.quiet ? result.checks.filter((c) => c.status !== "pass" && c.status !== "skip") : result.checks;
  const errors = sharedErrors(result.checks);
  for (const check of shown) {
    const label = paintStatus(paint, check.status, STATUS_LABEL[check.status].padEnd(5));
    const timing = options.verbose ? ` (${check.durationMs} ms)` : "";
    const reason = reasonInList(check, errors, options.quiet === true);
    // "  FAIL   id  reason": continuation lines start under the reason.
    lines.push(
      ...wrapHanging(
        `  ${label}  ${check.id.padEnd(idWidth)}  `,
        sanitizeLine(reason, REASON_IN_LIST) + timing,
        4 + 5 + idWidth + 2,
        width,
      ),
    );
  }
  if (options.quiet) return `${lines.join("\n")}\n`;
  for (const group of [...errors.values()].filter((g) => g.denied)) {
    const count = group.checks.length === 1 ? group.checks[0]?.id : `${group.checks.length} checks`;
    lines.push(
      "",
      `${paintStatus(paint, "error", STATUS_LABEL.error)} ${paint.bold(sanitizeLine(reasonHead(group.reason), 200))} (${count})`,
    );
    lines.push(...wrapHanging("  Reason: ", sanitizeLine(group.reason, 4000), 4, width));
    lines.push(...wrapHanging("  Access: ", ACCESS_HINT, 4, width));
  }
  const actionable = result.checks.filter((c) => c.status === "fail" || c.status === "warn");
  for (const check of actionable) {
    const details: string[] = [];
    // The list cut it short: the whole reason here (its end is often why a finding is a warning, not a failure).
    if (sanitizeText(check.reason).length > REASON_IN_LIST)
      details.push(...wrapHanging("  Reason: ", sanitizeLine(check.reason, 4000), 4, width));
    if (check.documentedError) {
      details.push(...wrapHanging("  Documented error: ", `"${sanitizeLine(check.documentedError.message, 600)}"`, 4, width));
    }
    if (check.mitigation) details.push(...wrapHanging("  Mitigation: ", sanitizeLine(check.mitigation, 800), 4, width));
    const doc = findingDoc(check);
    if (doc) details.push(`  Docs: ${doc}`);
    const fixes = check.fix ?? [];
    fixes.forEach((fix, index) => {
      const command = sanitizeText(fix).replace(/\n/g, " ");
      const what = fixLabel(command);
      const number = fixes.length > 1 ? ` ${index + 1}` : "";
      // The command on a line of its own, never wrapped: it must survive copy and paste.
      details.push(...wrapHanging(`  Fix${number}${what ? " — " : ":"}`, what ? `${what}:` : "", 4, width), `    ${paint.cyan(command)}`);
    });
    // A header with nothing under it says no more than the list above: shown only with details.
    if (details.length === 0) continue;
    lines.push("", `${paintStatus(paint, check.status, STATUS_LABEL[check.status])} ${paint.bold(check.id)}: ${sanitizeLine(check.title)}`);
    lines.push(...details);
  }
  return `${lines.join("\n")}\n`;
}

/**
 * A check's reason in the list. One several checks share (one failed read) is written out once: a refused read in
 * its block below the list (not with --quiet, which has none), any other in its first row, which the others point at.
 */
function reasonInList(check: CheckResult, errors: ReadonlyMap<string, SharedError>, quiet: boolean): string {
  const text = reasonForPeople(check);
  const group = check.status === "error" ? errors.get(text) : undefined;
  if (!group) return text;
  if (group.denied && !quiet) return `${reasonHead(text)} (see below)`;
  const first = group.checks[0]?.id;
  return first === check.id ? text : `${reasonHead(text)} (as ${first})`;
}

/** The audit's one-line summary (the table's first and last line; on stderr after the other formats). */
export function formatSummaryLine(summary: FleetSummary): string {
  const s = summary;
  const missing = s.notEvaluated?.length ? `; ${s.notEvaluated.length} not evaluated` : "";
  // Each counted as its reason says: not audited, or only partly (the VMs listed before the failure are).
  const counts = new Map<string, number>();
  for (const entry of s.unevaluatedSubscriptions ?? []) {
    const words = notAuditedWords(entry.reason);
    counts.set(words, (counts.get(words) ?? 0) + 1);
  }
  const unaudited = [...counts].map(([words, n]) => `; ${n} subscription${n === 1 ? "" : "s"} ${words}`).join("");
  const groups = s.absentResourceGroups?.length ?? 0;
  const absent = groups ? `; ${groups} resource group${groups === 1 ? "" : "s"} found nowhere` : "";
  const inputs = s.failedInputs?.length ?? 0;
  const unmerged = inputs ? `; ${inputs} ${inputs === 1 ? "input from a failed audit" : "inputs from failed audits"} not merged` : "";
  return `audit: ${s.vms} VMs — ${s.ready} ready, ${s.degraded} degraded, ${s.blocked} blocked, ${s.unknown} unknown${missing}${unaudited}${absent}${unmerged}\n`;
}

export function formatDriftLine(summary: FleetSummary): string {
  const d = summary.drift;
  return d ? `drift: ${d.newlyBlocked.length} newly blocked, ${d.fixed.length} fixed, ${d.stillBlocked.length} still blocked\n` : "";
}

/**
 * `audit -o table`: the summary, counts by check and subscription, then each VM that is not ready with its
 * findings (short `resource group/name` ids; the full ids are in every other format), and the summary again at
 * the bottom, where a long listing ends.
 */
export function formatAuditTable(
  results: readonly VmResult[],
  summary: FleetSummary,
  options: Pick<FormatOptions, "color"> = { color: false },
): string {
  const paint = pc.createColors(options.color);
  const lines = [paint.bold(formatSummaryLine(summary).trimEnd())];
  const partial = partialAuditLine(results);
  if (partial) lines.push(partial);
  lines.push(...coverageGaps(summary).map((gap) => sanitizeLine(gap, 600)), "");
  const byCheck = CHECK_IDS.flatMap((id) => (summary.byCheck[id] ? [[id, summary.byCheck[id]] as const] : []));
  if (byCheck.length) {
    lines.push("check                  fail  warn  error");
    for (const [id, c] of byCheck)
      lines.push(`${id.padEnd(21)}  ${String(c.fail).padStart(4)}  ${String(c.warn).padStart(4)}  ${String(c.error).padStart(5)}`);
    lines.push("");
  }
  const subs = Object.entries(summary.bySubscription ?? {});
  if (subs.length > 1) {
    lines.push("subscription                            vms  ready  degraded  blocked  unknown");
    for (const [id, c] of subs) {
      lines.push(
        `${sanitizeLine(id).padEnd(36)}  ${String(c.vms).padStart(5)}  ${String(c.ready).padStart(5)}  ${String(c.degraded).padStart(8)}  ${String(c.blocked).padStart(7)}  ${String(c.unknown).padStart(7)}`,
      );
    }
    lines.push("");
  }
  const manySubscriptions = new Set(results.map((r) => r.vm.subscriptionId)).size > 1;
  for (const result of results.filter((r) => r.verdict !== "ready")) {
    const { vm } = result;
    const where = manySubscriptions ? `  (subscription ${sanitizeLine(vm.subscriptionId, 40)})` : "";
    const shortId =
      vm.resourceGroup && vm.name ? `${sanitizeLine(vm.resourceGroup, 90)}/${sanitizeLine(vm.name, 80)}` : sanitizeLine(vm.id);
    lines.push(`${paintVerdict(paint, result.verdict, result.verdict.toUpperCase().padEnd(8))} ${shortId}${paint.dim(where)}`);
    // One failed read behind many errors: its reason once, the other rows point at it (as --quiet's list does).
    const errors = sharedErrors(result.checks);
    for (const c of result.checks.filter((c) => c.status === "fail" || c.status === "error" || c.status === "warn")) {
      lines.push(
        `         ${paintStatus(paint, c.status, c.status.padEnd(5))} ${c.id}: ${sanitizeLine(reasonInList(c, errors, true), 200)}`,
      );
    }
  }
  const drift = formatDriftLine(summary);
  if (drift) lines.push("", drift.trimEnd());
  if (results.some((r) => r.verdict !== "ready")) lines.push("", paint.bold(formatSummaryLine(summary).trimEnd()));
  return `${lines.join("\n")}\n`;
}
