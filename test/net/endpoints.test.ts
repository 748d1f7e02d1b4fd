/** Which hosts are probed, from cloud + region or --console-endpoint (src/net/endpoints.ts); and --resolve parsing. */
import { describe, expect, it } from "vitest";
import { adviceFor } from "../../src/net/advice.js";
import { PROBE_PATH, parseConsoleEndpoint, planEndpoints } from "../../src/net/endpoints.js";
import { maskProxy, proxyFor } from "../../src/net/proxy.js";
import type { TargetResult } from "../../src/net/types.js";
import { parseResolveOverrides, resolveHost } from "../../src/net/resolve.js";

function hosts(plan: ReturnType<typeof planEndpoints>) {
  return plan.kind === "targets" ? plan.targets.map((t) => [t.role, t.host, t.port, t.required]) : plan.reason;
}

describe("planEndpoints", () => {
  it.each([
    {
      name: "AzureCloud: the region's gateway, the portal UI host and the legacy name",
      options: { cloud: "AzureCloud" as const, location: "eastus" },
      expected: [
        ["gateway", "eastus.gateway.serialconsole.azure.com", 443, true],
        ["portal", "portal.serialconsole.azure.com", 443, false],
        ["legacy", "ux.console.azure.com", 443, false],
      ],
    },
    {
      name: "region names are lower-cased",
      options: { cloud: "AzureCloud" as const, location: "WestEurope" },
      expected: [
        ["gateway", "westeurope.gateway.serialconsole.azure.com", 443, true],
        ["portal", "portal.serialconsole.azure.com", 443, false],
        ["legacy", "ux.console.azure.com", 443, false],
      ],
    },
    {
      name: "AzureUSGovernment: suffix serialconsole.azure.us, no documented portal or legacy host",
      options: { cloud: "AzureUSGovernment" as const, location: "usgovvirginia" },
      expected: [["gateway", "usgovvirginia.gateway.serialconsole.azure.us", 443, true]],
    },
    {
      name: "AzureChinaCloud: not documented, nothing guessed",
      options: { cloud: "AzureChinaCloud" as const, location: "chinaeast2" },
      expected: "no Serial Console endpoint is documented for AzureChinaCloud; pass --console-endpoint wss://<host> to probe one",
    },
    {
      name: "--console-endpoint under the Serial Console domain: companions follow its port",
      options: { cloud: "AzureCloud" as const, location: "eastus", consoleEndpoint: "wss://westus2.gateway.serialconsole.azure.com:8443" },
      expected: [
        ["gateway", "westus2.gateway.serialconsole.azure.com", 8443, true],
        ["portal", "portal.serialconsole.azure.com", 8443, false],
        ["legacy", "ux.console.azure.com", 8443, false],
      ],
    },
    {
      name: "--console-endpoint elsewhere: probed alone",
      options: { cloud: "AzureCloud" as const, consoleEndpoint: "wss://console.contoso.test" },
      expected: [["gateway", "console.contoso.test", 443, true]],
    },
    {
      name: "--console-endpoint works for AzureChinaCloud too",
      options: { cloud: "AzureChinaCloud" as const, consoleEndpoint: "wss://console.contoso.test:4443" },
      expected: [["gateway", "console.contoso.test", 4443, true]],
    },
    {
      name: "unknown region: no gateway (the check then reports error, never pass)",
      options: { cloud: "AzureCloud" as const, location: null },
      expected: [
        ["portal", "portal.serialconsole.azure.com", 443, false],
        ["legacy", "ux.console.azure.com", 443, false],
      ],
    },
  ])("$name", ({ options, expected }) => {
    expect(hosts(planEndpoints(options))).toEqual(expected);
  });

  it("upgrades to a dummy session path in the shape of the REST example", () => {
    const plan = planEndpoints({ cloud: "AzureCloud", location: "eastus" });
    expect(plan.kind === "targets" && plan.targets[0]?.url).toBe(`wss://eastus.gateway.serialconsole.azure.com${PROBE_PATH}`);
  });

  it("an IPv6 literal endpoint: the proxy is asked, and advice written, with its brackets", () => {
    process.env["HTTPS_PROXY"] = "http://127.0.0.1:9";
    try {
      expect(proxyFor("::1", 8443)?.href).toBe("http://127.0.0.1:9/");
    } finally {
      delete process.env["HTTPS_PROXY"];
    }
    const target = {
      role: "gateway",
      host: "::1",
      port: 8443,
      url: "",
      required: true,
      source: "t",
      ok: false,
      failedStage: "tcp",
      reason: "tcp-refused",
      detail: "x",
      proxy: null,
      stages: [],
    } as const;
    const advice = adviceFor(target as unknown as TargetResult);
    expect(advice.fix.join(" ")).toContain("https://[::1]:8443/");
  });

  it("an IPv6 literal endpoint is looked up as an address (no brackets), its URL keeps them", () => {
    const plan = planEndpoints({ cloud: "AzureCloud", location: "eastus", consoleEndpoint: "wss://[::1]:8443" });
    expect(plan.kind === "targets" && plan.targets[0]).toMatchObject({ host: "::1", port: 8443, url: `wss://[::1]:8443${PROBE_PATH}` });
  });

  it.each([
    "not a url",
    "http://eastus.gateway.serialconsole.azure.com",
    "wss://user:pw@eastus.gateway.serialconsole.azure.com",
    "wss://eastus.gateway.serialconsole.azure.com:0",
  ])("rejects --console-endpoint %s", (value) => expect(() => parseConsoleEndpoint(value)).toThrow(/--console-endpoint/));
});

