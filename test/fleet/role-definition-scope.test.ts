/**
 * A VM's result must not depend on which other subscriptions the run holds: an audit of the whole fleet, of its
 * subscription alone (`--subscription`, a shard) and `sc-doctor --vm` read its role definitions under its own scope.
 * Here the second subscription refuses role definition reads; the first answers the same roles.
 */
import { createHttpHeaders, type HttpClient } from "@azure/core-rest-pipeline";
import { describe, expect, it } from "vitest";
import { createArmContext } from "../../src/azure/arm.js";
import { CHECKS } from "../../src/checks/index.js";
import { runAudit } from "../../src/fleet/audit.js";
import { inProcessArm } from "../azure-sim/in-process.mjs";

const PRINCIPAL = "11111111-1111-1111-1111-111111111111";
const network = async () => ({ skipped: "--no-network", targets: [] });

function refusingSecondSubscription() {
  const sim = inProcessArm({ vms: 40, subscriptions: 2, storageAccounts: 2, seed: 3 }, { createArmContext });
  const [, refused = ""] = [...(sim.world as { subscriptions: Map<string, unknown> }).subscriptions.keys()].sort();
  const httpClient: HttpClient = {
    async sendRequest(request) {
      if (!request.url.toLowerCase().includes(`/subscriptions/${refused}/providers/microsoft.authorization/roledefinitions/`))
        return sim.httpClient.sendRequest(request);
      const body = { error: { code: "AuthorizationFailed", message: "The client does not have authorization." } };
      return { request, status: 403, headers: createHttpHeaders({ "content-type": "application/json" }), bodyAsText: JSON.stringify(body) };
    },
  };
  const credential = { getToken: async () => ({ token: "t", expiresOnTimestamp: Date.now() + 3_600_000 }) };
  return { arm: createArmContext({ credential, cloud: "AzureCloud", armEndpoint: "https://arm.invalid", httpClient }), refused };
}

/** `rbac-vm` of the refused subscription's VMs, by VM id, from an audit of `subscriptions` (all when undefined). */
async function rbacVm(subscriptions?: (refused: string) => string[]) {
  const { arm, refused } = refusingSecondSubscription();
  const found = new Map<string, string>();
  await runAudit(arm, {
    source: "graph",
    checks: CHECKS,
    timeoutMs: 60_000,
    concurrency: 4,
    principal: PRINCIPAL,
    network,
    keepResults: false,
    ...(subscriptions ? { subscriptions: subscriptions(refused) } : {}),
    onResult: (result) => {
      if (result.vm.subscriptionId.toLowerCase() !== refused) return;
      const check = result.checks.find((c) => c.id === "rbac-vm");
      found.set(result.vm.id, `${check?.status}: ${check?.reason}`);
    },
  });
  return found;
}

describe("role definitions are read under each VM's own scope", () => {
  it("a subscription that refuses them gives the same rbac-vm results alone as in the whole fleet", async () => {
    const whole = await rbacVm();
    const alone = await rbacVm((refused) => [refused]);
    expect(whole.size).toBeGreaterThan(0);
    expect([...whole.values()].every((line) => line.startsWith("error"))).toBe(true);
    expect([...whole.entries()].sort()).toEqual([...alone.entries()].sort());
  });
});
