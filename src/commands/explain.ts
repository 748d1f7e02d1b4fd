import { buffer as readAll } from "node:stream/consumers";
import { explain, explainExitCode, formatExplain } from "../explain/index.js";
import { UsageError, useColor } from "./options.js";
import { cliIo } from "./io.js";
import { decodeSavedText } from "./text-input.js";

/**
 * `sc-doctor explain "<text>"`: 0 when a documented error matches, 1 when none does, 2 (usage) for an empty paste.
 * `-` reads the paste from standard input (for long ARM error documents): UTF-8, or UTF-16 with a byte order mark.
 */
export async function runExplain(text: string, options: { output?: "table" | "json"; color: boolean }): Promise<number> {
  // Piped from Windows PowerShell 5.1 (`… | Out-File`, then `Get-Content -Raw | …`), a paste may be UTF-16 with a BOM.
  const paste = text.trim() === "-" ? decodeSavedText(await readAll(cliIo().stdin)) : text;
  if (paste.trim() === "")
    throw new UsageError(
      'explain needs the error text, code or HTTP status to look up, e.g. sc-doctor explain "VMNotFound" (or --log <serial.log> for a serial log)',
    );
  const result = explain(paste);
  cliIo().stdout.write(formatExplain(result, { output: options.output ?? "table", color: useColor(options) }));
  return explainExitCode(result);
}
