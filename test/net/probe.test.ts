/**
 * The network probe against local stand-ins (test/net/servers.ts), one case per stage and reason, each judged by
 * the `network` check's pure `evaluate`. Every name is pinned to 127.0.0.1 with --resolve semantics: no real host
 * is ever contacted.
 */
import { createServer as createTlsServer } from "node:tls";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import network from "../../src/checks/network.js";
import { probeNetwork } from "../../src/net/index.js";
import type { NetworkFacts, TargetResult } from "../../src/net/types.js";
import { SERVICE_NAMES, makePki, type Pki } from "./pki.js";
import {
  refusedPort,
  startPlainHttp,
  startProxy,
  startResetting,
  startService,
  startSilent,
  type Recording,
  type Running,
} from "./servers.js";

let pki: Pki;
const running: Running[] = [];
const savedEnv = { ...process.env };

beforeAll(() => {
  pki = makePki();
});
afterAll(() => pki.cleanup());
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.close()));
  for (const key of [
    "HTTPS_PROXY",
    "https_proxy",
    "NO_PROXY",
    "no_proxy",
    "ALL_PROXY",
    "all_proxy",
    "HTTP_PROXY",
    "http_proxy",
    "npm_config_proxy",
  ]) {
    if (savedEnv[key] === undefined) delete process.env[key];
    else process.env[key] = savedEnv[key];
  }
});

async function up<T extends Running>(server: Promise<T>): Promise<T> {
  const started = await server;
  running.push(started);
  return started;
}

/** --resolve entries pinning every Serial Console name at `port` to 127.0.0.1. */
function pinAll(port: number): string[] {
  return SERVICE_NAMES.map((host) => `${host}:${port}:127.0.0.1`);
}

async function probe(port: number, options: { ca?: string[]; timeoutMs?: number; resolve?: string[] } = {}) {
  const facts = await probeNetwork({
    cloud: "AzureCloud",
    location: "eastus",
    consoleEndpoint: `wss://eastus.gateway.serialconsole.azure.com:${port}`,
    resolve: options.resolve ?? pinAll(port),
    timeoutMs: options.timeoutMs ?? 3000,
    ca: options.ca ?? [pki.serviceCa],
  });
  const finding = network.evaluate({ network: facts });
  return { facts, finding, gateway: target(facts, "gateway"), legacy: target(facts, "legacy"), portal: target(facts, "portal") };
}

function target(facts: NetworkFacts, role: TargetResult["role"]): TargetResult {
  const found = facts.targets.find((t) => t.role === role);
  if (!found) throw new Error(`no ${role} target in ${JSON.stringify(facts)}`);
  return found;
}

function stageNames(t: TargetResult): string[] {
  return t.stages.map((s) => `${s.stage}:${s.ok ? "ok" : "failed"}`);
}

/** No Authorization header and no token in any URL reached a Serial Console stand-in. */
function expectNoCredentials(server: Recording): void {
  for (const seen of server.seen.filter((s) => s.kind !== "connect")) {
    expect(seen.headers.authorization).toBeUndefined();
    expect(seen.url).not.toMatch(/authorization|token/i);
  }
}

