/** `sc-doctor audit` options, validated before any request is sent: every bad value is a `UsageError` (exit 2). */
import { isGuid, isResourceGroupName } from "../azure/resource-id.js";
import { checkWhere } from "../fleet/graph.js";
import { parseShard } from "../fleet/shard.js";
import { isSwitchable, type Baseline } from "../fleet/summary.js";
import { chooseFormat } from "./render.js";
import { FLAG_SPELLING, UsageError, rejectFlagAsValue, type CommonOptions } from "./options.js";
import { parseRunOptions } from "./run-options.js";
import { readSavedAudit, type SavedAudit } from "./report.js";
import type { CheckResult, Evidence, VmResult } from "../types.js";
import { boundedMemo } from "../bounded-memo.js";
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

/** What every result `forDrift` keeps shares: drift reads no evidence. */
const NO_EVIDENCE: Evidence = Object.freeze({});

/**
 * Checks as drift reads them, one object per id, status and reason kept: a fleet's VMs repeat a few (a simulated
 * fleet of 20,000 VMs has 134 distinct lists of its 20 checks), where a copy per VM held ~1.4 kB of each.
 */
const driftCheck = boundedMemo<CheckResult>();

/**
 * What drift reads of a saved result (src/fleet/summary.ts: `drift`, `switchableOf`): its id, verdict, `partial`,
 * each check's id and status, and the reason of a check a flag can switch off. A large baseline's results are held
 * until the audit ends, so nothing else is kept of them (no title, evidence, VM name or other reason), and equal
 * checks are one frozen object.
 */
export function forDrift(result: VmResult): VmResult {
  const checks = result.checks.map(({ id, status, reason }) => {
    const kept = isSwitchable(id) ? reason : "";
    // Unambiguous: a status is one word, and a saved check id has no space (report.ts, CHECK_ID).
    return driftCheck(`${status} ${id} ${kept}`, () =>
      Object.freeze({ id, title: "", status, reason: kept, durationMs: 0, evidence: NO_EVIDENCE }),
    );
  });
  const vm = { id: result.vm.id, name: "", resourceGroup: "", subscriptionId: "" };
  return { vm, verdict: result.verdict, ...(result.partial ? { partial: true } : {}), checks };
}

/**
 * A previous `audit -o json` (or `report -o json`), `-` for stdin, read and checked as `report` reads its inputs: a
 * document of another schemaVersion, or results that are not sc-doctor's, are usage errors naming what is wrong.
 */
export async function readBaseline(path: string | undefined): Promise<Baseline | undefined> {
  if (!path) return undefined;
  const shown = path === "-" ? "stdin" : `'${path}'`;
  let saved: SavedAudit;
  try {
    saved = await readSavedAudit(path, `--baseline ${shown}`, forDrift);
  } catch (error) {
    // Refusals of what the file holds name it already; one of reading it does not say which option read it.
    if (error instanceof UsageError && !error.message.startsWith("--baseline")) throw new UsageError(`--baseline: ${error.message}`);
    throw error;
  }
  // A run that failed (e.g. could not sign in) writes `{ error: { code, message } }` where its results would be.
  const failed = saved.failedAudits.find((audit) => audit.recordedIn === undefined);
  if (failed)
    throw new UsageError(
      `--baseline: ${shown} is the error report of a run that failed (${failed.code}: ${failed.message}), not its results: pass the JSON of the last audit that completed, or run without --baseline`,
    );
  if (!saved.document)
    throw new UsageError(
      saved.jsonl
        ? `--baseline: ${shown} is 'sc-doctor audit -o jsonl' output, which records neither the subscriptions its audit could not list nor its scope: pass an '-o json' output (or 'sc-doctor report <files> -o json')`
        : `--baseline: ${shown} is not the JSON of a previous 'sc-doctor audit --output json'`,
    );
  const { results } = saved;
  // Drift matches VMs by id: a redacted id (`/subscriptions/<subscription-1>/…`, labels numbered per run) matches
  // none, and every VM blocked now would be "newly blocked" (with --fail-on-drift, exit 1 on every run).
  if (results.some((r) => REDACTED_ID.test(r.vm.id)))
    throw new UsageError(
      `--baseline: ${shown} was written with --redact: its VM ids hold labels (<subscription-1>, …) numbered per run, which match no VM of this audit; pass the JSON of an audit written without --redact (redact what you publish, not the baseline)`,
    );
  const { unevaluatedSubscriptions, notEvaluated, scope, mergedScopes } = saved;
  return {
    results,
    // What the baseline could not evaluate, so drift does not call those VMs newly blocked.
    unevaluatedSubscriptions: unevaluatedSubscriptions.map((entry) => entry.subscriptionId),
    notEvaluated,
    scope,
    mergedScopes,
    missingInputs: saved.failedAudits.length > 0,
    interrupted:
      scope === undefined && (notEvaluated.length > 0 || unevaluatedSubscriptions.some((entry) => entry.reason === UNLISTED_REASON)),
  };
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

export async function validateAuditOptions(options: AuditCliOptions) {
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
    baseline: await readBaseline(options.baseline),
    shard,
  };
}
