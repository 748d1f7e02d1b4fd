import { describe, expect, it } from "vitest";
import { checkWhere, graphQuery, kqlString, storageQuery, vmQuery, PAGE_SIZE } from "../../src/fleet/graph.js";
import { enumerateFleet, graphSubscriptionOrder, toFleetVm } from "../../src/fleet/sources.js";
import { AzureCallError } from "../../src/azure/arm.js";
import { fakeArm, forbidden } from "./fake-arm.js";

describe("kqlString: a value never becomes query text", () => {
  it.each([
    ["rg1", "'rg1'"],
    ["it's", "'it\\'s'"],
    ["back\\slash", "'back\\\\slash'"],
    ["a'\\'b", "'a\\'\\\\\\'b'"],
    ["line\nbreak", "'line\\nbreak'"],
    ["tab\there", "'tab\\there'"],
    ["' | project secret //", "'\\' | project secret //'"],
  ])("%j → %s", (value, literal) => {
    expect(kqlString(value)).toBe(literal);
  });

  it("refuses other control characters rather than guess an escape", () => {
    expect(() => kqlString("a\u0000b")).toThrow(RangeError);
    expect(() => kqlString("a\u001bb")).toThrow(RangeError);
  });

  it("the literal ends where it should: no unescaped quote inside", () => {
    for (const value of ["'", "\\'", "\\\\'", "''", "x\\"]) {
      const inner = kqlString(value).slice(1, -1);
      // Walk KQL's escapes: every quote inside must be preceded by a backslash escape.
      for (let i = 0; i < inner.length; i++) {
        if (inner[i] === "\\") i++;
        else expect(inner[i]).not.toBe("'");
      }
    }
  });
});

describe("checkWhere: --where stays one filter predicate", () => {
  it.each([
    "location =~ 'westeurope'",
    "tags['env'] == 'prod' and location in~ ('eastus', 'westus')",
    "name has 'a|b' or name has \"c;d\"",
    "properties.hardwareProfile.vmSize =~ 'Standard_D2s_v3'",
    "name == 'it\\'s'",
    // Verbatim strings: a backslash is itself, a doubled quote a quote.
    "name =~ @'C:\\temp\\' or name == @'it''s | ok'",
    "name == h@\"x\\\" and location == 'y'",
  ])("accepts %s", (where) => expect(checkWhere(where)).toBeUndefined());

  it.each([
    ["location =~ 'x' | project id", /'\|' outside a string/],
    ["1 == 1; Resources", /';' outside a string/],
    ["location =~ 'x'\n| take 1", /several lines/],
    ["location =~ 'x' // rest", /comment/],
    ["name == 'unterminated", /not closed/],
    ["   ", /empty/],
    // The backslash of a verbatim string escapes nothing: the pipe and the comment are outside it.
    ["name =~ @'x\\' | project id // '", /'\|' outside a string/],
    ['name =~ @"x\\" | take 1 // "', /'\|' outside a string/],
    ["name == ```x``` ", /multi-line string/],
  ])("refuses %j", (where, reason) => expect(checkWhere(where)).toMatch(reason));

  it("vmQuery throws rather than send a refused --where", () => {
    expect(() => vmQuery({ where: "x | take 1" })).toThrow(/--where is refused/);
  });
});

describe("the KQL shapes the simulator interprets", () => {
  it("VMs, with every scope option", () => {
    expect(
      vmQuery({
        resourceGroups: ["rg1", "RG-2"],
        tags: [{ key: "env", value: "prod" }, { key: "owner" }],
        where: "location =~ 'westeurope'",
      }),
    ).toBe(
      [
        "Resources",
        "| where type =~ 'microsoft.compute/virtualmachines'",
        "| where resourceGroup in~ ('rg1', 'RG-2')",
        "| where tags['env'] =~ 'prod' or parse_json(tolower(tostring(tags)))['env'] =~ 'prod'",
        "| where isnotempty(tags['owner']) or isnotempty(parse_json(tolower(tostring(tags)))['owner'])",
        "| where location =~ 'westeurope'",
        "| project id, name, type, location, resourceGroup, subscriptionId, tags, sku, properties",
        "| order by id asc",
      ].join("\n"),
    );
  });

  it("VMs without scope options, and storage accounts by name", () => {
    expect(vmQuery({}).split("\n")).toHaveLength(4);
    expect(storageQuery(["sa1", "sa2"])).toContain("| where name in~ ('sa1', 'sa2')");
    expect(storageQuery([])).not.toContain("name in~");
  });
});

