/**
 * `sc-doctor explain`: find the documented errors that match pasted text.
 * (Skeleton: exact substring match; ranking and fuzzy matching come with the explain work.)
 */
import { CATALOG, type CatalogEntry } from "../catalog/index.js";

export interface ExplainMatch {
  entry: CatalogEntry;
  score: number;
}

export interface ExplainResult {
  query: string;
  matches: ExplainMatch[];
}

export function explain(text: string): ExplainResult {
  const query = text.trim().toLowerCase();
  const matches = CATALOG.filter((entry) => query.length > 0 && (entry.message.toLowerCase().includes(query) || entry.code?.toLowerCase() === query)).map(
    (entry) => ({ entry, score: 1 }),
  );
  return { query: text, matches };
}

export function explainExitCode(result: ExplainResult): number {
  return result.matches.length > 0 ? 0 : 1;
}

export function formatExplain(result: ExplainResult, options: { output: "table" | "json"; color: boolean }): string {
  if (options.output === "json") return `${JSON.stringify({ query: result.query, matches: result.matches.map((m) => ({ id: m.entry.id, score: m.score, message: m.entry.message })) }, null, 2)}\n`;
  if (result.matches.length === 0) return "no documented error matches\n";
  return result.matches.map((m) => `${m.entry.id}: ${m.entry.message}\n  Mitigation: ${m.entry.mitigation}\n`).join("\n");
}
