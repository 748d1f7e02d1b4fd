/**
 * HTTP statuses in a paste and in a documented error. A paste that names a status is evidence for the errors
 * documented with that status and against those documented with another one: a 409 is not the 'Bad Request' (400).
 *
 * Only statuses in a context that says so count — `(409)`, `status code 409`, `HTTP 404`, `"status": 404`,
 * `404 Not Found`, a quoted reason phrase (`'Conflict'`) or a paste that starts with the number — never a bare
 * three-digit number inside a stack trace (`line 233`), a size or an id.
 */

/** Reason phrases of RFC 9110 §15 (https://www.rfc-editor.org/rfc/rfc9110#section-15) that Azure errors carry. */
const REASONS: ReadonlyArray<readonly [string, number]> = [
  ["bad request", 400],
  ["unauthorized", 401],
  ["forbidden", 403],
  ["not found", 404],
  ["method not allowed", 405],
  ["conflict", 409],
  ["precondition failed", 412],
  ["too many requests", 429],
  ["internal server error", 500],
  ["bad gateway", 502],
  ["service unavailable", 503],
  ["gateway timeout", 504],
];
const REASON_ALTERNATIVES = REASONS.map(([phrase]) => phrase).join("|");
const REASON_STATUS = new Map(REASONS);

// "400 Bad Request": the number with its reason phrase.
const NUMBER_AND_REASON = new RegExp(`\\b(\\d{3})\\s+(?:${REASON_ALTERNATIVES})\\b`, "g");
const NUMBERED = [
  /\((\d{3})\)/g,
  /(?:status(?:\s*code)?|statuscode|http(?:\/\d(?:\.\d)?)?|response)\s*[:=]?\s*'?(\d{3})\b/g,
  /^\s*\(?(\d{3})\b/g,
  NUMBER_AND_REASON,
];
// 'Forbidden', 'Conflict' as the console quotes them (in normalised text every quote is ').
const QUOTED_REASON = new RegExp(`'(${REASON_ALTERNATIVES})'`, "g");

const REASONS_AS_CODES = new Set(REASONS.map(([phrase]) => phrase.replace(/ /g, "")));

/** Whether a normalised error code is only a reason phrase (`"code": "Conflict"`, `BadRequest`): a status, no error. */
export function isReasonPhraseCode(code: string): boolean {
  return REASONS_AS_CODES.has(code);
}

const isStatus = (n: number) => Number.isInteger(n) && n >= 100 && n <= 599;

/** Every HTTP status a normalised text names, in the contexts above. */
export function statusesIn(normalized: string): Set<number> {
  const found = new Set<number>();
  for (const pattern of NUMBERED)
    for (const match of normalized.matchAll(pattern)) {
      const value = Number(match[1]);
      if (isStatus(value)) found.add(value);
    }
  for (const match of normalized.matchAll(QUOTED_REASON)) {
    const value = REASON_STATUS.get(match[1] ?? "");
    if (value !== undefined) found.add(value);
  }
  // A paste that is just a reason phrase: "Forbidden".
  const alone = REASON_STATUS.get(normalized.trim().replace(/^'(.*)'$/, "$1"));
  if (alone !== undefined) found.add(alone);
  return found;
}

/**
 * The status a documented error carries: the documented one, else the one its own wording names (the console's
 * `A "Forbidden" response …` is a 403 by definition of the reason phrase).
 */
export function entryStatus(httpStatus: number | undefined, normalizedMessage: string): number | undefined {
  if (httpStatus !== undefined) return httpStatus;
  const named = [...statusesIn(normalizedMessage)];
  return named.length === 1 ? named[0] : undefined;
}

/**
 * The normalised text without the places where it says a status (the contexts `statusesIn` reads, or the whole text
 * a reason phrase): "'Bad Request'" and "400 Bad Request" say a 400, while "… was not found" stays prose.
 */
export function withoutStatusMentions(normalized: string): string {
  if (REASON_STATUS.has(normalized.trim().replace(/^'(.*)'$/, "$1"))) return "";
  let text = normalized;
  // The number with its reason first: "http/1.1 400 bad request" is one mention, not "http/1.1 400" and prose.
  for (const pattern of [NUMBER_AND_REASON, QUOTED_REASON, ...NUMBERED]) text = text.replace(pattern, " ");
  return text;
}

// "http/1.1" and "http/2" (a status line as curl or a proxy prints it) are one status word with their version.
const STATUS_WORDS = new RegExp(`\\b(?:\\d{3}|${REASON_ALTERNATIVES}|http(?:\\/\\d(?:\\.\\d)?)?|status|code|error)\\b`, "g");

/**
 * True when the normalised text (boilerplate already removed) says nothing but an HTTP status: "403", "(409)",
 * "HTTP 404", "HTTP/1.1 409 Conflict", "'Forbidden' (403)", "409 Conflict".
 */
export function isStatusOnly(normalized: string): boolean {
  // A help link ("see <https://aka.ms/serialconsolelinux>") says nothing about which error it is.
  const text = normalized.replace(/https?:\/\/[^ ]*/g, " ");
  return statusesIn(text).size > 0 && !/[a-z0-9]/.test(withoutStatusWords(text));
}

/** The normalised text without the words that only say a status ("403", "forbidden", "http", "status", …). */
export function withoutStatusWords(normalized: string): string {
  return normalized.replace(STATUS_WORDS, " ");
}