describe("graphQuery paging", () => {
  const rows = (n: number, from = 0) => Array.from({ length: n }, (_, i) => ({ id: `/r/${from + i}` }));

  it("follows $skipToken with the same query and subscriptions, and yields every page", async () => {
    const arm = fakeArm(({ body }) => {
      const token = (body as { options: { $skipToken?: string } }).options.$skipToken;
      if (!token) return { data: rows(PAGE_SIZE), count: PAGE_SIZE, totalRecords: 2500, resultTruncated: "false", $skipToken: "p2" };
      if (token === "p2")
        return { data: rows(PAGE_SIZE, 1000), count: PAGE_SIZE, totalRecords: 2500, resultTruncated: "false", $skipToken: "p3" };
      return { data: rows(500, 2000), count: 500, totalRecords: 2500, resultTruncated: "false" };
    });
    const pages: number[] = [];
    for await (const page of graphQuery(arm, "Q", ["s1", "s2"])) pages.push(page.length);
    expect(pages).toEqual([1000, 1000, 500]);
    expect(arm.calls).toHaveLength(3);
    for (const call of arm.calls) {
      expect(call.path).toMatch(/^\/providers\/Microsoft\.ResourceGraph\/resources\?api-version=2022-10-01$/);
      expect(call.body).toMatchObject({ query: "Q", subscriptions: ["s1", "s2"], options: { $top: 1000 } });
    }
    expect(arm.calls.map((c) => (c.body as { options: { $skipToken?: string } }).options.$skipToken)).toEqual([undefined, "p2", "p3"]);
  });

  it("batches subscriptions by 300 (Resource Graph's throttling guidance: fewer than 300 per query)", async () => {
    const subs = Array.from({ length: 700 }, (_, i) => `sub-${i}`);
    const arm = fakeArm(() => ({ data: [], count: 0, totalRecords: 0, resultTruncated: "false" }));
    for await (const page of graphQuery(arm, "Q", subs)) expect(page).toEqual([]);
    expect(arm.calls.map((c) => (c.body as { subscriptions: string[] }).subscriptions.length)).toEqual([300, 300, 100]);
  });

  it("a truncated result without a skip token is an error, not a smaller fleet", async () => {
    const arm = fakeArm(() => ({ data: rows(3), count: 3, totalRecords: 10, resultTruncated: "true" }));
    await expect(async () => {
      for await (const _ of graphQuery(arm, "Q", ["s1"])) void _;
    }).rejects.toThrow(/truncated/);
  });

  it("a $skipToken handed back twice is a loop: an error at once, the looping page's rows not handed on", async () => {
    const arm = fakeArm(({ body }) => {
      const token = (body as { options: { $skipToken?: string } }).options.$skipToken;
      return { data: rows(PAGE_SIZE, token ? 1000 : 0), count: PAGE_SIZE, totalRecords: 5000, resultTruncated: "false", $skipToken: "p2" };
    });
    const pages: number[] = [];
    await expect(async () => {
      for await (const page of graphQuery(arm, "Q", ["s1"])) pages.push(page.length);
    }).rejects.toMatchObject({ code: "SkipTokenLoop", message: expect.stringMatching(/repeats an earlier page's/) });
    expect(pages).toEqual([PAGE_SIZE]);
    expect(arm.calls).toHaveLength(2);
  });

  it("a response without data is malformed", async () => {
    const arm = fakeArm(() => ({ count: 0 }));
    await expect(async () => {
      for await (const _ of graphQuery(arm, "Q", ["s1"])) void _;
    }).rejects.toThrow(/no 'data' array/);
  });
});

describe("enumeration after a Resource Graph batch fails", () => {
  it("asks each subscription alone in Resource Graph's order (by id), the order the instance-view read-ahead follows", async () => {
    const given = ["00000000-0000-0000-0000-00000000000c", "00000000-0000-0000-0000-00000000000a", "00000000-0000-0000-0000-00000000000b"];
    let first = true;
    const arm = fakeArm((call) => {
      if (first) {
        first = false;
        throw forbidden("the batch");
      }
      return { totalRecords: 0, count: 0, data: [], resultTruncated: "false" };
    });
    await enumerateFleet(arm, { source: "graph", subscriptions: given }, { vms: async () => undefined, failed: () => undefined });
    const alone = arm.calls
      .slice(1)
      .map((call) => (call.body as { subscriptions: string[] }).subscriptions)
      .filter((subscriptions) => subscriptions.length === 1)
      .map(([subscription]) => subscription);
    expect([...new Set(alone)]).toEqual(graphSubscriptionOrder(given));
    expect(graphSubscriptionOrder(given)).toEqual([...given].sort());
  });

  it("a batch still throttled past its retries: every subscription of it not audited, none asked alone (the quota is the caller's)", async () => {
    const given = Array.from({ length: 40 }, (_, i) => `00000000-0000-0000-0000-0000000000${String(i + 10)}`);
    const arm = fakeArm(() => {
      throw new AzureCallError("the Resource Graph query", "Too many requests", 429, "RateLimiting");
    });
    const failed: [string, string][] = [];
    await enumerateFleet(
      arm,
      { source: "graph", subscriptions: given },
      { vms: async () => undefined, failed: (s, why) => void failed.push([s, why]) },
    );
    expect(arm.calls).toHaveLength(1);
    expect(failed.map(([s]) => s).sort()).toEqual([...given].sort());
    expect(failed[0]?.[1]).toMatch(/429 RateLimiting/);
  });

  it("a retry Resource Graph refuses ends the enumeration: no subscription is asked after it", async () => {
    const given = Array.from({ length: 12 }, (_, i) => `00000000-0000-0000-0000-0000000000${String(i + 10)}`);
    const asked = new Set<string>();
    const arm = fakeArm(async (call) => {
      const subscriptions = (call.body as { subscriptions: string[] }).subscriptions;
      if (subscriptions.length > 1) throw forbidden("the batch");
      asked.add(subscriptions[0] as string);
      // The first subscription alone is refused at once (a query this cloud rejects); the others answer later.
      if (subscriptions[0] === given[0]) throw new AzureCallError("the query", "bad query", 400, "BadRequest");
      await new Promise((resolve) => setTimeout(resolve, 20));
      return { totalRecords: 0, count: 0, data: [], resultTruncated: "false" };
    });
    await expect(
      enumerateFleet(arm, { source: "graph", subscriptions: given }, { vms: async () => undefined, failed: () => undefined }),
    ).rejects.toThrow(/bad query/);
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Four asked alone at once; the three still in flight finish their own subscription and take no other.
    expect(asked.size).toBe(4);
  });
});

describe("--source arm enumeration", () => {
  it("a VM a list hands out twice (it changed while paged) is one VM: an audit's output never holds a VM twice", async () => {
    const sub = "00000000-0000-0000-0000-00000000000a";
    const vm = (name: string) => ({
      id: `/subscriptions/${sub}/resourceGroups/RG/providers/Microsoft.Compute/virtualMachines/${name}`,
      name,
    });
    const arm = fakeArm((call) => {
      if (!call.path.includes("/virtualMachines")) return { value: [] };
      return call.path.includes("page=2")
        ? { value: [vm("VM1"), vm("vm2")] }
        : { value: [vm("vm1")], nextLink: `https://arm.test/subscriptions/${sub}/providers/Microsoft.Compute/virtualMachines?page=2` };
    });
    const handed: string[] = [];
    await enumerateFleet(
      arm,
      { source: "arm", subscriptions: [sub] },
      { vms: async (page) => void handed.push(...page.map((one) => one.id)), failed: (_, why) => expect.fail(why) },
    );
    expect(handed.map((id) => id.split("/").pop())).toEqual(["vm1", "vm2"]);
  });
});

describe("rows without a usable id", () => {
  it("each is handed on and reported once; only the same row twice is one VM", async () => {
    const sub = "00000000-0000-0000-0000-00000000000a";
    const vm = (name: string) => ({
      id: `/subscriptions/${sub}/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/${name}`,
      name,
    });
    const pages = [
      [{ name: "no-id-1" }, vm("a"), { name: "no-id-2" }],
      [
        { name: "no-id-1" },
        { id: `/subscriptions/${sub}/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines`, name: "x" },
        vm("a"),
      ],
    ];
    const arm = fakeArm(({ body }) => {
      const options = (body as { query: string; options: { $skipToken?: string } }).options;
      if (/virtualmachinescalesets\/virtualmachines/.test((body as { query: string }).query))
        return { data: [], count: 0, totalRecords: 0, resultTruncated: "false" };
      const data = options.$skipToken ? pages[1] : pages[0];
      return { data, count: 3, totalRecords: 6, resultTruncated: "false", ...(options.$skipToken ? {} : { $skipToken: "p2" }) };
    });
    const handed: { id: string; problem?: string }[] = [];
    await enumerateFleet(
      arm,
      { source: "graph", subscriptions: [sub] },
      { vms: async (page) => void handed.push(...page), failed: () => undefined },
    );
    // vm a once; no-id-1 once (the same row twice); no-id-2; the row whose id names no VM.
    expect(handed).toHaveLength(4);
    expect(new Set(handed.map((vm) => vm.id.toLowerCase())).size).toBe(4);
    expect(handed.filter((vm) => vm.problem)).toHaveLength(3);
    expect(handed.find((vm) => vm.id.includes("no-id-2"))?.problem).toMatch(/without an id/);
  });

  it("an id-less row keeps its tag when what changes between runs changes (shards merge it once)", () => {
    const row = (power: string) => ({
      name: "no-id",
      resourceGroup: "rg",
      subscriptionId: "00000000-0000-0000-0000-00000000000a",
      type: "microsoft.compute/virtualmachines",
      properties: { extended: { instanceView: { powerState: { code: power } } } },
    });
    expect(toFleetVm(row("PowerState/running")).id).toBe(toFleetVm(row("PowerState/deallocated")).id);
    expect(toFleetVm({ ...row("PowerState/running"), name: "other" }).id).not.toBe(toFleetVm(row("PowerState/running")).id);
  });
});

describe("uniform scale sets whose instances Resource Graph does not hold", () => {
  const sub = "00000000-0000-0000-0000-00000000000a";
  const ss = `/subscriptions/${sub}/resourceGroups/rg/providers/Microsoft.Compute/virtualMachineScaleSets/ss`;
  const empty = { data: [], count: 0, totalRecords: 0, resultTruncated: "false" };
  const scaleSetRow = (capacity: number) => ({
    id: ss,
    type: "microsoft.compute/virtualmachinescalesets",
    sku: { capacity },
    properties: { orchestrationMode: "Uniform" },
  });
  const instance = (n: number) => ({ id: `${ss}/virtualMachines/${n}`, name: `ss_${n}`, properties: { instanceView: { statuses: [] } } });
  const enumerate = async (instances: "refused" | "none", capacity = 2) => {
    const arm = fakeArm((call) => {
      if (call.method === "POST") {
        const query = (call.body as { query: string }).query;
        if (query.startsWith("ComputeResources")) {
          if (instances === "refused") throw new AzureCallError("the instance query", "InvalidQuery", 400, "BadRequest");
          return empty;
        }
        if (query.includes("'microsoft.compute/virtualmachinescalesets'"))
          return { ...empty, data: [scaleSetRow(capacity)], count: 1, totalRecords: 1 };
        return empty;
      }
      if (/virtualMachineScaleSets\/ss\/virtualMachines/i.test(call.path)) return { value: [instance(0), instance(1)] };
      throw new Error(`unexpected ${call.method} ${call.path}`);
    });
    const handed: string[] = [];
    await enumerateFleet(
      arm,
      { source: "graph", subscriptions: [sub] },
      { vms: async (page) => void handed.push(...page.map((vm) => vm.id)), failed: () => undefined },
    );
    return handed;
  };

  it("ComputeResources answers none of a set's instances: they come from the scale set's Resource Manager list", async () => {
    expect(await enumerate("none")).toEqual([`${ss}/virtualMachines/0`, `${ss}/virtualMachines/1`]);
  });

  it("ComputeResources refused (400) while the VM query passed: the same", async () => {
    expect(await enumerate("refused")).toEqual([`${ss}/virtualMachines/0`, `${ss}/virtualMachines/1`]);
  });

  it("a set of capacity 0 has none to look for", async () => {
    expect(await enumerate("none", 0)).toEqual([]);
  });
});
