/**
 * The options `--vm` and `audit` share, validated the same way for both (every bad value a UsageError naming it).
 * Kept out of options.ts, which `src/cli.ts` loads at start-up: this pulls in the checks registry.
 */
import { selectChecks } from "../engine/select.js";
import {
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
  return {
    checks: selectChecks(parseCheckIds("--only", options.only), parseCheckIds("--skip", options.skip)),
    timeoutMs: parsePositiveInt("--timeout", options.timeout, 15000),
    concurrency: parsePositiveInt("--concurrency", options.concurrency, defaultConcurrency),
    principal: parsePrincipal(options.principal),
    armEndpoint: parseArmEndpoint(options.armEndpoint ?? process.env["SC_DOCTOR_ARM_ENDPOINT"]),
    resolve: parseResolve(options.resolve),
    consoleEndpoint: parseConsoleEndpointOption(options.consoleEndpoint),
    storagePath: options.legacyStoragePath === true ? ("legacy" as const) : ("end-2025" as const),
  };
}
