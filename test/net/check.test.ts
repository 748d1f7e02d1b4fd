/** The `network` check's verdicts on hand-made facts (no network), and the --no-network fact. */
import { describe, expect, it } from "vitest";
import { AzureCallError } from "../../src/azure/arm.js";
import network from "../../src/checks/network.js";
import { networkFactFor } from "../../src/commands/network-fact.js";
import type { NetworkFacts, StageResult, TargetResult } from "../../src/net/types.js";

const cert = {
  subject: "x",
  subjectAltNames: [],
  issuer: "Microsoft Azure RSA TLS Issuing CA 03 (Microsoft Corporation)",
  root: "DigiCert Global Root G2 (DigiCert Inc)",
  validFrom: "",
  validTo: "",
  rootInBundledStore: true,
  publicIssuer: true,
};
const okStages: StageResult[] = [
  { stage: "dns", ok: true, ms: 1, addresses: ["20.0.0.1"], via: "dns" },
  { stage: "tcp", ok: true, ms: 2, address: "20.0.0.1", via: "direct" },
  { stage: "tls", ok: true, ms: 3, protocol: "TLSv1.3", certificate: cert, intercepted: false },
  { stage: "upgrade", ok: true, ms: 4, status: 401 },
];

function host(role: TargetResult["role"], ok = true, extra: Partial<TargetResult> = {}): TargetResult {
  const name = {
    gateway: "eastus.gateway.serialconsole.azure.com",
    portal: "portal.serialconsole.azure.com",
    legacy: "ux.console.azure.com",
  }[role];
  const failed: Partial<TargetResult> = ok
    ? {}
    : { failedStage: "tcp", reason: "tcp-timeout", detail: "no answer", stages: okStages.slice(0, 1) };
  return {
    role,
    host: name,
    port: 443,
    url: `wss://${name}/`,
    required: role === "gateway",
    source: "test",
    ok,
    proxy: null,
    stages: okStages,
    ms: 10,
    ...failed,
    ...extra,
  };
}

const interceptorCert = {
  ...cert,
  issuer: "Contoso TLS Inspection (Contoso Ltd)",
  root: "Contoso TLS Inspection Root (Contoso Ltd)",
  rootInBundledStore: false,
  publicIssuer: false,
};

/** A gateway whose chain did not validate on this machine, presenting `certificate`. */
function untrusted(
  certificate: typeof cert,
  detail = "the certificate chain did not validate (SELF_SIGNED_CERT_IN_CHAIN)",
): Partial<TargetResult> {
  const tls: StageResult = { stage: "tls", ok: false, ms: 3, detail, certificate };
  return { failedStage: "tls", reason: "tls-untrusted", detail, stages: [...okStages.slice(0, 2), tls] };
}

function facts(targets: TargetResult[], extra: Partial<NetworkFacts> = {}): NetworkFacts {
  return { cloud: "AzureCloud", location: "eastus", endpointSource: "derived", targets, notProbed: [], ...extra };
}

