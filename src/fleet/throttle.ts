/**
 * Client-side throttling for the fleet audit, so that thousands of VMs stay inside Azure's limits instead of
 * collecting 429s. Token buckets per documented limit (https://learn.microsoft.com/azure/azure-resource-manager/management/request-limits-and-throttling and https://learn.microsoft.com/azure/governance/resource-graph/concepts/guidance-for-throttled-requests):
 * - ARM reads: per subscription, 250 burst, 25/s refill (the 2024 per-region token bucket model); calls outside a
 *   subscription (the subscription list, role definitions) share a tenant bucket with the same figures;
 * - Resource Graph: per user, 15 queries per 5-second window (burst 15, 3/s).
 * Buckets also learn from the remaining-budget headers Azure returns (`x-ms-ratelimit-remaining-subscription-reads`,
 * `x-ms-user-quota-remaining` + `x-ms-user-quota-resets-after`), and a 429's `Retry-After` pauses the whole bucket,
 * not just the request that got it. A 429 with `Retry-After` is retried by the pipeline's retry policy (bounded);
 * one without (Resource Graph does not promise it) waits for the quota window here and is retried here, bounded;
 * past the retries the 429 becomes that fact's `error`. A wait Azure asks for that is longer than what is left of the
 * request's `maxWaitMs` (the audit's --timeout, counted from when this policy first saw the request, as `--vm`'s
 * src/azure/pipeline/retry-after-policy.ts counts it) ends the request at once: no answer could come within it.
 * A 503 with `Retry-After` is held to the same rule, for that request alone (no pause: see `serverBusy`).
 * --verbose says each wait once, on the answer that asked for it (in `--vm`'s words, and who else it holds), not
 * once per request it holds: a fleet's bucket can hold thousands.
 */
import type { PipelinePolicy, PipelineRequest, PipelineResponse } from "@azure/core-rest-pipeline";
import { parseArmId } from "../azure/resource-id.js";
import {
  MAX_THROTTLED_RETRIES,
  describeThrottledWait,
  heedRetryAfter,
  parseRetryAfter,
  realClock,
  requestDeadlines,
  throttledBackoffMs,
  throttledTooLong,
  type Clock,
  type WaitSource,
} from "../azure/pipeline/retry-after-policy.js";

export { parseRetryAfter, realClock, type Clock } from "../azure/pipeline/retry-after-policy.js";

export interface BucketSpec {
  burst: number;
  refillPerSecond: number;
}

export const ARM_READS: BucketSpec = { burst: 250, refillPerSecond: 25 };
export const RESOURCE_GRAPH: BucketSpec = { burst: 15, refillPerSecond: 3 };

/** Refill arithmetic in floating point: 3 tokens/s × 333.33 ms is a whole token. */
const EPSILON = 1e-9;

export class ThrottleAborted extends Error {
  override name = "AbortError";
}

/** A bucket paused (by Azure's 429) past the waiter's deadline: `ms` is what was left of the pause. */
export class PausedTooLong extends Error {
  constructor(readonly ms: number) {
    super(`paused for ${ms} ms`);
  }
}

export class TokenBucket {
  private tokens: number;
  private last: number;
  /** No token is handed out before this time (a 429's Retry-After, or an exhausted quota's reset). */
  private pausedUntil = 0;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly spec: BucketSpec,
    private readonly clock: Clock = realClock,
  ) {
    this.tokens = spec.burst;
    this.last = clock.now();
  }

  private refill(): void {
    const now = this.clock.now();
    this.tokens = Math.min(this.spec.burst, this.tokens + ((now - this.last) / 1000) * this.spec.refillPerSecond);
    this.last = now;
  }

  /**
   * Wait for one token. Waiters are served in arrival order. A pause that lasts past `deadline` (the waiter's
   * --timeout; a pause Azure asked for while this waiter queued) is not waited out: `PausedTooLong` instead.
   */
  take(signal?: { aborted: boolean }, deadline?: number): Promise<void> {
    const turn = this.queue.then(async () => {
      for (;;) {
        if (signal?.aborted) throw new ThrottleAborted("aborted while waiting for the client-side throttle");
        this.refill();
        const pause = this.pausedUntil - this.clock.now();
        if (deadline !== undefined && this.pausedUntil > deadline) throw new PausedTooLong(pause);
        if (pause > 0) await this.clock.sleep(pause);
        else if (this.tokens < 1 - EPSILON) await this.clock.sleep(Math.max(1, ((1 - this.tokens) / this.spec.refillPerSecond) * 1000));
        else break;
      }
      this.tokens -= 1;
    });
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  /** Azure says how much budget is left: never believe we have more than that. */
  observeRemaining(remaining: number, resetsAfterMs?: number): void {
    this.refill();
    if (remaining < this.tokens) this.tokens = Math.max(0, remaining);
    if (remaining <= 0 && resetsAfterMs !== undefined) this.pauseFor(resetsAfterMs);
  }

  /** Azure answered 429 with Retry-After: nobody on this bucket sends before then. */
  pauseFor(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.clock.now() + ms);
    this.tokens = Math.min(this.tokens, 0);
  }

  get available(): number {
    this.refill();
    return this.tokens;
  }
}

