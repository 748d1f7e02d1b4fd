import { describe, expect, it } from "vitest";
import { createHttpHeaders, createPipelineRequest, type PipelineResponse } from "@azure/core-rest-pipeline";
import {
  ARM_READS,
  MAX_QUOTA_RETRIES,
  RESOURCE_GRAPH,
  TokenBucket,
  bucketKey,
  parseResetsAfter,
  parseRetryAfter,
  throttlePolicy,
  type Clock,
} from "../../src/fleet/throttle.js";

/** A clock whose sleeps advance time instantly: the bucket's arithmetic, without waiting. */
function fakeClock(): Clock & { slept: number[]; advance(ms: number): void } {
  let now = 0;
  const slept: number[] = [];
  return {
    slept,
    /** Time spent elsewhere (the pipeline's retry policy waiting before it sends the same request again). */
    advance: (ms) => void (now += ms),
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
  };
}

describe("TokenBucket", () => {
  it("hands out the burst at once, then one token per 1/refill seconds (ARM reads: 250, then 25/s)", async () => {
    const clock = fakeClock();
    const bucket = new TokenBucket(ARM_READS, clock);
    for (let i = 0; i < 250; i++) await bucket.take();
    expect(clock.now()).toBe(0);
    for (let i = 0; i < 25; i++) await bucket.take();
    expect(clock.now()).toBeCloseTo(1000, 0);
  });

  it("Resource Graph: 15 queries, then 3 per second — 30 queries take 5 seconds", async () => {
    const clock = fakeClock();
    const bucket = new TokenBucket(RESOURCE_GRAPH, clock);
    for (let i = 0; i < 30; i++) await bucket.take();
    expect(clock.now()).toBeCloseTo(5000, 0);
  });

  it("never believes it has more than Azure says remains", async () => {
    const clock = fakeClock();
    const bucket = new TokenBucket(ARM_READS, clock);
    bucket.observeRemaining(2);
    expect(bucket.available).toBe(2);
    await bucket.take();
    await bucket.take();
    await bucket.take(); // the third waits for a refill
    expect(clock.now()).toBeCloseTo(40, 0);
  });

  it("an exhausted quota waits for its reset (x-ms-user-quota-resets-after)", async () => {
    const clock = fakeClock();
    const bucket = new TokenBucket(RESOURCE_GRAPH, clock);
    bucket.observeRemaining(0, 4000);
    await bucket.take();
    expect(clock.now()).toBeGreaterThanOrEqual(4000);
  });

  it("a pause (Retry-After) holds every waiter, then they go in order", async () => {
    const clock = fakeClock();
    const bucket = new TokenBucket({ burst: 10, refillPerSecond: 10 }, clock);
    bucket.pauseFor(3000);
    const order: number[] = [];
    await Promise.all([1, 2, 3].map((n) => bucket.take().then(() => order.push(n))));
    expect(order).toEqual([1, 2, 3]);
    expect(clock.now()).toBeGreaterThanOrEqual(3000);
  });

  it("an aborted waiter gives up with an AbortError instead of waiting on", async () => {
    const clock = fakeClock();
    const bucket = new TokenBucket({ burst: 1, refillPerSecond: 1 }, clock);
    await bucket.take();
    await expect(bucket.take({ aborted: true })).rejects.toMatchObject({ name: "AbortError" });
    await bucket.take(); // the queue is not poisoned
  });
});

describe("header parsing", () => {
  it.each([
    ["00:00:05", 5000],
    ["00:01:00", 60000],
    ["01:00:00", 3600000],
    ["00:00:01.5", 1500],
    ["5", undefined],
    [undefined, undefined],
  ])("x-ms-user-quota-resets-after %s → %s ms", (value, ms) => expect(parseResetsAfter(value)).toBe(ms));

  const headers = (entries: Record<string, string>) => ({ get: (name: string) => entries[name.toLowerCase()] });
  it("Retry-After in seconds, as an HTTP date, and retry-after-ms", () => {
    expect(parseRetryAfter(headers({ "retry-after": "7" }))).toBe(7000);
    expect(parseRetryAfter(headers({ "retry-after-ms": "250", "retry-after": "7" }))).toBe(250);
    expect(parseRetryAfter(headers({ "retry-after": "Wed, 25 Nov 2026 00:00:10 GMT" }), Date.parse("Wed, 25 Nov 2026 00:00:00 GMT"))).toBe(
      10000,
    );
    expect(parseRetryAfter(headers({}))).toBeUndefined();
  });
});

