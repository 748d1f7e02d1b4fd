/**
 * Run the built CLI against a simulator for every output format, and tell apart "this format is not implemented
 * yet" (another issue's work; the test is skipped with that reason) from a real answer.
 */
import { OUTPUT_FORMATS, type OutputFormat } from "../../src/report/formats.js";
import { runCli, type CliRun } from "../e2e/harness.js";

/** Every format of the registry: a new format is covered by the security tests as soon as it is registered. */
export const FORMATS = OUTPUT_FORMATS;
export type Format = OutputFormat;

export function notImplemented(run: CliRun): boolean {
  return run.code === 4 && /not implemented yet/.test(run.stderr);
}

export async function runFormat(format: Format, args: string[], env: Record<string, string>): Promise<CliRun> {
  return runCli([...args, "-o", format], env, 60_000);
}
