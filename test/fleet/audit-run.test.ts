/** runAudit's accounting: interruption, throttled and unreadable VMs, streaming order, sorting, scope. */
import { RunCache } from "../../src/azure/run-cache.js";
import { describe, expect, it } from "vitest";
import { AzureCallError } from "../../src/azure/arm.js";
import { CHECKS } from "../../src/checks/index.js";
import { runAudit, type AuditOptions } from "../../src/fleet/audit.js";
import { BULK_THRESHOLD, LOOKAHEAD, instanceViewSource } from "../../src/fleet/instance-views.js";
import { graphSubscriptionOrder, toFleetVm } from "../../src/fleet/sources.js";
import type { VmResult } from "../../src/types.js";
import { fakeArm, type FakeCall } from "./fake-arm.js";
import { S1, S2, S3, allVmIds, fleetArm, fleetModel } from "./fake-fleet.js";

const network = async () => ({ skipped: "--no-network", targets: [] });
const base: AuditOptions = { source: "graph", checks: CHECKS, timeoutMs: 5000, concurrency: 4, network, keepResults: true };

describe("runAudit", () => {
  it("streams each VM as it finishes, and returns them sorted by id", async () => {
    const streamed: string[] = [];
    const outcome = await runAudit(fleetArm(), { ...base, onResult: (r) => void streamed.push(r.vm.id) });
    expect(streamed.sort()).toEqual([...allVmIds()].sort());
    const ids = outcome.results.map((r) => r.vm.id.toLowerCase());
    expect(ids).toEqual([...ids].sort());
  });

  it("scopes: --subscription and --resource-group reach the query", async () => {
    const arm = fleetArm();
    const outcome = await runAudit(arm, { ...base, subscriptions: [S1], resourceGroups: ["rg-reader"] });
    expect(outcome.results.map((r) => r.vm.name)).toEqual(["own-assignment", "reader-only"]);
    expect(arm.calls.some((c) => c.path.startsWith("/subscriptions?"))).toBe(false);
  });

  it("a VM whose instance view is throttled past retries ends as error with the reason, never dropped", async () => {
    const inner = fleetArm();
    const arm = fakeArm((call: FakeCall) => {
      if (/\/virtualMachines\/healthy\/instanceView/.test(call.path))
        throw new AzureCallError("the VM instance view", "Too many requests", 429, "TooManyRequests");
      return inner.getJson("", call.path).catch((e: unknown) => Promise.reject(e)) as unknown;
    });
    arm.postJson = inner.postJson;
    const outcome = await runAudit(arm, base);
    const healthy = outcome.results.find((r) => r.vm.name === "healthy");
    expect(healthy?.verdict).toBe("unknown");
    const power = healthy?.checks.find((c) => c.id === "power-state");
    expect(power).toMatchObject({
      status: "error",
      reason: "could not read the VM instance view: 429 TooManyRequests — Too many requests",
    });
    expect(outcome.results).toHaveLength(allVmIds().length);
  });

  it("a row whose id is not a VM id is accounted for: every check error, with the reason", async () => {
    const inner = fleetArm();
    const arm = fakeArm((call) => inner.getJson("", call.path));
    arm.postJson = async (op, path, body) => {
      const answer = (await inner.postJson(op, path, body)) as { data: Record<string, unknown>[] };
      if (JSON.stringify(body).includes("virtualmachines")) answer.data.push({ id: "/subscriptions/x/bogus" });
      return answer;
    };
    const outcome = await runAudit(arm, base);
    // Tagged with a digest of its row, so that two such rows are two results with ids of their own.
    const bogus = outcome.results.find((r) => /^\/subscriptions\/x\/bogus \(row [0-9a-f]{8}\)$/.test(r.vm.id));
    expect(bogus?.verdict).toBe("unknown");
    expect(bogus?.checks.every((c) => c.status === "error" && /could not be read/.test(c.reason))).toBe(true);
  });

  it("interrupted: what finished is kept, the rest is listed as not evaluated — none lost, none twice", async () => {
    const controller = new AbortController();
    const inner = fleetArm();
    let served = 0;
    const arm = fakeArm(async (call) => {
      // POSTs (retrieveBootDiagnosticsData through the compute client) are not counted: the abort lands among the GETs.
      if (call.method === "POST") return inner.postJson("", call.path, call.body);
      // Every per-VM read is slow, so the abort lands mid-audit.
      if (/instanceView/.test(call.path)) await new Promise((resolve) => setTimeout(resolve, 20));
      if (++served === 12) controller.abort();
      return inner.getJson("", call.path);
    });
    arm.postJson = inner.postJson;
    const streamed: VmResult[] = [];
    const outcome = await runAudit(arm, { ...base, concurrency: 2, signal: controller.signal, onResult: (r) => void streamed.push(r) });
    expect(outcome.notEvaluated.length).toBeGreaterThan(0);
    expect(outcome.results.length).toBeGreaterThan(0);
    expect(streamed.map((r) => r.vm.id).sort()).toEqual(outcome.results.map((r) => r.vm.id).sort());
    expect([...outcome.results.map((r) => r.vm.id), ...outcome.notEvaluated].sort()).toEqual([...allVmIds()].sort());
  });

  it(`more than ${BULK_THRESHOLD} VMs of a subscription: one paged statusOnly list instead of a GET each`, async () => {
    const fleet = fleetModel();
    for (let i = 0; i < BULK_THRESHOLD + 5; i++) fleet.vms.push({ sub: S1, rg: "rg-ok", name: `extra${i}`, boot: { enabled: true } });
    const arm = fleetArm(fleet);
    const outcome = await runAudit(arm, base);
    expect(outcome.results).toHaveLength(fleet.vms.length);
    const statusOnly = (sub: string) => arm.calls.filter((c) => c.path.includes(sub) && /statusOnly=true/.test(c.path));
    expect(statusOnly(S1)).toHaveLength(1);
    expect(arm.calls.filter((c) => new RegExp(`${S1}/.*/instanceView`).test(c.path))).toHaveLength(0);
    // The next subscriptions in Resource Graph's order are read ahead (LOOKAHEAD): one list each, no GET per VM there.
    expect([S2, S3].map((sub) => statusOnly(sub).length)).toEqual([1, 1]);
    expect(arm.calls.filter((c) => /\/instanceView/.test(c.path))).toHaveLength(0);
  });
});

