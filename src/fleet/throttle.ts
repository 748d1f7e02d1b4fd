/**
 * Client-side throttling for the fleet audit, so that thousands of VMs stay inside Azure's limits instead of
 * collecting 429s. Token buckets per documented limit (reference §6–§7):
 * - ARM reads: per subscription, 250 burst, 25/s refill (the 2024 per-region token bucket model);
 * - Resource Graph: per user, 15 queries per 5-second window.
 * Buckets also learn from the remaining-budget headers Azure returns (`x-ms-ratelimit-remaining-subscription-reads`,
 * `x-ms-user-quota-remaining` + `x-ms-user-quota-resets-after`). A 429 that still happens is retried by the
 * pipeline's throttling policy, which honours `Retry-After`.
 */
import type { PipelinePolicy } from "@azure/core-rest-pipeline";

export interface BucketSpec {
  burst: number;
  refillPerSecond: number;
}

export const ARM_READS: BucketSpec = { burst: 250, refillPerSecond: 25 };
export const RESOURCE_GRAPH: BucketSpec = { burst: 15, refillPerSecond: 3 };

export class TokenBucket {
  private tokens: number;
  private last = performance.now();
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly spec: BucketSpec) {
    this.tokens = spec.burst;
  }

  private refill(): void {
    const now = performance.now();
    this.tokens = Math.min(this.spec.burst, this.tokens + ((now - this.last) / 1000) * this.spec.refillPerSecond);
    this.last = now;
  }

  /** Wait for one token. Waiters are served in order. */
  take(signal?: { aborted: boolean }): Promise<void> {
    const turn = this.queue.then(async () => {
      this.refill();
      while (this.tokens < 1) {
        const waitMs = ((1 - this.tokens) / this.spec.refillPerSecond) * 1000;
        await new Promise((resolve) => setTimeout(resolve, Math.max(1, waitMs)));
        if (signal?.aborted) throw new Error("aborted while waiting for the throttle");
        this.refill();
      }
      this.tokens -= 1;
    });
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  /** Azure says how much budget is left: never believe we have more than that. */
  observeRemaining(remaining: number, resetsAfterMs?: number): void {
    this.refill();
    if (remaining < this.tokens) this.tokens = remaining;
    // Quota exhausted until the window resets: the next token becomes available exactly then.
    if (remaining <= 0 && resetsAfterMs !== undefined) this.tokens = Math.min(this.tokens, 1 - (resetsAfterMs / 1000) * this.spec.refillPerSecond);
  }

  get available(): number {
    this.refill();
    return this.tokens;
  }
}

/** `hh:mm:ss` → milliseconds (x-ms-user-quota-resets-after). */
export function parseResetsAfter(value: string | undefined): number | undefined {
  const match = value ? /^(\d+):(\d{2}):(\d{2})(?:\.\d+)?$/.exec(value) : null;
  if (!match) return undefined;
  return ((Number(match[1]) * 60 + Number(match[2])) * 60 + Number(match[3])) * 1000;
}

export interface ThrottleStats {
  waitedMs: number;
  requests: number;
}

export function throttlePolicy(options: { arm?: BucketSpec; graph?: BucketSpec } = {}): { policy: PipelinePolicy; stats: ThrottleStats } {
  const buckets = new Map<string, TokenBucket>();
  const stats: ThrottleStats = { waitedMs: 0, requests: 0 };
  const bucketFor = (key: string, spec: BucketSpec) => {
    let bucket = buckets.get(key);
    if (!bucket) buckets.set(key, (bucket = new TokenBucket(spec)));
    return bucket;
  };
  const policy: PipelinePolicy = {
    name: "scDoctorFleetThrottle",
    async sendRequest(request, next) {
      const url = new URL(request.url);
      const isGraph = /\/providers\/microsoft\.resourcegraph\//i.test(url.pathname);
      const subscription = /^\/subscriptions\/([^/]+)/i.exec(url.pathname)?.[1]?.toLowerCase() ?? "tenant";
      const bucket = isGraph ? bucketFor("graph", options.graph ?? RESOURCE_GRAPH) : bucketFor(`arm:${subscription}`, options.arm ?? ARM_READS);
      const started = performance.now();
      await bucket.take(request.abortSignal);
      stats.waitedMs += performance.now() - started;
      stats.requests++;
      const response = await next(request);
      const remaining = isGraph ? response.headers.get("x-ms-user-quota-remaining") : response.headers.get("x-ms-ratelimit-remaining-subscription-reads");
      if (remaining !== undefined && /^\d+$/.test(remaining)) {
        bucket.observeRemaining(Number(remaining), isGraph ? parseResetsAfter(response.headers.get("x-ms-user-quota-resets-after")) : undefined);
      }
      return response;
    },
  };
  return { policy, stats };
}
