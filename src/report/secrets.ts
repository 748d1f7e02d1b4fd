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
const BASE64ISH = "[A-Za-z0-9%+/=_-]+";
const ANY_VALUE = "[^\\s\"'\\\\&;<>,]+";

// In JSON text: an optional quote (`"` escaped) and whitespace (\n, \t, \r, \f, \v escaped) before `=` or `:`.
const JSON_ASSIGNMENT = `(?:\\\\"|')?(?:\\s|\\\\[nrtf]|\\\\u00[0-9a-fA-F]{2})*[=:]`;

/**
 * Credentials, masked wherever they appear. Each keeps its key (`sig=***`) so the reader sees what was there.
 * `hint`: text the pattern cannot match without (case aside) — a literal scan that skips the pattern for the common
 * case, since an audit writes every VM's line through `maskStream`. `jsonHint`, where `hint` is too common to say
 * much (every audit line says "password"): what the JSON text of any string the pattern matches must contain.
 */
export const CREDENTIAL_PATTERNS: readonly (readonly [
  name: string,
  pattern: RegExp,
  replacement: string,
  hint: RegExp,
  jsonHint?: RegExp,
])[] = [
  // Also when an echoed message was cut short mid-token (…header.payl…).
  ["JWT", /\beyJ[A-Za-z0-9_-]{5,}(?:\.[A-Za-z0-9_-]*){0,2}/g, "***", /eyJ/],
  ["bearer token", /\b(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi, "$1***", /bearer/i],
  // In a SAS URI as is, HTML-escaped (`&amp;sig=`) or percent-encoded inside another URL (`%26sig%3D`).
  ["SAS signature", new RegExp(`(?<![A-Za-z_])(sig(?:=|%3D))${BASE64ISH}`, "gi"), "$1***", /sig(?:=|%3d)/i],
  [
    "connection string key",
    new RegExp(`\\b(AccountKey=|SharedAccessKey=|SharedAccessSignature=)${BASE64ISH}`, "gi"),
    "$1***",
    /accountkey=|sharedaccess/i,
  ],
  ["storage account key", /(^|[^A-Za-z0-9+/])[A-Za-z0-9+/]{86}==(?![A-Za-z0-9+/=])/g, "$1***", /==/],
  [
    "client secret or password",
    new RegExp(`\\b((?:AZURE_)?(?:client_?secret|password)["']?\\s*[=:]\\s*["']?)${ANY_VALUE}`, "gi"),
    "$1***",
    /secret|password/i,
    new RegExp(`(?:client_?secret|password)${JSON_ASSIGNMENT}`, "i"),
  ],
  [
    "identity header",
    new RegExp(`\\b(x-identity-header["']?\\s*[=:]\\s*["']?)${ANY_VALUE}`, "gi"),
    "$1***",
    /x-identity-header/i,
    new RegExp(`x-identity-header${JSON_ASSIGNMENT}`, "i"),
  ],
];

/** Names of our own secrets: their values are masked in every output, `--redact` or not. */
export const SECRET_ENV = [
  "IDENTITY_HEADER",
  "AZURE_CLIENT_SECRET",
  "MSI_SECRET",
  "AZURE_CLIENT_CERTIFICATE_PASSWORD",
  "AZURE_PASSWORD",
  "ACTIONS_ID_TOKEN_REQUEST_TOKEN",
];

/** Secret values from our own environment (never shorter than 6 characters, so no accidental mass masking). */
export function environmentSecretValues(env: NodeJS.ProcessEnv = process.env): string[] {
  return SECRET_ENV.map((name) => env[name] ?? "").filter((value) => value.length >= 6);
}

/** Mask our own secret `values` and every credential shape in one string. */
export function maskSecrets(text: string, values: readonly string[]): string {
  let out = text;
  // Longest first: a secret that contains another must not leave its tail behind.
  for (const value of [...values].sort((a, b) => b.length - a.length)) if (value && out.includes(value)) out = out.split(value).join("***");
  for (const [, pattern, replacement, hint] of CREDENTIAL_PATTERNS) if (hint.test(out)) out = out.replace(pattern, replacement);
  return out;
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
        ? maskSecrets(chunk, values)
        : chunk instanceof Uint8Array
          ? maskSecrets(Buffer.from(chunk).toString("utf8"), values)
          : chunk,
      ...rest,
    )) as typeof stream.write;
}
