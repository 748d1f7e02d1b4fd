/** Choose the format, sanitise (always), redact (when asked, or when the format always is) and write to stdout. */
import { loadFormat, redacts, type OutputFormat, type ReportInput } from "../report/formats.js";
import { RedactionLabels, createRedactor, redactIdentifiers, type Cleaner } from "../report/redact.js";
import { jsonMayNeedSanitizing, sanitizeText } from "../report/sanitize.js";
import { terminalWidth } from "../report/wrap.js";
import type { VmResult } from "../types.js";
import { environmentSecretValues as environmentSecrets, jsonMayHoldSecrets } from "../report/secrets.js";
import { useColor, type CommonOptions } from "./options.js";
import { cliIo, withCliIo } from "./io.js";

/** Values from our own environment that must never be printed, whatever Azure echoes back. */
export { environmentSecrets };

export function chooseFormat(options: Pick<CommonOptions, "output">): OutputFormat {
  return options.output ?? (cliIo().stdout.isTTY ? "table" : "json");
}

/**
 * Sanitise every string from Azure, then mask secrets (always) and identifiers (with `redact`). One label set per
 * cleaner: an audit cleans VM by VM and `<subscription-1>` stays the same subscription on every line.
 */
export function createCleaner(secrets: readonly string[], redact: boolean): Cleaner {
  // Sanitising inside the redactor's walk: one deep copy per value instead of two, each string's answer cached.
  const clean: Cleaner = createRedactor(secrets, redact, sanitizeText, cliIo().labels);
  // Without identifier labels the cleaner is sanitising plus masking, both judged exactly from the JSON text.
  if (!redact) clean.leavesJsonAsIs = (json) => !jsonMayNeedSanitizing(json) && !jsonMayHoldSecrets(json, secrets);
  return clean;
}

/**
 * Run `body` with the run's stderr redacted as its report is (`--redact`: "every output", the verbose trace and
 * error lines included), with one label set for both, so `<subscription-1>` is the same id on stdout and stderr.
 */
export async function withRedactedStderr<T>(options: { redact?: boolean; output?: OutputFormat }, body: () => Promise<T>): Promise<T> {
  // The format is loaded only when one was asked for (the default ones never redact on their own).
  const redact = options.output === undefined ? options.redact === true : redacts(await loadFormat(options.output), options.redact);
  if (!redact) return body();
  const io = cliIo();
  const labels = new RedactionLabels();
  const write = (chunk: unknown) =>
    typeof chunk === "string"
      ? redactIdentifiers(chunk, labels)
      : chunk instanceof Uint8Array
        ? redactIdentifiers(Buffer.from(chunk).toString("utf8"), labels)
        : chunk;
  const stderr = new Proxy(io.stderr, {
    get(target, property) {
      if (property === "write")
        return (chunk: unknown, ...rest: unknown[]) => (target.write as (...args: unknown[]) => boolean)(write(chunk), ...rest);
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return withCliIo({ ...io, stderr, labels }, async () => {
    try {
      return await body();
    } catch (error) {
      // Printed by src/program.ts once this scope has ended (a usage error, an internal error): redacted here.
      if (error instanceof Error) {
        error.message = redactIdentifiers(error.message, labels);
        if (error.stack) error.stack = redactIdentifiers(error.stack, labels);
      }
      throw error;
    }
  });
}

/**
 * With `--redact`, label an audit's subscriptions in sorted order before anything is cleaned: `<subscription-2>` is
 * then the same subscription in every run of the same scope and in every shard of one (whose saved outputs `report`
 * merges by VM id), whichever VM finishes or fails first. Without `--redact`, nothing.
 */
export function labelSubscriptionsInOrder(subscriptionIds: readonly string[]): void {
  const labels = cliIo().labels;
  if (labels) for (const id of [...subscriptionIds].sort()) labels.note("subscription", id);
}

export interface RenderOptions {
  redact: boolean;
  color: boolean;
  verbose?: boolean;
  /** Table only: the verdict and the checks that did not pass. */
  quiet?: boolean;
  /** Table only: wrap at this many columns (undefined: never). */
  width?: number;
  failOn?: "fail" | "warn";
  secrets: readonly string[];
}

/**
 * The whole output pipeline for one VM, pure once the format is loaded: sanitise every string from Azure, mask
 * secrets (always) and identifiers (with `redact`), then format.
 */
export async function renderVmText(
  format: OutputFormat,
  raw: VmResult,
  meta: Pick<ReportInput, "tool" | "generatedAt">,
  options: RenderOptions,
): Promise<string> {
  const formatter = await loadFormat(format);
  const redact = redacts(formatter, options.redact);
  const input = createCleaner(options.secrets, redact)({ ...meta, results: [raw] });
  const { color, verbose, quiet, width, failOn } = options;
  const text = formatter.default(input, { redact, color, verbose, quiet, width, failOn });
  return text.endsWith("\n") ? text : `${text}\n`;
}

export async function renderVmOutput(raw: VmResult, options: CommonOptions, version: string): Promise<void> {
  const format = chooseFormat(options);
  const meta = { tool: { name: "sc-doctor" as const, version }, generatedAt: new Date().toISOString() };
  const text = await renderVmText(format, raw, meta, {
    redact: options.redact === true,
    color: useColor(options),
    verbose: options.verbose,
    quiet: options.quiet,
    width: terminalWidth(cliIo().stdout),
    failOn: options.failOn,
    secrets: environmentSecrets(),
  });
  cliIo().stdout.write(text);
}
