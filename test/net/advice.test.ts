/** Every failure reason has stage-specific advice and a command that reproduces it (src/net/advice.ts). */
import { describe, expect, it } from "vitest";
import { adviceFor, allowListName, proxyAuthAdvice } from "../../src/net/advice.js";
import { maskSecrets } from "../../src/report/secrets.js";
import type { ProbeFailureReason, ProbeStage, TargetResult } from "../../src/net/types.js";

const REASONS: [ProbeFailureReason, ProbeStage, RegExp][] = [
  ["dns", "dns", /does not resolve/],
  ["tcp-refused", "tcp", /refused/],
  ["tcp-timeout", "tcp", /drops outbound TCP 443/],
  ["tcp-unreachable", "tcp", /no route/],
  ["proxy-denied", "proxy", /refused a tunnel/],
  ["tls-untrusted", "tls", /trust store/],
  ["tls-hostname", "tls", /certificate for/],
  ["tls-timeout", "tls", /never completed/],
  ["tls-reset", "tls", /SNI/],
  ["tls-protocol", "tls", /did not answer in TLS/],
  ["upgrade-blocked", "upgrade", /blocks websockets/],
];

function failedTarget(reason: ProbeFailureReason, failedStage: ProbeStage, host = "eastus.gateway.serialconsole.azure.com"): TargetResult {
  return {
    role: "gateway",
    host,
    port: 443,
    url: `wss://${host}/n/connector/x/sessions/y/client`,
    required: true,
    source: "test",
    ok: false,
    failedStage,
    reason,
    detail: "x",
    proxy: null,
    stages: [],
    ms: 1,
  };
}