describe("throttlePolicy", () => {
  it.each([
    ["https://management.azure.com/providers/Microsoft.ResourceGraph/resources?api-version=2022-10-01", "graph"],
    ["https://management.azure.com/subscriptions/ABC/resourceGroups/rg/providers/x", "arm:abc"],
    ["https://management.azure.com/subscriptions?api-version=1", "arm:tenant"],
    ["https://management.azure.com/providers/Microsoft.Authorization/roleDefinitions/1", "arm:tenant"],
  ])("%s draws from %s", (url, key) => expect(bucketKey(url)).toBe(key));

  function respond(status: number, entries: Record<string, string>): PipelineResponse {
    const request = createPipelineRequest({ url: "https://arm.test/subscriptions/s1/x" });
    return { request, status, headers: createHttpHeaders(entries) };
  }

  it("learns the remaining budget and pauses the whole bucket on 429 + Retry-After", async () => {
    const clock = fakeClock();
    const { policy, stats } = throttlePolicy({ clock, arm: { burst: 100, refillPerSecond: 100 } });
    const request = createPipelineRequest({ url: "https://arm.test/subscriptions/s1/x" });
    await policy.sendRequest(request, async () => respond(429, { "retry-after": "2" }));
    expect(stats).toMatchObject({ requests: 1, throttled: 1 });
    await policy.sendRequest(request, async () => respond(200, { "x-ms-ratelimit-remaining-subscription-reads": "0" }));
    expect(clock.now()).toBeGreaterThanOrEqual(2000);
    // Budget 0: the next request waits for a refill.
    const before = clock.now();
    await policy.sendRequest(request, async () => respond(200, {}));
    expect(clock.now()).toBeGreaterThan(before);
    expect(stats.requests).toBe(3);
  });

  it("Resource Graph 429s without Retry-After: waits the quota window (else backs off), asks again, and stops at the bound", async () => {
    const clock = fakeClock();
    const { policy, stats } = throttlePolicy({ clock });
    const request = createPipelineRequest({ url: "https://arm.test/providers/Microsoft.ResourceGraph/resources?api-version=2022-10-01" });
    // Two 429s, the first with the quota's reset (5 s), the second without: then an answer.
    const answers = [
      respond(429, { "x-ms-user-quota-remaining": "0", "x-ms-user-quota-resets-after": "00:00:05" }),
      respond(429, {}),
      respond(200, {}),
    ];
    const first = await policy.sendRequest(request, async () => answers.shift() ?? respond(500, {}));
    expect(first.status).toBe(200);
    expect(stats).toMatchObject({ requests: 3, throttled: 2 });
    expect(clock.now()).toBeGreaterThanOrEqual(5000 + 2000); // the window, then the second attempt's back-off
    // Never an answer but 429: the 429 is returned after MAX_QUOTA_RETRIES more attempts, not retried forever.
    const always = await policy.sendRequest(request, async () => respond(429, {}));
    expect(always.status).toBe(429);
    expect(stats.requests).toBe(3 + MAX_QUOTA_RETRIES + 1);
  });

  it("an ARM 429 without Retry-After backs off and asks again too (bounded), instead of becoming the fact's error", async () => {
    const clock = fakeClock();
    const { policy, stats } = throttlePolicy({ clock });
    const request = createPipelineRequest({ url: "https://arm.test/subscriptions/s1/providers/Microsoft.Compute/virtualMachines" });
    const answers = [respond(429, {}), respond(200, {})];
    const answered = await policy.sendRequest(request, async () => answers.shift() ?? respond(500, {}));
    expect(answered.status).toBe(200);
    expect(stats).toMatchObject({ requests: 2, throttled: 1 });
    expect(clock.now()).toBeGreaterThanOrEqual(1000);
    const always = await policy.sendRequest(request, async () => respond(429, {}));
    expect(always.status).toBe(429);
    expect(stats.requests).toBe(2 + MAX_QUOTA_RETRIES + 1);
  });

  it("our own back-off (a 429 without Retry-After) past what is left of --timeout: Azure's 429 comes back, not 'Azure asked to wait'", async () => {
    const clock = fakeClock();
    const { policy, stats } = throttlePolicy({ clock, maxWaitMs: 2500 });
    const request = createPipelineRequest({ url: "https://arm.test/subscriptions/s1/providers/Microsoft.Compute/virtualMachines" });
    // Back-offs of 1 s (fits), then 2 s (1.5 s left): the second 429 is the answer, as --vm returns it.
    const answered = await policy.sendRequest(request, async () => respond(429, {}));
    expect(answered.status).toBe(429);
    expect(stats.requests).toBe(2);
  });

  it("subscriptions have separate buckets", async () => {
    const clock = fakeClock();
    const { policy } = throttlePolicy({ clock, arm: { burst: 1, refillPerSecond: 1 } });
    const send = (sub: string) =>
      policy.sendRequest(createPipelineRequest({ url: `https://arm.test/subscriptions/${sub}/x` }), async (r) => ({
        request: r,
        status: 200,
        headers: createHttpHeaders(),
      }));
    await send("s1");
    await send("s2");
    expect(clock.now()).toBe(0);
    await send("s1");
    expect(clock.now()).toBeCloseTo(1000, 0);
  });
});

