/**
 * The serial log's POST (`retrieveBootDiagnosticsData`) starts beside the VM GET, before anyone knows whether it
 * is needed. When it is not (boot diagnostics off, or the VM could not be read), it is cancelled: a library caller's
 * `diagnoseVm` must not leave a request in flight behind its answer.
 */
import type { HttpClient, PipelineRequest } from "@azure/core-rest-pipeline";
import { describe, expect, it } from "vitest";
import { createArmContext } from "../../src/azure/arm.js";
import { parseVmResourceId } from "../../src/azure/resource-id.js";
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
      return new Promise((_, reject) =>
        request.abortSignal?.addEventListener("abort", () => {
          post.aborted = true;
          reject(new Error("aborted"));
        }),
      );
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

  it("boot diagnostics on: not cancelled (its answer is used; here it hangs, so serial-log times out)", async () => {
    const { arm, ref, posts } = hangingPost(true);
    const { result } = await diagnoseVm(arm, ref, { checks: CHECKS, timeoutMs: 300, concurrency: 16, network });
    expect(result.checks.find((c) => c.id === "serial-log")).toMatchObject({ status: "error", reason: "timeout" });
    expect(posts[0]?.aborted).toBe(false);
  });
});
