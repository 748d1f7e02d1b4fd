/**
 * Azure's read limits, opt-in (https://learn.microsoft.com/azure/azure-resource-manager/management/request-limits-and-throttling): ARM reads per subscription as a token bucket (250 burst, 25/s
 * refill; tenant-level reads have their own bucket), Resource Graph 15 queries per 5-second window per caller.
 * Every response carries the remaining-budget headers either way; only when enabled does running out give a 429
 * with Retry-After and the body ARM / Resource Graph send.
 */
import { armError } from "./arm-errors.mjs";

const ARM = { burst: 250, refillPerSecond: 25 };
const GRAPH = { queries: 15, windowMs: 5000 };

const hms = (ms) => {
  const s = Math.ceil(ms / 1000);
  return [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60].map((n) => String(n).padStart(2, "0")).join(":");
};

export class Throttle {
  constructor(enabled = false) {
    this.enabled = enabled;
    this.reset();
  }

  enable(on) {
    this.enabled = on;
    this.reset();
  }

  reset() {
    /** @type {Map<string, { tokens: number, at: number }>} */
    this.buckets = new Map();
    this.window = { start: 0, used: 0 };
  }

  /** Admit one ARM read on `path`. */
  arm(path) {
    const sub = /^\/subscriptions\/([^/]+)/i.exec(path)?.[1]?.toLowerCase();
    const header = sub ? "x-ms-ratelimit-remaining-subscription-reads" : "x-ms-ratelimit-remaining-tenant-reads";
    if (!this.enabled) return { allowed: true, headers: { [header]: String(ARM.burst - 1) } };
    const key = sub ?? "tenant";
    const now = performance.now();
    const bucket = this.buckets.get(key) ?? { tokens: ARM.burst, at: now };
    bucket.tokens = Math.min(ARM.burst, bucket.tokens + ((now - bucket.at) / 1000) * ARM.refillPerSecond);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens < 1) {
      const retryAfter = Math.max(1, Math.ceil((1 - bucket.tokens) / ARM.refillPerSecond));
      const headers = { [header]: "0" };
      return {
        allowed: false,
        headers,
        response: armError(
          429,
          "TooManyRequests",
          `Number of read requests for subscription '${sub ?? "tenant"}' exceeded the limit of '${ARM.burst}' for time interval. Please try again after '${retryAfter}' seconds.`,
          { "Retry-After": String(retryAfter) },
        ),
      };
    }
    bucket.tokens -= 1;
    return { allowed: true, headers: { [header]: String(Math.floor(bucket.tokens)) } };
  }

  /** Admit one Resource Graph query (one caller: the simulator issues tokens to a single identity). */
  graph() {
    const now = performance.now();
    if (!this.enabled)
      return {
        allowed: true,
        headers: { "x-ms-user-quota-remaining": String(GRAPH.queries - 1), "x-ms-user-quota-resets-after": hms(GRAPH.windowMs) },
      };
    if (now - this.window.start >= GRAPH.windowMs) this.window = { start: now, used: 0 };
    const resetsMs = GRAPH.windowMs - (now - this.window.start);
    if (this.window.used >= GRAPH.queries) {
      const retryAfter = Math.max(1, Math.ceil(resetsMs / 1000));
      const message =
        "Client application has been throttled and should not attempt to repeat the request until an amount of time has elapsed. Please see https://aka.ms/resourcegraphlearnaboutthrottling for help.";
      const response = {
        status: 429,
        body: { error: { code: "RateLimiting", message, details: [{ code: "RateLimiting", message }] } },
        headers: { "Retry-After": String(retryAfter) },
      };
      return { allowed: false, headers: { "x-ms-user-quota-remaining": "0", "x-ms-user-quota-resets-after": hms(resetsMs) }, response };
    }
    this.window.used++;
    return {
      allowed: true,
      headers: { "x-ms-user-quota-remaining": String(GRAPH.queries - this.window.used), "x-ms-user-quota-resets-after": hms(resetsMs) },
    };
  }
}