describe("requestTimeoutPolicy", () => {
  it("gives each attempt the --timeout, and turns its own abort into a named timeout error", async () => {
    const { requestTimeoutPolicy } = await import("../../src/fleet/request-timeout.js");
    const policy = requestTimeoutPolicy(1234);
    const request = createPipelineRequest({ url: "https://arm.test/subscriptions/s1/x" });
    const aborted = Object.assign(new Error("The operation was aborted."), { name: "AbortError" });
    await expect(policy.sendRequest(request, async () => Promise.reject(aborted))).rejects.toMatchObject({
      code: "RequestTimeout",
      message: "no response within 1234 ms",
    });
    expect(request.timeout).toBe(1234);
  });

  it("a user's abort (Ctrl-C) stays an abort", async () => {
    const { requestTimeoutPolicy } = await import("../../src/fleet/request-timeout.js");
    const controller = new AbortController();
    controller.abort();
    const request = createPipelineRequest({ url: "https://arm.test/x", abortSignal: controller.signal });
    const aborted = Object.assign(new Error("aborted"), { name: "AbortError" });
    await expect(requestTimeoutPolicy(10).sendRequest(request, async () => Promise.reject(aborted))).rejects.toBe(aborted);
  });
});

describe("a wait Azure asks for that is longer than --timeout (maxWaitMs)", () => {
  const respond = (status: number, entries: Record<string, string>): PipelineResponse => ({
    request: createPipelineRequest({ url: "https://arm.test/subscriptions/s1/x" }),
    status,
    headers: createHttpHeaders(entries),
  });

  it.each<[string, string, Record<string, string>]>([
    ["Retry-After", "https://arm.test/subscriptions/s1/x", { "retry-after": "60" }],
    [
      "the quota's reset",
      "https://arm.test/providers/Microsoft.ResourceGraph/resources",
      { "x-ms-user-quota-remaining": "0", "x-ms-user-quota-resets-after": "00:01:00" },
    ],
  ])("%s of 60 s with --timeout 3000: the request ends at once, and the bucket's next request too", async (_, url, headers) => {
    const clock = fakeClock();
    const { policy } = throttlePolicy({ clock, maxWaitMs: 3000 });
    const request = createPipelineRequest({ url });
    const ended = policy.sendRequest(request, async () => respond(429, headers));
    await expect(ended).rejects.toMatchObject({
      statusCode: 429,
      code: "TooManyRequests",
      message: expect.stringMatching(/wait 60 s .*--timeout \(3000 ms\)/),
    });
    let sent = 0;
    await expect(policy.sendRequest(request, async () => (sent++, respond(200, {})))).rejects.toMatchObject({ statusCode: 429 });
    expect(sent).toBe(0);
    expect(clock.now()).toBe(0);
  });

  it("a request already queued for a token when the long wait is asked for ends too, without sending", async () => {
    const clock = fakeClock();
    const { policy } = throttlePolicy({ clock, maxWaitMs: 3000, arm: { burst: 1, refillPerSecond: 1 } });
    const request = createPipelineRequest({ url: "https://arm.test/subscriptions/s1/x" });
    let sent = 0;
    const first = policy.sendRequest(request, async () => respond(429, { "retry-after": "60" }));
    // Queued behind the first (the bucket holds one token): it waits for a refill, then finds the pause.
    const queued = policy.sendRequest(request, async () => (sent++, respond(200, {})));
    await expect(first).rejects.toMatchObject({ statusCode: 429 });
    await expect(queued).rejects.toMatchObject({ statusCode: 429, message: expect.stringMatching(/wait (59|60) s/) });
    expect(sent).toBe(0);
    expect(clock.now()).toBeLessThan(3000);
  });

  it("the same request asked again after its first wait, told to wait 2 s more: only 1 s of --timeout was left, so it ends", async () => {
    const clock = fakeClock();
    const { policy } = throttlePolicy({ clock, maxWaitMs: 3000 });
    const request = createPipelineRequest({ url: "https://arm.test/subscriptions/s1/x" });
    expect((await policy.sendRequest(request, async () => respond(429, { "retry-after": "2" }))).status).toBe(429);
    // The retry policy sends the same request again; its token waits out the 2 s pause.
    await expect(policy.sendRequest(request, async () => respond(429, { "retry-after": "2" }))).rejects.toMatchObject({
      statusCode: 429,
      message: "throttled: Azure asked to wait 2 s before asking again, longer than the 1000 ms left of --timeout (3000 ms)",
    });
    expect(clock.now()).toBe(2000);
  });

  it("a request whose retry finds its bucket paused past what is left of its --timeout ends without sending", async () => {
    const clock = fakeClock();
    const { policy } = throttlePolicy({ clock, maxWaitMs: 3000 });
    const retried = createPipelineRequest({ url: "https://arm.test/subscriptions/s1/vm1" });
    expect((await policy.sendRequest(retried, async () => respond(503, {}))).status).toBe(503);
    clock.advance(1500); // the retry policy's back-off on the 503: 1.5 s of its --timeout are left
    // Another request of the subscription is asked to wait 2 s: within its own --timeout, so the bucket pauses.
    const other = createPipelineRequest({ url: "https://arm.test/subscriptions/s1/vm2" });
    expect((await policy.sendRequest(other, async () => respond(429, { "retry-after": "2" }))).status).toBe(429);
    let sent = 0;
    await expect(policy.sendRequest(retried, async () => (sent++, respond(200, {})))).rejects.toMatchObject({
      statusCode: 429,
      message: "throttled: Azure asked to wait 2 s before asking again, longer than the 1500 ms left of --timeout (3000 ms)",
    });
    expect([sent, clock.now()]).toEqual([0, 1500]);
  });

  it("a 503 with Retry-After longer than is left ends at once (ServerBusy), said by -v; the subscription's other requests go on", async () => {
    const clock = fakeClock();
    const traced: string[] = [];
    const { policy } = throttlePolicy({ clock, maxWaitMs: 3000, trace: (line) => traced.push(line) });
    const request = createPipelineRequest({ url: "https://arm.test/subscriptions/s1/x" });
    await expect(policy.sendRequest(request, async () => respond(503, { "retry-after": "60" }))).rejects.toMatchObject({
      statusCode: 503,
      code: "ServerBusy",
      message: "throttled: Azure asked to wait 60 s before asking again, longer than --timeout (3000 ms)",
    });
    // A 503 is the answering service's state, not the subscription's read budget: the bucket does not pause.
    let sent = 0;
    const other = createPipelineRequest({ url: "https://arm.test/subscriptions/s1/y" });
    expect((await policy.sendRequest(other, async () => (sent++, respond(200, {})))).status).toBe(200);
    expect([sent, clock.now()]).toEqual([1, 0]);
    // A shorter wait is the retry policy's (it honours a 503's Retry-After); -v says both.
    expect((await policy.sendRequest(other, async () => respond(503, { "retry-after": "2" }))).status).toBe(503);
    expect(traced).toEqual([
      "GET /subscriptions/s1/x → 503: Azure asked to wait 60 s (Retry-After), longer than is left of --timeout: not waiting",
      "GET /subscriptions/s1/y → 503: throttled, waiting 2 s as Azure asked (Retry-After) before asking again",
    ]);
  });

  it("a wait within --timeout is waited as before", async () => {
    const clock = fakeClock();
    const { policy } = throttlePolicy({ clock, maxWaitMs: 3000 });
    const request = createPipelineRequest({ url: "https://arm.test/subscriptions/s1/x" });
    expect((await policy.sendRequest(request, async () => respond(429, { "retry-after": "2" }))).status).toBe(429);
    expect((await policy.sendRequest(request, async () => respond(200, {}))).status).toBe(200);
    expect(clock.now()).toBeGreaterThanOrEqual(2000);
  });
});

