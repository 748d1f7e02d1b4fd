/** Choose the format, sanitise (always) and redact (when asked, always for markdown), and write to stdout. */
import { formatVmJson } from "../report/json.js";
import { FORMATS, redactInput, type ReportInput } from "../report/index.js";
import { sanitizeDeep } from "../report/sanitize.js";
import { formatVmTable } from "../report/table.js";
import { terminalWidth } from "../report/wrap.js";
import type { VmResult } from "../types.js";
import { useColor, type CommonOptions, type OutputFormat } from "./options.js";

export function chooseFormat(options: Pick<CommonOptions, "output">): OutputFormat {
  return options.output ?? (process.stdout.isTTY ? "table" : "json");
}

/** Values from our own environment that must never be printed, whatever Azure echoes back. */
export { environmentSecretValues as environmentSecrets } from "./secrets.js";
import { environmentSecretValues as environmentSecrets } from "./secrets.js";

export interface RenderOptions {
  redact: boolean;
  color: boolean;
  verbose?: boolean;
  /** Table only: the verdict and the checks that did not pass. */
  quiet?: boolean;
  /** Table only: wrap at this many columns (undefined: never). */
  width?: number;
  secrets: readonly string[];
}

/** Markdown goes into tickets: it is always redacted (docs/contract.md, `--redact`). */
export function redacts(format: OutputFormat, redact: boolean | undefined): boolean {
  return redact === true || format === "markdown";
}

/**
 * The whole output pipeline for one VM, pure: sanitise every string from Azure, mask secrets (always) and
 * identifiers (with `redact`), then format.
 */
export function renderVmText(
  format: OutputFormat,
  raw: VmResult,
  meta: Pick<ReportInput, "tool" | "generatedAt">,
  options: RenderOptions,
): string {
  const redact = redacts(format, options.redact);
  const input = redactInput({ ...meta, results: [sanitizeDeep(raw)] }, options.secrets, redact);
  const result = input.results[0] ?? raw;
  let text: string;
  if (format === "table")
    text = formatVmTable(result, { color: options.color, verbose: options.verbose, quiet: options.quiet, width: options.width });
  else if (format === "json") text = formatVmJson(result, input.tool, input.generatedAt);
  else text = FORMATS[format](input, { redact, color: options.color });
  return text.endsWith("\n") ? text : `${text}\n`;
}

export async function renderVmOutput(raw: VmResult, options: CommonOptions, version: string): Promise<void> {
  const format = chooseFormat(options);
  const meta = { tool: { name: "sc-doctor" as const, version }, generatedAt: new Date().toISOString() };
  const text = renderVmText(format, raw, meta, {
    redact: options.redact === true,
    color: useColor(options),
    verbose: options.verbose,
    quiet: options.quiet,
    width: terminalWidth(),
    secrets: environmentSecrets(),
  });
  process.stdout.write(text);
}
