/**
 * Secrets never reach any output. One list of credential shapes and one `maskSecrets`, used on both paths (model:
 * `sanitizer.ts` of @azure/core-rest-pipeline): the report pipeline masks every string of the results before a
 * formatter sees them (`redact.ts`), and the CLI routes everything it writes to stdout and stderr through
 * `maskStream` — the last line of defence for error messages Azure echoes back and formats added later. Masked
 * always, not only with `--redact`: a diagnostic report gets pasted into tickets.
 *
 * Shapes: access tokens are JWTs, `eyJ…` header.payload.signature (https://learn.microsoft.com/entra/identity-platform/access-tokens);
 * a SAS carries its HMAC in `sig=`, and a SAS URI is a blob URL with the token as its query, as in the boot
 * diagnostics URIs of retrieveBootDiagnosticsData (https://learn.microsoft.com/rest/api/storageservices/create-service-sas,
 * https://learn.microsoft.com/rest/api/compute/virtual-machines/retrieve-boot-diagnostics-data); storage account
 * keys are 64 random bytes, 88 base64 characters ending in `==`, in connection strings as `AccountKey=`
 * (https://learn.microsoft.com/azure/storage/common/storage-configure-connection-string). Our own secrets
 * (IDENTITY_HEADER, client secret, …) are masked by value.
 */

// Masked values stop at anything JSON, XML, CSV, Markdown or HTML escape (`\\`, quotes, `&`, `<`, `>`), so masking
// the serialised text on the stream can never break a format: it never eats half of an escape sequence.
// A SAS signature is the base64 of an HMAC-SHA256 (44 characters, more percent-encoded): fewer is not one (`sig=6`,
// a kernel audit line's signal number).
const BASE64_CHAR = "[A-Za-z0-9%+/=_-]";
// In a plain string (a paste, not our own serialised output) a value may carry the JSON escapes of the tool that
// printed it for `+`, `/` and `=` (`\u002B`, `\u002F`, `\/`, `\u003D`): part of the value, unlike `\u0026` (`&`).
const ESCAPED_CHAR = `(?:${BASE64_CHAR}|\\\\u00(?:2[bBfF]|3[dD])|\\\\/)`;
const ANY_VALUE = "[^\\s\"'\\\\&;<>,]+";
// `password: "correct horse battery"`: a quoted value is masked to its closing quote (kept), never across an escape
// or a line; `client_secret`, `client-secret` and `clientsecret` alike. Whitespace around `=`/`:` stays on its line.
// A refresh token is opaque (not a JWT: `0.AXoA…`), so only its key tells it: `refresh_token=` in an OAuth form body,
// `"refreshToken":` in the az CLI's pre-MSAL token cache (https://learn.microsoft.com/entra/identity-platform/refresh-tokens).
const SECRET_KEY = "(?:AZURE_)?(?:client[_-]?secret|password|(?:refresh|access)[_-]?token)";
// No word boundary before the key: Azure's names join a word to it (`adminPassword` in ARM bodies, Terraform's
// `ARM_CLIENT_SECRET` and `admin_password`), and the match keeps that word.
const SECRET_ASSIGNMENT = `(${SECRET_KEY}["']?[ \\t]*[=:][ \\t]*)`;
// In serialised text on one line, a quote right after `password:` may be the one closing the string or attribute
// it ends (`["Enter password:","next"]`, `title="password:" class="x"`, `value="password:"/>`): a value starting
// with what follows one (`,` `:` `]` `}`, a space, `>` or `/`) is not one, and a single-quoted one holds no `"`
// (in JSON text and escaped markup, one is always a delimiter).
const AFTER_DELIMITER = "(?![,:\\]}\\s>/])";
/**
 * A quoted value; `guard` after its opening quote (AFTER_DELIMITER in serialised text, nothing in a plain string).
 * It may hold commas (`password='Abc,123'`): CSV quotes every field holding an apostrophe (src/report/csv.ts), so a
 * single-quoted value never runs across a record's fields.
 */
