/**
 * `sc-doctor explain`: find the documented errors that match pasted text — an exact message, a fragment, a
 * wrapped or re-quoted copy, an error code, an HTTP status, or a whole ARM error document.
 */
import { sanitizeText } from "../report/sanitize.js";
import { MATCH_THRESHOLD, nearest, rank, type ExplainMatch } from "./match.js";

export { formatExplain } from "./format.js";

export interface ExplainResult {
  query: string;
  /** Entries at or above the match threshold, best first. */
  matches: ExplainMatch[];
  /** When nothing matches: the nearest entries, to show what the paste resembled. */
  candidates: ExplainMatch[];
}

const MAX_SHOWN = 10;
const MAX_CANDIDATES = 3;

/**
 * Rank the catalogue against `text`. Pure and deterministic. Terminal escapes, control characters and bidi
 * overrides are removed first: they are never part of a documented message, and the query is echoed back.
 */
export function explain(text: string): ExplainResult {
  const query = sanitizeText(text);
  const ranked = rank(query);
  const matched = ranked.filter((match) => match.score >= MATCH_THRESHOLD);
  // Show up to ten, but never cut off entries that matched as strongly as a shared code (InternalServerError has six).
  const strong = matched.filter((match) => match.score >= 0.9).length;
  const matches = matched.slice(0, Math.max(MAX_SHOWN, strong));
  // Nothing matched: show what the paste came closest to, by shared words, then by spelling.
  const byWords = ranked.slice(0, MAX_CANDIDATES);
  const seen = new Set(byWords.map((match) => match.entry.id));
  const bySpelling = nearest(query, MAX_CANDIDATES).filter((match) => !seen.has(match.entry.id));
  const candidates = matches.length > 0 ? [] : [...byWords, ...bySpelling].slice(0, MAX_CANDIDATES);
  return { query, matches, candidates };
}

/** 0 when a documented error matches, 1 when none does (docs/contract.md, "Exit codes"). */
export function explainExitCode(result: ExplainResult): 0 | 1 {
  return result.matches.length > 0 ? 0 : 1;
}
