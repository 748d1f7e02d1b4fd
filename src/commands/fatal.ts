/**
 * A run that could not start or could not reach its VM ends with ONE line on stderr (exit 3) — and, when the
 * output is JSON, a JSON error object on stdout, so a script never has to parse stderr to know why.
 */
import { redactIdentifiersTogether } from "../report/redact.js";
import { sanitizeLine } from "../report/sanitize.js";
import { stringifyMasked } from "../report/secrets.js";
import { cliIo } from "./io.js";

/** Stable codes a script can switch on. */
export type FatalCode =
  | "AuthenticationFailed"
  | "ResourceManagerUnreachable"
  | "VmNotFound"
  | "FlexibleScaleSetInstance"
  /** audit: the subscriptions (or Resource Graph) could not be listed at all; nothing was evaluated. */
  | "FleetNotEnumerated";

export interface FatalError {
  code: FatalCode;
  message: string;
  /** AuthenticationFailed: each credential DefaultAzureCredential tried, and why it failed. */
  credentials?: string[];
}

/** `{ schemaVersion, tool, error: { code, message, credentials? } }` — one line, so it is valid `jsonl` too. */
export function formatFatalJson(error: FatalError, version: string): string {
  const clean: FatalError = {
    code: error.code,
    message: sanitizeLine(error.message, 1000),
    ...(error.credentials ? { credentials: error.credentials.map((line) => sanitizeLine(line, 400)) } : {}),
  };
  return `${stringifyMasked({ schemaVersion: 1, tool: { name: "sc-doctor", version }, error: clean })}\n`;
}

/**
 * Write the error: the line (and any `details`) on stderr, the JSON object on stdout when `json`. With `--redact`,
 * every id the message, the details and the credential lines hold is noted before any is written, so one first named
 * in a later line is masked in the earlier ones too (stderr itself is redacted by src/commands/render.ts).
 */
export function reportFatal(error: FatalError, options: { json: boolean; version: string; details?: string[] }): void {
  const labels = cliIo().labels;
  const all = [error.message, ...(options.details ?? []), ...(error.credentials ?? [])];
  const [message = "", ...rest] = labels ? redactIdentifiersTogether(all, labels) : all;
  const details = rest.slice(0, options.details?.length ?? 0);
  cliIo().stderr.write(`sc-doctor: ${sanitizeLine(message, 1000)}\n`);
  for (const line of details) cliIo().stderr.write(`${sanitizeLine(line, 1000)}\n`);
  if (!options.json) return;
  const credentials = error.credentials ? { credentials: rest.slice(details.length) } : {};
  cliIo().stdout.write(formatFatalJson({ ...error, message, ...credentials }, options.version));
}