describe("network probe: direct connections", () => {
  it("passes when the gateway completes DNS, TCP, TLS and the websocket upgrade (101)", async () => {
    const service = await up(startService(pki.service));
    const { finding, gateway, facts } = await probe(service.port);
    expect(stageNames(gateway)).toEqual(["dns:ok", "tcp:ok", "tls:ok", "upgrade:ok"]);
    expect(gateway.stages[0]).toMatchObject({ via: "--resolve", addresses: ["127.0.0.1"] });
    const tls = gateway.stages.find((s) => s.stage === "tls");
    expect(tls?.certificate).toMatchObject({
      subject: "eastus.gateway.serialconsole.azure.com",
      rootInBundledStore: false,
      publicIssuer: true,
    });
    expect(tls?.intercepted).toBe(false);
    expect(gateway.stages.at(-1)?.status).toBe(101);
    expect(facts.targets.map((t) => [t.role, t.ok])).toEqual([
      ["gateway", true],
      ["portal", true],
      ["legacy", true],
    ]);
    expect(finding.status).toBe("pass");
    expect(finding.documentedErrorId).toBeUndefined();
    expect(service.seen.filter((s) => s.kind === "upgrade").map((s) => s.url)).toContain(
      "/n/connector/sc-doctor-probe/sessions/sc-doctor-probe/client",
    );
    expectNoCredentials(service);
  });

  it("passes on any HTTP answer to the unauthenticated upgrade (401)", async () => {
    const service = await up(startService(pki.service, { upgradeStatus: 401 }));
    const { finding, gateway } = await probe(service.port);
    expect(gateway.stages.at(-1)).toMatchObject({ stage: "upgrade", ok: true, status: 401 });
    expect(finding.status).toBe("pass");
  });

  it("fails at tcp (tcp-refused) on a refused port", async () => {
    const port = await refusedPort();
    const { finding, gateway } = await probe(port);
    expect(gateway).toMatchObject({ ok: false, failedStage: "tcp", reason: "tcp-refused" });
    expect(finding).toMatchObject({ status: "fail", documentedErrorId: "websocket-closed" });
    expect(finding.evidence?.["mitigation"]).toMatch(/allow \*\.serialconsole\.azure\.com on TCP/);
    expect(finding.fix?.[0]).toMatch(/^curl -sv/);
  });

  it("tries every --resolve address in order, like curl", async () => {
    const service = await up(startService(pki.service));
    // Nothing listens on 127.0.0.2 (every stand-in binds 127.0.0.1 only): refused, then the next address answers.
    const resolve = SERVICE_NAMES.map((host) => `${host}:${service.port}:127.0.0.2,127.0.0.1`);
    const { finding, gateway } = await probe(service.port, { resolve });
    expect(gateway.stages[0]?.addresses).toEqual(["127.0.0.2", "127.0.0.1"]);
    expect(gateway.stages[1]).toMatchObject({ stage: "tcp", ok: true, address: "127.0.0.1" });
    expect(finding.status).toBe("pass");
  });

  it("fails at dns when the name does not resolve", async () => {
    const facts = await probeNetwork({
      cloud: "AzureCloud",
      consoleEndpoint: "wss://sc-doctor-test.invalid:4431",
      resolve: [],
      timeoutMs: 3000,
    });
    const finding = network.evaluate({ network: facts });
    expect(target(facts, "gateway")).toMatchObject({ failedStage: "dns", reason: "dns" });
    expect(facts.targets).toHaveLength(1); // a custom host is probed alone
    expect(finding.status).toBe("fail");
    expect(finding.fix).toEqual(["nslookup sc-doctor-test.invalid"]);
  });

  it("fails at tls (tls-hostname) when the certificate is for another host", async () => {
    const service = await up(startService(pki.wrongHost));
    const { finding, gateway } = await probe(service.port);
    expect(gateway).toMatchObject({ failedStage: "tls", reason: "tls-hostname" });
    expect(gateway.stages.at(-1)?.certificate?.subjectAltNames).toEqual(["other.example.net"]);
    expect(finding.status).toBe("fail");
    expect(finding.reason).toMatch(/tls-hostname/);
    expect(service.seen).toEqual([]); // nothing was sent over a rejected connection
  });

  it("fails at tls (tls-untrusted) when the chain does not validate, and still reports the certificate", async () => {
    const service = await up(startService(pki.service));
    const { finding, gateway } = await probe(service.port, { ca: [] });
    expect(gateway).toMatchObject({ failedStage: "tls", reason: "tls-untrusted" });
    expect(gateway.stages.at(-1)?.certificate?.issuer).toMatch(/Microsoft Azure TLS Issuing CA/);
    expect(finding.status).toBe("fail");
    expect(service.seen).toEqual([]);
  });

  it("fails at tls (tls-timeout) when the handshake never finishes, bounded by the timeout", async () => {
    const silent = await up(startSilent());
    const { finding, gateway, facts } = await probe(silent.port, { timeoutMs: 800 });
    expect(gateway).toMatchObject({ failedStage: "tls", reason: "tls-timeout", timedOut: true });
    expect(facts.durationMs).toBeLessThan(800 + 1000);
    expect(finding.status).toBe("fail");
  });

  it("fails at tls (tls-protocol) when plain HTTP answers on the TLS port", async () => {
    const plain = await up(startPlainHttp());
    const { finding, gateway } = await probe(plain.port);
    expect(gateway).toMatchObject({ failedStage: "tls", reason: "tls-protocol" });
    expect(gateway.timedOut).toBeUndefined();
    expect(finding.status).toBe("fail");
    expect(finding.evidence?.["mitigation"]).toMatch(/did not answer in TLS/);
  });

  it("a TLS alert from the other end (it speaks TLS, refuses this handshake) is not 'did not answer in TLS'", async () => {
    // A TLS 1.1-only server: the probe's client (TLS 1.2+) gets a protocol_version alert.
    const server = createTlsServer({ ...pki.service, minVersion: "TLSv1", maxVersion: "TLSv1.1", ciphers: "DEFAULT:@SECLEVEL=0" });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { finding, gateway } = await probe((server.address() as { port: number }).port);
      expect(gateway).toMatchObject({ failedStage: "tls", reason: "tls-reset" });
      expect(gateway.detail).toMatch(/ALERT/);
      expect(finding.evidence?.["mitigation"]).toMatch(/refused the TLS handshake with an alert/);
    } finally {
      server.close();
    }
  });

  it("fails at upgrade (upgrade-blocked) when the upgrade gets no HTTP answer", async () => {
    const service = await up(startService(pki.service, { dropUpgrade: true }));
    const { finding, gateway } = await probe(service.port);
    expect(gateway).toMatchObject({ failedStage: "upgrade", reason: "upgrade-blocked" });
    expect(stageNames(gateway)).toEqual(["dns:ok", "tcp:ok", "tls:ok", "upgrade:failed"]);
    expect(finding.status).toBe("fail");
  });

  it("says the allow list predates the move when only the legacy *.console.azure.com name gets through", async () => {
    const service = await up(startService(pki.service, { blockSni: /serialconsole\.azure\.com$/ }));
    const { finding, gateway, legacy } = await probe(service.port);
    expect(gateway.ok).toBe(false);
    // The filter answers the handshake with an alert: it speaks TLS and refuses this name (not "no TLS here").
    expect(gateway).toMatchObject({ failedStage: "tls", reason: "tls-reset" });
    expect(legacy.ok).toBe(true);
    expect(finding.status).toBe("fail");
    expect(finding.evidence?.["legacyOnly"]).toBe(true);
    expect(finding.reason).toMatch(/allow list predates the move to \*\.serialconsole\.azure\.com/);
  });

  it("warns when only the portal's console UI host is blocked (the portal client is affected)", async () => {
    const service = await up(startService(pki.service, { blockSni: /^portal\./ }));
    const { finding, gateway, portal } = await probe(service.port);
    expect(gateway.ok).toBe(true);
    expect(portal.ok).toBe(false);
    expect(finding.status).toBe("warn");
    expect(finding.reason).toMatch(/portal/);
  });
});

