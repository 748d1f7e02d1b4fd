import { explain, explainExitCode, formatExplain } from "../explain/index.js";
import { UsageError, useColor } from "./options.js";

/**
 * `sc-doctor explain "<text>"`: 0 when a documented error matches, 1 when none does, 2 (usage) for an empty paste.
 * `-` reads the paste from standard input (for long ARM error documents).
 */
export async function runExplain(text: string, options: { output?: "table" | "json"; color: boolean }): Promise<number> {
  const paste = text.trim() === "-" ? await readStdin() : text;
  if (paste.trim() === "") throw new UsageError('explain needs the error text, code or HTTP status to look up, e.g. sc-doctor explain "VMNotFound"');
  const result = explain(paste);
  process.stdout.write(formatExplain(result, { output: options.output ?? "table", color: useColor(options) }));
  return explainExitCode(result);
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString("utf8");
}
