/**
 * Request budgets of the audit on a generated fleet (the simulator's routes in-process): what it costs per VM is
 * a property of the code, asserted by counting, never by timing. Fleet: 1,000 VMs in 5 subscriptions, a fifth
 * of them uniform scale set instances, 1 % naming a boot diagnostics account that no longer exists.
 */
import { describe, expect, it } from "vitest";
import { createArmContext } from "../../src/azure/arm.js";
import { CHECKS } from "../../src/checks/index.js";
import { runAudit, type AuditOptions } from "../../src/fleet/audit.js";
import { storageIndex } from "../../src/fleet/storage.js";
import { RunCache } from "../../src/azure/run-cache.js";
import { inProcessArm } from "../azure-sim/in-process.mjs";
import { fakeArm } from "./fake-arm.js";

/** The simulator's caller (its managed identity's token `oid`), as `sc-doctor audit` reads it from the token. */
const CALLER_OBJECT_ID = "11111111-1111-1111-1111-111111111111";
const network = async () => ({ skipped: "--no-network", targets: [] });
const spec = { vms: 1000, subscriptions: 5, storageAccounts: 10, seed: 6, uniformShare: 0.2 };

async function audit(source: AuditOptions["source"], callerObjectId = CALLER_OBJECT_ID, fleet = spec, scope: Partial<AuditOptions> = {}) {
  const arm = inProcessArm(fleet, { createArmContext });
  let vms = 0;
  await runAudit(arm, {
    source,
    checks: CHECKS,
    timeoutMs: 60_000,
    concurrency: 16,
    callerObjectId,
    network,
    keepResults: false,
    onResult: () => void vms++,
    ...scope,
  });
  const bare = (path: string) => (path.split("?")[0] ?? "").toLowerCase();
  const asked = (test: (path: string) => boolean) => arm.calls.map((c) => bare(c.path)).filter(test);
  const count = (test: (path: string) => boolean) => asked(test).length;
  return { vms, total: arm.calls.length, count, asked, storage: storageQueries(arm.calls as GraphCall[]) };
}

type GraphCall = { body?: { query?: unknown } };

/** The id of the one subscription of a simulated world. */
const onlySubscription = (world: unknown) => [...(world as { subscriptions: Map<string, unknown> }).subscriptions.keys()][0] as string;

/** Resource Graph storage-account queries among `calls`, and how many of them name accounts. */
function storageQueries(calls: GraphCall[]) {
  const queries = calls.map((c) => String(c.body?.query ?? "")).filter((q) => /microsoft\.storage\/storageaccounts/i.test(q));
  return { all: queries.length, byName: queries.filter((q) => q.includes("name in~")).length };
}

describe.each(["graph", "arm"] as const)("request budget, --source %s", (source) => {
  it("storage accounts come from the shared index or lists: no GET per resource group or per missing account", async () => {
    const { vms, count } = await audit(source);
    expect(vms).toBeGreaterThan(1000);
    expect(count((p) => /\/storageaccounts\/[^/]+$/.test(p))).toBe(0);
  });

  it("each subscription's state comes from the subscription list the audit already read: no GET per subscription", async () => {
    const { vms, count } = await audit(source);
    expect(vms).toBeGreaterThan(1000);
    expect(count((p) => p === "/subscriptions")).toBe(1);
    expect(count((p) => /^\/subscriptions\/[^/]+$/.test(p))).toBe(0);
  });

  it("an audit of named subscriptions (--subscription), which lists none, reads each one's own subscription once", async () => {
    const arm = inProcessArm(spec, { createArmContext });
    const subscriptions = [...(arm.world as { subscriptions: Map<string, unknown> }).subscriptions.keys()];
    const { count } = await audit(source, CALLER_OBJECT_ID, spec, { subscriptions });
    expect(count((p) => /^\/subscriptions\/[^/]+$/.test(p))).toBe(subscriptions.length);
  });
});

describe("request budget: boot diagnostics accounts with --source graph", () => {
  it("one listing of the scope's accounts, not a query per page of VMs naming accounts not seen yet", async () => {
    // 3,000 VMs: four pages of VMs, each naming accounts that no longer exist (1 % of VMs, one account each).
    const { vms, storage } = await audit("graph", CALLER_OBJECT_ID, { ...spec, vms: 3000 });
    expect(vms).toBeGreaterThan(3000);
    expect(storage).toEqual({ all: 1, byName: 0 });
  });

  it("a filtered audit (here --resource-group) names its few accounts instead of listing the scope's", async () => {
    const { vms, storage } = await audit("graph", CALLER_OBJECT_ID, spec, { resourceGroups: ["rg-app-000"] });
    expect(vms).toBeGreaterThan(0);
    expect(storage.all).toBeGreaterThan(0);
    expect(storage.byName).toBe(storage.all);
  });

  it("beyond the listing's page budget, accounts it did not hold are asked for by name", async () => {
    const arm = inProcessArm({ vms: 20, subscriptions: 1, storageAccounts: 1500, seed: 6 }, { createArmContext });
    const index = storageIndex(arm, "graph", [onlySubscription(arm.world)], new RunCache(), { listedPages: 1 });
    index.request(["fleetdiag0007", "fleetdiag1400", "nosuchaccount"]);
    expect((await index.get("fleetdiag0007"))?.["name"]).toBe("fleetdiag0007"); // on the listing's one page
    expect((await index.get("fleetdiag1400"))?.["name"]).toBe("fleetdiag1400"); // on its second page: by name
    expect(await index.get("nosuchaccount")).toBeUndefined();
    expect(storageQueries(arm.calls as GraphCall[])).toEqual({ all: 2, byName: 1 });
  });

  it("a listing that fits its budget is the whole answer: a name it does not hold costs no query", async () => {
    const arm = inProcessArm({ vms: 20, subscriptions: 1, storageAccounts: 30, seed: 6 }, { createArmContext });
    const index = storageIndex(arm, "graph", [onlySubscription(arm.world)], new RunCache());
    index.request(["fleetdiag0007"]);
    index.request(["nosuchaccount"]);
    expect((await index.get("fleetdiag0007"))?.["name"]).toBe("fleetdiag0007");
    expect(await index.get("nosuchaccount")).toBeUndefined();
    expect(storageQueries(arm.calls as GraphCall[])).toEqual({ all: 1, byName: 0 });
  });
});