describe("adviceFor", () => {
  it.each(REASONS)("%s → names *.serialconsole.azure.com and gives a command", (reason, stage, words) => {
    const advice = adviceFor(failedTarget(reason, stage));
    expect(advice.mitigation).toMatch(words);
    // A name that does not resolve and a chain this machine cannot validate are not allow-list problems.
    if (reason !== "dns" && reason !== "tls-untrusted") expect(advice.mitigation).toContain("*.serialconsole.azure.com");
    expect(advice.fix.length).toBeGreaterThan(0);
  });

  it("with --resolve, the commands go to the pinned address as the probe did (curl --resolve, s_client -connect)", () => {
    const pinned = (reason: ProbeFailureReason, stage: ProbeStage, address: string) =>
      adviceFor({ ...failedTarget(reason, stage), stages: [{ stage: "dns", ok: true, ms: 0, addresses: [address], via: "--resolve" }] })
        .fix;
    expect(pinned("tcp-timeout", "tcp", "10.1.2.3")).toEqual([
      "curl -sv --max-time 10 --resolve eastus.gateway.serialconsole.azure.com:443:10.1.2.3 -o /dev/null https://eastus.gateway.serialconsole.azure.com/",
    ]);
    expect(pinned("tls-reset", "tls", "2001:db8::1")[0]).toMatch(
      /^openssl s_client -connect \[2001:db8::1\]:443 -servername eastus\.gateway\.serialconsole\.azure\.com /,
    );
    expect(pinned("upgrade-blocked", "upgrade", "10.1.2.3")[0]).toContain(
      " --resolve eastus.gateway.serialconsole.azure.com:443:10.1.2.3 ",
    );
    // Through a proxy, the pinned address is the proxy's (the probe resolved the proxy's name): not the host's.
    const proxied = adviceFor({
      ...failedTarget("tls-reset", "tls"),
      proxy: "http://proxy.corp:3128",
      stages: [{ stage: "dns", ok: true, ms: 0, addresses: ["10.9.9.9"], via: "--resolve" }],
    }).fix[0];
    expect(proxied).toMatch(/^openssl s_client -connect eastus\.gateway\.serialconsole\.azure\.com:443 .* -proxy proxy\.corp:3128 /);
    // Resolved by DNS: the commands resolve it again themselves.
    const dns = adviceFor({
      ...failedTarget("tcp-timeout", "tcp"),
      stages: [{ stage: "dns", ok: true, ms: 0, addresses: ["10.1.2.3"], via: "dns" }],
    });
    expect(dns.fix[0]).not.toContain("--resolve");
  });

  it("names certificate rewriting when an untrusted chain comes from another issuer", () => {
    const cert = {
      subject: "x",
      subjectAltNames: [],
      issuer: "Contoso TLS Inspection (Contoso Ltd)",
      root: "Contoso",
      validFrom: "",
      validTo: "",
      rootInBundledStore: false,
      publicIssuer: false,
    };
    const advice = adviceFor({ ...failedTarget("tls-untrusted", "tls"), stages: [{ stage: "tls", ok: false, ms: 1, certificate: cert }] });
    expect(advice.mitigation).toMatch(/issued by Contoso TLS Inspection .*rewrites certificates/);
    expect(advice.mitigation).toContain("*.serialconsole.azure.com");
  });

  it.each(["CERT_HAS_EXPIRED", "CERT_NOT_YET_VALID"])("%s: the clock (or an old interceptor certificate), not the trust store", (code) => {
    const advice = adviceFor({ ...failedTarget("tls-untrusted", "tls"), detail: `certificate has expired (${code})` });
    expect(advice.mitigation).toMatch(/outside its validity period by this machine's clock.*check the clock/);
    expect(advice.mitigation).not.toMatch(/trust store/);
  });

  it("a proxy that does not set up the tunnel in time: the proxy, not this network's firewall (HTTPS_PROXY is already set)", () => {
    const advice = adviceFor({ ...failedTarget("tcp-timeout", "proxy"), proxy: "http://proxy.corp:3128/" });
    expect(advice.mitigation).toMatch(/The proxy http:\/\/proxy\.corp:3128\/ did not set up the tunnel/);
    expect(advice.mitigation).not.toMatch(/set HTTPS_PROXY/);
  });

  it("the proxy itself does not answer (its TCP connection): the proxy is blamed, not the service's host", () => {
    for (const reason of ["tcp-timeout", "tcp-unreachable"] as const) {
      const advice = adviceFor({ ...failedTarget(reason, "tcp"), proxy: "http://proxy.corp:3128/" });
      expect(advice.mitigation).toMatch(/the proxy http:\/\/proxy\.corp:3128\/ \(from HTTPS_PROXY\)/i);
      expect(advice.mitigation).not.toContain("eastus.gateway");
      expect(advice.mitigation).not.toMatch(/set HTTPS_PROXY if/);
    }
  });

  it("a CONNECT dropped without an answer (a TLS proxy written http://) is not called a refusal", () => {
    const dropped = adviceFor({ ...failedTarget("proxy-denied", "proxy"), proxy: "http://proxy.corp:3128/" });
    expect(dropped.mitigation).toMatch(/closed the connection without answering the CONNECT .*write HTTPS_PROXY as https:\/\//);
    const refused = adviceFor({
      ...failedTarget("proxy-denied", "proxy"),
      proxy: "http://proxy.corp:3128/",
      stages: [{ stage: "proxy", ok: false, ms: 1, status: 403 }],
    });
    expect(refused.mitigation).toMatch(/refused a tunnel/);
  });

  it("NO_PROXY advice names the form both readers honour: the domain with its leading dot", () => {
    const advice = adviceFor({ ...failedTarget("proxy-denied", "proxy"), proxy: "http://proxy.corp:3128/" });
    expect(advice.mitigation).toContain("list .serialconsole.azure.com in NO_PROXY");
  });

  it("uses the US Government domain for its hosts", () => {
    expect(allowListName("usgovvirginia.gateway.serialconsole.azure.us")).toBe("*.serialconsole.azure.us");
    // --console-endpoint elsewhere: the advice names the host that was probed, not a domain it is not under.
    expect(allowListName("console.contoso.example")).toBe("console.contoso.example");
    expect(adviceFor(failedTarget("tcp-timeout", "tcp", "console.contoso.example")).mitigation).toMatch(/Allow console\.contoso\.example /);
    expect(adviceFor(failedTarget("tcp-timeout", "tcp", "usgovvirginia.gateway.serialconsole.azure.us")).mitigation).toContain(
      "*.serialconsole.azure.us",
    );
  });

  it("points openssl at the proxy when there is one", () => {
    const advice = adviceFor({ ...failedTarget("tls-timeout", "tls"), proxy: "http://***:***@proxy.corp:3128/" });
    expect(advice.fix[0]).toMatch(/-proxy proxy\.corp:3128/);
    expect(advice.fix.join(" ")).not.toContain("***");
  });

  it("the proxy URL placeholders survive the credential masking of every output", () => {
    const texts = [
      adviceFor({ ...failedTarget("proxy-config", "proxy"), detail: "a socks5:// proxy" }).mitigation,
      proxyAuthAdvice(null),
      proxyAuthAdvice("http://proxy.corp:3128/"),
    ];
    for (const text of texts) {
      expect(text).toMatch(/http:\/\/\[?<user>:<password>@\]?<proxy-host>:<port>/);
      expect(maskSecrets(text, [])).toBe(text);
    }
  });

  it("curl goes through the proxy the probe used, named by the variable it came from (curl reads no http_proxy for https://)", () => {
    const viaHttp = { proxy: "http://***:***@proxy.corp:3128/", proxyVariable: "http_proxy" };
    const refused = adviceFor({ ...failedTarget("tcp-refused", "proxy"), ...viaHttp });
    expect(refused.fix).toEqual(['curl -sv --max-time 10 -x "$http_proxy" -o /dev/null https://eastus.gateway.serialconsole.azure.com/']);
    const silent = adviceFor({ ...failedTarget("tcp-timeout", "tcp"), ...viaHttp });
    expect(silent.mitigation).toMatch(/\(from http_proxy\) does not answer.* that http_proxy names the right host/);
    expect(silent.mitigation).not.toContain("HTTPS_PROXY");
    const denied = adviceFor({
      ...failedTarget("proxy-denied", "proxy"),
      ...viaHttp,
      stages: [{ stage: "proxy", ok: false, ms: 1, status: 407 }],
    });
    expect(denied.mitigation).toMatch(/rejected the credentials in http_proxy /);
    expect(adviceFor({ ...failedTarget("upgrade-blocked", "upgrade"), ...viaHttp }).fix[0]).toMatch(
      /^curl -sv --max-time 10 -x "\$http_proxy" --http1\.1 /,
    );
    // openssl s_client goes to the same proxy: its host and port (s_client takes no credentials from a URL).
    expect(adviceFor({ ...failedTarget("tls-reset", "tls"), ...viaHttp }).fix[0]).toMatch(/ -proxy proxy\.corp:3128 /);
    // Direct, curl goes direct too.
    expect(adviceFor(failedTarget("tcp-refused", "tcp")).fix[0]).not.toContain(" -x ");
  });
});
