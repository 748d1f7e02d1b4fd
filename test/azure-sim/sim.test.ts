/**
 * The simulator itself, over real HTTPS: token auth, routing as ARM does it (case-insensitive, api-version
 * required, ARM error codes), paging, every fault kind, read-only enforcement, latency and the scenarios.
 */
import { request } from "node:https";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FAULT_KINDS, SCENARIOS, startSimulator, type Simulator } from "./index.mjs";

const SUB = "00000000-0000-0000-0000-000000000001";
const RG1 = `/subscriptions/${SUB}/resourceGroups/rg1`;
const VM = `${RG1}/providers/Microsoft.Compute/virtualMachines/vm1`;
const CV = "api-version=2024-07-01";

let sim: Simulator;
let token: string;

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: any;
}

function call(
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: unknown; timeoutMs?: number } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const url = /^https:/.test(path) ? path : `${sim.origin}${path}`;
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
    const length: Record<string, string> =
      payload === undefined ? {} : { "content-type": "application/json", "content-length": String(Buffer.byteLength(payload)) };
    const req = request(
      url,
      { method, ca: sim.ca, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...length, ...options.headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("error", reject);
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    req.on("error", reject);
    if (options.timeoutMs) req.setTimeout(options.timeoutMs, () => req.destroy(new Error("timeout")));
    req.end(payload);
  });
}
const get = (path: string, headers?: Record<string, string>) => call("GET", path, { headers });

async function getToken(header = sim.env.IDENTITY_HEADER) {
  return call("GET", `/msi/token?api-version=2019-08-01&resource=${encodeURIComponent("https://management.azure.com")}`, {
    headers: { "x-identity-header": header },
  });
}

beforeAll(async () => {
  sim = await startSimulator({ scenario: "healthy" });
  token = "";
  token = (await getToken()).json.access_token;
});
afterAll(async () => {
  await sim?.close();
});
beforeEach(() => {
  sim.setScenario("healthy");
  sim.setFaults([]);
  sim.setLatency(0);
  sim.resetLog();
});

describe("managed identity and ARM authentication", () => {
  it("issues a token for the right X-IDENTITY-HEADER, with expires_on in epoch seconds as a string", async () => {
    const reply = await getToken();
    expect(reply.status).toBe(200);
    expect(reply.json).toMatchObject({ token_type: "Bearer", resource: "https://management.azure.com" });
    expect(reply.json.expires_on).toMatch(/^\d{10}$/);
    const claims = JSON.parse(Buffer.from(reply.json.access_token.split(".")[1], "base64url").toString());
    expect(claims.oid).toBe("11111111-1111-1111-1111-111111111111");
  });

  it("refuses a wrong identity header", async () => {
    const reply = await getToken("nope");
    expect(reply.status).toBe(401);
    expect(reply.json.error).toBe("invalid_request");
  });

  it("ARM refuses requests without a token, and tokens it did not issue", async () => {
    expect((await call("GET", `${VM}?${CV}`, { headers: { authorization: "" } })).json.error.code).toBe("AuthenticationFailed");
    const forged = await get(`${VM}?${CV}`, { authorization: "Bearer eyJhbGciOiJub25lIn0.e30.x" });
    expect(forged.status).toBe(401);
    expect(forged.json.error.code).toBe("InvalidAuthenticationToken");
  });

  it("token requests are not ARM requests: not in the log, counted in stats", async () => {
    await getToken();
    expect(sim.requests).toHaveLength(0);
    expect(sim.stats().tokens).toBe(1);
  });
});

