/**
 * Run the built CLI against a simulator for every output format, and tell apart "this format is not implemented
 * yet" (another issue's work; the test is skipped with that reason) from a real answer.
 */
import { runCli, type CliRun } from "../e2e/harness.js";

export const FORMATS = ["table", "json", "jsonl", "markdown", "junit", "csv", "sarif", "html"] as const;
export type Format = (typeof FORMATS)[number];

export function notImplemented(run: CliRun): boolean {
  return run.code === 4 && /not implemented yet/.test(run.stderr);
}

export async function runFormat(format: Format, args: string[], env: Record<string, string>): Promise<CliRun> {
  return runCli([...args, "-o", format], env, 60_000);
}
