import { text as readAll } from "node:stream/consumers";
import { explain, explainExitCode, formatExplain } from "../explain/index.js";
import { UsageError, useColor } from "./options.js";
import { cliIo } from "./io.js";

/**
 * `sc-doctor explain "<text>"`: 0 when a documented error matches, 1 when none does, 2 (usage) for an empty paste.
 * `-` reads the paste from standard input (for long ARM error documents).
 */
export async function runExplain(text: string, options: { output?: "table" | "json"; color: boolean }): Promise<number> {
  const paste = text.trim() === "-" ? await readAll(cliIo().stdin) : text;
  if (paste.trim() === "")
    throw new UsageError(
      'explain needs the error text, code or HTTP status to look up, e.g. sc-doctor explain "VMNotFound" (or --log <serial.log> for a serial log)',
    );
  const result = explain(paste);
  cliIo().stdout.write(formatExplain(result, { output: options.output ?? "table", color: useColor(options) }));
  return explainExitCode(result);
}