describe("routing", () => {
  it("ignores the case of every segment and answers with canonical ids", async () => {
    const reply = await get(`${VM.toUpperCase().replace(SUB.toUpperCase(), SUB)}?${CV}`);
    expect(reply.status).toBe(200);
    expect(reply.json.id).toBe(VM);
  });

  it("puts the instance view under properties with $expand, and at the top level on /instanceView", async () => {
    const expanded = await get(`${VM}?${CV}&$expand=instanceView`);
    expect(expanded.json.properties.instanceView.statuses.map((s: { code: string }) => s.code)).toEqual([
      "ProvisioningState/succeeded",
      "PowerState/running",
    ]);
    const plain = await get(`${VM}?${CV}`);
    expect(plain.json.properties.instanceView).toBeUndefined();
    const view = await get(`${VM}/instanceView?${CV}`);
    expect(view.json.statuses).toHaveLength(2);
    expect(view.json.properties).toBeUndefined();
  });

  it("requires api-version", async () => {
    const reply = await get(VM);
    expect(reply.status).toBe(400);
    expect(reply.json.error.code).toBe("MissingApiVersionParameter");
  });

  it("refuses api-versions the provider does not have, as ARM does", async () => {
    const storage = await get(`${RG1}/providers/Microsoft.Storage/storageAccounts/scdiagstore?api-version=2024-07-01`);
    expect(storage.status).toBe(400);
    expect(storage.json.error.code).toBe("NoRegisteredProviderFound");
    expect((await get(`/subscriptions/${SUB}?api-version=2099-01-01`)).json.error.code).toBe("InvalidApiVersionParameter");
    expect((await get(`${RG1}/providers/Microsoft.Storage/storageAccounts/scdiagstore?api-version=2023-05-01`)).status).toBe(200);
  });

  it("answers misses with the ARM code for what is missing", async () => {
    expect((await get(`/subscriptions/00000000-0000-0000-0000-00000000dead/resourceGroups/rg1?${CV}`)).json.error.code).toBe(
      "SubscriptionNotFound",
    );
    expect(
      (await get(`/subscriptions/${SUB}/resourceGroups/nope/providers/Microsoft.Compute/virtualMachines/vm1?${CV}`)).json.error.code,
    ).toBe("ResourceGroupNotFound");
    const missing = await get(`${RG1}/providers/Microsoft.Compute/virtualMachines/nope?${CV}`);
    expect(missing.status).toBe(404);
    expect(missing.json.error).toMatchObject({
      code: "ResourceNotFound",
      message: expect.stringContaining("Microsoft.Compute/virtualMachines/nope"),
    });
  });

  it("sends ARM's headers on every response", async () => {
    const reply = await get(`/subscriptions/${SUB}?api-version=2022-12-01`);
    expect(reply.json.state).toBe("Enabled");
    for (const header of ["x-ms-correlation-request-id", "x-ms-request-id"]) expect(reply.headers[header]).toMatch(/^[0-9a-f-]{36}$/);
    expect(reply.headers["x-ms-ratelimit-remaining-subscription-reads"]).toMatch(/^\d+$/);
    expect(sim.requests[0]).toMatchObject({
      method: "GET",
      path: `/subscriptions/${SUB}`,
      status: 200,
      correlationId: reply.headers["x-ms-correlation-request-id"],
    });
  });

  it("pages the storage account list with absolute nextLinks to the same origin", async () => {
    const first = await get(`/subscriptions/${SUB}/providers/Microsoft.Storage/storageAccounts?api-version=2023-05-01`);
    expect(first.json.value).toHaveLength(100);
    expect(first.json.nextLink.startsWith(`${sim.origin}/`)).toBe(true);
    const second = await get(first.json.nextLink);
    expect(second.json.nextLink).toBeUndefined();
    expect(second.json.value.map((a: { name: string }) => a.name)).toContain("scdiagstore");
  });

  it("serial console service: disabled flag, and its 404 without the error wrapper", async () => {
    const path = `/subscriptions/${SUB}/providers/Microsoft.SerialConsole/consoleServices/default?api-version=2024-07-01`;
    expect((await get(path)).json.properties).toEqual({ disabled: false });
    sim.setScenario("console-404");
    const reply = await get(path);
    expect(reply.status).toBe(404);
    expect(reply.json).toEqual({ code: "SubscriptionNotFound", message: expect.any(String) });
  });

  it("permissions follow role assignments: VM Contributor by default, */read for rbac-reader", async () => {
    const path = `${VM}/providers/Microsoft.Authorization/permissions?api-version=2022-04-01`;
    expect((await get(path)).json.value[0].actions).toContain("Microsoft.SerialConsole/serialPorts/connect/action");
    sim.setScenario("rbac-reader");
    expect((await get(path)).json.value).toEqual([{ actions: ["*/read"], notActions: [], dataActions: [], notDataActions: [] }]);
  });

  it("role assignments: assignedTo() expands groups, principalId eq does not, other filters are refused", async () => {
    sim.setScenario("principal-group");
    const base = `${VM}/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01&$filter=`;
    const viaGroup = await get(base + encodeURIComponent("assignedTo('33333333-3333-3333-3333-333333333333')"));
    expect(viaGroup.json.value).toHaveLength(1);
    expect(viaGroup.json.value[0].properties).toMatchObject({ principalType: "Group", scope: RG1 });
    const direct = await get(base + encodeURIComponent("principalId eq '33333333-3333-3333-3333-333333333333'"));
    expect(direct.json.value).toEqual([]);
    const bad = await get(base + encodeURIComponent("roleName eq 'Owner'"));
    expect(bad.status).toBe(400);
    const definition = await get(`${viaGroup.json.value[0].properties.roleDefinitionId}?api-version=2022-04-01`);
    expect(definition.json.properties.roleName).toBe("Virtual Machine Contributor");
    expect(
      (await get(`/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7?api-version=2022-04-01`)).json
        .properties.permissions[0].actions,
    ).toEqual(["*/read"]);
  });

  it("scale set instances (uniform) and flexible members", async () => {
    sim.setScenario("vmss-outdated-model");
    const instance = await get(
      `${RG1}/providers/Microsoft.Compute/virtualMachineScaleSets/ss1/virtualMachines/0?${CV}&$expand=instanceView`,
    );
    expect(instance.json).toMatchObject({ name: "ss1_0", instanceId: "0", properties: { latestModelApplied: false } });
    sim.setScenario("vmss-flex");
    const flex = await get(`${RG1}/providers/Microsoft.Compute/virtualMachines/ss1_abc123?${CV}`);
    expect(flex.json.properties.virtualMachineScaleSet.id).toMatch(/virtualMachineScaleSets\/ss1$/);
  });
});

