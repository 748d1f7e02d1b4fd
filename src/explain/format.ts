/**
 * The two views of an explain result. The human one leads with the documented text and its source, then what to
 * do (mitigation, fix) and how to verify it on a real VM (`sc-doctor --vm … --only <check>`).
 */
import pc from "picocolors";
import { SOURCE_TITLES, renderFix, type CatalogEntry } from "../catalog/index.js";
import { inConsoleDomain } from "../net/advice.js";
import { SERIAL_CONSOLE_SUFFIX } from "../net/endpoints.js";
import { sanitizeLine } from "../report/sanitize.js";
import { stringifyMasked } from "../report/secrets.js";
import type { SovereignCloud } from "./cloud.js";
import type { ExplainResult } from "./index.js";
import { CANDIDATE_FLOOR, SPELLING_FLOOR, type ExplainMatch } from "./match.js";

export interface ExplainFormatOptions {
  output: "table" | "json";
  color: boolean;
}

/**
 * The command to run next: the checks that verify this error on a VM, or plain `--vm` when the run itself detects
 * it (`detectedBy`), or undefined when sc-doctor cannot see it. In the paste's sovereign `cloud`, with `--cloud`: by
 * default sc-doctor signs in to the public cloud.
 */
export function nextCommand(entry: CatalogEntry, cloud?: SovereignCloud): string | undefined {
  const run = `sc-doctor --vm <vm-resource-id>${cloud ? ` --cloud ${cloud}` : ""}`;
  if (entry.checks.length > 0) return `${run} --only ${entry.checks.join(",")}`;
  return entry.detectedBy !== undefined ? run : undefined;
}

/**
 * `text` (a mitigation, a note) in the paste's cloud: a documented `*.serialconsole.azure.com` becomes that cloud's
 * Serial Console domain, where it documents one, as the network check says it for a gateway there.
 */
function inCloud(text: string, cloud: SovereignCloud | undefined): string {
  const suffix = cloud && SERIAL_CONSOLE_SUFFIX[cloud];
  return (suffix && inConsoleDomain(text, `*.${suffix}`)) || text;
}

/** The result with each match's and candidate's note in the paste's cloud (a note may name the console's domain). */
function notesInCloud(result: ExplainResult): ExplainResult {
  if (result.cloud === undefined) return result;
  const inIt = (match: ExplainMatch) => (match.note === undefined ? match : { ...match, note: inCloud(match.note, result.cloud) });
  return { ...result, matches: result.matches.map(inIt), candidates: result.candidates.map(inIt) };
}

/** What the paste's sovereign cloud changes below: the commands, and the console domain where one is documented. */
function cloudLine(cloud: SovereignCloud): string {
  const named = `The paste names ${cloud}'s hosts:`;
  return SERIAL_CONSOLE_SUFFIX[cloud]
    ? `${named} the advice and commands below are for that cloud.`
    : `${named} the commands below are for that cloud; no Serial Console domain is documented for it, so a domain the advice names is the public cloud's.`;
}

/** The commands to show: what the paste told about (names filled in), or the entry's own fix with placeholders. */
function fixOf(match: ExplainMatch): string[] {
  return match.fix ? renderFix(match.fix.templates, match.fix.args) : renderFix(match.entry.fix ?? [], {});
}

function toJson(match: ExplainMatch, cloud: SovereignCloud | undefined) {
  const { entry } = match;
  const next = nextCommand(entry, cloud);
  return {
    id: entry.id,
    score: match.score,
    matchedBy: match.matchedBy,
    ...(match.note !== undefined ? { note: match.note } : {}),
    ...(entry.code !== undefined ? { code: entry.code } : {}),
    ...(entry.httpStatus !== undefined ? { httpStatus: entry.httpStatus } : {}),
    message: entry.message,
    variants: [...(entry.variants ?? [])],
    sources: entry.sources.map((id) => ({ id, title: SOURCE_TITLES[id] })),
    ...(entry.docUrl !== undefined ? { docUrl: entry.docUrl } : {}),
    mitigation: inCloud(entry.mitigation, cloud),
    // As the table shows them: `'<vm>'` to fill in, never a bare `{vm}` a shell would pass on literally.
    fix: fixOf(match),
    checks: [...entry.checks],
    ...(entry.detectedBy !== undefined ? { detectedBy: entry.detectedBy } : {}),
    ...(next !== undefined ? { next } : {}),
  };
}

/** A candidate is not an answer: its id, score and documented text only — no mitigation or fix to act on. */
function candidateJson(match: ExplainMatch) {
  const { entry } = match;
  return {
    id: entry.id,
    score: match.score,
    matchedBy: match.matchedBy,
    message: entry.message,
    checks: [...entry.checks],
    ...(match.note !== undefined ? { note: match.note } : {}),
  };
}

