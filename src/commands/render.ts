/** Choose the format, sanitise (always) and redact (when asked, always for markdown), and write to stdout. */
import { formatVmJson } from "../report/json.js";
import { sanitizeDeep } from "../report/sanitize.js";
import { formatVmTable } from "../report/table.js";
import type { VmResult } from "../types.js";
import { useColor, type CommonOptions, type OutputFormat } from "./options.js";

export function chooseFormat(options: Pick<CommonOptions, "output">): OutputFormat {
  return options.output ?? (process.stdout.isTTY ? "table" : "json");
}

/** Values from our own environment that must never be printed, whatever Azure echoes back. */
export function environmentSecrets(): string[] {
  return ["IDENTITY_HEADER", "AZURE_CLIENT_SECRET", "MSI_SECRET"].map((name) => process.env[name] ?? "").filter((value) => value.length >= 6);
}

export async function renderVmOutput(raw: VmResult, options: CommonOptions, version: string): Promise<void> {
  const format = chooseFormat(options);
  const tool = { name: "sc-doctor" as const, version };
  const generatedAt = new Date().toISOString();
  const redact = options.redact === true || format === "markdown";
  let result = sanitizeDeep(raw);
  const { redactInput, FORMATS } = await import("../report/index.js");
  const input = redactInput({ tool, generatedAt, results: [result] }, environmentSecrets(), redact);
  result = input.results[0] ?? result;
  let text: string;
  if (format === "table") text = formatVmTable(result, { color: useColor(options), verbose: options.verbose });
  else if (format === "json") text = formatVmJson(result, tool, generatedAt);
  else text = FORMATS[format](input, { redact, color: useColor(options) });
  process.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
}
