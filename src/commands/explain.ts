import { explain, explainExitCode, formatExplain } from "../explain/index.js";
import { useColor } from "./options.js";

/** `sc-doctor explain "<text>"`: 0 when a documented error matches, 1 when none does. */
export async function runExplain(text: string, options: { output?: "table" | "json"; color: boolean }): Promise<number> {
  const result = explain(text);
  const output = options.output ?? "table";
  process.stdout.write(formatExplain(result, { output, color: useColor(options) }));
  return explainExitCode(result);
}
