/** Run the built CLI against a simulator in one output format. */
import { OUTPUT_FORMATS, type OutputFormat } from "../../src/report/formats.js";
import { runCli, type CliRun } from "../e2e/harness.js";

/** Every format of the registry: a new format is covered by the security tests as soon as it is registered. */
export const FORMATS = OUTPUT_FORMATS;

export async function runFormat(format: OutputFormat, args: string[], env: Record<string, string>): Promise<CliRun> {
  return runCli([...args, "-o", format], env, 60_000);
}
