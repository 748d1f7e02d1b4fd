/**
 * The shared vocabulary of sc-doctor: check ids, statuses, findings and results.
 * Everything that crosses a module boundary (engine → report → cli) is one of these plain, JSON-able types.
 */

import type { DocumentedErrorId } from "./catalog/index.js";

/** Stable check ids (docs/contract.md, "Check ids"). Order here is the order of output. */
export const CHECK_IDS = [
  "subscription-state",
  "console-enabled",
  "provisioning-state",
  "power-state",
  "boot-diagnostics",
  "scale-set-model",
  "boot-diagnostics-uri",
  "storage-account",
  "storage-firewall",
  "storage-hns",
  "storage-shared-key",
  "rbac-vm",
  "rbac-storage",
  "network",
  "trusted-launch",
  "os-disk",
  "resource-locks",
  "cloud-shell-storage",
  "guest-login",
  "serial-log",
] as const;
export type CheckId = (typeof CHECK_IDS)[number];

export function isCheckId(value: string): value is CheckId {
  return (CHECK_IDS as readonly string[]).includes(value);
}

export type Status = "pass" | "fail" | "warn" | "skip" | "error";

export type Verdict = "ready" | "degraded" | "unknown" | "blocked";

/** Worse is higher: the order reports put VMs in, worst first. */
export const VERDICT_RANK: Record<Verdict, number> = { blocked: 3, unknown: 2, degraded: 1, ready: 0 };

/** JSON value allowed in evidence. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
/** Evidence values; `undefined` members are dropped when serialised. */
export type Evidence = Record<string, Json | undefined>;

/** A reference to a documented error in the catalogue, as it appears in JSON output. */
export interface DocumentedErrorRef {
  id: string;
  message: string;
  /** Which seed document it comes from (e.g. "serial-console-errors-2025"). */
  source?: string;
}

/** What a check's evaluation returns: data only, no words beyond the reason. */
export interface Finding {
  status: Status;
  reason: string;
  evidence?: Evidence;
  /** Catalogue id of the documented error this finding corresponds to (fail/warn). */
  documentedErrorId?: DocumentedErrorId;
  /** Values to fill into the catalogue entry's fix templates ({vm}, {rg}, {storageUri}, …). */
  fixArgs?: Record<string, string>;
  /**
   * Replaces the catalogue entry's mitigation when the documented one is about another situation than the one
   * judged (e.g. SubscriptionNotEnabled's Cloud Shell advice, for the VM's own subscription).
   */
  mitigation?: string;
  /** Extra fix commands computed by the check itself, appended after the catalogue's. */
  fix?: string[];
}

/** One check's result in the JSON output (docs/contract.md, "JSON"). */
export interface CheckResult {
  id: CheckId;
  title: string;
  status: Status;
  reason: string;
  durationMs: number;
  evidence: Evidence;
  documentedError?: DocumentedErrorRef;
  mitigation?: string;
  fix?: string[];
}

export interface VmSummary {
  id: string;
  name: string;
  resourceGroup: string;
  subscriptionId: string;
  location?: string;
  osType?: string;
  /** Additions beyond the contract, used by the markdown report. */
  vmSize?: string;
  securityType?: string;
  bootDiagnostics?: "managed" | "custom" | "disabled" | "unknown";
  scaleSet?: string;
  instanceId?: string;
}

/** The per-VM result: the JSON document minus schemaVersion/tool. */
export interface VmResult {
  vm: VmSummary;
  verdict: Verdict;
  checks: CheckResult[];
  /** True when `--only`/`--skip` left checks out: the verdict is about the checks that ran (absent otherwise). */
  partial?: true;
  /** ARM correlation ids of the calls made for this VM (x-ms-correlation-request-id); not in the contract's minimum. */
  correlationIds?: string[];
}

export interface ToolInfo {
  name: "sc-doctor";
  version: string;
}

export interface VmReport extends VmResult {
  schemaVersion: 1;
  tool: ToolInfo;
  generatedAt?: string;
}

export function verdictOf(checks: readonly Pick<CheckResult, "status">[]): Verdict {
  if (checks.some((c) => c.status === "fail")) return "blocked";
  if (checks.some((c) => c.status === "error")) return "unknown";
  if (checks.some((c) => c.status === "warn")) return "degraded";
  return "ready";
}

/** `audit --output json` (docs/contract.md, "JSON"). */
export interface AuditSummary {
  vms: number;
  ready: number;
  degraded: number;
  blocked: number;
  unknown: number;
  byCheck: Partial<Record<CheckId, { fail: number; warn: number; error: number }>>;
  /** Additions: per-subscription counts, VMs not evaluated (interrupted), drift against a baseline. */
  bySubscription?: Record<string, { vms: number; ready: number; degraded: number; blocked: number; unknown: number }>;
  notEvaluated?: string[];
  /** Subscriptions whose VMs could not be enumerated (refused, no answer within --timeout), with the reason. */
  unevaluatedSubscriptions?: UnevaluatedSubscription[];
  /** `report` only: inputs written by an audit that failed, whose VMs are missing from the merge. */
  failedInputs?: FailedInput[];
  /** `--resource-group` names that exist in none of the audited subscriptions (a typo, a renamed group): exit 3. */
  absentResourceGroups?: string[];
}

/** An audit's scope as its flags gave it; absent filters are absent. */
export interface AuditScope {
  /** `--subscription` ids, or "all" (every subscription the credential sees). */
  subscriptions: string[] | "all";
  resourceGroups?: string[];
  where?: string;
  tags?: string[];
  /** `--shard k/n`. */
  shard?: string;
}

export interface UnevaluatedSubscription {
  subscriptionId: string;
  /** Azure's answer; for a subscription enumerated part way it begins with PARTLY_LISTED (src/fleet/unevaluated-reasons.ts) (its listed VMs are audited). */
  reason: string;
}

/**
 * An input of `report` written by an audit that failed: its error document (`{ schemaVersion, tool, error }`), or
 * an empty `-o json` file (`code` "Empty"). Names and texts are sanitised.
 */
export interface FailedInput {
  /** The input as given (`stdin` for `-`). */
  input: string;
  /** The line, when the error document is one line of several (shards' jsonl concatenated). */
  line?: number;
  code: string;
  message: string;
}

export interface AuditReport {
  schemaVersion: 1;
  tool: ToolInfo;
  generatedAt?: string;
  /**
   * An addition: what the audit set out to cover (its flags), beside the summary so that shards merged by `report`
   * keep the summary of one audit. `report` reads it to tell a rerun of a subscription from a part of one.
   */
  scope?: AuditScope;
  /**
   * An addition: `--shard k/n`, written by every sharded audit — one stopped early too, which records no `scope`
   * (it did not cover it) — so that `report` can tell the rerun of that shard that covers what it missed.
   */
  shard?: string;
  /**
   * An addition that only `report` writes (its output has no `scope`: a merge is no audit): the scopes of the complete
   * audits it merged (each input's `scope`, a merged input's `mergedScopes`). A VM in none of them may never have
   * been looked at, so `audit --baseline` calls no such VM new.
   */
  mergedScopes?: AuditScope[];
  summary: AuditSummary;
  results: VmResult[];
}
