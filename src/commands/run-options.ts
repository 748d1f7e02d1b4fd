/**
 * The options `--vm` and `audit` share, validated the same way for both (every bad value a UsageError naming it).
 * Kept out of options.ts, which `src/cli.ts` loads at start-up: this pulls in the checks registry.
 */
import { selectChecks } from "../engine/select.js";
import {
  MAX_TIMEOUT_MS,
  UsageError,
  parseArmEndpoint,
  parseCheckIds,
  parseConsoleEndpointOption,
  parsePositiveInt,
  parsePrincipal,
  parseResolve,
  type CommonOptions,
} from "./options.js";

type RunFlags = Pick<
  CommonOptions,
  "only" | "skip" | "timeout" | "concurrency" | "principal" | "armEndpoint" | "resolve" | "consoleEndpoint" | "legacyStoragePath"
>;

export function parseRunOptions(options: RunFlags, defaultConcurrency: number) {
  const checks = selectChecks(parseCheckIds("--only", options.only), parseCheckIds("--skip", options.skip));
  // A run of no check would report READY having judged nothing: a CI gate must not pass on it.
  if (checks.length === 0) throw new UsageError("--only and --skip leave no check to run");
  return {
    checks,
    timeoutMs: parsePositiveInt("--timeout", options.timeout, 15000, MAX_TIMEOUT_MS),
    concurrency: parsePositiveInt("--concurrency", options.concurrency, defaultConcurrency),
    principal: parsePrincipal(options.principal),
    armEndpoint:
      options.armEndpoint !== undefined
        ? parseArmEndpoint(options.armEndpoint)
        : parseArmEndpoint(process.env["SC_DOCTOR_ARM_ENDPOINT"], "SC_DOCTOR_ARM_ENDPOINT"),
    resolve: parseResolve(options.resolve),
    consoleEndpoint: parseConsoleEndpointOption(options.consoleEndpoint),
    storagePath: options.legacyStoragePath === true ? ("legacy" as const) : ("end-2025" as const),
  };
}