describe("network check", () => {
  it.each([
    { name: "every host answered", input: facts([host("gateway"), host("portal"), host("legacy")]), status: "pass" },
    {
      name: "only the legacy name fails (expected after the move)",
      input: facts([host("gateway"), host("portal"), host("legacy", false)]),
      status: "pass",
    },
    {
      name: "the gateway fails",
      input: facts([host("gateway", false), host("portal"), host("legacy", false)]),
      status: "fail",
      reason: /tcp-timeout/,
    },
    {
      name: "only the legacy name gets through",
      input: facts([host("gateway", false), host("portal", false), host("legacy")]),
      status: "fail",
      reason: /predates the move/,
    },
    {
      name: "the gateway fails while the portal host and the legacy name pass (an allow list naming only the portal host)",
      input: facts([host("gateway", false), host("portal"), host("legacy")]),
      status: "fail",
      reason: /is reachable but the regional gateway .* is not: an allow list must admit \*\.serialconsole\.azure\.com/,
      notReason: /predates the move/,
    },
    {
      name: "the portal UI host fails",
      input: facts([host("gateway"), host("portal", false), host("legacy")]),
      status: "warn",
      reason: /Azure portal client/,
    },
    {
      name: "TLS to the gateway is intercepted",
      input: facts([host("gateway", true, { stages: okStages.map((s) => (s.stage === "tls" ? { ...s, intercepted: true } : s)) })]),
      status: "warn",
      reason: /intercepted/,
    },
    {
      // Node's trust store lacks the inspecting root; the system's (a browser's) may hold it: not proof of a block.
      name: "the gateway's certificate comes from an inspecting proxy whose root Node does not trust",
      input: facts([host("gateway", false, untrusted(interceptorCert))]),
      status: "warn",
      reason: /tls stage failed \(tls-untrusted\): .*issued by Contoso TLS Inspection .*NODE_EXTRA_CA_CERTS .*NODE_USE_SYSTEM_CA=1/,
    },
    {
      name: "a chain from the service's public issuer that does not validate (an outdated trust store)",
      input: facts([host("gateway", false, untrusted(cert))]),
      status: "fail",
      reason: /does not validate on this machine/,
    },
    {
      name: "an expired certificate from an inspecting proxy (the clock, or a stale interceptor)",
      input: facts([host("gateway", false, untrusted(interceptorCert, "certificate has expired (CERT_HAS_EXPIRED)"))]),
      status: "fail",
      reason: /outside its validity period/,
    },
    {
      name: "no gateway could be derived",
      input: facts([host("portal")], { notProbed: ["regional gateway: the VM's location is unknown"] }),
      status: "error",
      reason: /location is unknown/,
    },
    { name: "--no-network", input: { skipped: "--no-network: the probe from this machine was not run", targets: [] }, status: "skip" },
    {
      name: "undocumented cloud",
      input: { undocumented: "no Serial Console endpoint is documented for AzureChinaCloud", targets: [] },
      status: "skip",
      reason: /AzureChinaCloud/,
    },
  ])("$name → $status", ({ input, status, reason, notReason }) => {
    const finding = network.evaluate({ network: input });
    expect(finding.status).toBe(status);
    if (notReason) expect(finding.reason).not.toMatch(notReason);
    if (reason) expect(finding.reason).toMatch(reason);
    if (status === "fail" || status === "warn") expect(finding.documentedErrorId).toBe("websocket-closed");
    if (status === "fail") expect(finding.fix?.length).toBeGreaterThan(0);
  });

  it("a stage cut off by a budget that reading the VM had mostly spent is error (Azure was slow), not a middlebox's fail", () => {
    const cut = host("gateway", false, { failedStage: "tls", reason: "tls-timeout", timedOut: true });
    const slow = network.evaluate({ network: facts([cut], { timeoutMs: 717, waitedMs: 14_033 }) });
    expect(slow).toMatchObject({
      status: "error",
      reason:
        "the probe of eastus.gateway.serialconsole.azure.com:443 ran out of time at its tls stage after 717 ms: reading the VM took 14033 ms of --timeout first (run again, or raise --timeout)",
    });
    // The portal host cut off the same way (the gateway answered): error too, not a middlebox's warn.
    const portalCut = host("portal", false, { failedStage: "tls", reason: "tls-timeout", timedOut: true });
    expect(network.evaluate({ network: facts([host("gateway"), portalCut], { timeoutMs: 717, waitedMs: 14_033 }) })).toMatchObject({
      status: "error",
      reason: expect.stringMatching(/^the probe of portal\.serialconsole\.azure\.com:443 ran out of time at its tls stage/),
    });
    expect(network.evaluate({ network: facts([host("gateway"), portalCut], { timeoutMs: 14_600, waitedMs: 150 }) }).status).toBe("warn");
    // The whole budget, or a refusal rather than a timeout: the network's own answer.
    expect(network.evaluate({ network: facts([cut], { timeoutMs: 14_600, waitedMs: 150 }) }).status).toBe("fail");
    const refused = host("gateway", false, { failedStage: "tcp", reason: "tcp-refused" });
    expect(network.evaluate({ network: facts([refused], { timeoutMs: 717, waitedMs: 14_033 }) }).status).toBe("fail");
  });

  it("a stage that timed out within a short --timeout still fails, but says a slow path cannot be told from a drop", () => {
    const cut = host("gateway", false, { failedStage: "upgrade", reason: "upgrade-blocked", timedOut: true });
    const short = network.evaluate({ network: facts([cut], { timeoutMs: 550, waitedMs: 0 }) });
    expect(short.status).toBe("fail");
    expect(short.reason).toMatch(
      /only 550 ms to answer \(--timeout\): a slow path cannot be told from a silent drop; run again with a longer --timeout to be sure$/,
    );
    // The default budget (15 s): a stage that never answered is the network's answer, said plainly.
    expect(network.evaluate({ network: facts([cut], { timeoutMs: 14_600, waitedMs: 150 }) }).reason).not.toMatch(/slow path/);
  });

  it("no gateway to probe (the VM's location unknown): the error still names a proxy that refused the other hosts", () => {
    const refused = { failedStage: "proxy" as const, reason: "proxy-denied" as const, detail: "403 Forbidden", stages: [] };
    const result = network.evaluate({
      network: facts([host("portal", false, refused), host("legacy", false, refused)], {
        location: null,
        notProbed: ["regional gateway: the VM's location is unknown (pass --console-endpoint wss://<host>)"],
      }),
    });
    expect(result.status).toBe("error");
    expect(result.reason).toMatch(/^nothing to probe: regional gateway: the VM's location is unknown/);
    expect(result.reason).toMatch(
      /the proxy refused portal\.serialconsole\.azure\.com:443 and ux\.console\.azure\.com:443 \(proxy-denied\)/,
    );
  });

  it("keeps every host and stage in the evidence", () => {
    const finding = network.evaluate({ network: facts([host("gateway", false)]) });
    expect(finding.evidence).toMatchObject({
      failedHost: "eastus.gateway.serialconsole.azure.com",
      failedStage: "tcp",
      failure: "tcp-timeout",
      targets: [{ role: "gateway", stages: [{ stage: "dns" }] }],
    });
  });

  it("a VM that could not be read: the gateway not probed says why its region is unknown (Azure's answer)", async () => {
    // US Government: no portal or legacy host either, so nothing is dialled.
    const load = networkFactFor({ enabled: true, cloud: "AzureUSGovernment", resolve: [], timeoutMs: 1000 });
    const result = await load(() => Promise.reject(new AzureCallError("the VM", "boom", 500, "InternalServerError")));
    expect(result.targets).toEqual([]);
    expect(result.notProbed).toContainEqual(
      expect.stringMatching(
        /^regional gateway: the VM's location is unknown \(could not read the VM: 500 InternalServerError — boom; pass --console-endpoint /,
      ),
    );
    // Another VM of the run (one probe for both): its own answer, not the first VM's.
    const other = await load(() => Promise.reject(new AzureCallError("the VM", "gone", 404, "ResourceNotFound")));
    expect(other.notProbed?.join("\n")).toMatch(/could not read the VM: 404 ResourceNotFound — gone; /);
    expect(other.notProbed?.join("\n")).not.toMatch(/boom/);
  });

  it("--no-network never probes (and never reads the VM)", async () => {
    const load = networkFactFor({ enabled: false, cloud: "AzureCloud", resolve: [], timeoutMs: 1000 });
    const result = await load(() => Promise.reject(new Error("must not be called")));
    expect(result.skipped).toMatch(/--no-network/);
  });
});

describe("network check in Azure Government", () => {
  it("an unreachable gateway's mitigation names *.serialconsole.azure.us, not the public domain the documented text names", () => {
    const gateway = host("gateway", false, { host: "usgovvirginia.gateway.serialconsole.azure.us" });
    const finding = network.evaluate({ network: facts([gateway], { cloud: "AzureUSGovernment", location: "usgovvirginia" }) });
    expect(finding.status).toBe("fail");
    expect(finding.mitigation).toContain("*.serialconsole.azure.us");
    expect(finding.mitigation).not.toContain("serialconsole.azure.com");
    // The public domain's history is not this cloud's: no document says its URL changed from *.console.azure.com.
    expect(finding.mitigation).not.toContain("console.azure.com");
    // The public cloud keeps the documented words.
    expect(network.evaluate({ network: facts([host("gateway", false)]) }).mitigation).toBeUndefined();
  });
});
