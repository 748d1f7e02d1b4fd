/**
 * The one place that composes the HTTP pipeline every Resource Manager client shares (model: @azure/core-rest-pipeline,
 * one policy per file). The generated clients add their own retry policy from `retryOptions` — it honours
 * `Retry-After` on 429/503 and backs off exponentially on transient failures
 * (https://learn.microsoft.com/azure/azure-resource-manager/management/request-limits-and-throttling) — and the
 * proxy policy, which reads `HTTPS_PROXY`/`NO_PROXY` (https://learn.microsoft.com/azure/developer/javascript/sdk/configure-proxy).
 */
import type { PipelinePolicy } from "@azure/core-rest-pipeline";
import { apiVersionFallbackPolicy } from "./api-version-fallback-policy.js";
import { correlationPolicy, type CorrelationLog } from "./correlation-policy.js";
import { rawResponsePolicy } from "./raw-response-policy.js";
import { requestTimeoutPolicy } from "./request-timeout-policy.js";
import { sameOriginPolicy } from "./same-origin-policy.js";
import { tracePolicy } from "./trace-policy.js";

/** Retry: 3 retries (400 ms base, 4 s cap); the per-check `--timeout` bounds the total wait. */
export const RETRY_OPTIONS = { maxRetries: 3, retryDelayInMs: 400, maxRetryDelayInMs: 4000 };

/** One HTTP attempt that neither answers nor fails is abandoned after this long (an error, not retried). */
export const REQUEST_TIMEOUT_MS = 30_000;

export interface PipelineSettings {
  endpoint: string;
  correlation: CorrelationLog;
  /** --verbose. */
  trace?: (line: string) => void;
  /** The audit's client-side throttle and attempt timeout (src/fleet), run per attempt so a retry waits for a token too. */
  throttles?: PipelinePolicy[];
  requestTimeoutMs?: number;
}

export interface AdditionalPolicy {
  policy: PipelinePolicy;
  position: "perCall" | "perRetry";
}

/**
 * Every policy sc-doctor adds, in order. A caller's policy named like a default one replaces it (the audit passes
 * its own `requestTimeoutPolicy(--timeout)`); a pipeline refuses two policies of one name.
 */
export function composePolicies(settings: PipelineSettings): AdditionalPolicy[] {
  const extra = settings.throttles ?? [];
  const given = new Set(extra.map((policy) => policy.name));
  const defaults = (policies: AdditionalPolicy[]) => policies.filter(({ policy }) => !given.has(policy.name));
  return [
    ...defaults([
      { policy: sameOriginPolicy(settings.endpoint), position: "perCall" },
      { policy: rawResponsePolicy(), position: "perCall" },
      // Inside the raw-response capture: the caller's validation sees the answer to the version that was served.
      { policy: apiVersionFallbackPolicy(settings.trace), position: "perCall" },
    ]),
    ...extra.map((policy): AdditionalPolicy => ({ policy, position: "perRetry" })),
    ...defaults([
      { policy: requestTimeoutPolicy(settings.requestTimeoutMs ?? REQUEST_TIMEOUT_MS), position: "perRetry" },
      { policy: correlationPolicy(settings.correlation), position: "perRetry" },
      ...(settings.trace ? [{ policy: tracePolicy(settings.trace), position: "perRetry" as const }] : []),
    ]),
  ];
}

export { CorrelationLog } from "./correlation-policy.js";
export { captureRawResponses, type RawResponse } from "./raw-response-policy.js";
export { requestTimeoutPolicy } from "./request-timeout-policy.js";
