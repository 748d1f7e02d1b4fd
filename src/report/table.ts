/**
 * The human view: verdict first, then one line per check, then what to do about each failure or warning.
 * Colour only when the caller says so (a TTY without NO_COLOR / --no-color). All Azure text is sanitised.
 */
import pc from "picocolors";
import type { Status, Verdict, VmResult } from "../types.js";
import { getEntry } from "../catalog/index.js";
import { fixLabel } from "./fix-label.js";
import { sanitizeLine, sanitizeText } from "./sanitize.js";
import { wrapHanging } from "./wrap.js";

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

export function paintStatus(paint: Paint, status: Status, text: string): string {
  const colour = { pass: paint.green, fail: paint.red, warn: paint.yellow, skip: paint.dim, error: paint.magenta }[status];
  return colour(text);
}

export function paintVerdict(paint: Paint, verdict: Verdict, text: string): string {
  return { ready: paint.green, degraded: paint.yellow, unknown: paint.magenta, blocked: paint.red }[verdict](paint.bold(text));
}

export interface TableOptions {
  color: boolean;
  verbose?: boolean;
  /** Only the verdict and the checks that did not pass (no details). */
  quiet?: boolean;
  /** Wrap long lines at this many columns with a hanging indent; undefined = never wrap (files, pipes). */
  width?: number;
}

export function formatVmTable(result: VmResult, options: TableOptions): string {
  const paint = pc.createColors(options.color);
  const { width } = options;
  const lines: string[] = [];
  const name = sanitizeLine(result.vm.name, 120);
  lines.push(`${paintVerdict(paint, result.verdict, result.verdict.toUpperCase())}  ${name} — ${VERDICT_MEANING[result.verdict]}`);
  if (!options.quiet) lines.push(paint.dim(sanitizeLine(result.vm.id, 400)));
  lines.push("");
  const idWidth = Math.max(...result.checks.map((c) => c.id.length), 8);
  const shown = options.quiet ? result.checks.filter((c) => c.status !== "pass" && c.status !== "skip") : result.checks;
  for (const check of shown) {
    const label = paintStatus(paint, check.status, STATUS_LABEL[check.status].padEnd(5));
    const timing = options.verbose ? ` (${check.durationMs} ms)` : "";
    // "  FAIL   id  reason": continuation lines start under the reason.
    lines.push(
      ...wrapHanging(`  ${label}  ${check.id.padEnd(idWidth)}  `, sanitizeLine(check.reason, 300) + timing, 4 + 5 + idWidth + 2, width),
    );
  }
  if (options.quiet) return `${lines.join("\n")}\n`;
  const actionable = result.checks.filter((c) => c.status === "fail" || c.status === "warn");
  for (const check of actionable) {
    lines.push("");
    lines.push(`${paintStatus(paint, check.status, STATUS_LABEL[check.status])} ${paint.bold(check.id)}: ${sanitizeLine(check.title)}`);
    if (check.documentedError) {
      lines.push(...wrapHanging("  Documented error: ", `"${sanitizeLine(check.documentedError.message, 600)}"`, 4, width));
    }
    if (check.mitigation) lines.push(...wrapHanging("  Mitigation: ", sanitizeLine(check.mitigation, 800), 4, width));
    const doc = check.documentedError ? getEntry(check.documentedError.id)?.docUrl : undefined;
    if (doc) lines.push(`  Docs: ${doc}`);
    const fixes = check.fix ?? [];
    fixes.forEach((fix, index) => {
      const command = sanitizeText(fix).replace(/\n/g, " ");
      const what = fixLabel(command);
      const number = fixes.length > 1 ? ` ${index + 1}` : "";
      // The command on a line of its own, never wrapped: it must survive copy and paste.
      lines.push(...wrapHanging(`  Fix${number}${what ? " — " : ":"}`, what ? `${what}:` : "", 4, width), `    ${paint.cyan(command)}`);
    });
  }
  return `${lines.join("\n")}\n`;
}