/** `hh:mm:ss` → milliseconds (x-ms-user-quota-resets-after). */
export function parseResetsAfter(value: string | undefined): number | undefined {
  const match = value ? /^(\d+):(\d{2}):(\d{2})(?:\.(\d+))?$/.exec(value) : null;
  if (!match) return undefined;
  const fraction = match[4] ? Number(`0.${match[4]}`) : 0;
  return ((Number(match[1]) * 60 + Number(match[2])) * 60 + Number(match[3]) + fraction) * 1000;
}

export interface ThrottleStats {
  /** Requests sent (attempts, so retries count). */
  requests: number;
  /** 429 answers seen. */
  throttled: number;
  /** Total time requests spent waiting for a token. */
  waitedMs: number;
}

/** Which bucket a request draws from: Resource Graph, or ARM reads of its subscription (else the tenant's). */
export function bucketKey(url: string): string {
  const path = new URL(url).pathname;
  if (path.toLowerCase().startsWith("/providers/microsoft.resourcegraph/")) return "graph";
  const { subscriptionId } = path.toLowerCase().startsWith("/subscriptions/") ? parseArmId(path) : {};
  return `arm:${subscriptionId?.toLowerCase() ?? "tenant"}`;
}

/** Who else a bucket's pause holds, for --verbose. */
function heldByPause(key: string): string {
  if (key === "graph") return "every Resource Graph query waits too";
  return key === "arm:tenant" ? "every request outside a subscription waits too" : "every request to this subscription waits too";
}

/**
 * A 503 with `Retry-After` is judged as `--vm` judges it: a wait longer than is left of the request's --timeout ends
 * the request at once, a shorter one is the retry policy's to wait (said by --verbose). The bucket does not pause: a
 * 503's Retry-After is how long the service that answered expects to be unavailable
 * (https://www.rfc-editor.org/rfc/rfc9110#field.retry-after), not the subscription's read budget the bucket stands
 * for (a 429's: https://learn.microsoft.com/azure/azure-resource-manager/management/request-limits-and-throttling).
 * A 503 without it is the retry policy's back-off, as any 5xx.
 */
function serverBusy(
  request: PipelineRequest,
  response: PipelineResponse,
  wait: { leftMs: number; trace?: (line: string) => void; tooLong: (waitMs: number, response: PipelineResponse) => Error },
): PipelineResponse {
  const asked = parseRetryAfter(response.headers);
  return asked === undefined ? response : heedRetryAfter(request, response, asked, wait);
}

/** A 429 without `Retry-After` is retried here (the pipeline's retry policy only retries a 429 that has one), bounded. */
export const MAX_QUOTA_RETRIES = MAX_THROTTLED_RETRIES;

