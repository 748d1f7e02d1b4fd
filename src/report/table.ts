/**
 * The human view: verdict first, then one line per check, then what to do about each failure or warning.
 * Colour only when the caller says so (a TTY without NO_COLOR / --no-color). All Azure text is sanitised.
 */
import pc from "picocolors";
import { CHECK_IDS, type Status, type Verdict, type VmResult } from "../types.js";
import { sanitizeLine, sanitizeText } from "./sanitize.js";

type Paint = ReturnType<typeof pc.createColors>;

const STATUS_LABEL: Record<Status, string> = { pass: "PASS", fail: "FAIL", warn: "WARN", skip: "SKIP", error: "ERROR" };
export const VERDICT_TEXT: Record<Verdict, string> = {
  ready: "ready — Serial Console should work",
  degraded: "degraded — Serial Console may work with limitations",
  unknown: "unknown — some checks could not be evaluated",
  blocked: "blocked — Serial Console will not work until the failures below are fixed",
};

/**
 * The verdict in words. A partial run (`--only`/`--skip`) never says the console "should work": it names how many
 * checks ran, and which, since the verdict is only about them.
 */
export function verdictText(result: Pick<VmResult, "verdict" | "partial" | "checks">): string {
  if (!result.partial) return VERDICT_TEXT[result.verdict];
  const ran = `${result.checks.length} of ${CHECK_IDS.length} checks run: ${result.checks.map((c) => c.id).join(", ")}`;
  const text =
    result.verdict === "ready" ? "ready — nothing found by the checks that ran; the others were left out" : VERDICT_TEXT[result.verdict];
  return `${text} (${ran})`;
}

function paintStatus(paint: Paint, status: Status, text: string): string {
  const colour = { pass: paint.green, fail: paint.red, warn: paint.yellow, skip: paint.dim, error: paint.magenta }[status];
  return colour(text);
}

function paintVerdict(paint: Paint, verdict: Verdict, text: string): string {
  return { ready: paint.green, degraded: paint.yellow, unknown: paint.magenta, blocked: paint.red }[verdict](paint.bold(text));
}

export function formatVmTable(result: VmResult, options: { color: boolean; verbose?: boolean }): string {
  const paint = pc.createColors(options.color);
  const lines: string[] = [];
  const name = sanitizeLine(result.vm.name, 120);
  lines.push(
    `${paintVerdict(paint, result.verdict, `${result.verdict.toUpperCase()}`)}  ${name}  ${paint.dim(sanitizeLine(verdictText(result), 2000))}`,
  );
  lines.push(paint.dim(sanitizeLine(result.vm.id, 400)));
  lines.push("");
  const width = Math.max(...result.checks.map((c) => c.id.length), 8);
  for (const check of result.checks) {
    const label = paintStatus(paint, check.status, STATUS_LABEL[check.status].padEnd(5));
    const timing = options.verbose ? paint.dim(` (${check.durationMs} ms)`) : "";
    lines.push(`  ${label}  ${check.id.padEnd(width)}  ${sanitizeLine(check.reason, 300)}${timing}`);
  }
  const actionable = result.checks.filter((c) => c.status === "fail" || c.status === "warn");
  for (const check of actionable) {
    lines.push("");
    lines.push(`${paintStatus(paint, check.status, STATUS_LABEL[check.status])} ${paint.bold(check.id)}: ${sanitizeLine(check.title)}`);
    if (check.documentedError) lines.push(`  Documented error: "${sanitizeLine(check.documentedError.message, 600)}"`);
    if (check.mitigation) lines.push(`  Mitigation: ${sanitizeLine(check.mitigation, 800)}`);
    for (const fix of check.fix ?? []) lines.push(`  Fix: ${paint.cyan(sanitizeText(fix).replace(/\n/g, " "))}`);
  }
  return `${lines.join("\n")}\n`;
}