/** One match; `note` false when the previous match carried the same note (a crash or ResourceNotFound points at two). */
function block(
  match: ExplainMatch,
  rank: number,
  paint: ReturnType<typeof pc.createColors>,
  note: boolean,
  cloud: SovereignCloud | undefined,
): string[] {
  const { entry } = match;
  const head = [entry.code, entry.httpStatus !== undefined ? `HTTP ${entry.httpStatus}` : undefined].filter(Boolean).join(", ");
  const lines = [
    `${rank}. ${paint.bold(entry.id)}${head ? `  (${head})` : ""}  ${paint.dim(`score ${match.score.toFixed(2)}, by ${match.matchedBy}`)}`,
  ];
  if (match.note !== undefined && note) lines.push(`   Why:         ${match.note}`);
  lines.push(`   Error:       "${entry.message}"`);
  for (const variant of entry.variants ?? []) lines.push(`   Also seen:   "${variant}"`);
  lines.push(`   Source:      ${entry.sources.map((id) => SOURCE_TITLES[id]).join("; ")}${entry.docUrl ? ` — ${entry.docUrl}` : ""}`);
  lines.push(`   Mitigation:  ${inCloud(entry.mitigation, cloud)}`);
  // No VM here: placeholders show as <vm>, <rg>, … for the user to fill (JSON too).
  for (const fix of fixOf(match)) lines.push(`   Fix:         ${paint.cyan(fix)}`);
  const next = nextCommand(entry, cloud);
  if (entry.checks.length === 0 && entry.detectedBy !== undefined)
    lines.push(`   Verify with: ${paint.cyan(next ?? "")}  (${entry.detectedBy})`);
  else
    lines.push(
      next ? `   Verify with: ${paint.cyan(next)}` : "   Verify with: (no sc-doctor check: not visible from Azure's control plane)",
    );
  return lines;
}

/** One candidate; `note` false when the previous one carried the same note (a client message names several causes). */
function candidateLine(match: ExplainMatch, rank: number, paint: ReturnType<typeof pc.createColors>, note: boolean): string {
  const line = `${rank}. ${paint.bold(match.entry.id)}  ${paint.dim(`score ${match.score.toFixed(2)}, by ${match.matchedBy}`)}\n   "${match.entry.message}"`;
  return match.note !== undefined && note ? `${line}\n   Why:         ${match.note}` : line;
}

/** The floors the listed candidates were held to: a spelling-only candidate passes a lower one than shared words. */
function candidateFloors(candidates: readonly ExplainMatch[]): string {
  const bySpelling = candidates.some((match) => match.matchedBy === "spelling");
  if (candidates.every((match) => match.matchedBy === "spelling")) return `by spelling, score ≥ ${SPELLING_FLOOR.toFixed(2)}`;
  return `score ≥ ${CANDIDATE_FLOOR.toFixed(2)}${bySpelling ? `, or ≥ ${SPELLING_FLOOR.toFixed(2)} by spelling` : ""}`;
}

/** How to look further when nothing matched: by the paste's own code, or by any code or status. */
function searchHint(result: ExplainResult): string[] {
  const lines: string[] = [];
  if (result.serialLog)
    lines.push(
      `This reads as a guest's serial console output (${result.serialLog.title}): sc-doctor explain --log <file> (or - for stdin) judges a whole log.`,
    );
  const codes = result.unknownCodes.map((code) => sanitizeLine(code, 60));
  if (codes.length > 0)
    lines.push(`The paste names error code${codes.length > 1 ? "s" : ""} ${codes.join(", ")}, which no document sc-doctor knows lists.`);
  lines.push(
    'Search by code: sc-doctor explain <ErrorCode> (the word in parentheses, after "Code:" or in [brackets], e.g. SubscriptionNotEnabled),',
    "or by HTTP status: sc-doctor explain 409.",
  );
  return lines;
}

function crashLines(result: ExplainResult): string[] {
  const crash = result.crash;
  if (crash === undefined) return [];
  const lines = [
    `${crash.client} crashed: ${sanitizeLine(crash.exception, 200)}${crash.where ? ` in ${sanitizeLine(crash.where, 200)}` : ""}.`,
    "This is the tool failing, not Azure refusing: Azure sent no error.",
  ];
  if (crash.during === undefined)
    lines.push("The trace does not show a step that the documents cover. Report the trace to the tool's maintainers.");
  return lines;
}

/** Render for the terminal (`table`) or scripts (`json`). The query is untrusted text: sanitised before printing. */
export function formatExplain(explained: ExplainResult, options: ExplainFormatOptions): string {
  const result = notesInCloud(explained);
  if (options.output === "json") {
    const body = {
      schemaVersion: 1,
      query: result.query,
      matched: result.matches.length > 0,
      ...(result.cloud !== undefined ? { cloud: result.cloud } : {}),
      matches: result.matches.map((match) => toJson(match, result.cloud)),
      candidates: result.candidates.map(candidateJson),
      ...(result.crash !== undefined ? { crash: result.crash } : {}),
      unknownCodes: result.unknownCodes,
      ...(result.serialLog !== undefined ? { serialLog: result.serialLog } : {}),
    };
    return `${stringifyMasked(body, 2)}\n`;
  }
  const paint = pc.createColors(options.color);
  const lines: string[] = [];
  const crash = crashLines(result);
  if (result.matches.length === 0) {
    lines.push(`no documented error matches "${sanitizeLine(result.query, 200)}"`);
    if (crash.length > 0) lines.push("", ...crash);
    if (result.candidates.length > 0) {
      lines.push("", `Nearest candidates (not matches; ${candidateFloors(result.candidates)}):`);
      result.candidates.forEach((match, i) =>
        lines.push(candidateLine(match, i + 1, paint, match.note !== result.candidates[i - 1]?.note)),
      );
    } else if (crash.length === 0) lines.push("", `No documented error comes close (none scores ≥ ${CANDIDATE_FLOOR.toFixed(2)}).`);
    lines.push("", ...searchHint(result));
    return `${lines.join("\n")}\n`;
  }
  if (crash.length > 0) lines.push(...crash, "");
  const n = result.matches.length;
  lines.push(`${n} documented error${n === 1 ? "" : "s"} match${n === 1 ? "es" : ""} "${sanitizeLine(result.query, 200)}":`);
  if (result.cloud !== undefined) lines.push(cloudLine(result.cloud));
  result.matches.forEach((match, i) =>
    lines.push("", ...block(match, i + 1, paint, match.note !== result.matches[i - 1]?.note, result.cloud)),
  );
  return `${lines.join("\n")}\n`;
}
