/**
 * A request Azure throttles — 429, or 503 with `Retry-After` — under a `--timeout`
 * (https://learn.microsoft.com/azure/azure-resource-manager/management/request-limits-and-throttling#error-code):
 * - a wait Azure asks for that is longer than what is left of the request's `--timeout` ends the request at once,
 *   with an error that says Azure throttled it and how long it asked to wait: no answer could come in time, and
 *   waiting would only turn the throttling into a timeout that names no cause;
 * - a shorter wait is left to the pipeline's retry policy, which honours `Retry-After` on 429 and 503 and asks
 *   again (https://github.com/Azure/azure-sdk-for-js/blob/main/sdk/core/core-rest-pipeline/src/retryStrategies/throttlingRetryStrategy.ts);
 * - a 429 without `Retry-After` (a proxy's, a gateway's), which that policy does not retry, backs off here and
 *   asks again, bounded.
 * --verbose says each wait. `--vm` runs this policy; the audit's client-side throttle (src/fleet/throttle.ts), which
 * also pauses every request of the throttled subscription, shares its parsing, its deadlines, its error, its
 * --verbose lines and its back-off.
 */
import { RestError, createHttpHeaders, type PipelinePolicy, type PipelineRequest, type PipelineResponse } from "@azure/core-rest-pipeline";

