/**
 * Fleet support: generated worlds, Resource Graph with the exact queries src/fleet/graph.ts builds (imported, so
 * drift between the tool and the simulator fails here), paging, and the opt-in throttling.
 */
import { request } from "node:https";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { storageQuery, vmQuery } from "../../src/fleet/graph.js";
import { buildFleet, startSimulator, type Simulator } from "./index.mjs";

let sim: Simulator;
let token: string;

function call(method: string, path: string, body?: unknown): Promise<{ status: number; headers: Record<string, unknown>; json: any }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
    if (payload !== undefined)
      Object.assign(headers, { "content-type": "application/json", "content-length": String(Buffer.byteLength(payload)) });
    // A fresh connection per request: reusing a kept-alive socket the server is closing after its idle timeout
    // surfaces as "socket hang up" on a slow machine.
    const req = request(/^https:/.test(path) ? path : `${sim.origin}${path}`, { method, ca: sim.ca, headers, agent: false }, (res) => {
      let text = "";
      res.on("data", (c) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, json: text ? JSON.parse(text) : undefined }));
    });
    req.on("error", reject);
    req.end(payload);
  });
}
const GRAPH = "/providers/Microsoft.ResourceGraph/resources?api-version=2022-10-01";
const graph = (query: string, options: Record<string, unknown> = {}, subscriptions?: string[]) =>
  call("POST", GRAPH, { subscriptions, query, options: { resultFormat: "objectArray", ...options } });

beforeAll(async () => {
  sim = await startSimulator({ fleet: { vms: 500, subscriptions: 5, storageAccounts: 24, seed: 7 } });
  token = await new Promise<string>((resolve, reject) => {
    const req = request(
      `${sim.origin}/msi/token?api-version=2019-08-01&resource=x`,
      { ca: sim.ca, headers: { "x-identity-header": sim.env.IDENTITY_HEADER } },
      (res) => {
        let text = "";
        res.on("data", (c) => (text += c));
        res.on("end", () => resolve(JSON.parse(text).access_token));
      },
    );
    req.on("error", reject);
    req.end();
  });
});
afterAll(async () => {
  await sim?.close();
});

describe("generated fleets", () => {
  // How fast they build is measured in bench/, not asserted here.
  it("are deterministic and contain every kind of failure", () => {
    const a = buildFleet({ vms: 10_000, subscriptions: 5, storageAccounts: 50, seed: 1 });
    const b = buildFleet({ vms: 10_000, subscriptions: 5, storageAccounts: 50, seed: 1 });
    expect(a.vms.filter((vm) => vm.model.type === "Microsoft.Compute/virtualMachines")).toHaveLength(10_000);
    expect(JSON.stringify(a.vms.slice(0, 200))).toBe(JSON.stringify(b.vms.slice(0, 200)));
    const codes = new Set(
      a.vms.flatMap((vm) => vm.instanceView.statuses.map((s: { code: string }) => s.code.split("/").slice(0, 2).join("/"))),
    );
    for (const code of [
      "PowerState/running",
      "PowerState/deallocated",
      "PowerState/stopped",
      "PowerState/starting",
      "ProvisioningState/failed",
      "ProvisioningState/updating",
    ])
      expect(codes, code).toContain(code);
    const boot = a.vms.map((vm) => vm.model.properties.diagnosticsProfile.bootDiagnostics);
    expect(boot.some((d) => d.enabled === false)).toBe(true);
    expect(boot.some((d) => d.enabled && d.storageUri === undefined)).toBe(true);
    expect(boot.some((d) => d.storageUri?.startsWith("http:"))).toBe(true);
    expect(a.subscriptions.some((s) => s.state === "Warned")).toBe(true);
    expect(Object.values(a.consoleServices).some((c) => c.disabled === true)).toBe(true);
    const props = a.storageAccounts.map((s) => s.properties);
    expect(
      props.some((p) => p.isHnsEnabled) &&
        props.some((p) => p.allowSharedKeyAccess === false) &&
        props.some((p) => p.networkAcls.defaultAction === "Deny"),
    ).toBe(true);
  });
});