describe("--verbose: each wait the throttle makes for Azure is said once, on the answer that asked for it", () => {
  const respond = (status: number, entries: Record<string, string>): PipelineResponse => ({
    request: createPipelineRequest({ url: "https://arm.test/x" }),
    status,
    headers: createHttpHeaders(entries),
  });

  it("in --vm's words, naming where the wait came from and who else it holds; the requests it holds say nothing", async () => {
    const clock = fakeClock();
    const traced: string[] = [];
    const { policy } = throttlePolicy({ clock, maxWaitMs: 3000, trace: (line) => traced.push(line) });
    const send = (url: string, ...answers: PipelineResponse[]) =>
      policy.sendRequest(createPipelineRequest({ url }), async () => answers.shift() ?? respond(200, {})).catch(() => undefined);
    await send("https://arm.test/subscriptions/s1/vm1", respond(429, { "retry-after": "2" }));
    await send("https://arm.test/subscriptions/s1/vm2"); // held by the pause: no line of its own
    await send("https://arm.test/subscriptions/s1/vm3", respond(429, { "retry-after": "60" }));
    await send(
      "https://arm.test/providers/Microsoft.ResourceGraph/resources",
      respond(429, { "x-ms-user-quota-remaining": "0", "x-ms-user-quota-resets-after": "00:00:02" }),
    );
    await send("https://arm.test/subscriptions", respond(429, {}));
    expect(traced).toEqual([
      "GET /subscriptions/s1/vm1 → 429: throttled, waiting 2 s as Azure asked (Retry-After) before asking again; every request to this subscription waits too",
      "GET /subscriptions/s1/vm3 → 429: Azure asked to wait 60 s (Retry-After), longer than is left of --timeout: not waiting; every request to this subscription waits too",
      "GET /providers/Microsoft.ResourceGraph/resources → 429: throttled, waiting 2 s as Azure asked (x-ms-user-quota-resets-after) before asking again; every Resource Graph query waits too",
      "GET /subscriptions → 429: throttled without Retry-After, waiting 1 s before asking again; every request outside a subscription waits too",
    ]);
  });

  it("a Resource Graph answer that spends the quota (200, remaining 0) says the pause it starts; one with quota left says nothing", async () => {
    const clock = fakeClock();
    const traced: string[] = [];
    const { policy } = throttlePolicy({ clock, trace: (line) => traced.push(line) });
    const graph = "https://arm.test/providers/Microsoft.ResourceGraph/resources";
    const answer = (remaining: string) => async () =>
      respond(200, { "x-ms-user-quota-remaining": remaining, "x-ms-user-quota-resets-after": "00:00:03" });
    await policy.sendRequest(createPipelineRequest({ url: graph, method: "POST" }), answer("4"));
    await policy.sendRequest(createPipelineRequest({ url: graph, method: "POST" }), answer("0"));
    expect(traced).toEqual([
      "POST /providers/Microsoft.ResourceGraph/resources → 200: quota spent (x-ms-user-quota-remaining: 0), the next query waits 3 s (x-ms-user-quota-resets-after); every Resource Graph query waits too",
    ]);
    await policy.sendRequest(createPipelineRequest({ url: graph, method: "POST" }), answer("14"));
    expect(clock.now()).toBeGreaterThanOrEqual(3000);
  });

  it("the audit's policies pass -v's trace to the throttle", async () => {
    const { auditPolicies } = await import("../../src/fleet/policies.js");
    const traced: string[] = [];
    const [throttle] = auditPolicies(15_000, (line) => traced.push(line)).policies;
    const request = createPipelineRequest({ url: "https://arm.test/subscriptions/s1/x" });
    expect((await throttle?.sendRequest(request, async () => respond(429, { "retry-after": "1" })))?.status).toBe(429);
    expect(traced).toEqual([expect.stringMatching(/→ 429: throttled, waiting 1 s as Azure asked \(Retry-After\)/)]);
  });
});
