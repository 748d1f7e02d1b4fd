/**
 * Role definitions are read once per role (its GUID) in a run, whichever subscription's assignment names them;
 * a read refused under one subscription is not the answer for another's.
 */
import { createHttpHeaders, type HttpClient } from "@azure/core-rest-pipeline";
import { describe, expect, it } from "vitest";
import { createArmContext } from "../../src/azure/arm.js";
import { roleDefinition } from "../../src/azure/permissions.js";
import { RunCache } from "../../src/azure/run-cache.js";
import { inProcessArm } from "../azure-sim/in-process.mjs";

const READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7";

/** Two subscriptions' ids of the Reader role; reads under `refused` (if given) answer 403. */
function twoSubscriptions(refused?: "first") {
  const sim = inProcessArm({ vms: 4, subscriptions: 2, storageAccounts: 1, seed: 3 }, { createArmContext });
  const [first = "", second = ""] = (sim.world as { subscriptions: Map<string, unknown> }).subscriptions.keys();
  const idIn = (sub: string) => `/subscriptions/${sub}/providers/Microsoft.Authorization/roleDefinitions/${READER}`;
  const reads: string[] = [];
  const httpClient: HttpClient = {
    async sendRequest(request) {
      if (/roleDefinitions/i.test(request.url)) reads.push(new URL(request.url).pathname);
      if (refused && request.url.includes(`/subscriptions/${first}/`) && /roleDefinitions/i.test(request.url)) {
        const error = { error: { code: "AuthorizationFailed", message: "The client does not have authorization." } };
        return {
          request,
          status: 403,
          headers: createHttpHeaders({ "content-type": "application/json" }),
          bodyAsText: JSON.stringify(error),
        };
      }
      return sim.httpClient.sendRequest(request);
    },
  };
  const credential = { getToken: async () => ({ token: "t", expiresOnTimestamp: Date.now() + 3_600_000 }) };
  const arm = createArmContext({ credential, cloud: "AzureCloud", armEndpoint: "https://arm.invalid", httpClient });
  return { arm, first: idIn(first), second: idIn(second), reads };
}

describe("role definitions in a run", () => {
  it("one read per role, whichever subscription's id names it", async () => {
    const { arm, first, second, reads } = twoSubscriptions();
    const shared = new RunCache();
    const [a, b] = await Promise.all([roleDefinition(arm, first, undefined, shared), roleDefinition(arm, second, undefined, shared)]);
    expect(a.name).toBe("Reader");
    expect(b).toBe(a);
    expect(reads).toHaveLength(1);
  });

  it("refused under one subscription: read again under the other's own id, which answers", async () => {
    const { arm, first, second, reads } = twoSubscriptions("first");
    const shared = new RunCache();
    const [a, b] = await Promise.allSettled([
      roleDefinition(arm, first, undefined, shared),
      roleDefinition(arm, second, undefined, shared),
    ]);
    expect(a.status).toBe("rejected");
    expect(b.status === "fulfilled" && b.value.name).toBe("Reader");
    expect(reads).toHaveLength(2);
    // Asked again under either id: answered from the run's cache, no new read.
    await expect(roleDefinition(arm, second, undefined, shared)).resolves.toMatchObject({ name: "Reader" });
    await expect(roleDefinition(arm, first, undefined, shared)).rejects.toThrow();
    expect(reads).toHaveLength(2);
  });
});
