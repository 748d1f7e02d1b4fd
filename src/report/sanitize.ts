/**
 * Text that came from Azure (names, tags, error messages) is untrusted: a resource name can carry ANSI escape
 * sequences, other C0/C1 control characters or Unicode bidi overrides that would rewrite the user's terminal or
 * disguise what they read. Everything printed passes through `sanitizeText` first.
 */
import { environmentSecretValues, maskSecrets } from "./secrets.js";

/**
 * An ECMA-48 escape sequence: CSI, OSC (ended by BEL or ST), or ESC with intermediate bytes (0x20–0x2F) and one
 * final byte (0x30–0x7E) — `ESC ( B` (character set), `ESC 7`/`ESC 8` (cursor), `ESC =`, `ESC c` (reset)
 * (https://ecma-international.org/publications-and-standards/standards/ecma-48/, 5.3–5.4). Global: for `replace`.
 */
export const TERMINAL_ESCAPE = /\u001b(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\)|[ -/]*[0-~])/g;
// Then any remaining C0/C1 controls except \n and \t.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
// Bidi embeddings/overrides/isolates and zero-width marks that can reorder or hide text (Trojan Source,
// https://trojansource.codes/); and invisible characters that can carry hidden text: the word joiner and invisible
// operators (U+2060–2064), U+180E, Unicode tag characters (U+E0000–E007F,
// https://www.unicode.org/charts/PDF/UE0000.pdf) and the supplementary variation selectors (U+E0100–E01EF), outside
// the BMP: their UTF-16 lead surrogate U+DB40 is in the class that finds them, the pair in the one that removes them.
// Not U+FE00–FE0F: U+FE0F makes ⚠️ an emoji, in our own output as in names.
const BIDI_CLASS = "\\u061c\\u180e\\u200b-\\u200f\\u202a-\\u202e\\u2060-\\u2064\\u2066-\\u2069\\ufeff";
const PLANE_14_LEAD = "\\udb40";
const PLANE_14 = `${PLANE_14_LEAD}[\\udc00-\\udfff]`;
const BIDI = new RegExp(`[${BIDI_CLASS}]|${PLANE_14}`, "g");
// Everything that would rewrite or reorder a terminal line: every C0/C1 control and the bidi set.
const INVISIBLE = new RegExp(`[\\u0000-\\u001f\\u007f-\\u009f${BIDI_CLASS}]|${PLANE_14}`, "g");

// Anything the three replacements below would touch (ANSI sequences start with ESC, a C0 control).
const NEEDS_SANITIZING = new RegExp(`[\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f${BIDI_CLASS}${PLANE_14_LEAD}]`);

/** Remove terminal escapes, control characters and bidi overrides; keep newlines and tabs. */
export function sanitizeText(text: string): string {
  // Nearly every string is clean: one scan instead of three replacements (the audit sanitises every result).
  if (!NEEDS_SANITIZING.test(text)) return text;
  return text.replace(TERMINAL_ESCAPE, "").replace(CONTROL, "").replace(BIDI, "");
}

// The same characters in JSON text: JSON.stringify writes C1 controls, DEL and the bidi set as they are, and the C0
// controls other than \n and \t as `\b`, `\f`, `\r` or `\u00XX`. Two scans: a single character class runs
// faster than one alternation of both (every audit line passes through here).
const JSON_RAW_NEEDS_SANITIZING = new RegExp(`[\\u007f-\\u009f${BIDI_CLASS}${PLANE_14_LEAD}]`);
const JSON_ESCAPE_NEEDS_SANITIZING = /\\(?:[bfr]|u00[01])/;

/**
 * False when `sanitizeText` leaves every string of a value unchanged, judged from the value's `JSON.stringify` text
 * (keys included). Conservative: an escaped backslash before `r` (`C:\\run`) says true too.
 */
export function jsonMayNeedSanitizing(json: string): boolean {
  // Nearly every audit line is ASCII without a backslash: told by a byte count and a one-character search (about 1 µs
  // on a 7 KB line) before the two scans (about 7 µs). DEL is the one character of the set that is ASCII.
  const raw = (Buffer.byteLength(json) !== json.length || json.includes("\u007f")) && JSON_RAW_NEEDS_SANITIZING.test(json);
  return raw || (json.includes("\\") && JSON_ESCAPE_NEEDS_SANITIZING.test(json));
}

/** Show invisible characters as `\\uXXXX` (for echoing user input in an error, where removing them would hide the problem). */
export function revealInvisible(text: string): string {
  // Each UTF-16 unit (a tag character is two), as a JSON or JavaScript string would escape it.
  return text.replace(INVISIBLE, (c) =>
    c
      .split("")
      .map((unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, "0")}`)
      .join(""),
  );
}

/**
 * `text` with its credentials masked, cut to at most `maxLength` characters (the last an ellipsis). Masked here, as
 * the plain string it still is: before a cut (a key cut short no longer has the shape masking recognises), and with
 * the plain patterns the output stream's filter cannot use on serialised text (src/report/secrets.ts).
 */
export function cutText(text: string, maxLength: number): string {
  const masked = maskSecrets(text, environmentSecretValues());
  return masked.length > maxLength ? `${masked.slice(0, maxLength - 1)}…` : masked;
}

/** Sanitise and keep it to one line (for table cells): a run of whitespace with a line break or tab becomes one space. */
export function sanitizeLine(text: string, maxLength = 400): string {
  return cutText(oneLine(sanitizeText(text)), maxLength);
}

const BREAK = /[\r\n\t]/;

/**
 * Every `\s*[\r\n\t]+\s*` replaced by one space, in linear time: that global regex retried from every position of a
 * run of spaces without a break and took quadratic time (100,000 spaces: 17 s). Here each whole run is looked at once.
 */
function oneLine(text: string): string {
  return BREAK.test(text) ? text.replace(/\s+/g, (run) => (BREAK.test(run) ? " " : run)) : text;
}

/**
 * Apply `map` to every string in a JSON-like value, keys included (the one deep walker of the output pipeline).
 * Copy on write: a part in which no string changes is returned as is (nearly every part of a result is clean, and
 * an audit walks every VM's result), so the value must not be mutated afterwards — nothing in the pipeline does.
 */
export function mapStrings<T>(value: T, map: (text: string) => string): T {
  if (typeof value === "string") return map(value) as T;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const mapped = mapStrings(item, map);
      if (mapped !== item) (out ??= value.slice())[i] = mapped;
    }
    return (out ?? value) as T;
  }
  if (value !== null && typeof value === "object") {
    const source = value as Record<string, unknown>;
    const keys = Object.keys(source);
    let out: Record<string, unknown> | undefined;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as string;
      const item = source[key];
      const mappedKey = map(key);
      const mapped = mapStrings(item, map);
      if (out === undefined && (mappedKey !== key || mapped !== item)) {
        out = {};
        for (let j = 0; j < i; j++) setOwn(out, keys[j] as string, source[keys[j] as string]);
      }
      if (out !== undefined) setOwn(out, mappedKey, mapped);
    }
    return (out ?? value) as T;
  }
  return value;
}

/** `out[key] = value`, but defined for `__proto__` (a key read back by `report`): assigning would set the prototype. */
export function setOwn(out: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  else out[key] = value;
}

/** Deep-sanitise every string in a JSON-like value (used before any formatter sees results). */
export function sanitizeDeep<T>(value: T): T {
  return mapStrings(value, sanitizeText);
}