describe("--resolve and proxies", () => {
  it("parses curl's host:port:address, repeated and comma-separated, IPv6 in brackets", () => {
    const map = parseResolveOverrides(["A.example:443:127.0.0.1", "a.example:443:[::1],127.0.0.2", "b.example:8443:10.0.0.1"]);
    expect(Object.fromEntries(map)).toEqual({ "a.example:443": ["127.0.0.1", "::1", "127.0.0.2"], "b.example:8443": ["10.0.0.1"] });
  });

  it("takes curl's '+host' (a timed entry) as host, and '*' as every host on that port", async () => {
    const map = parseResolveOverrides(["+a.example:443:127.0.0.1", "*:8443:10.0.0.9"]);
    expect(await resolveHost("A.example", 443, map)).toEqual({ addresses: ["127.0.0.1"], via: "--resolve" });
    expect(await resolveHost("eastus.gateway.serialconsole.azure.com", 8443, map)).toEqual({ addresses: ["10.0.0.9"], via: "--resolve" });
  });

  it("with HTTP_PROXY alone, the probe takes it as Azure's pipeline does for https (NO_PROXY still applies)", () => {
    const saved = { ...process.env };
    for (const name of ["HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy", "HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy"])
      delete process.env[name];
    try {
      process.env["HTTP_PROXY"] = "http://proxy.corp:3128";
      expect(proxyFor("eastus.gateway.serialconsole.azure.com", 443)?.href).toBe("http://proxy.corp:3128/");
      process.env["NO_PROXY"] = ".serialconsole.azure.com";
      expect(proxyFor("eastus.gateway.serialconsole.azure.com", 443)).toBeUndefined();
      // An HTTPS_PROXY set decides alone, as for the pipeline.
      delete process.env["NO_PROXY"];
      process.env["HTTPS_PROXY"] = "http://secure.corp:3128";
      expect(proxyFor("eastus.gateway.serialconsole.azure.com", 443)?.href).toBe("http://secure.corp:3128/");
    } finally {
      for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
      Object.assign(process.env, saved);
    }
  });

  it("masks proxy credentials", () => {
    expect(maskProxy(new URL("http://alice:s3cret@proxy.corp:3128"))).toBe("http://***:***@proxy.corp:3128/");
    expect(maskProxy(new URL("http://proxy.corp:3128"))).toBe("http://proxy.corp:3128/");
    // A query or fragment some setups append (a token): masked too.
    expect(maskProxy(new URL("http://u:p@proxy.corp:3128/?x=S3cret#S3cret"))).toBe("http://***:***@proxy.corp:3128/?***#***");
  });
});
