/**
 * Escaping for the file formats. Every string from Azure passes through one of these on its way out, so a resource
 * name cannot close a table cell, open an XML element or smuggle a formula into a spreadsheet.
 */
import { sanitizeLine, sanitizeText } from "./sanitize.js";

/** Markdown inline text: no HTML, no emphasis/link/code syntax, no table breaks. */
export function mdText(text: string): string {
  return sanitizeText(text)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/([\\`*_[\]|#~])/g, "\\$1")
    .replace(/\r?\n/g, " ");
}

/** An identifier (check id, documented error id) as inline code; anything that is not a plain id, as escaped text. */
export function mdId(id: string): string {
  return /^[A-Za-z0-9._-]+$/.test(id) ? `\`${id}\`` : mdText(id);
}

/** A Markdown table cell: one line, escaped. */
export function mdCell(text: string, maxLength = 500): string {
  return mdText(sanitizeLine(text, maxLength));
}

/** A fenced code block whose fence is longer than any backtick run inside it (CommonMark §4.5). */
export function mdCode(lines: readonly string[], info = ""): string {
  const body = lines.map((line) => sanitizeLine(line, 2000)).join("\n");
  const longest = Math.max(0, ...(body.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(Math.max(3, longest + 1));
  return `${fence}${info}\n${body}\n${fence}`;
}

// XML 1.0 allows only these characters (§2.2); anything else (controls, lone surrogates) is dropped.
const XML_INVALID = /[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu;

/** Text content or attribute value for XML; newlines kept as character references in attributes. */
export function xml(text: string, attribute = false): string {
  const out = sanitizeText(text)
    .replace(XML_INVALID, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
  return attribute ? out.replace(/\n/g, "&#10;").replace(/\r/g, "&#13;").replace(/\t/g, "&#9;") : out;
}

/**
 * A spreadsheet cell that cannot run as a formula (OWASP "CSV injection"): values starting with `=`, `+`, `-`,
 * `@`, tab or carriage return get a leading `'`. Quoting (RFC 4180) is the CSV writer's job.
 */
export function csvCell(text: string): string {
  const clean = sanitizeText(text);
  return /^[=+\-@\t\r]/.test(clean) ? `'${clean}` : clean;
}

/**
 * HTML text content or a double-quoted attribute value (HTML Living Standard §13.1: escaping `&`, `<`, `>`, `"`
 * and `'` makes any string inert in both places). Controls and bidi overrides are removed first.
 */
export function htmlText(text: string): string {
  return sanitizeText(text)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}
