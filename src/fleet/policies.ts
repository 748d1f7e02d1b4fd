/**
 * The pipeline policies an audit adds to every Azure request, composed here in one place (each policy in its own
 * file): client-side throttling (./throttle.ts) and a bound on each attempt (./request-timeout.ts). Correlation
 * ids and --verbose tracing are the Azure layer's own (src/azure/arm.ts) and apply to every command.
 */
import type { PipelinePolicy } from "@azure/core-rest-pipeline";
import { requestTimeoutPolicy } from "./request-timeout.js";
import { throttlePolicy, type ThrottleStats } from "./throttle.js";

export interface AuditPolicies {
  /** In the order they run, each per attempt (after the retry policy). */
  policies: PipelinePolicy[];
  stats: ThrottleStats;
}

/** `trace`: --verbose, which says each wait the throttle makes for Azure (one line per throttled answer). */
export function auditPolicies(timeoutMs: number, trace?: (line: string) => void): AuditPolicies {
  const throttle = throttlePolicy({ maxWaitMs: timeoutMs, trace });
  return { policies: [throttle.policy, requestTimeoutPolicy(timeoutMs)], stats: throttle.stats };
}
