/**
 * Rank catalogue entries against a paste. Deterministic and cheap (one pass over ~80 entries): each entry gets the
 * best of several signals, strongest first —
 *
 * | signal     | score       | when |
 * |---|---|---|
 * | `message`  | 1.0 + spec. | a documented message (or variant), placeholders filled or not, occurs in the paste |
 * | `code`     | 0.95        | the paste names the entry's error code (`VMNotFound`, `'Bad Request'`) |
 * | `fragment` | 0.9 + cov.  | the paste is a piece (≥ 12 characters) of a documented message |
 * | `alias`    | 0.88        | the paste names something only this error names (`*.console.azure.com`) |
 * | `status`   | 0.5         | the paste is (or names) an HTTP status the entry documents |
 * | `words`    | ≤ 0.8       | rarity-weighted word overlap (IDF): precision over known words × recall of the entry |
 * | `spelling` | < 0.3       | (candidates only, see `nearest`) trigram similarity when no word is shared |
 *
 * "spec." prefers the longer documented text when two templates match (one message can contain another); a
 * small bonus goes to the deeper part of an ARM error (the root cause) and to a matching HTTP status.
 */
import { CATALOG, type CatalogEntry } from "../catalog/index.js";
import { normalize, tokens } from "./normalize.js";
import { parsePaste } from "./parse.js";
import { compileTemplate, escape, type CompiledTemplate } from "./template.js";

export type MatchKind = "message" | "code" | "fragment" | "alias" | "status" | "words" | "spelling";

export interface ExplainMatch {
  entry: CatalogEntry;
  /** 0–~1.1; ≥ `MATCH_THRESHOLD` counts as a match. */
  score: number;
  matchedBy: MatchKind;
}

/** Below this an entry is only a "nearest candidate". */
export const MATCH_THRESHOLD = 0.5;

interface Indexed {
  entry: CatalogEntry;
  order: number;
  templates: CompiledTemplate[];
  words: Set<string>;
  weight: number;
  code?: RegExp;
  aliases: string[];
}

function codePattern(code: string): RegExp {
  const text = escape(normalize(code));
  return new RegExp(`(?:^|[^a-z0-9])${text}(?:$|[^a-z0-9])`);
}

const BASE = CATALOG.map((entry, order) => {
  const texts = [entry.message, ...(entry.variants ?? [])];
  return {
    entry,
    order,
    templates: texts.map(compileTemplate),
    words: new Set(texts.flatMap((text) => tokens(normalize(text))).concat(entry.code ? tokens(normalize(entry.code)) : [])),
    aliases: (entry.aliases ?? []).map(normalize),
    ...(entry.code ? { code: codePattern(entry.code) } : {}),
  };
});

// Inverse document frequency: a word in one entry ("hierarchical") says far more than one in thirty ("vm").
const DF = new Map<string, number>();
for (const item of BASE) for (const word of item.words) DF.set(word, (DF.get(word) ?? 0) + 1);
const idf = (word: string): number => Math.log(1 + BASE.length / (DF.get(word) ?? BASE.length));
const sumIdf = (words: Iterable<string>): number => {
  let total = 0;
  for (const word of words) total += idf(word);
  return total;
};

const INDEX: Indexed[] = BASE.map((item) => ({ ...item, weight: sumIdf(item.words) }));

function wordScore(item: Indexed, known: Set<string>, knownWeight: number): number {
  if (knownWeight === 0 || item.weight === 0) return 0;
  let overlap = 0;
  for (const word of known) if (item.words.has(word)) overlap += idf(word);
  const precision = overlap / knownWeight;
  const recall = overlap / item.weight;
  return 0.8 * Math.sqrt(precision * recall);
}

