/** `sc-doctor audit` options, validated before any request is sent: every bad value is a `UsageError` (exit 2). */
import { readFileSync, statSync } from "node:fs";
import { isGuid, isResourceGroupName } from "../azure/resource-id.js";
import { checkWhere } from "../fleet/graph.js";
import { parseShard } from "../fleet/shard.js";
import { sanitizeLine } from "../report/sanitize.js";
import type { Baseline } from "../fleet/summary.js";
import { chooseFormat } from "./render.js";
import { FLAG_SPELLING, UsageError, rejectFlagAsValue, type CommonOptions } from "./options.js";
import { parseRunOptions } from "./run-options.js";
import { decodeSavedText } from "./text-input.js";
import { LARGE_INPUT_BYTES, fileChunks, savedPieces } from "./saved-pieces.js";
import { asScope } from "./report.js";
import { UNLISTED_REASON } from "../fleet/unevaluated-reasons.js";

export interface AuditCliOptions extends Omit<CommonOptions, "subscription" | "resourceGroup"> {
  subscription?: string[];
  resourceGroup?: string[];
  where?: string;
  tag?: string[];
  source: "graph" | "arm";
  baseline?: string;
  failOnDrift?: boolean;
  /** `k/n` */
  shard?: string;
}

/** Default VMs in flight: the checks are CPU-light and most facts are shared, so this mostly bounds memory. */
export const DEFAULT_AUDIT_CONCURRENCY = 16;

/** A VM id as `--redact` writes it: its subscription replaced by a label (src/report/redact.ts). */
const REDACTED_ID = /^\/subscriptions\/<subscription-\d+>\//i;

/** A saved `audit -o json` as a value (undefined when it is not JSON). */
export function parseSavedJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(decodeSavedText(bytes));
  } catch {
    return undefined;
  }
}

/**
 * `parseSavedJson` for a file too large for a string (a large fleet's, src/commands/saved-pieces.ts): read piece by
 * piece, keeping of each result only what drift reads.
 */
export function parseLargeSavedJson(chunks: Iterable<Uint8Array>): unknown {
  const results: Baseline["results"] = [];
  let document: unknown;
  try {
    for (const piece of savedPieces(chunks)) {
      if (document !== undefined) return undefined; // a second value after the document
      const value: unknown = JSON.parse(piece.text);
      if (piece.kind === "value") document = value;
      else if (typeof value === "object" && value !== null) {
        const { vm, verdict, partial, checks } = value as Baseline["results"][number];
        const ids =
          partial === true && Array.isArray(checks) ? { partial, checks: checks.map((c: { id?: unknown } | null) => ({ id: c?.id })) } : {};
        results.push({ vm: { id: typeof vm === "object" && vm !== null ? vm.id : undefined }, verdict, ...ids });
      }
    }
  } catch {
    return undefined;
  }
  // Its results came as pieces (the document keeps an empty list); a `results` of another kind stays as it was.
  const listed = typeof document === "object" && document !== null && "results" in document && Array.isArray(document.results);
  return listed ? { ...(document as object), results } : document;
}