describe("Resource Graph", () => {
  it("answers the audit's VM query in pages of $top, with ARG's row and response shapes", async () => {
    const query = vmQuery({});
    const ids: string[] = [];
    let skipToken: string | undefined;
    let pages = 0;
    do {
      const reply = await graph(query, { $top: 200, ...(skipToken ? { $skipToken: skipToken } : {}) });
      expect(reply.status).toBe(200);
      expect(reply.json).toMatchObject({ totalRecords: 500, resultTruncated: "false" });
      expect(reply.json.count).toBe(reply.json.data.length);
      expect(reply.headers["x-ms-user-quota-remaining"]).toMatch(/^\d+$/);
      expect(reply.headers["x-ms-user-quota-resets-after"]).toMatch(/^\d\d:\d\d:\d\d$/);
      ids.push(...reply.json.data.map((row: { id: string }) => row.id));
      skipToken = reply.json.$skipToken;
      pages++;
    } while (skipToken);
    expect(pages).toBe(3);
    expect(new Set(ids).size).toBe(500);
    expect([...ids].sort((x, y) => (x.toLowerCase() < y.toLowerCase() ? -1 : 1))).toEqual(ids);
    const first = (await graph(query, { $top: 1 })).json.data[0];
    expect(Object.keys(first)).toEqual(["id", "name", "type", "location", "resourceGroup", "subscriptionId", "tags", "sku", "properties"]);
    expect(first.type).toBe("microsoft.compute/virtualmachines");
    expect(first.properties.extended.instanceView.powerState.code).toMatch(/^PowerState\//);
    expect(first.properties.diagnosticsProfile).toBeDefined();
  });

  it("filters by subscription, resource group and tags, and finds storage accounts by name", async () => {
    const sub = "00000000-0000-0000-0000-000000000001";
    const byGroup = await graph(
      vmQuery({ resourceGroups: ["RG-APP-000"], tags: [{ key: "ENV", value: "prod" }, { key: "app" }] }),
      { $top: 1000 },
      [sub],
    );
    expect(byGroup.json.totalRecords).toBeGreaterThan(0);
    for (const row of byGroup.json.data) {
      expect(row).toMatchObject({ resourceGroup: "rg-app-000", subscriptionId: sub, tags: { env: "prod" } });
    }
    const storage = await graph(storageQuery(["fleetdiag0003", "FLEETDIAG0005", "nope"]), { $top: 1000 });
    expect(storage.json.data.map((row: { name: string }) => row.name).sort()).toEqual(["fleetdiag0003", "fleetdiag0005"]);
    expect(storage.json.data[0].type).toBe("microsoft.storage/storageaccounts");
  });

  it("understands simple --where comparisons", async () => {
    const reply = await graph(vmQuery({ where: "properties.storageProfile.osDisk.osType =~ 'windows' and location =~ 'westeurope'" }), {
      $top: 1000,
    });
    expect(reply.json.totalRecords).toBeGreaterThan(0);
    for (const row of reply.json.data)
      expect([row.properties.storageProfile.osDisk.osType, row.location]).toEqual(["Windows", "westeurope"]);
  });

  it.each([
    ["a query shape sc-doctor does not send", "Resources | summarize count() by type"],
    ["an unknown operator", "Resources\n| where type =~ 'microsoft.compute/virtualmachines'\n| extend x = 1"],
    ["a where clause it cannot evaluate", vmQuery({ where: "toint(properties.x) > 3" })],
  ])("refuses %s with 400 BadRequest", async (_, query) => {
    const reply = await graph(query);
    expect(reply.status).toBe(400);
    expect(reply.json.error.code).toBe("BadRequest");
  });

  it("refuses $top over 1000 and a $skipToken from another query", async () => {
    expect((await graph(vmQuery({}), { $top: 1001 })).status).toBe(400);
    const token = (await graph(vmQuery({}), { $top: 10 })).json.$skipToken;
    expect((await graph(storageQuery([]), { $top: 10, $skipToken: token })).status).toBe(400);
  });

  it("is a read: POSTs to Resource Graph are not recorded as writes", () => {
    expect(sim.writes).toHaveLength(0);
    expect(sim.stats().byKind["resource-graph"]).toBeGreaterThan(0);
  });
});

describe("ARM list APIs over a fleet (--source arm)", () => {
  it("lists a subscription's VMs with statusOnly=true: instance views included, the model left out, paged by 100", async () => {
    let next: string | undefined =
      "/subscriptions/00000000-0000-0000-0000-000000000001/providers/Microsoft.Compute/virtualMachines?api-version=2024-07-01&statusOnly=true";
    const names: string[] = [];
    while (next) {
      const page: { json: { value: { name: string; properties: { instanceView: { statuses: unknown[] } } }[]; nextLink?: string } } =
        await call("GET", next);
      expect(page.json.value.length).toBeLessThanOrEqual(100);
      for (const vm of page.json.value) {
        expect(vm.properties.instanceView.statuses.length).toBeGreaterThan(0);
        // statusOnly rows carry run-time status, not the model (https://github.com/Azure/azure-sdk-for-go/issues/18565).
        expect(Object.keys(vm.properties)).toEqual(["instanceView"]);
        names.push(vm.name);
      }
      next = page.json.nextLink;
    }
    expect(names.length).toBeGreaterThan(100);
    expect(new Set(names).size).toBe(names.length);
  });

  it("faultRate answers that share of requests with a transient 500/503", async () => {
    sim.setFleet({ vms: 50, subscriptions: 2, storageAccounts: 4, seed: 3, faultRate: 0.5 });
    try {
      const statuses = [];
      for (let i = 0; i < 40; i++)
        statuses.push((await call("GET", "/subscriptions/00000000-0000-0000-0000-000000000001?api-version=2022-12-01")).status);
      const transient = statuses.filter((s) => s === 500 || s === 503).length;
      expect(transient).toBeGreaterThan(8);
      expect(transient).toBeLessThan(32);
    } finally {
      sim.setFleet({ vms: 500, subscriptions: 5, storageAccounts: 24, seed: 7 });
    }
  });
});

describe("throttling (opt-in)", () => {
  it("Resource Graph: 15 queries per 5-second window, then 429 RateLimiting with Retry-After", async () => {
    sim.setThrottle(true);
    try {
      const replies = [];
      for (let i = 0; i < 16; i++) replies.push(await graph(storageQuery(["fleetdiag0001"])));
      expect(replies.slice(0, 15).every((r) => r.status === 200)).toBe(true);
      expect(replies[14]?.headers["x-ms-user-quota-remaining"]).toBe("0");
      expect(replies[15]?.status).toBe(429);
      expect(replies[15]?.json.error.code).toBe("RateLimiting");
      expect(Number(replies[15]?.headers["retry-after"])).toBeGreaterThanOrEqual(1);
    } finally {
      sim.setThrottle(false);
    }
  });

  it("ARM reads: a 250-request burst per subscription, then 429 TooManyRequests", async () => {
    sim.setThrottle(true);
    try {
      const path = "/subscriptions/00000000-0000-0000-0000-000000000001?api-version=2022-12-01";
      const statuses: number[] = [];
      // The bucket refills at 25/s, so on a slow machine the burst runs out later: send until it does (bounded).
      // Batches of 125: only a machine that needs 5 s per batch (a loaded one: each call is a TLS handshake) would
      // keep up with the refill.
      for (let batch = 0; batch < 16 && !statuses.includes(429); batch++)
        statuses.push(...(await Promise.all(Array.from({ length: 125 }, () => call("GET", path)))).map((r) => r.status));
      expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
      // The first two batches are the burst itself: 250 requests against a full bucket.
      expect(statuses.slice(0, 250).every((s) => s === 200)).toBe(true);
      const other = await call("GET", "/subscriptions/00000000-0000-0000-0000-000000000002?api-version=2022-12-01");
      expect(other.status).toBe(200);
      expect(Number(other.headers["x-ms-ratelimit-remaining-subscription-reads"])).toBeGreaterThan(200);
    } finally {
      sim.setThrottle(false);
    }
    expect(sim.stats().throttled).toBeGreaterThan(0);
  }, 120_000);
});
