/**
 * The serial log's POST (`retrieveBootDiagnosticsData`) starts beside the VM GET, before anyone knows whether it
 * is needed. When it is not (boot diagnostics off, or the VM could not be read), it is cancelled: a library caller's
 * `diagnoseVm` must not leave a request in flight behind its answer.
 */
import type { HttpClient, PipelineRequest } from "@azure/core-rest-pipeline";
import { describe, expect, it } from "vitest";
import { createArmContext } from "../../src/azure/arm.js";
import { parseVmResourceId } from "../../src/azure/resource-id.js";
import type { VmFacts } from "../../src/azure/facts.js";
import { loadSerialLog } from "../../src/azure/serial-log.js";
import { CHECKS } from "../../src/checks/index.js";
import { diagnoseVm } from "../../src/engine/diagnose.js";
import { inProcessArm } from "../azure-sim/in-process.mjs";

type SimVm = { model: { id: string; properties: { diagnosticsProfile?: { bootDiagnostics?: { enabled?: boolean } } } } };

/** A context answered by the simulator, except that the POST hangs until its request is aborted. */
function hangingPost(bootDiagnostics: boolean) {
  const sim = inProcessArm({ vms: 3, subscriptions: 1, storageAccounts: 1, seed: 3 }, { createArmContext });
  const [vm] = (sim.world as { vms: Map<string, SimVm> }).vms.values();
  if (!vm) throw new Error("no VM in the fleet");
  vm.model.properties.diagnosticsProfile = { bootDiagnostics: { enabled: bootDiagnostics } };
  const posts: { request: PipelineRequest; aborted: boolean }[] = [];
  const httpClient: HttpClient = {
    sendRequest(request) {
      if (!/retrieveBootDiagnosticsData/i.test(request.url)) return sim.httpClient.sendRequest(request);
      const post = { request, aborted: false };
      posts.push(post);
      return new Promise((_, reject) => {
        const abort = () => {
          post.aborted = true;
          reject(new Error("aborted"));
        };
        if (request.abortSignal?.aborted) abort();
        else request.abortSignal?.addEventListener("abort", abort);
      });
    },
  };
  const credential = { getToken: async () => ({ token: "t", expiresOnTimestamp: Date.now() + 3_600_000 }) };
  const arm = createArmContext({ credential, cloud: "AzureCloud", armEndpoint: "https://arm.invalid", httpClient });
  return { arm, ref: parseVmResourceId(vm.model.id), posts };
}

const network = async () => ({ skipped: "test", targets: [] });

describe("the speculative retrieveBootDiagnosticsData POST", () => {
  it("boot diagnostics off: cancelled by the time diagnoseVm answers", async () => {
    const { arm, ref, posts } = hangingPost(false);
    const { result } = await diagnoseVm(arm, ref, { checks: CHECKS, timeoutMs: 5_000, concurrency: 16, network });
    expect(result.checks.find((c) => c.id === "boot-diagnostics")?.status).toBe("fail");
    expect(posts).toHaveLength(1);
    expect(posts[0]?.aborted).toBe(true);
  });

  it("the VM could not be read: cancelled too", async () => {
    const { arm, ref, posts } = hangingPost(true);
    const missing = parseVmResourceId(ref.id.replace(/[^/]+$/, "no-such-vm"));
    const { vmError } = await diagnoseVm(arm, missing, { checks: CHECKS, timeoutMs: 5_000, concurrency: 16, network });
    expect(vmError).toBeDefined();
    expect(posts).toHaveLength(1);
    expect(posts[0]?.aborted).toBe(true);
  });

  it("the caller's signal already aborted: no live POST, the fact fails (before: the POST went out and was read)", async () => {
    const { arm, ref, posts } = hangingPost(true);
    const facts = async () => ({ bootDiagnostics: { enabled: true } }) as VmFacts;
    await expect(loadSerialLog(arm, ref, facts, AbortSignal.abort())).rejects.toThrow();
    expect(posts.map((post) => post.aborted)).toEqual([true]);
  }, 5_000);

  it("boot diagnostics on: not cancelled while its answer is awaited (here it hangs: serial-log times out), then ended with the diagnosis", async () => {
    const { arm, ref, posts } = hangingPost(true);
    const { result } = await diagnoseVm(arm, ref, { checks: CHECKS, timeoutMs: 300, concurrency: 16, network });
    // A cancelled POST would have been the check's error; it ran into its own timeout instead.
    expect(result.checks.find((c) => c.id === "serial-log")).toMatchObject({ status: "error", reason: "timeout" });
    expect(posts).toHaveLength(1);
    expect(posts[0]?.aborted).toBe(true);
  });

  it("the caller's signal aborting mid-diagnosis ends the POST too (combined by hand: no AbortSignal.any, Node 20.0-20.2)", async () => {
    const { arm, ref, posts } = hangingPost(true);
    const caller = new AbortController();
    setTimeout(() => caller.abort(), 100);
    const started = Date.now();
    await diagnoseVm(arm, ref, { checks: CHECKS, timeoutMs: 5_000, concurrency: 16, network, signal: caller.signal });
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(posts.map((post) => post.aborted)).toEqual([true]);
  });
});