describe("read-only enforcement", () => {
  it.each(["PUT", "PATCH", "DELETE", "POST"])("%s is rejected with 405 and recorded", async (method) => {
    const path = method === "POST" ? `${VM}/providers/Microsoft.SerialConsole/serialPorts/0/connect` : VM;
    const reply = await call(method, `${path}?api-version=2024-07-01`, { body: { properties: {} } });
    expect(reply.status).toBe(405);
    expect(reply.json.error.code).toBe("WriteRejectedBySimulator");
    expect(sim.writes).toEqual([{ method, path, query: { "api-version": "2024-07-01" }, body: { properties: {} } }]);
  });
});

describe("faults", () => {
  const errorKinds = [
    ["429", "TooManyRequests"],
    ["500", "InternalServerError"],
    ["502", "BadGateway"],
    ["503", "ServiceUnavailable"],
    ["403", "AuthorizationFailed"],
    ["404", "ResourceNotFound"],
    ["401", "InvalidAuthenticationToken"],
  ] as const;

  it.each(errorKinds)("%s answers with ARM's %s body", async (kind, code) => {
    sim.setFaults([{ match: { path: "virtualmachines/VM1" }, kind, count: 1, retryAfter: 7 }]);
    const reply = await get(`${VM}?${CV}`);
    expect(reply.status).toBe(Number(kind));
    expect(reply.json.error.code).toBe(code);
    if (kind === "429" || kind === "503") expect(reply.headers["retry-after"]).toBe("7");
    if (kind === "403") expect(reply.json.error.message).toContain(`'Microsoft.Compute/virtualMachines/read' over scope '${VM}'`);
    expect((await get(`${VM}?${CV}`)).status).toBe(200); // count: 1
    expect(sim.requests.map((r) => r.fault)).toEqual([kind, undefined]);
  });

  it("matches on method too", async () => {
    sim.setFaults([{ match: { method: "POST" }, kind: "500" }]);
    expect((await get(`${VM}?${CV}`)).status).toBe(200);
  });

  it.each([
    ["malformed-json", (r: Reply) => expect(() => JSON.parse(r.text)).toThrow()],
    ["truncated-json", (r: Reply) => expect(() => JSON.parse(r.text)).toThrow()],
    ["empty-body", (r: Reply) => expect(r.text).toBe("")],
    [
      "wrong-types",
      (r: Reply) => {
        expect(r.json.properties.diagnosticsProfile.bootDiagnostics.enabled).toBe(1);
        expect(r.json.properties.provisioningState).toEqual({ value: "Succeeded" });
      },
    ],
    ["missing-fields", (r: Reply) => expect(r.json.properties).toBeUndefined()],
    [
      "huge-body",
      (r: Reply) => {
        expect(r.text.length).toBeGreaterThan(5_000_000);
        expect(r.json.name).toBe("vm1");
      },
    ],
  ] as const)("%s distorts the real body (status 200)", async (kind, verify) => {
    sim.setFaults([{ match: { path: "/virtualMachines/vm1" }, kind }]);
    const reply = await get(`${VM}?${CV}`);
    expect(reply.status).toBe(200);
    verify(reply);
    expect(sim.requests[0]?.fault).toBe(kind);
  });

  it("reset destroys the connection", async () => {
    sim.setFaults([{ match: { path: "vm1" }, kind: "reset" }]);
    await expect(get(`${VM}?${CV}`)).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect(sim.requests[0]).toMatchObject({ fault: "reset", status: 0 });
  });

  it("hang never answers, and close() still returns at once", async () => {
    const own = await startSimulator({});
    const ownToken = (
      await new Promise<Reply>((resolve, reject) => {
        const req = request(
          `${own.origin}/msi/token?api-version=2019-08-01&resource=x`,
          { ca: own.ca, headers: { "x-identity-header": own.env.IDENTITY_HEADER } },
          (res) => {
            let text = "";
            res.on("data", (c) => (text += c));
            res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: JSON.parse(text) }));
          },
        );
        req.on("error", reject);
        req.end();
      })
    ).json.access_token;
    own.setFaults([{ match: { path: "vm1" }, kind: "hang" }]);
    const pending = new Promise<string>((resolve) => {
      const req = request(`${own.origin}${VM}?${CV}`, { ca: own.ca, headers: { authorization: `Bearer ${ownToken}` } }, () =>
        resolve("answered"),
      );
      req.on("error", () => resolve("closed"));
      req.end();
    });
    const early = await Promise.race([pending, new Promise((r) => setTimeout(() => r("still waiting"), 300))]);
    expect(early).toBe("still waiting");
    expect(own.requests[0]).toMatchObject({ fault: "hang", status: 0 });
    const started = Date.now();
    await own.close();
    expect(await pending).toBe("closed");
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("knows every fault kind of the brief and refuses unknown ones", () => {
    expect(FAULT_KINDS).toHaveLength(15);
    expect(() => sim.setFaults([{ match: {}, kind: "teapot" as never }])).toThrow(/unknown fault kind/);
  });
});