export function readBaseline(path: string | undefined): Baseline | undefined {
  if (!path) return undefined;
  let parsed: unknown;
  try {
    parsed = statSync(path).size > LARGE_INPUT_BYTES ? parseLargeSavedJson(fileChunks(path)) : parseSavedJson(readFileSync(path));
  } catch (error) {
    throw new UsageError(`--baseline: cannot read '${path}': ${error instanceof Error ? error.message : String(error)}`);
  }
  if (parsed && typeof parsed === "object" && "results" in parsed && Array.isArray(parsed.results)) {
    // What the baseline could not evaluate, so drift does not call those VMs newly blocked.
    const summary = "summary" in parsed && typeof parsed.summary === "object" && parsed.summary !== null ? parsed.summary : {};
    const strings = (list: unknown, pick: (item: unknown) => unknown = (item) => item) =>
      Array.isArray(list) ? list.map(pick).filter((item): item is string => typeof item === "string") : [];
    const results = parsed.results.filter((r: unknown): r is Baseline["results"][number] => typeof r === "object" && r !== null);
    // Drift matches VMs by id: a redacted id (`/subscriptions/<subscription-1>/…`, labels numbered per run) matches
    // none, and every VM blocked now would be "newly blocked" (with --fail-on-drift, exit 1 on every run).
    if (results.some((r) => typeof r.vm?.id === "string" && REDACTED_ID.test(r.vm.id)))
      throw new UsageError(
        `--baseline: '${path}' was written with --redact: its VM ids hold labels (<subscription-1>, …) numbered per run, which match no VM of this audit; pass the JSON of an audit written without --redact (redact what you publish, not the baseline)`,
      );
    const unevaluated = "unevaluatedSubscriptions" in summary ? summary.unevaluatedSubscriptions : undefined;
    const unevaluatedReasons = strings(unevaluated, (item) =>
      typeof item === "object" && item !== null && "reason" in item ? item.reason : undefined,
    );
    const notEvaluated = strings("notEvaluated" in summary ? summary.notEvaluated : undefined);
    return {
      results,
      unevaluatedSubscriptions: strings(unevaluated, (item) =>
        typeof item === "object" && item !== null && "subscriptionId" in item ? item.subscriptionId : undefined,
      ),
      notEvaluated,
      scope: asScope("scope" in parsed ? parsed.scope : undefined),
      missingInputs: "failedInputs" in summary && Array.isArray(summary.failedInputs) && summary.failedInputs.length > 0,
      interrupted: !("scope" in parsed) && (notEvaluated.length > 0 || unevaluatedReasons.includes(UNLISTED_REASON)),
    };
  }
  // A run that failed (e.g. could not sign in) writes `{ error: { code, message } }` where its results would be.
  if (parsed && typeof parsed === "object" && "error" in parsed && typeof parsed.error === "object" && parsed.error !== null) {
    const { code, message } = parsed.error as { code?: unknown; message?: unknown };
    const why = [code, message].filter((part) => typeof part === "string").join(": ");
    throw new UsageError(
      `--baseline: '${path}' is the error report of a run that failed${why ? ` (${sanitizeLine(why, 300)})` : ""}, not its results: pass the JSON of the last audit that completed, or run without --baseline`,
    );
  }
  throw new UsageError(`--baseline: '${path}' is not the JSON of a previous 'sc-doctor audit --output json'`);
}

export function parseTags(values: string[] | undefined): { key: string; value?: string }[] {
  return (values ?? []).map((value) => {
    const at = value.indexOf("=");
    const key = at < 0 ? value : value.slice(0, at);
    if (!key.trim()) throw new UsageError(`--tag must be key or key=value, got '${value}'`);
    // What no KQL string literal may hold (src/fleet/graph.ts kqlString), and the C1 controls.
    if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(value)) throw new UsageError("--tag must not contain control characters");
    // No source means it: Resource Graph's `tags['env'] =~ ''` matches the VMs without the tag, `--source arm` none.
    if (at >= 0 && at === value.length - 1)
      throw new UsageError(
        `--tag '${value}' has an empty value: pass --tag ${key} to select the VMs that have the tag, whatever its value`,
      );
    return at < 0 ? { key } : { key, value: value.slice(at + 1) };
  });
}

export function validateAuditOptions(options: AuditCliOptions) {
  for (const sub of options.subscription ?? []) rejectFlagAsValue("--subscription", sub, "a subscription id");
  for (const rg of options.resourceGroup ?? []) rejectFlagAsValue("-g/--resource-group", rg, "a resource group", FLAG_SPELLING);
  for (const sub of options.subscription ?? [])
    if (!isGuid(sub)) throw new UsageError(`--subscription must be a subscription id (a GUID), got '${sub}'`);
  for (const rg of options.resourceGroup ?? [])
    if (!isResourceGroupName(rg)) throw new UsageError(`--resource-group '${rg}' is not a valid resource group name`);
  if (options.where !== undefined) {
    if (options.source === "arm") throw new UsageError("--where is a Resource Graph filter: it needs --source graph");
    const problem = checkWhere(options.where);
    if (problem)
      throw new UsageError(`--where must be one Resource Graph filter predicate on VMs (e.g. "location =~ 'westeurope'"): ${problem}`);
  }
  if (options.failOnDrift && !options.baseline) throw new UsageError("--fail-on-drift needs --baseline <previous audit json>");
  const shard = options.shard === undefined ? undefined : parseShard(options.shard);
  if (typeof shard === "string") throw new UsageError(shard);
  return {
    format: chooseFormat(options),
    ...parseRunOptions(options, DEFAULT_AUDIT_CONCURRENCY),
    tags: parseTags(options.tag),
    baseline: readBaseline(options.baseline),
    shard,
  };
}