describe("network probe: proxies (HTTPS_PROXY / NO_PROXY)", () => {
  it("tunnels through a CONNECT proxy that allows, masking its credentials", async () => {
    const service = await up(startService(pki.service));
    const proxy = await up(startProxy("allow"));
    process.env["HTTPS_PROXY"] = `http://alice:s3cret@127.0.0.1:${proxy.port}`;
    const { finding, gateway, facts } = await probe(service.port);
    expect(stageNames(gateway)).toEqual(["dns:ok", "tcp:ok", "proxy:ok", "tls:ok", "upgrade:ok"]);
    expect(gateway.proxy).toBe(`http://***:***@127.0.0.1:${proxy.port}/`);
    expect(finding.status).toBe("pass");
    expect(JSON.stringify(facts)).not.toContain("s3cret");
    expect(proxy.seen.map((s) => s.url)).toContain(`eastus.gateway.serialconsole.azure.com:${service.port}`);
    expect(proxy.seen[0]?.headers["proxy-authorization"]).toBe(`Basic ${Buffer.from("alice:s3cret").toString("base64")}`);
    expectNoCredentials(service);
  });

  it("tunnels through an https:// proxy (TLS to the proxy, then CONNECT inside it)", async () => {
    const service = await up(startService(pki.service));
    const proxy = await up(startProxy("allow", undefined, { tls: pki.service }));
    process.env["HTTPS_PROXY"] = `https://portal.serialconsole.azure.com:${proxy.port}`;
    const resolve = [...pinAll(service.port), `portal.serialconsole.azure.com:${proxy.port}:127.0.0.1`];
    const { finding, gateway } = await probe(service.port, { resolve });
    expect(stageNames(gateway)).toEqual(["dns:ok", "tcp:ok", "proxy:ok", "tls:ok", "upgrade:ok"]);
    expect(finding.status).toBe("pass");
  });

  it("a run's probes ask the system resolver once per name: every region's portal and legacy probes read the same lookup", async () => {
    const seeded = { addresses: ["127.0.0.1"], via: "dns" as const };
    const lookups = new Map([
      ["portal.serialconsole.azure.com", Promise.resolve(seeded)],
      ["ux.console.azure.com", Promise.resolve(seeded)],
    ]);
    // The gateways pinned, nothing listening on 443 here: quick refusals, no real DNS asked.
    const resolve = ["eastus.gateway.serialconsole.azure.com:443:127.0.0.1", "westeurope.gateway.serialconsole.azure.com:443:127.0.0.1"];
    const run = (location: string) => probeNetwork({ cloud: "AzureCloud", location, resolve, timeoutMs: 3000, lookups });
    for (const facts of [await run("eastus"), await run("westeurope")])
      for (const role of ["portal", "legacy"] as const)
        expect(target(facts, role).stages[0], role).toMatchObject({ stage: "dns", ok: true, addresses: ["127.0.0.1"], via: "dns" });
    expect([...lookups.keys()].sort()).toEqual(["portal.serialconsole.azure.com", "ux.console.azure.com"]);
  });

  it("https:// for a proxy that speaks plain HTTP: the URL's scheme is named (proxy-config, error), not a refused tunnel", async () => {
    const proxy = await up(startProxy("allow"));
    process.env["HTTPS_PROXY"] = `https://127.0.0.1:${proxy.port}`;
    const { gateway, finding } = await probe(4431);
    expect(gateway).toMatchObject({ failedStage: "proxy", reason: "proxy-config" });
    expect(gateway.detail).toMatch(
      /does not speak TLS [\s\S]* the proxy URL says https:\/\/ — a proxy that takes plain-HTTP CONNECT is written http:\/\//,
    );
    expect(finding.status).toBe("error");
    expect(proxy.seen).toHaveLength(0);
  });

  it("an https:// proxy given by IP address: no deprecated IP-address SNI (DEP0123 on stderr every run)", async () => {
    const proxy = await up(startProxy("allow", undefined, { tls: pki.service }));
    process.env["HTTPS_PROXY"] = `https://127.0.0.1:${proxy.port}`;
    const warnings: string[] = [];
    const onWarning = (warning: Error & { code?: string }) => warnings.push(warning.code ?? warning.message);
    process.on("warning", onWarning);
    try {
      const { gateway } = await probe(4431, { resolve: pinAll(4431) });
      // The certificate names no IP address: refused for its name, as any TLS peer would be.
      expect(gateway).toMatchObject({ failedStage: "proxy", reason: "tls-untrusted" });
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off("warning", onWarning);
    }
    expect(warnings).not.toContain("DEP0123");
  });

  it("HTTP_PROXY is still the https fallback when npm's npm_config_proxy is set (npx exports it; neither side reads it)", async () => {
    const proxy = await up(startProxy("deny"));
    process.env["HTTP_PROXY"] = `http://127.0.0.1:${proxy.port}`;
    process.env["npm_config_proxy"] = "http://127.0.0.1:9";
    const { gateway } = await probe(4431);
    expect(gateway).toMatchObject({ failedStage: "proxy", reason: "proxy-denied" });
    expect(proxy.seen.length).toBeGreaterThan(0);
  });

  it.each(["HTTP_PROXY", "http_proxy"])(
    "through %s alone (the https fallback): the fix's curl takes that proxy, which curl would not for https://",
    async (variable) => {
      const proxy = await up(startProxy("deny"));
      process.env[variable] = `http://127.0.0.1:${proxy.port}`;
      const { gateway, finding } = await probe(4431);
      expect(gateway).toMatchObject({ failedStage: "proxy", reason: "proxy-denied", proxyVariable: variable });
      expect(finding.fix).toEqual([
        `curl -sv --max-time 10 -x "$${variable}" -o /dev/null https://eastus.gateway.serialconsole.azure.com:4431/`,
      ]);
      expect(finding.reason).not.toContain("HTTPS_PROXY");
    },
  );

  it("HTTPS_PROXY set in both cases: the upper-case one is named (both readers take its value)", async () => {
    const proxy = await up(startProxy("deny"));
    process.env["HTTPS_PROXY"] = `http://127.0.0.1:${proxy.port}`;
    process.env["https_proxy"] = `http://127.0.0.1:${proxy.port}`;
    const { gateway, finding } = await probe(4431);
    expect(gateway.proxyVariable).toBe("HTTPS_PROXY");
    expect(finding.fix?.[0]).toContain(' -x "$HTTPS_PROXY" ');
  });

  it("an https:// proxy whose own certificate does not validate: the proxy's TLS, not a refused tunnel", async () => {
    const proxy = await up(startProxy("allow", undefined, { tls: pki.wrongHost }));
    process.env["HTTPS_PROXY"] = `https://portal.serialconsole.azure.com:${proxy.port}`;
    const resolve = [...pinAll(4431), `portal.serialconsole.azure.com:${proxy.port}:127.0.0.1`];
    const { gateway, finding } = await probe(4431, { resolve });
    expect(gateway).toMatchObject({ failedStage: "proxy", reason: "tls-untrusted" });
    expect(finding.evidence?.["mitigation"]).toMatch(/https:\/\/ proxy .* presents a certificate/);
    expect(proxy.seen).toHaveLength(0);
  });

  it.each([
    ["cuts the handshake", startResetting, "tls-reset"],
    ["never finishes the handshake", startSilent, "tls-timeout"],
  ] as const)("an https:// proxy that %s: TLS to the proxy failed, no CONNECT was sent or refused", async (_what, start, reason) => {
    const proxy = await up(start());
    process.env["HTTPS_PROXY"] = `https://127.0.0.1:${proxy.port}`;
    const { gateway, finding } = await probe(4431, { timeoutMs: 1500 });
    expect(gateway).toMatchObject({ failedStage: "proxy", reason });
    expect(gateway.detail).toMatch(/^TLS to the https:\/\/ proxy 127\.0\.0\.1:\d+ /);
    expect(finding.evidence?.["mitigation"]).toMatch(/TLS handshake with the https:\/\/ proxy .* no CONNECT was sent/);
    expect(finding.evidence?.["mitigation"]).not.toMatch(/allow CONNECT|set up the tunnel/);
  });

  it("a SOCKS proxy (Azure's pipeline takes HTTP CONNECT proxies only): proxy-config, nothing sent", async () => {
    process.env["HTTPS_PROXY"] = "socks5://127.0.0.1:1080";
    const { gateway, finding } = await probe(4431);
    expect(gateway).toMatchObject({ failedStage: "proxy", reason: "proxy-config" });
    expect(finding.evidence?.["mitigation"]).toMatch(/proxy settings cannot be used .*socks5:\/\/ proxy/);
    // Nothing was probed: the check could not judge the network (error, exit 3), it found no block (fail, exit 1).
    expect(finding).toMatchObject({ status: "error", reason: expect.stringMatching(/^nothing was probed: /) });
  });

  it("fails at proxy (proxy-denied) when the proxy refuses CONNECT with 403", async () => {
    const proxy = await up(startProxy("deny"));
    process.env["HTTPS_PROXY"] = `http://127.0.0.1:${proxy.port}`;
    const { finding, gateway } = await probe(4431);
    expect(gateway).toMatchObject({ failedStage: "proxy", reason: "proxy-denied" });
    expect(gateway.stages.at(-1)?.status).toBe(403);
    expect(finding.status).toBe("fail");
    expect(finding.evidence?.["mitigation"]).toMatch(/refused a tunnel/);
  });

  it("fails at proxy (proxy-denied) and asks for credentials when the proxy answers 407", async () => {
    const proxy = await up(startProxy("auth"));
    process.env["HTTPS_PROXY"] = `http://127.0.0.1:${proxy.port}`;
    const { gateway, finding } = await probe(4431);
    expect(gateway).toMatchObject({ failedStage: "proxy", reason: "proxy-denied" });
    expect(gateway.detail).toMatch(/407.*credentials/);
    // What the reader sees (reason and mitigation), not only the evidence's detail.
    expect(finding.reason).toMatch(/wants credentials.*HTTPS_PROXY as http:\/\/<user>:<password>@<proxy-host>:<port>/);
    expect(finding.reason).not.toMatch(/refused a tunnel|allow CONNECT/);
  });

  it("407 although HTTPS_PROXY holds credentials: they were rejected (or the proxy wants another scheme)", async () => {
    const proxy = await up(startProxy("auth"));
    process.env["HTTPS_PROXY"] = `http://alice:wrong@127.0.0.1:${proxy.port}`;
    const { gateway, finding } = await probe(4431);
    expect(gateway.detail).toMatch(/407.*rejected the credentials in HTTPS_PROXY/);
    expect(finding.evidence?.["mitigation"]).toMatch(/rejected the credentials in HTTPS_PROXY/);
    expect(JSON.stringify(gateway)).not.toContain("wrong");
  });

  it("tells 'target unreachable' (proxy answers 502) apart from a denial", async () => {
    const port = await refusedPort();
    const proxy = await up(startProxy("allow"));
    process.env["HTTPS_PROXY"] = `http://127.0.0.1:${proxy.port}`;
    const { gateway } = await probe(port);
    expect(gateway).toMatchObject({ failedStage: "proxy", reason: "tcp-refused" });
    expect(gateway.detail).toMatch(/502/);
  });

  it("warns that TLS is intercepted when a proxy re-signs with a locally trusted CA", async () => {
    const proxy = await up(startProxy("intercept", pki.interceptor));
    process.env["HTTPS_PROXY"] = `http://127.0.0.1:${proxy.port}`;
    const { finding, gateway } = await probe(4431, { ca: [pki.serviceCa, pki.interceptorCa] });
    expect(gateway.ok).toBe(true);
    const tls = gateway.stages.find((s) => s.stage === "tls");
    expect(tls).toMatchObject({ intercepted: true, certificate: { publicIssuer: false, rootInBundledStore: false } });
    expect(tls?.certificate?.issuer).toMatch(/Contoso/);
    expect(finding.status).toBe("warn");
    expect(finding.reason).toMatch(/intercepted/);
    expect(finding.documentedErrorId).toBe("websocket-closed");
  });

  it("fails (tls-untrusted) and names certificate rewriting when the interceptor's CA is not trusted", async () => {
    const proxy = await up(startProxy("intercept", pki.interceptor));
    process.env["HTTPS_PROXY"] = `http://127.0.0.1:${proxy.port}`;
    const { finding, gateway } = await probe(4431);
    expect(gateway).toMatchObject({ failedStage: "tls", reason: "tls-untrusted" });
    expect(finding.evidence?.["mitigation"]).toMatch(/rewrites certificates/);
  });

  it("bypasses the proxy for hosts in NO_PROXY", async () => {
    const service = await up(startService(pki.service));
    const proxy = await up(startProxy("deny"));
    process.env["HTTPS_PROXY"] = `http://127.0.0.1:${proxy.port}`;
    process.env["NO_PROXY"] = ".serialconsole.azure.com,.console.azure.com";
    const { finding, gateway } = await probe(service.port);
    expect(gateway.proxy).toBeNull();
    expect(finding.status).toBe("pass");
    expect(proxy.seen).toEqual([]);
  });
});