describe("request budget: the caller's permissions at resource groups", () => {
  it("derived from the subscription's answer and the group's own role assignments when those name the caller directly: a Permissions API call only at groups where that falls short", async () => {
    const { asked } = await audit("graph");
    const groups = asked((p) => /^\/subscriptions\/[^/]+\/resourcegroups\/[^/]+\/providers\/microsoft.authorization\/permissions$/.test(p));
    // The fleet's caller holds VM Contributor at every group but every 20th of the first subscription (from the
    // second) and the second subscription's diagnostics group: those are asked (a role Azure Lighthouse delegated
    // there would be in no list), once each; no other group is.
    expect(groups.length).toBe(new Set(groups).size);
    expect(groups.length).toBeGreaterThan(1);
    for (const path of groups) expect(path).toMatch(/\/resourcegroups\/(rg-app-\d*[02468]1|rg-diag)\//);
  });
});

describe("--source arm hands on several subscriptions at once", () => {
  it("every enumerating subscription waiting on a full queue is woken: the audit ends (it hung once every VM was out)", async () => {
    // Two subscriptions of more than the queue's high water (2,000) each, listed side by side, evaluated one VM at a time.
    const arm = inProcessArm({ vms: 4200, subscriptions: 2, storageAccounts: 4, seed: 6 }, { createArmContext });
    let vms = 0;
    const outcome = await runAudit(arm, {
      source: "arm",
      checks: CHECKS,
      timeoutMs: 60_000,
      concurrency: 1,
      network,
      keepResults: false,
      onResult: () => void vms++,
    });
    expect(outcome.enumerationComplete).toBe(true);
    expect(vms).toBe(4206);
  }, 120_000);
});

describe.each(["arm", "graph"] as const)("--resource-group with --source %s", (source) => {
  const audited = async (resourceGroups: string[]) => {
    const arm = inProcessArm({ ...spec, vms: 400, subscriptions: 2 }, { createArmContext });
    const ids: string[] = [];
    const outcome = await runAudit(arm, {
      source,
      checks: CHECKS,
      timeoutMs: 60_000,
      concurrency: 16,
      callerObjectId: CALLER_OBJECT_ID,
      network,
      keepResults: false,
      resourceGroups,
      onResult: (result) => void ids.push(result.vm.id.toLowerCase()),
    });
    return { ids, unevaluated: outcome.unevaluatedSubscriptions };
  };

  it("the same group named twice, in any case, audits each VM once", async () => {
    const once = await audited(["rg-app-000"]);
    const twice = await audited(["rg-app-000", "RG-APP-000"]);
    expect(once.ids.length).toBeGreaterThan(0);
    expect(twice.ids.sort()).toEqual(once.ids.sort());
  });

  it("a group that some subscription does not have is no VM there, not a subscription left unaudited", async () => {
    const once = await audited(["rg-app-000"]);
    const withMissing = await audited(["rg-app-000", "no-such-group"]);
    expect(withMissing.unevaluated).toEqual([]);
    expect(withMissing.ids.sort()).toEqual(once.ids.sort());
  });
});

describe("storage index: one name, two accounts", () => {
  it("is left to the single-VM lookup (which prefers the VM's own group and subscription), never the last one listed", async () => {
    const account = (sub: string) => ({
      id: `/subscriptions/${sub}/resourceGroups/rg-diag/providers/Microsoft.Storage/storageAccounts/scdiagstore`,
      name: "scdiagstore",
      type: "microsoft.storage/storageaccounts",
      properties: {},
    });
    const rows = [account("00000000-0000-0000-0000-000000000001"), account("00000000-0000-0000-0000-000000000002")];
    const arm = fakeArm(() => ({ totalRecords: rows.length, count: rows.length, data: rows, resultTruncated: "false", facets: [] }));
    const index = storageIndex(
      arm,
      "graph",
      ["00000000-0000-0000-0000-000000000001", "00000000-0000-0000-0000-000000000002"],
      new RunCache(),
    );
    index.request(["scdiagstore"]);
    expect(await index.get("scdiagstore")).toBeUndefined();
  });
});
