/**
 * A run that could not start or could not reach its VM ends with ONE line on stderr (exit 3) — and, when the
 * output is JSON (or JUnit), the error on stdout too, so a script never has to parse stderr to know why.
 */
import { redactIdentifiersTogether } from "../report/redact.js";
import { sanitizeLine } from "../report/sanitize.js";
import { loadFormat, type OutputFormat } from "../report/formats.js";
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

/**
 * Write the error: the line (and any `details`) on stderr, and on stdout what `output`'s format writes for a run
 * that could not evaluate (json/jsonl: the error object; junit: a suite with the error; others: nothing). With
 * `--redact`, every id the message, the details and the credential lines hold is noted before any is written, so one
 * first named in a later line is masked in the earlier ones too (stderr itself is redacted by src/commands/render.ts).
 */
export async function reportFatal(
  error: FatalError,
  options: { output?: OutputFormat; version: string; details?: string[] },
): Promise<void> {
  const labels = cliIo().labels;
  const all = [error.message, ...(options.details ?? []), ...(error.credentials ?? [])];
  const [message = "", ...rest] = labels ? redactIdentifiersTogether(all, labels) : all;
  const details = rest.slice(0, options.details?.length ?? 0);
  cliIo().stderr.write(`sc-doctor: ${sanitizeLine(message, 1000)}\n`);
  for (const line of details) cliIo().stderr.write(`${sanitizeLine(line, 1000)}\n`);
  const formatFatal = options.output && (await loadFormat(options.output)).formatFatal;
  if (!formatFatal) return;
  const clean = {
    code: error.code,
    message: sanitizeLine(message, 1000),
    ...(error.credentials ? { credentials: rest.slice(details.length).map((line) => sanitizeLine(line, 400)) } : {}),
  };
  cliIo().stdout.write(formatFatal(clean, { name: "sc-doctor", version: options.version }, new Date().toISOString()));
}