/** Time and sleeping, injectable so tests run on fake time. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** `Retry-After` in seconds or as an HTTP date, or `retry-after-ms` → milliseconds. */
export function parseRetryAfter(headers: { get(name: string): string | undefined }, now = Date.now()): number | undefined {
  for (const name of ["retry-after-ms", "x-ms-retry-after-ms"]) {
    const value = headers.get(name);
    if (value && /^\d+(\.\d+)?$/.test(value)) return Number(value);
  }
  const value = headers.get("retry-after");
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** A 429 without `Retry-After` is retried here (the pipeline's retry policy only retries a 429 that has one), bounded. */
export const MAX_THROTTLED_RETRIES = 4;

/** Back-off when neither `Retry-After` nor a quota header says how long: 1 s, 2 s, 4 s, then 5 s (the documented window). */
export const throttledBackoffMs = (attempt: number) => Math.min(5000, 1000 * 2 ** attempt);

const seconds = (ms: number) => Math.ceil(ms / 1000);

/** How the error below begins: Azure answered (src/azure/arm.ts names no proxy for it, correlation id or not). */
export const THROTTLED_TOO_LONG = "throttled: Azure asked to wait";

/**
 * The error of a request Azure asked to wait `waitMs` for, longer than `--timeout` (`timeoutMs`) or than what was
 * left of it (`leftMs`). Of a 429 it keeps the correlation id alone: it says Azure answered (not a proxy:
 * src/azure/arm.ts), while the body would replace these words with Azure's "too many requests", and `Retry-After`
 * would have the retry policy wait after all. A 503 keeps nothing: the retry policy backs off on any 5xx it sees.
 */
export function throttledTooLong(
  request: PipelineRequest,
  wait: { waitMs: number; timeoutMs?: number; leftMs?: number },
  response?: PipelineResponse,
): RestError {
  const { waitMs, timeoutMs, leftMs } = wait;
  const limit =
    leftMs !== undefined && (timeoutMs === undefined || waitMs <= timeoutMs)
      ? `the ${Math.max(0, Math.floor(leftMs))} ms left of --timeout${timeoutMs === undefined ? "" : ` (${timeoutMs} ms)`}`
      : `--timeout (${timeoutMs} ms)`;
  const status = response?.status ?? 429;
  const correlationId = status === 429 ? response?.headers.get("x-ms-correlation-request-id") : undefined;
  return new RestError(`${THROTTLED_TOO_LONG} ${seconds(waitMs)} s before asking again, longer than ${limit}`, {
    code: status === 503 ? "ServerBusy" : "TooManyRequests",
    statusCode: status,
    request,
    response:
      response && correlationId
        ? { ...response, headers: createHttpHeaders({ "x-ms-correlation-request-id": correlationId }), bodyAsText: undefined }
        : undefined,
  });
}

/**
 * When each request's `--timeout` runs out, counted from when it was first seen here: the retry policy sends the same
 * request object again, so its waits (and, in the audit, its waits for a token) count against that one `--timeout`.
 */
export function requestDeadlines(timeoutMs: number, clock: Clock): (request: PipelineRequest) => number {
  const deadlines = new WeakMap<PipelineRequest, number>();
  return (request) => {
    let deadline = deadlines.get(request);
    if (deadline === undefined) deadlines.set(request, (deadline = clock.now() + timeoutMs));
    return deadline;
  };
}

/** One request's path for --verbose (no query: skip tokens are long), as the trace policy writes it. */
const pathOf = (url: string) => new URL(url).pathname.replace(/\/{2,}/g, "/");

/** Where a wait came from: Azure's `Retry-After`, Resource Graph's quota reset, or (neither) our own back-off. */
export type WaitSource = "Retry-After" | "x-ms-user-quota-resets-after" | "back-off";

/**
 * --verbose's line for a throttled answer and what is done about it: `waiting` the wait before asking again, or not
 * (longer than is left of --timeout). `also` says who else waits (the audit pauses the request's whole bucket).
 */
export function describeThrottledWait(
  request: PipelineRequest,
  response: PipelineResponse,
  wait: { ms: number; source: WaitSource; waiting: boolean; also?: string },
): string {
  const answered = `${request.method} ${pathOf(request.url)} → ${response.status}`;
  const also = wait.also ? `; ${wait.also}` : "";
  if (wait.source === "x-ms-user-quota-resets-after" && response.status < 400)
    return `${answered}: quota spent (x-ms-user-quota-remaining: 0), the next query waits ${seconds(wait.ms)} s (${wait.source})${also}`;
  if (!wait.waiting)
    return `${answered}: Azure asked to wait ${seconds(wait.ms)} s (${wait.source}), longer than is left of --timeout: not waiting${also}`;
  if (wait.source === "back-off")
    return `${answered}: throttled without Retry-After, waiting ${seconds(wait.ms)} s before asking again${also}`;
  return `${answered}: throttled, waiting ${seconds(wait.ms)} s as Azure asked (${wait.source}) before asking again${also}`;
}

/**
 * A throttled answer whose `Retry-After` asks `asked` ms: said by --verbose, then handed back for the retry policy to
 * wait out and ask again, or — longer than the `leftMs` left of --timeout — ended at once with `tooLong`'s error.
 */
export function heedRetryAfter(
  request: PipelineRequest,
  response: PipelineResponse,
  asked: number,
  wait: { leftMs: number; trace?: (line: string) => void; tooLong: (waitMs: number, response: PipelineResponse) => Error },
): PipelineResponse {
  const waiting = asked <= wait.leftMs;
  wait.trace?.(describeThrottledWait(request, response, { ms: asked, source: "Retry-After", waiting }));
  if (!waiting) throw wait.tooLong(asked, response);
  return response;
}

export function retryAfterPolicy(options: { timeoutMs: number; clock?: Clock; trace?: (line: string) => void }): PipelinePolicy {
  const clock = options.clock ?? realClock;
  const trace = options.trace;
  const deadlineOf = requestDeadlines(options.timeoutMs, clock);
  return {
    name: "scDoctorRetryAfter",
    async sendRequest(request, next) {
      const deadline = deadlineOf(request);
      for (let attempt = 0; ; attempt++) {
        const response = await next(request);
        if (response.status !== 429 && response.status !== 503) return response;
        const asked = parseRetryAfter(response.headers);
        const leftMs = deadline - clock.now();
        if (asked !== undefined) {
          const tooLong = (waitMs: number, answer: PipelineResponse) =>
            throttledTooLong(request, { waitMs, timeoutMs: options.timeoutMs, leftMs }, answer);
          return heedRetryAfter(request, response, asked, { leftMs, trace, tooLong });
        }
        // A 503 without Retry-After is the retry policy's (exponential back-off, as any 5xx).
        if (response.status === 503) return response;
        const wait = throttledBackoffMs(attempt);
        if (attempt >= MAX_THROTTLED_RETRIES || wait > leftMs || request.abortSignal?.aborted) return response;
        trace?.(describeThrottledWait(request, response, { ms: wait, source: "back-off", waiting: true }));
        await clock.sleep(wait);
      }
    },
  };
}