describe("latency, scenarios, stats", () => {
  it("adds latency to ARM responses but not to the token endpoint", async () => {
    // A latency far above any scheduling noise, so that the comparison holds on a loaded machine.
    sim.setLatency(1500);
    let started = Date.now();
    await getToken();
    const token = Date.now() - started;
    started = Date.now();
    await get(`${VM}?${CV}`);
    const arm = Date.now() - started;
    expect(arm).toBeGreaterThanOrEqual(1495);
    expect(token).toBeLessThan(arm - 1000);
    sim.setLatency(0);
  });

  it("every scenario loads and serves vm1 (or its scale set instance)", async () => {
    for (const name of Object.keys(SCENARIOS)) {
      sim.setScenario(name);
      expect(sim.scenario).toBe(name);
      // azure-stack accepts only tokens for its own audience (this test's token is for management.azure.com);
      // api-versions-lagging(-everywhere) refuse the newest compute api-version, naming those they serve;
      // rbac-no-vm-read the VM.
      const refused = { "azure-stack": 401, "api-versions-lagging": 400, "api-versions-lagging-everywhere": 400, "rbac-no-vm-read": 403 };
      const expected = refused[name as keyof typeof refused] ?? 200;
      expect((await get(`${VM}?${CV}&$expand=instanceView`)).status, name).toBe(expected);
    }
    expect(() => sim.setScenario("no-such-scenario")).toThrow(/unknown scenario/);
  });

  it("hostile puts terminal escapes, HTML and fake secrets where Azure allows free text", async () => {
    sim.setScenario("hostile");
    const vm = await get(`${VM}?${CV}&$expand=instanceView`);
    expect(JSON.stringify(vm.json.tags)).toContain("\\u001b[31m");
    expect(vm.text).toContain("sig=SECRETSIG123");
    expect(vm.json.properties.instanceView.statuses[1].displayStatus).toContain("\u202e");
    const console = await get(`/subscriptions/${SUB}/providers/Microsoft.SerialConsole/consoleServices/default?api-version=2024-07-01`);
    expect(console.json.error.message).toContain("<img src=x onerror=alert(1)>");
  });

  it("stats count requests by route kind", async () => {
    await get(`${VM}?${CV}`);
    await get(`${VM}/providers/Microsoft.Authorization/permissions?api-version=2022-04-01`);
    expect(sim.stats()).toMatchObject({ requests: 2, writes: 0, byKind: { vm: 1, permissions: 1 } });
  });
});
