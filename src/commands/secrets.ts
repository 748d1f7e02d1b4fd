/**
 * The last line of defence for secrets: everything sc-doctor writes to stdout or stderr passes through
 * `maskSecrets`, whatever the command, format or code path (including error messages Azure echoes back and
 * formats added later). Masked always, not only with --redact: a diagnostic report gets pasted into tickets.
 *
 * Shapes (Azure docs): access tokens are JWTs (`eyJ…` header.payload.signature); SAS tokens carry their HMAC in
 * `sig=`; storage account keys are 64 random bytes, i.e. 88 base64 characters ending in `==`, and appear in
 * connection strings as `AccountKey=`. Our own secrets (IDENTITY_HEADER, client secret) are masked by value.
 */

// Character classes stay inside what JSON, XML, CSV and Markdown never escape, so masking cannot break a format.
const PATTERNS: readonly [RegExp, string][] = [
  // A JWT, also when an echoed message was cut short mid-token (…header.payl…).
  [/\beyJ[A-Za-z0-9_-]{8,}(?:\.[A-Za-z0-9_-]*){0,2}/g, "***"],
  [/\b(Bearer\s+)[A-Za-z0-9._~+/=-]{16,}/gi, "$1***"],
  [/\b(sig=)[A-Za-z0-9%+/=_-]+/gi, "$1***"],
  [/\b(AccountKey=|SharedAccessKey=|SharedAccessSignature=)[A-Za-z0-9%+/=_-]+/gi, "$1***"],
  [/(^|[^A-Za-z0-9+/])[A-Za-z0-9+/]{86}==(?![A-Za-z0-9+/=])/g, "$1***"],
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

export function maskSecrets(text: string, values: readonly string[]): string {
  let out = text;
  // Longest first: a secret that contains another must not leave its tail behind.
  for (const value of [...values].sort((a, b) => b.length - a.length)) out = out.split(value).join("***");
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
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