const quotedValue = (guard: string) => `"${guard}[^"\\\\\\n\\r]+"|'${guard}[^'"\\\\\\n\\r]+'`;
/** The optional quote before a bare value, on the same terms (never one that closes a string or an attribute). */
const openQuote = (guard: string) => `(?:["']${guard})?`;

// In JSON text: an optional quote (`"` escaped) and whitespace (\n, \t, \r, \f, \v escaped) before `=` or `:`.
const JSON_ASSIGNMENT = `(?:\\\\"|')?(?:\\s|\\\\[nrtf]|\\\\u00[0-9a-fA-F]{2})*[=:]`;

/**
 * The replacement of a `key (quotedValue | (open) bare value)` match: `key"***"` for a quoted value (its quotes
 * stay, so JSON text stays JSON), `key` + `open` + `***` for a bare one.
 */
function keepQuotes(match: string, key = "", open?: string): string {
  if (open !== undefined) return `${key}${open}***`;
  const quote = match[key.length] ?? "";
  return `${key}${quote}***${quote}`;
}

/** A test a text must pass for a pattern to match in it: cheaper than the pattern, run on every line written. */
export interface Hint {
  test(text: string): boolean;
}

// V8 scans for one literal far faster than for an alternation of them, and for a rare first character faster than
// a common one (measured on audit lines of ~9 KB: `/accountkey=|sharedaccess/i` 5.7 µs, the two apart 2.8 µs; `eyJ`
// 4.5 µs, `yJ` 0.4 µs; `includes` of one character, 0.1 µs).
/** Passes when any of `hints` does. */
const anyOf = (...hints: Hint[]): Hint => ({ test: (text) => hints.some((hint) => hint.test(text)) });
/** `hint`, asked only of text holding `char`, which every match of it contains. */
const holding = (char: string, hint: Hint): Hint => ({ test: (text) => text.includes(char) && hint.test(text) });
/** Every spelling of a secret's assignment (`password=`, `client_secret:`, `refreshToken:`), with what may stand between. */
const assigned = (between: string): Hint =>
  anyOf(
    new RegExp(`password${between}`, "i"),
    new RegExp(`client[_-]?secret${between}`, "i"),
    // `refresh_token`, `accessToken`: one scan for `token` (an alternation before it scans slower).
    new RegExp(`token${between}`, "i"),
  );

/**
 * Credentials, masked wherever they appear. Each keeps its key (`sig=***`) so the reader sees what was there.
 * `hint`: a test text must pass for the pattern to match in it (case aside) — it skips the pattern for the common
 * case, since an audit writes every VM's line through `maskStream`. `jsonHint`, where `hint` would not pass the JSON
 * text of what the pattern matches (JSON escapes what may stand between a key and its `=`).
 */
/** What replaces a match: a `String.prototype.replace` replacement string (`$1***`) or function. */
type Replacement = string | ((match: string, ...groups: (string | undefined)[]) => string);

type CredentialPattern = readonly [name: string, pattern: RegExp, replacement: Replacement, hint: Hint, jsonHint?: Hint];

/**
 * The table, for text whose quotes may be a format's own delimiters (`serialised`: what the stream filter sees —
 * JSON lines, XML and HTML attributes) or for plain strings (a result's texts before any format: a password may
 * start with `]` there).
 */