export function throttlePolicy(
  options: { arm?: BucketSpec; graph?: BucketSpec; clock?: Clock; maxWaitMs?: number; trace?: (line: string) => void } = {},
): {
  policy: PipelinePolicy;
  stats: ThrottleStats;
} {
  const buckets = new Map<string, TokenBucket>();
  const stats: ThrottleStats = { requests: 0, throttled: 0, waitedMs: 0 };
  const clock = options.clock ?? realClock;
  const { maxWaitMs, trace } = options;
  const deadlineOf = maxWaitMs === undefined ? () => undefined : requestDeadlines(maxWaitMs, clock);
  const bucketFor = (key: string) => {
    let bucket = buckets.get(key);
    if (!bucket)
      buckets.set(key, (bucket = new TokenBucket(key === "graph" ? (options.graph ?? RESOURCE_GRAPH) : (options.arm ?? ARM_READS), clock)));
    return bucket;
  };
  const policy: PipelinePolicy = {
    name: "scDoctorFleetThrottle",
    async sendRequest(request, next) {
      const key = bucketKey(request.url);
      const bucket = bucketFor(key);
      const isGraph = key === "graph";
      // What is left of this request's --timeout: its retries and its waits for a token count too.
      const deadline = deadlineOf(request);
      const leftMs = () => (deadline === undefined ? Infinity : deadline - clock.now());
      const tooLong = (waitMs: number, response?: PipelineResponse) =>
        throttledTooLong(request, { waitMs, timeoutMs: maxWaitMs, leftMs: leftMs() }, response);
      for (let attempt = 0; ; attempt++) {
        const started = clock.now();
        try {
          await bucket.take(request.abortSignal, deadline);
        } catch (error) {
          // Paused by a wait Azure asked for (this bucket's 429), now or while queued, that no answer within
          // what is left of --timeout could outlast.
          if (error instanceof PausedTooLong) throw tooLong(error.ms);
          throw error;
        }
        stats.waitedMs += clock.now() - started;
        stats.requests++;
        const response = await next(request);
        const remaining = response.headers.get(isGraph ? "x-ms-user-quota-remaining" : "x-ms-ratelimit-remaining-subscription-reads");
        const resetsAfter = isGraph ? parseResetsAfter(response.headers.get("x-ms-user-quota-resets-after")) : undefined;
        if (remaining !== undefined && /^\d+$/.test(remaining.trim())) {
          bucket.observeRemaining(Number(remaining), resetsAfter);
          // A spent quota pauses the bucket with no 429 to say so: -v says why the audit stands still.
          if (Number(remaining) === 0 && resetsAfter && response.status < 400)
            trace?.(
              describeThrottledWait(request, response, {
                ms: resetsAfter,
                source: "x-ms-user-quota-resets-after",
                waiting: true,
                also: heldByPause(key),
              }),
            );
        }
        if (response.status === 503) return serverBusy(request, response, { leftMs: leftMs(), trace, tooLong });
        if (response.status !== 429) return response;
        stats.throttled++;
        const retryAfter = parseRetryAfter(response.headers);
        const quotaReset = resetsAfter !== undefined && resetsAfter > 0 ? resetsAfter : undefined;
        const asked = retryAfter ?? quotaReset;
        const said = (ms: number, source: WaitSource, waiting: boolean) =>
          trace?.(describeThrottledWait(request, response, { ms, source, waiting, also: heldByPause(key) }));
        if (asked !== undefined && asked > leftMs()) {
          bucket.pauseFor(asked); // as Azure asked, for everyone on the bucket
          said(asked, retryAfter !== undefined ? "Retry-After" : "x-ms-user-quota-resets-after", false);
          throw tooLong(asked, response);
        }
        if (retryAfter !== undefined) {
          // The pipeline's retry policy waits and retries this one; everyone else on the bucket waits too.
          bucket.pauseFor(retryAfter);
          said(retryAfter, "Retry-After", true);
          return response;
        }
        // Resource Graph documents back-off by its quota headers and does not promise Retry-After
        // (https://learn.microsoft.com/azure/governance/resource-graph/concepts/guidance-for-throttled-requests);
        // ARM documents Retry-After, but a 429 without one (a proxy, a gateway) is no reason to lose the fact:
        // wait for the quota window to reset, else back off exponentially, then ask again.
        const wait = quotaReset ?? throttledBackoffMs(attempt);
        bucket.pauseFor(wait);
        // A back-off of our own that no answer could outlast: Azure's 429 is the answer (Azure asked for no wait).
        if (attempt >= MAX_QUOTA_RETRIES || request.abortSignal?.aborted || wait > leftMs()) return response;
        said(wait, quotaReset !== undefined ? "x-ms-user-quota-resets-after" : "back-off", true);
      }
    },
  };
  return { policy, stats };
}