function partScore(item: Indexed, text: string, known: Set<string>, knownWeight: number): { score: number; matchedBy: MatchKind } {
  let best = { score: wordScore(item, known, knownWeight), matchedBy: "words" as MatchKind };
  const consider = (score: number, matchedBy: MatchKind) => {
    if (score > best.score) best = { score, matchedBy };
  };
  const fragment = text.replace(/[.!]+$/, "");
  for (const template of item.templates) {
    if (template.regex.test(text)) consider(1 + template.literalLength / 10_000, "message");
    else if (fragment.length >= 12 && template.text.includes(fragment))
      consider(0.9 + (0.05 * fragment.length) / template.text.length, "fragment");
  }
  if (item.code?.test(text)) consider(0.95, "code");
  if (item.aliases.some((alias) => text.includes(alias))) consider(0.88, "alias");
  return best;
}

/** Every entry scored against the paste, best first (ties keep catalogue order). */
export function rank(paste: string): ExplainMatch[] {
  const parsed = parsePaste(paste);
  const parts = parsed.parts.map((part) => {
    const text = normalize(part.text);
    const known = new Set(tokens(text).filter((word) => DF.has(word)));
    return { text, depth: part.depth, known, knownWeight: sumIdf(known) };
  });
  const bareStatus = /^\(?\s*(?:http\s*)?[1-5]\d\d\s*\)?$/i.test(paste.trim());
  const scored = INDEX.map((item) => {
    let best = { score: 0, matchedBy: "words" as MatchKind };
    let words = 0;
    for (const part of parts) {
      const found = partScore(item, part.text, part.known, part.knownWeight);
      // The root cause is nested deepest in an ARM error: prefer what matched there.
      const score = found.score > 0 ? found.score + 0.001 * part.depth : 0;
      if (score > best.score) best = { score, matchedBy: found.matchedBy };
      words = Math.max(words, wordScore(item, part.known, part.knownWeight));
    }
    const statusMatches = parsed.status !== undefined && parsed.status === item.entry.httpStatus;
    if (statusMatches && best.score < MATCH_THRESHOLD && (bareStatus || best.score > 0))
      best = { score: MATCH_THRESHOLD, matchedBy: "status" };
    else if (statusMatches) best.score += 0.02;
    // Tie-break equal signals (e.g. six entries sharing a code) by how much of the wording agrees.
    if (best.score > 0) best.score += 0.01 * words;
    return { entry: item.entry, score: Math.round(best.score * 10_000) / 10_000, matchedBy: best.matchedBy, order: item.order };
  });
  return scored
    .filter((match) => match.score > 0)
    .sort((a, b) => b.score - a.score || a.order - b.order)
    .map(({ entry, score, matchedBy }) => ({ entry, score, matchedBy }));
}

function trigrams(text: string): Set<string> {
  const padded = ` ${text} `;
  const out = new Set<string>();
  for (let i = 0; i + 3 <= padded.length; i++) out.add(padded.slice(i, i + 3));
  return out;
}

const TRIGRAMS = INDEX.map((item) => item.templates.map((template) => trigrams(template.text)));

/**
 * The nearest entries by spelling alone (trigram Dice coefficient), for a paste that shares no word with any
 * documented error: a typo'd or truncated message still points somewhere. Scores are scaled below 0.3, so these
 * are only ever candidates, never matches.
 */
export function nearest(paste: string, count: number): ExplainMatch[] {
  const query = trigrams(normalize(paste));
  if (query.size === 0) return [];
  return INDEX.map((item, i) => {
    let best = 0;
    for (const grams of TRIGRAMS[i] ?? []) {
      let shared = 0;
      for (const gram of query) if (grams.has(gram)) shared++;
      best = Math.max(best, (2 * shared) / (query.size + grams.size));
    }
    return { entry: item.entry, score: Math.round(0.3 * best * 10_000) / 10_000, matchedBy: "spelling" as MatchKind, order: item.order };
  })
    .filter((match) => match.score > 0)
    .sort((a, b) => b.score - a.score || a.order - b.order)
    .slice(0, count)
    .map(({ entry, score, matchedBy }) => ({ entry, score, matchedBy }));
}
