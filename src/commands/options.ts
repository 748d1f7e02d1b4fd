/** Validation of the options shared by the commands: every bad value is a `UsageError` (exit 2) naming it. */
import { isIP } from "node:net";
import type { CloudName } from "../azure/arm.js";
import { isGuid } from "../azure/resource-id.js";
import { parseConsoleEndpoint } from "../net/endpoints.js";
import type { OutputFormat } from "../report/formats.js";
import { dumbTerminal } from "../report/progress.js";
import { CHECK_IDS, isCheckId, type CheckId } from "../types.js";
import { cliIo } from "./io.js";
import { trimTrailingSlashes } from "../trim.js";
import { sanitizeLine } from "../report/sanitize.js";

export class UsageError extends Error {
  override name = "UsageError";
}

/** What commander hands the doctor and audit actions. */
export interface CommonOptions {
  output?: OutputFormat;
  only?: string;
  skip?: string;
  failOn: "fail" | "warn";
  exitZero?: boolean;
  timeout: string;
  concurrency?: string;
  principal?: string;
  cloud: CloudName;
  armEndpoint?: string;
  consoleEndpoint?: string;
  resolve?: string[];
  network: boolean;
  /** `--legacy-storage-path`: judge the custom boot diagnostics account as the console's connection path. */
  legacyStoragePath?: boolean;
  redact?: boolean;
  quiet?: boolean;
  verbose?: boolean;
  color: boolean;
  vm?: string;
  resourceGroup?: string;
  subscription?: string;
  /** `--no-serial-log` (--vm, false) / `--serial-log` (audit, true). */
  serialLog?: boolean;
}

export function parseCheckIds(flag: string, value: string | undefined): CheckId[] | undefined {
  if (value === undefined) return undefined;
  const ids = value
    .split(",")
    .map((id) => id.trim())
    .filter(Boolean);
  if (ids.length === 0) throw new UsageError(`${flag} needs at least one check id`);
  const unknown = ids.filter((id) => !isCheckId(id));
  if (unknown.length > 0) {
    const guesses = unknown.flatMap((id) => closestCheckId(id) ?? []);
    const didYouMean = guesses.length > 0 ? ` — did you mean ${guesses.map((id) => `'${id}'`).join(", ")}?` : "";
    throw new UsageError(
      `${flag}: unknown check id${unknown.length > 1 ? "s" : ""} ${unknown.map((id) => `'${id}'`).join(", ")}${didYouMean} (known: ${CHECK_IDS.join(", ")})`,
    );
  }
  return ids.filter(isCheckId);
}

/** The check id `id` is one or two edits away from (a typo), if exactly one is. */
function closestCheckId(id: string): string | undefined {
  const near = CHECK_IDS.filter((known) => editDistance(id.toLowerCase(), known) <= 2);
  return near.length === 1 ? near[0] : undefined;
}

/** Levenshtein distance (insertions, deletions, substitutions). */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++)
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length] ?? 0;
}

export function parsePositiveInt(flag: string, value: string | undefined, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value.trim()) || Number(value) <= 0 || !Number.isSafeInteger(Number(value))) {
    throw new UsageError(`${flag} must be a positive whole number, got '${value}'`);
  }
  if (Number(value) > max) throw new UsageError(`${flag} must be at most ${max}, got '${value}'`);
  return Number(value);
}

/** The longest delay a Node.js timer keeps (2^31 − 1 ms, about 24.8 days); a longer one fires at once. */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/** `--arm-endpoint`'s value (or the environment variable `source` names, as errors say): its base URL. */
export function parseArmEndpoint(value: string | undefined, source = "--arm-endpoint"): string | undefined {
  if (value === undefined || value === "") return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${source} must be an absolute URL, got '${value}'`);
  }
  // Credentials first: no message echoes them.
  if (url.username || url.password) throw new UsageError(`${source} must not contain credentials`);
  // The bearer token goes to this URL: never over plain http (checked before any token is requested).
  if (url.protocol !== "https:") throw new UsageError(`${source} must be an https:// URL (it receives your Azure token), got '${value}'`);
  return `${url.origin}${trimTrailingSlashes(url.pathname)}`;
}

export function parsePrincipal(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!isGuid(value)) throw new UsageError(`--principal must be an object id (a GUID), got '${value}'`);
  return value.toLowerCase();
}

export function parseResolve(values: string[] | undefined): string[] {
  for (const value of values ?? []) {
    // curl: host:port:address[,address…], an IPv6 address possibly bracketed; addresses, not names.
    const match = /^[^:\s]+:(\d{1,5}):(\S+)$/.exec(value);
    if (!match) throw new UsageError(`--resolve must be host:port:address (curl syntax), got '${value}'`);
    const port = Number(match[1]);
    if (port < 1 || port > 65535) throw new UsageError(`--resolve: port ${match[1]} is not 1–65535, in '${value}'`);
    const bad = (match[2] ?? "").split(",").find((address) => !isIP(address.replace(/^\[(.*)\]$/, "$1")));
    if (bad !== undefined) throw new UsageError(`--resolve: '${bad}' is not an IP address, in '${value}'`);
  }
  return values ?? [];
}

/**
 * Colour on a TTY that is not `TERM=dumb` (which draws no escape sequences), or anywhere with FORCE_COLOR (a CI log
 * that renders them; https://force-color.org — `0` and `false` turn it off, as chalk and picocolors read them);
 * never with NO_COLOR (https://no-color.org) or --no-color.
 */
export function useColor(options: { color: boolean }, stream: NodeJS.WriteStream = cliIo().stdout): boolean {
  const set = (name: string) => (process.env[name] ?? "") !== "";
  if (!options.color || set("NO_COLOR")) return false;
  if (set("FORCE_COLOR")) return !["0", "false"].includes((process.env["FORCE_COLOR"] ?? "").toLowerCase());
  return stream.isTTY === true && !dumbTerminal();
}

/** `--console-endpoint`: a malformed URL is a usage error (exit 2), caught before anything is sent. */
export function parseConsoleEndpointOption(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  try {
    return parseConsoleEndpoint(value).href;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/** How a flag is spelt (`--word`, `-x`): what a resource group name starting with `-` is not. */
export const FLAG_SPELLING = /^(--[a-z]|-[a-z]$)/i;

/**
 * `--vm $VM -g rg` with VM empty and unquoted: the shell drops the word, and the option takes the next flag as its
 * value. No VM name starts with '-' (a letter or digit: https://github.com/Azure/PSRule.Rules.Azure/blob/main/docs/en/rules/Azure.VM.Name.md),
 * nor a resource id, URL or subscription id (a GUID); a resource group may
 * (https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules#microsoftresources), so for
 * -g only a flag's spelling counts: `--word` or `-x` (FLAG_SPELLING).
 */
export function rejectFlagAsValue(option: string, value: string | undefined, wanted: string, flag = /^-/): void {
  if (value === undefined || !flag.test(value.trim())) return;
  throw new UsageError(
    `${option} got the flag '${sanitizeLine(value.trim(), 60)}' instead of ${wanted} (an empty, unquoted variable after ${option}?)`,
  );
}