describe(`instance views read ahead: the next ${LOOKAHEAD} subscriptions' statusOnly lists`, () => {
  const subs = ["a", "b", "c", "d", "e", "f"].map((c) => `0000000${c}-0000-0000-0000-000000000000`);
  const vmOf = (sub: string, i: number) =>
    toFleetVm({ id: `/subscriptions/${sub}/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm${i}` });
  const statusOnlyListed = (calls: readonly FakeCall[]) =>
    subs.filter((sub) => calls.some((c) => c.path.includes(sub) && /statusOnly=true/.test(c.path)));
  /** The subscriptions whose statusOnly list was asked for, once requests stop coming (the pipeline is async). */
  const settled = async (calls: readonly FakeCall[]) => {
    let seen = -1;
    while (seen !== calls.length) {
      seen = calls.length;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return statusOnlyListed(calls);
  };

  it("a subscription's list starts the next ones' in enumeration order, before any of their VMs is enumerated", async () => {
    const arm = fakeArm(() => ({ value: [] }));
    const source = instanceViewSource(arm, { resourceGroupScoped: false, order: subs });
    for (let i = 0; i <= BULK_THRESHOLD; i++) source.note(vmOf(subs[0] as string, i));
    expect(await settled(arm.calls)).toEqual(subs.slice(0, 1 + LOOKAHEAD));
  });

  it("the chain goes on: every subscription's list was asked for before its own first VM was enumerated", async () => {
    const arm = fakeArm(() => ({ value: [] }));
    const source = instanceViewSource(arm, { resourceGroupScoped: false, order: subs });
    const early: string[] = [];
    for (const sub of subs) {
      if ((await settled(arm.calls)).includes(sub)) early.push(sub);
      // Sizes around the threshold: small subscriptions must not break the chain.
      const size = sub === subs[2] ? 3 : BULK_THRESHOLD + 1;
      for (let i = 0; i < size; i++) source.note(vmOf(sub, i));
    }
    expect(early).toEqual(subs.slice(1));
  });

  it("without an order (a --where, tag or resource group filter, or --shard): only the subscription's own list", async () => {
    const arm = fakeArm(() => ({ value: [] }));
    const source = instanceViewSource(arm, { resourceGroupScoped: false });
    for (let i = 0; i <= BULK_THRESHOLD; i++) source.note(vmOf(subs[0] as string, i));
    expect(await settled(arm.calls)).toEqual(subs.slice(0, 1));
  });

  it("Resource Graph's order: batch after batch, by subscription id within each", () => {
    const many = Array.from({ length: 301 }, (_, i) => `s${String(1000 - i).padStart(4, "0")}`);
    const order = graphSubscriptionOrder(many);
    expect(order.slice(0, 2)).toEqual(["s0701", "s0702"]);
    expect(order.at(-1)).toBe("s0700"); // the 301st, alone in the second batch
  });
});

describe("--tag with the ARM source (filtered client-side, as Resource Graph filters server-side)", () => {
  it("key case-insensitive, value compared with =~, key alone means non-empty", async () => {
    const { matchesTags } = await import("../../src/fleet/sources.js");
    const row = {
      id: "/subscriptions/s/resourceGroups/RG1/providers/Microsoft.Compute/virtualMachines/v",
      tags: { Env: "Prod", empty: "" },
    };
    expect(matchesTags(row, [{ key: "env", value: "prod" }])).toBe(true);
    expect(matchesTags(row, [{ key: "env", value: "dev" }])).toBe(false);
    expect(matchesTags(row, [{ key: "ENV" }])).toBe(true);
    expect(matchesTags(row, [{ key: "empty" }])).toBe(false);
  });
});

describe("interleaveByGroup", () => {
  it("round-robin over resource groups, every VM once", async () => {
    const { interleaveByGroup } = await import("../../src/fleet/audit.js");
    const { parseVmResourceId } = await import("../../src/azure/resource-id.js");
    const vm = (rg: string, name: string) => {
      const ref = parseVmResourceId(`/subscriptions/${S1}/resourceGroups/${rg}/providers/Microsoft.Compute/virtualMachines/${name}`);
      return { id: ref.id, ref, text: "{}", hasInstanceView: false };
    };
    const order = interleaveByGroup([vm("a", "1"), vm("a", "2"), vm("a", "3"), vm("B", "1"), vm("b", "2"), vm("c", "1")]).map(
      (v) => `${v.ref?.resourceGroup}/${v.ref?.name}`,
    );
    expect(order).toEqual(["a/1", "B/1", "c/1", "a/2", "b/2", "a/3"]);
  });
});

describe("memory without a forced GC: nothing audit-wide is kept per VM", () => {
  it.each([undefined, "99999999-9999-9999-9999-999999999999"])(
    "principal %s: shared reads are per subscription, group, scale set or account, never per VM",
    async (principal) => {
      const shared = new RunCache();
      const outcome = await runAudit(fleetArm(), { ...base, principal, shared, keepResults: true });
      expect(outcome.results).toHaveLength(allVmIds().length);
      expect(shared.keys().length).toBeGreaterThan(0); // the cache is used…
      const perVm = shared.keys().filter((key) => allVmIds().some((id) => key.toLowerCase().includes(id.toLowerCase())));
      expect(perVm).toEqual([]); // …but holds nothing keyed by a VM (the `perm:<vm id>` / `pperm:<vm id>` entries of before)
    },
  );

  it("the summary keeps per-VM verdicts only for --baseline drift", async () => {
    const { SummaryBuilder } = await import("../../src/fleet/summary.js");
    const outcome = await runAudit(fleetArm(), base);
    const plain = new SummaryBuilder();
    const drifting = new SummaryBuilder({ trackVerdicts: true });
    for (const result of outcome.results) {
      plain.add(result);
      drifting.add(result);
    }
    expect(plain.verdicts.size).toBe(0);
    expect(drifting.verdicts.size).toBe(outcome.results.length);
  });
});
