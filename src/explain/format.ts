/**
 * The two views of an explain result. The human one leads with the documented text and its source, then what to
 * do (mitigation, fix) and how to verify it on a real VM (`sc-doctor --vm … --only <check>`).
 */
import pc from "picocolors";
import { SOURCE_TITLES, renderFix, type CatalogEntry } from "../catalog/index.js";
import { sanitizeLine } from "../report/sanitize.js";
import type { ExplainResult } from "./index.js";
import type { ExplainMatch } from "./match.js";

export interface ExplainFormatOptions {
  output: "table" | "json";
  color: boolean;
}

/** The command to run next: the checks that verify this error on a VM, or undefined when none can. */
export function nextCommand(entry: CatalogEntry): string | undefined {
  return entry.checks.length > 0 ? `sc-doctor --vm <vm-resource-id> --only ${entry.checks.join(",")}` : undefined;
}

function toJson(match: ExplainMatch) {
  const { entry } = match;
  const next = nextCommand(entry);
  return {
    id: entry.id,
    score: match.score,
    matchedBy: match.matchedBy,
    ...(entry.code !== undefined ? { code: entry.code } : {}),
    ...(entry.httpStatus !== undefined ? { httpStatus: entry.httpStatus } : {}),
    message: entry.message,
    variants: [...(entry.variants ?? [])],
    sources: entry.sources.map((id) => ({ id, title: SOURCE_TITLES[id] })),
    ...(entry.docUrl !== undefined ? { docUrl: entry.docUrl } : {}),
    mitigation: entry.mitigation,
    fix: [...(entry.fix ?? [])],
    checks: [...entry.checks],
    ...(next !== undefined ? { next } : {}),
  };
}

function block(match: ExplainMatch, rank: number, paint: ReturnType<typeof pc.createColors>): string[] {
  const { entry } = match;
  const head = [entry.code, entry.httpStatus !== undefined ? `HTTP ${entry.httpStatus}` : undefined].filter(Boolean).join(", ");
  const lines = [
    `${rank}. ${paint.bold(entry.id)}${head ? `  (${head})` : ""}  ${paint.dim(`score ${match.score.toFixed(2)}, by ${match.matchedBy}`)}`,
  ];
  lines.push(`   Error:       "${entry.message}"`);
  for (const variant of entry.variants ?? []) lines.push(`   Also seen:   "${variant}"`);
  lines.push(`   Source:      ${entry.sources.map((id) => SOURCE_TITLES[id]).join("; ")}${entry.docUrl ? ` — ${entry.docUrl}` : ""}`);
  lines.push(`   Mitigation:  ${entry.mitigation}`);
  // No VM here: placeholders show as <vm>, <rg>, … for the user to fill (JSON keeps the {templates}).
  for (const fix of renderFix(entry.fix ?? [], {})) lines.push(`   Fix:         ${paint.cyan(fix)}`);
  const next = nextCommand(entry);
  lines.push(next ? `   Verify with: ${paint.cyan(next)}` : "   Verify with: (no sc-doctor check: not visible from Azure's control plane)");
  return lines;
}

/** Render for the terminal (`table`) or scripts (`json`). The query is untrusted text: sanitised before printing. */
export function formatExplain(result: ExplainResult, options: ExplainFormatOptions): string {
  if (options.output === "json") {
    const body = {
      schemaVersion: 1,
      query: result.query,
      matched: result.matches.length > 0,
      matches: result.matches.map(toJson),
      candidates: result.candidates.map(toJson),
    };
    return `${JSON.stringify(body, null, 2)}\n`;
  }
  const paint = pc.createColors(options.color);
  const lines: string[] = [];
  if (result.matches.length === 0) {
    lines.push(`no documented error matches "${sanitizeLine(result.query, 200)}"`);
    if (result.candidates.length > 0) {
      lines.push("", "Nearest candidates (not matches):");
      result.candidates.forEach((match, i) => lines.push("", ...block(match, i + 1, paint)));
    }
    return `${lines.join("\n")}\n`;
  }
  const n = result.matches.length;
  lines.push(`${n} documented error${n === 1 ? "" : "s"} match${n === 1 ? "es" : ""} "${sanitizeLine(result.query, 200)}":`);
  result.matches.forEach((match, i) => lines.push("", ...block(match, i + 1, paint)));
  return `${lines.join("\n")}\n`;
}
