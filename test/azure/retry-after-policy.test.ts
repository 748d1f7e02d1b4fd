import { describe, expect, it } from "vitest";
import { createHttpHeaders, createPipelineRequest, type PipelineResponse } from "@azure/core-rest-pipeline";
import { MAX_THROTTLED_RETRIES, retryAfterPolicy, type Clock } from "../../src/azure/pipeline/retry-after-policy.js";

/** Sleeps advance time at once; `advance` is time spent elsewhere (the retry policy's own wait). */
function fakeClock(): Clock & { advance(ms: number): void } {
  let now = 0;
  return { now: () => now, sleep: async (ms) => void (now += ms), advance: (ms) => void (now += ms) };
}

const VM_URL = "https://arm.test/subscriptions/s1/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/vm1";
const answer = (status: number, headers: Record<string, string> = {}): PipelineResponse => ({
  request: createPipelineRequest({ url: VM_URL }),
  status,
  headers: createHttpHeaders({ "x-ms-correlation-request-id": "c1", ...headers }),
  bodyAsText: '{"error":{"code":"TooManyRequests","message":"The request is being throttled"}}',
});

function setUp(timeoutMs = 15_000) {
  const clock = fakeClock();
  const traced: string[] = [];
  const policy = retryAfterPolicy({ timeoutMs, clock, trace: (line) => traced.push(line) });
  return { clock, traced, policy, request: createPipelineRequest({ url: VM_URL }) };
}

describe("retryAfterPolicy (--vm): a wait Azure asks for, against what is left of --timeout", () => {
  it.each([
    [429, "TooManyRequests"],
    [503, "ServerBusy"],
  ])("%i with Retry-After 20 s, --timeout 15 s: ends at once, named as throttling, said by --verbose", async (status, code) => {
    const { policy, request, traced, clock } = setUp();
    const ended = policy.sendRequest(request, async () => answer(status, { "retry-after": "20" }));
    await expect(ended).rejects.toMatchObject({
      statusCode: status,
      code,
      message: "throttled: Azure asked to wait 20 s before asking again, longer than --timeout (15000 ms)",
    });
    expect(clock.now()).toBe(0);
    expect(traced).toEqual([
      `GET ${new URL(VM_URL).pathname} → ${status}: Azure asked to wait 20 s (Retry-After), longer than is left of --timeout: not waiting`,
    ]);
  });

  it("a wait within --timeout is the retry policy's to wait (the answer goes back to it), said by --verbose", async () => {
    const { policy, request, traced } = setUp();
    expect((await policy.sendRequest(request, async () => answer(429, { "retry-after": "10" }))).status).toBe(429);
    expect(traced[0]).toMatch(/→ 429: throttled, waiting 10 s as Azure asked \(Retry-After\) before asking again$/);
  });

  it("the same request asked again after 10 s, told to wait 10 s more: only 5 s were left, so it ends", async () => {
    const { policy, request, clock } = setUp();
    await policy.sendRequest(request, async () => answer(429, { "retry-after": "10" }));
    clock.advance(10_000); // the retry policy's wait
    await expect(policy.sendRequest(request, async () => answer(429, { "retry-after": "10" }))).rejects.toMatchObject({
      statusCode: 429,
      message: "throttled: Azure asked to wait 10 s before asking again, longer than the 5000 ms left of --timeout (15000 ms)",
    });
  });

  it("a 429 without Retry-After backs off (1 s, 2 s, …) and asks again, bounded; then the 429 is the caller's", async () => {
    const { policy, request, clock } = setUp(60_000);
    const answers = [answer(429), answer(429), answer(200)];
    expect((await policy.sendRequest(request, async () => answers.shift() ?? answer(500))).status).toBe(200);
    expect(clock.now()).toBe(3000);
    let sent = 0;
    const always = await policy.sendRequest(createPipelineRequest({ url: VM_URL }), async () => (sent++, answer(429)));
    expect(always.status).toBe(429);
    expect(sent).toBe(MAX_THROTTLED_RETRIES + 1);
  });

  it("a 503 without Retry-After is left to the retry policy's back-off", async () => {
    const { policy, request, clock } = setUp();
    let sent = 0;
    expect((await policy.sendRequest(request, async () => (sent++, answer(503)))).status).toBe(503);
    expect([sent, clock.now()]).toEqual([1, 0]);
  });
});
