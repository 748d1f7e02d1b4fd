/**
 * `sc-doctor explain`: find the documented errors that match pasted text — an exact message, a fragment, a
 * wrapped or re-quoted copy, an error code, an HTTP status, a whole ARM error document, an ARM ResourceNotFound
 * about a resource the documents cover, or a client's crash trace (said to be a crash, not Azure refusing).
 */
import { CATALOG } from "../catalog/index.js";
import { judgeSerialLog, showsLatestBootStart } from "../checks/support/serial-log.js";
import { sanitizeText } from "../report/sanitize.js";
import { maskWrappedSecrets } from "../report/secrets.js";
import { detectCrash, type ClientCrash } from "./crash.js";
import { CANDIDATE_FLOOR, MATCH_THRESHOLD, SPELLING_FLOOR, nearest, pointAt, rank, type ExplainMatch } from "./match.js";
import { codesIn } from "./parse.js";
import { isScaleSetInstanceError, withScaleSetFix } from "./scale-set.js";
import { HEALTH_REPORT_START } from "./serial-log.js";
import { sovereignCloudIn, type SovereignCloud } from "./cloud.js";

export { formatExplain } from "./format.js";
export type { ClientCrash } from "./crash.js";

export interface ExplainResult {
  query: string;
  /** Entries at or above the match threshold, best first. */
  matches: ExplainMatch[];
  /** When nothing matches: at most three entries the paste came close to (score ≥ `CANDIDATE_FLOOR`, or ≥ `SPELLING_FLOOR` by spelling), best first. */
  candidates: ExplainMatch[];
  /** A client's crash trace in the paste: the tool failed, Azure did not refuse. */
  crash?: ClientCrash;
  /** Error codes the paste names that no document lists (`ConnectionFailure`), for the no-match message. */
  unknownCodes: string[];
  /** When nothing matches and the paste reads as serial console output: what `explain --log` would name. */
  serialLog?: { signature: string; title: string };
  /** The sovereign cloud the paste's hosts name (a `*.serialconsole.azure.us` gateway): its advice and `--cloud`. */
  cloud?: SovereignCloud;
}

const MAX_SHOWN = 10;
const MAX_CANDIDATES = 3;

const KNOWN_CODES = new Set(CATALOG.flatMap((entry) => (entry.code ? [entry.code.toLowerCase().replace(/\s+/g, "")] : [])));
function crashMatches(crash: ClientCrash): ExplainMatch[] {
  if (crash.during === undefined) return [];
  const { what, cause, entries } = crash.during;
  const note = `${crash.client} crashed while ${what}: the tool failed, Azure refused nothing.${cause ? ` ${cause}` : ""} The same step, as the documents word it:`;
  return entries.flatMap((id, i) => pointAt(id, 0.7 - 0.001 * i, "trace", note) ?? []);
}

/**
 * Rank the catalogue against `text`. Pure and deterministic. Terminal escapes, control characters and bidi
 * overrides are removed first: they are never part of a documented message, and the query is echoed back.
 */
export function explain(text: string): ExplainResult {
  const query = sanitizeText(text);
  const crash = detectCrash(query);
  let ranked = rank(query);
  // A guest's boot output (a kernel banner, SAC's, the boot loader's) is no Azure error: words people use to describe
  // a console ("console=ttyS0", "no login prompt") are in it as the log's own text, not as a complaint.
  const bootOutput = showsLatestBootStart(query);
  if (bootOutput) ranked = ranked.filter((match) => match.matchedBy !== "alias");
  // A trace's words are file names and source lines, not an error's wording: only exact signals count in it.
  if (crash) ranked = ranked.filter((match) => match.score >= 0.9 || match.matchedBy === "resource");
  const pointers = crash ? crashMatches(crash) : [];
  const pointed = new Set(pointers.map((match) => match.entry.id));
  let matched = [...ranked.filter((match) => match.score >= MATCH_THRESHOLD && !pointed.has(match.entry.id)), ...pointers].sort(
    (a, b) => b.score - a.score,
  );
  // "Documented with this status" lists what a bare status could be; next to a match on wording it is noise.
  if (matched.some((match) => match.matchedBy !== "status")) matched = matched.filter((match) => match.matchedBy !== "status");
  // Show up to ten, but never cut off entries that matched as strongly as a shared code (InvalidBlobUploadSASUri has six).
  const strong = matched.filter((match) => match.score >= 0.9).length;
  const shown = matched.slice(0, Math.max(MAX_SHOWN, strong));
  const matches = isScaleSetInstanceError(query) ? shown.map(withScaleSetFix) : shown;
  const unknownCodes = codesIn(query).filter((code) => !KNOWN_CODES.has(code.toLowerCase()));
  // Echoed back: a credential the paste's terminal wrapped across lines is masked whole, not its first line only.
  const cloud = sovereignCloudIn(query);
  const result: ExplainResult = {
    query: maskWrappedSecrets(query),
    matches,
    candidates: [],
    unknownCodes,
    ...(crash ? { crash } : {}),
    ...(cloud ? { cloud } : {}),
  };
  if (matches.length > 0 || crash) return result;
  // Nothing matched: what the paste came close to, by shared words, then by spelling — above a floor, or nothing.
  const byWords = ranked.filter((match) => match.score >= CANDIDATE_FLOOR).slice(0, MAX_CANDIDATES);
  const seen = new Set(byWords.map((match) => match.entry.id));
  const bySpelling = nearest(query, MAX_CANDIDATES).filter((match) => match.score >= SPELLING_FLOOR && !seen.has(match.entry.id));
  result.candidates = [...byWords, ...bySpelling].slice(0, MAX_CANDIDATES);
  // A guest's boot output is not an Azure error: point at `explain --log`, which judges it.
  const { verdict } = judgeSerialLog(query);
  if (verdict.state !== "blank") result.serialLog = { signature: verdict.signature.id, title: verdict.signature.title };
  else if (bootOutput) result.serialLog = { signature: verdict.signature, title: "its latest boot shows no login or SAC> prompt" };
  // The VM agent's health report is no boot start, but a console showing it has no SAC to sign in to.
  else if (query.includes(HEALTH_REPORT_START))
    result.serialLog = {
      signature: verdict.signature,
      title: "the Azure VM agent's health report, which Windows writes there when SAC is not enabled",
    };
  return result;
}

/** 0 when a documented error matches, 1 when none does (docs/contract.md, "Exit codes"). */
export function explainExitCode(result: ExplainResult): 0 | 1 {
  return result.matches.length > 0 ? 0 : 1;
}