function credentialPatterns(serialised: boolean): readonly CredentialPattern[] {
  const guard = serialised ? AFTER_DELIMITER : "";
  const valueChar = serialised ? BASE64_CHAR : ESCAPED_CHAR;
  const QUOTED_VALUE = quotedValue(guard);
  const OPEN_QUOTE = openQuote(guard);
  return [
    // Also when an echoed message was cut short mid-token (…header.payl…). Hint `yJ`: `e` is in every word.
    ["JWT", /\beyJ[A-Za-z0-9_-]{5,}(?:\.[A-Za-z0-9_-]*){0,2}/g, "***", /yJ/],
    ["bearer token", /\b(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi, "$1***", /bearer/i],
    // Basic credentials are base64 of `user:password`, the scheme case-insensitive (https://www.rfc-editor.org/rfc/rfc7617).
    ["basic credentials", /\b((?:Proxy-)?Authorization:[ \t]*Basic[ \t]+)[A-Za-z0-9+/=]{8,}/gi, "$1***", /basic/i],
    // In a SAS URI as is, HTML-escaped (`&amp;sig=`) or percent-encoded inside another URL once or twice (`%26sig%3D`,
    // `sig%253D`).
    [
      "SAS signature",
      new RegExp(`(?<![A-Za-z_])(sig(?:=|%3D|%253D))${valueChar}{8,}`, "gi"),
      "$1***",
      anyOf(holding("=", /sig=/i), holding("%", /sig%(?:25)?3d/i)),
    ],
    [
      "connection string key",
      new RegExp(`\\b(AccountKey=|SharedAccessKey=|SharedAccessSignature=)${valueChar}+`, "gi"),
      "$1***",
      holding("=", anyOf(/accountkey=/i, /sharedaccess/i)),
    ],
    ["storage account key", /(^|[^A-Za-z0-9+/])[A-Za-z0-9+/]{86}==(?![A-Za-z0-9+/=])/g, "$1***", /==/],
    [
      "client secret, password or refresh token",
      new RegExp(`${SECRET_ASSIGNMENT}(?:${QUOTED_VALUE}|(${OPEN_QUOTE})${ANY_VALUE})`, "gi"),
      // A quoted value to its closing quote, which stays; a bare one to its end.
      keepQuotes,
      // Not the bare words: every audit line says "password".
      assigned(`["']?[ \\t]*[=:]`),
      assigned(JSON_ASSIGNMENT),
    ],
    // The az CLI's own flags (`az login --password …`, `--client-secret …`, `az vm create --admin-password …`, and
    // `-p` after `-u <user>`: `az login -u … -p …`, `az vm user update … -u … -p …`) and PowerShell's plain text
    // made a SecureString (`ConvertTo-SecureString 'P@ss' -AsPlainText`,
    // https://learn.microsoft.com/powershell/module/microsoft.powershell.security/convertto-securestring); not a
    // placeholder (`'<password>'`) of a fix.
    [
      "password or secret argument",
      new RegExp(
        `((?:--(?:[a-z0-9]+-)*(?:password|client-secret|secret)|(?<![\\w-])-u[ \\t]+\\S+[ \\t]+-p)(?:[ \\t]+|=)|ConvertTo-SecureString[ \\t]+(?:-String[ \\t]+)?)(?!["']?<|-)(?:${QUOTED_VALUE}|()${ANY_VALUE})`,
        "gi",
      ),
      keepQuotes,
      // One case-insensitive scan: V8 runs it as fast as the first literal alone (measured on audit lines).
      /-(?:password|secret|securestring|p\b)/i,
    ],
    // user:password in a URL's authority (https://www.rfc-editor.org/rfc/rfc3986#section-3.2.1): both masked.
    [
      "URL credentials",
      /(\b[a-z][a-z0-9+.-]*:\/\/)[^\s/?#@:"'\\<>&,]+:[^\s/?#@"'\\<>&,]+@/gi,
      "$1***:***@",
      holding("@", /:\/\/[^\s/@]*@/),
    ],
    [
      "identity header",
      new RegExp(`\\b(x-identity-header["']?[ \\t]*[=:][ \\t]*${OPEN_QUOTE})${ANY_VALUE}`, "gi"),
      "$1***",
      /x-identity-header/i,
      new RegExp(`x-identity-header${JSON_ASSIGNMENT}`, "i"),
    ],
  ];
}

/** Credentials in plain strings (the report pipeline, JSON strings before they are serialised). */
export const CREDENTIAL_PATTERNS = credentialPatterns(false);
/** The same credentials in serialised text (the stream filter): never a format's own quote taken for a value's. */
const SERIALISED_PATTERNS = credentialPatterns(true);

/** Names of our own secrets: their values are masked in every output, `--redact` or not. */
export const SECRET_ENV = [
  "IDENTITY_HEADER",
  "AZURE_CLIENT_SECRET",
  "MSI_SECRET",
  "AZURE_CLIENT_CERTIFICATE_PASSWORD",
  "AZURE_PASSWORD",
  "ACTIONS_ID_TOKEN_REQUEST_TOKEN",
];

/**
 * Secret values from our own environment (never shorter than 6 characters, so no accidental mass masking); and
 * AZURE_CLIENT_ID when it is not the GUID it should be — a secret pasted in its place, which Entra ID quotes back
 * ("AADSTS700016: Application with identifier '<it>' was not found").
 */
export function environmentSecretValues(env: NodeJS.ProcessEnv = process.env): string[] {
  const clientId = env["AZURE_CLIENT_ID"] ?? "";
  const misplaced = /^[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$/i.test(clientId.trim()) ? [] : [clientId];
  return [...SECRET_ENV.map((name) => env[name] ?? ""), ...misplaced].filter((value) => value.length >= 6);
}

/**
 * Mask our own secret `values` and every credential shape in one string; `serialised` when the text is a format's
 * output (JSON, XML, HTML), whose quotes may be delimiters rather than a value's.
 */
export function maskSecrets(text: string, values: readonly string[], serialised = false): string {
  let out = text;
  // Longest first: a secret that contains another must not leave its tail behind.
  for (const value of [...values].sort((a, b) => b.length - a.length)) if (value && out.includes(value)) out = out.split(value).join("***");
  for (const [, pattern, replacement, hint] of serialised ? SERIALISED_PATTERNS : CREDENTIAL_PATTERNS)
    if (hint.test(out)) out = typeof replacement === "string" ? out.replace(pattern, replacement) : out.replace(pattern, replacement);
  return out;
}

// A line break with the indentation around it, and the characters a credential's value is made of (a SAS
// signature, a key, a JWT): where a terminal may have wrapped one in a pasted text.
const VALUE_CHAR = /[A-Za-z0-9%+/=_.~-]/;
/** No credential is longer (a JWT with many claims is a few KiB): words joined past it are no credential's parts. */
const CREDENTIAL_MAX = 8192;

const isSpace = (code: number) => code === 32 || code === 9 || code === 10 || code === 13;

/** The last two words of `text` (a key and its value: `Bearer <token>`, `--account-key <key>`) and the last one's length. */
function lastWords(text: string): { words: string; last: number } {
  let i = text.length;
  while (i > 0 && !isSpace(text.charCodeAt(i - 1))) i--;
  const last = text.length - i;
  while (i > 0 && isSpace(text.charCodeAt(i - 1))) i--;
  while (i > 0 && text.length - i < CREDENTIAL_MAX && !isSpace(text.charCodeAt(i - 1))) i--;
  return { words: text.slice(i), last };
}

/** The first word of `text`. */
const isBlank = (code: number) => code === 32 || code === 9;

/**
 * `text.split(/([ \t]*\r?\n[ \t]*)/)` — lines and the breaks between them, with the blanks around each break —
 * in one pass: that expression retries a long run of blanks from each of its characters when no line break follows
 * (100,000 spaces took 24 s).
 */
function splitAtLineBreaks(text: string): string[] {
  const pieces: string[] = [];
  let start = 0; // where the current line begins
  for (let at = text.indexOf("\n"); at >= 0; at = text.indexOf("\n", at + 1)) {
    let from = at;
    if (from > start && text.charCodeAt(from - 1) === 13) from--;
    while (from > start && isBlank(text.charCodeAt(from - 1))) from--;
    let to = at + 1;
    while (to < text.length && isBlank(text.charCodeAt(to))) to++;
    pieces.push(text.slice(start, from), text.slice(from, to));
    start = to;
    at = to - 1;
  }
  pieces.push(text.slice(start));
  return pieces;
}

function firstWord(text: string): string {
  let i = 0;
  while (i < text.length && i < CREDENTIAL_MAX && !isSpace(text.charCodeAt(i))) i++;
  return text.slice(0, i);
}

/**
 * `maskSecrets` of a pasted text whose credentials a terminal may have wrapped across lines, which line by line
 * leaves the part after the break in clear (`sig=***` and the rest of the signature on the next line, a storage key
 * in two halves neither of which has its shape). Lines are joined, from the first, where a break falls between two
 * value characters, the next line's first word is no credential by itself, and masking the words on either side
 * joined hides more than masking the first (so a word starting the line after a masked value may be masked with it);
 * the result masked. Only the words at a break are masked there, and a word grown past CREDENTIAL_MAX characters is
 * joined no further.
 */
export function maskWrappedSecrets(text: string, values: readonly string[] = environmentSecretValues()): string {
  const pieces = splitAtLineBreaks(text);
  const revealed = (words: string) => maskSecrets(words, values).replaceAll("***", "").length;
  const out: string[] = [];
  let line = pieces[0] ?? "";
  for (let i = 1; i < pieces.length; i += 2) {
    const next = pieces[i + 1] ?? "";
    const before = lastWords(line);
    const after = firstWord(next);
    // The next line's first word must be no credential of its own (`sig=…` again on every line of a list): a part.
    const wrapped =
      VALUE_CHAR.test(line.slice(-1)) &&
      VALUE_CHAR.test(next.slice(0, 1)) &&
      before.last + after.length <= CREDENTIAL_MAX &&
      maskSecrets(after, values) === after &&
      revealed(before.words + after) < revealed(before.words) + after.length;
    if (wrapped) line += next;
    else {
      out.push(line, pieces[i] ?? "");
      line = next;
    }
  }
  out.push(line);
  return maskSecrets(out.join(""), values);
}

/**
 * `JSON.stringify(value, null, space)` with every string value masked first (a secret inside a JSON string is
 * escaped there — `\"` for its quotes — where the stream's masking cannot always see it whole).
 */
export function stringifyMasked(value: unknown, space?: number, values: readonly string[] = environmentSecretValues()): string {
  return JSON.stringify(value, (_key, item: unknown) => (typeof item === "string" ? maskSecrets(item, values) : item), space);
}

// What JSON.stringify escapes in a string: such a secret value is not found verbatim in JSON text.
const JSON_ESCAPED = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * False when `maskSecrets(text, values)` leaves every string of a value unchanged, judged from the value's
 * `JSON.stringify` text `json` (keys and strings appear in it verbatim, but for escapes): no credential hint occurs
 * in it (no hint holds a character JSON escapes) and no secret value does. True when unsure (a value JSON would escape).
 */
export function jsonMayHoldSecrets(json: string, values: readonly string[]): boolean {
  for (const [, , , hint, jsonHint] of CREDENTIAL_PATTERNS) if ((jsonHint ?? hint).test(json)) return true;
  for (const value of values) if (value && (JSON_ESCAPED.test(value) || json.includes(value))) return true;
  return false;
}

/** Route every string written to the stream through `maskSecrets` (src/cli.ts installs it on stdout and stderr). */
export function maskStream(stream: NodeJS.WriteStream, values: readonly string[] = environmentSecretValues()): void {
  const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
  stream.write = ((chunk: unknown, ...rest: unknown[]) =>
    write(
      typeof chunk === "string"
        ? maskSecrets(chunk, values, true)
        : chunk instanceof Uint8Array
          ? maskSecrets(Buffer.from(chunk).toString("utf8"), values, true)
          : chunk,
      ...rest,
    )) as typeof stream.write;
}
