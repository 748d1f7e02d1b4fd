/**
 * What "reached the output unescaped" means, per format. Each function returns the problems it found (empty = safe),
 * so a failure names the format, the rule and the offending excerpt.
 */

// ESC and every other C0/C1 control except \n and \t (and \r, which CSV line ends may use).
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
// Bidi embeddings/overrides/isolates and zero-width characters (Trojan Source); invisible ones that can carry
// hidden text (word joiner and invisible operators, Unicode tags and supplementary variation selectors).
const BIDI = /[\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]|\udb40[\udc00-\udfff]/;

function excerpt(text: string, index: number): string {
  return JSON.stringify(text.slice(Math.max(0, index - 40), index + 40));
}

/** Terminal safety: applies to every format and to stderr. */
export function terminalProblems(text: string): string[] {
  const problems: string[] = [];
  for (const [name, pattern] of [
    ["control character", CONTROL],
    ["bidi/zero-width character", BIDI],
  ] as const) {
    const match = pattern.exec(text);
    if (match) problems.push(`${name} U+${match[0].charCodeAt(0).toString(16).padStart(4, "0")} at ${excerpt(text, match.index)}`);
  }
  return problems;
}

/** HTML/markdown injection outside code: raw tags, and links or images pointing where Azure said. */
export function markdownProblems(text: string): string[] {
  // Code spans and fences render literally: strip them, then nothing hostile may remain.
  const prose = text.replace(/```[\s\S]*?```/g, "").replace(/`[^`\n]*`/g, "");
  const problems: string[] = [];
  for (const pattern of [/<\s*(img|script|a|iframe|svg)\b/i, /\]\(\s*(https?|javascript):[^)]*evil/i, /!\[[^\]]*\]\(/, /javascript:/i]) {
    const match = pattern.exec(prose);
    if (match) problems.push(`markdown/HTML injection ${pattern} at ${excerpt(prose, match.index)}`);
  }
  return problems;
}

/** XML (JUnit): hostile markup must arrive as text (&lt;…), never as elements. */
export function xmlProblems(text: string): string[] {
  const match = /<\s*(img|script|iframe|svg)\b/i.exec(text);
  return match ? [`raw markup in XML at ${excerpt(text, match.index)}`] : [];
}

/**
 * HTML: hostile markup must arrive as text. Our own page has one `<script>` at most (the audit table's) and no
 * inline event handler, image, frame or link out of Microsoft's docs; anything else came from Azure.
 */
export function htmlProblems(text: string): string[] {
  const problems: string[] = [];
  const scripts = text.match(/<script\b/gi) ?? [];
  if (scripts.length > 1) problems.push(`${scripts.length} <script> elements (ours is one)`);
  for (const pattern of [
    /<\s*(img|iframe|object|embed|link|base|form|meta\s+http-equiv="refresh")\b/i,
    // An event-handler attribute, read attribute by attribute so that escaped text inside a quoted value is not one.
    /<[a-z][a-z0-9-]*(?:\s+[a-z][a-z0-9-]*(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>"']+))?)*\s+on[a-z]+\s*=/i,
    /\s(href|src)\s*=\s*"(?!#vm-\d+"|https:\/\/learn\.microsoft\.com\/)/i,
  ]) {
    const match = pattern.exec(text);
    if (match) problems.push(`HTML injection ${pattern} at ${excerpt(text, match.index)}`);
  }
  return problems;
}

/** RFC 4180 parse: rows of cells, quotes handled. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') ((cell += '"'), i++);
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") (row.push(cell), (cell = ""));
    else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      (row.push(cell), rows.push(row), (row = []), (cell = ""));
    } else cell += c;
  }
  if (cell !== "" || row.length > 0) (row.push(cell), rows.push(row));
  return rows;
}

/** CSV formula injection (OWASP): no cell may start with = + - @ or a tab/CR, unless neutralised with a quote. */
export function csvProblems(text: string): string[] {
  const problems: string[] = [];
  parseCsv(text).forEach((row, r) =>
    row.forEach((cell, c) => {
      if (/^[=+\-@\t\r]/.test(cell))
        problems.push(`formula-like cell at row ${r + 1}, column ${c + 1}: ${JSON.stringify(cell.slice(0, 60))}`);
    }),
  );
  return problems;
}
