/**
 * Pull the parts worth matching out of a paste. ARM returns `{"error":{"code","message","details":[…]}}` and
 * deployment errors nest the root cause in `details` ("the most inner level of error message is often the root
 * cause", VM error messages document): every code/message pair is a part, the deepest first.
 */

export interface PastePart {
  text: string;
  /** Nesting depth in an ARM error document (0 for the whole paste). */
  depth: number;
}

export interface ParsedPaste {
  parts: PastePart[];
  /** The HTTP status of an ARM error document (`"status": 404`); statuses in prose: see status.ts. */
  status?: number;
}

type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

function parseJson(text: string): JsonValue | undefined {
  const start = text.indexOf("{");
  const end = text.lastIndexOf("}");
  if (start < 0 || end <= start) return undefined;
  try {
    return JSON.parse(text.slice(start, end + 1)) as JsonValue;
  } catch {
    return undefined;
  }
}

/**
 * How deep `collect` descends: ARM nests a root cause a few `details` levels down; a paste nested thousands deep
 * overflowed the stack (exit 4). Deeper parts are not collected; the whole paste is still matched as text.
 */
const MAX_DEPTH = 64;

/** Walk any JSON for objects carrying `code` and/or `message` (ARM errors, CloudError, deployment details). */
function collect(value: JsonValue, depth: number, out: PastePart[], status: { value?: number }): void {
  if (depth > MAX_DEPTH) return;
  if (Array.isArray(value)) {
    for (const item of value) collect(item, depth + 1, out, status);
    return;
  }
  if (value === null || typeof value !== "object") return;
  const code = typeof value["code"] === "string" ? value["code"] : undefined;
  const message = typeof value["message"] === "string" ? value["message"] : undefined;
  const rawStatus = value["status"] ?? value["statusCode"] ?? value["httpStatusCode"];
  const numeric = typeof rawStatus === "number" ? rawStatus : typeof rawStatus === "string" ? Number(rawStatus) : NaN;
  if (Number.isInteger(numeric) && numeric >= 100 && numeric < 600) status.value = numeric;
  if (code !== undefined || message !== undefined) {
    const part: PastePart = { text: [code, message].filter(Boolean).join(" "), depth };
    out.push(part);
  }
  for (const child of Object.values(value)) if (child !== null && typeof child === "object") collect(child, depth + 1, out, status);
}

/**
 * The paste with its line breaks (and the blanks around them) removed: a terminal wraps at its width, inside a word
 * too (`'Forbidden'(Subscr⏎iptionNotEnabled)`), and copying keeps the break. Split and trimmed line by line: linear.
 */
function unwrapped(text: string): string {
  return text
    .split("\n")
    .map((line) => line.trim())
    .join("");
}

/** The longest paste also read with its line breaks removed. */
const UNWRAP_MAX_CHARS = 64 * 1024;

export function parsePaste(text: string): ParsedPaste {
  const parts: PastePart[] = [{ text, depth: 0 }];
  // Also as one line, for what a wrap cut in two: the whole paste as it is still decides everything else. A terminal
  // paste, not a megabyte of log (where it would only double the work).
  if (text.includes("\n") && text.length <= UNWRAP_MAX_CHARS) parts.push({ text: unwrapped(text), depth: 0 });
  const status: { value?: number } = {};
  const json = parseJson(text);
  if (json !== undefined) collect(json, 1, parts, status);
  const parsed: ParsedPaste = { parts: parts.sort((a, b) => b.depth - a.depth) };
  if (status.value !== undefined) parsed.status = status.value;
  return parsed;
}

// Codes as Azure and its clients print them: "(ConnectionFailure)", "[ScopeLocked]", "Code: ResourceNotFound", "code":"X".
const CODE_FORMS = [
  /\(([A-Z][a-z]+[A-Z][A-Za-z0-9]+)\)/g,
  /\[([A-Z][a-z]+[A-Z][A-Za-z0-9]+)\]/g,
  /\bcode"?\s*[:=]\s*"?([A-Z][A-Za-z0-9]+)/gi,
];

/** Error codes named in a paste, in order, without repeats. */
export function codesIn(paste: string): string[] {
  const found = new Set<string>();
  const bare = /^\s*([A-Z][a-z]+[A-Z][A-Za-z0-9]+)\s*$/.exec(paste)?.[1];
  if (bare !== undefined) found.add(bare);
  for (const form of CODE_FORMS) for (const match of paste.matchAll(form)) if (match[1]) found.add(match[1]);
  return [...found];
}
