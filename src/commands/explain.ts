import { explain, explainExitCode, formatExplain } from "../explain/index.js";
import { UsageError, useColor } from "./options.js";
import { cliIo } from "./io.js";
import { decodeSavedText, readCapped } from "./text-input.js";

/** Far past an ARM error document or an `az --debug` log (explain reads about 1 MiB a second); more is refused. */
export const MAX_PASTE_BYTES = 16 * 1024 * 1024;
const PASTE_ADVICE = "pass the part around the error (e.g. `tail -c 1M debug.log | sc-doctor explain -`)";

/**
 * `sc-doctor explain "<text>"`: 0 when a documented error matches, 1 when none does, 2 (usage) for an empty paste.
 * `-` reads the paste from standard input (for long ARM error documents): UTF-8, or UTF-16 with a byte order mark, up
 * to MAX_PASTE_BYTES (more is a usage error: an endless producer must not grow until stopped).
 */
export async function runExplain(text: string, options: { output?: "table" | "json"; color: boolean }): Promise<number> {
  // Piped from Windows PowerShell 5.1 (`… | Out-File`, then `Get-Content -Raw | …`), a paste may be UTF-16 with a BOM.
  const paste = text.trim() === "-" ? decodeSavedText(await readCapped(cliIo().stdin, MAX_PASTE_BYTES, PASTE_ADVICE)) : text;
  if (paste.trim() === "")
    throw new UsageError(
      'explain needs the error text, code or HTTP status to look up, e.g. sc-doctor explain "VMNotFound" (or --log <serial.log> for a serial log)',
    );
  const result = explain(paste);
  cliIo().stdout.write(formatExplain(result, { output: options.output ?? "table", color: useColor(options) }));
  return explainExitCode(result);
}
