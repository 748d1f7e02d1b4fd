/**
 * Every stage and reason through the built CLI (dist/cli.js, built by `npm test`), with the exit code: the fake
 * Resource Manager (test/azure-sim/) answers the VM read, `--console-endpoint` + `--resolve` point the probe at the
 * local stand-ins on 127.0.0.1, and `NODE_EXTRA_CA_CERTS` trusts the simulator's CA and the test service CA.
 * Node reads NODE_EXTRA_CA_CERTS at start-up only, so every case that reaches a stand-in spawns the CLI; the four
 * that stop before any TLS to it (a name that does not resolve, no documented endpoint, --no-network, a malformed
 * endpoint) run in-process (`runInProcess`: the worker trusts the simulator's CA, test/global-setup.mjs).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startSimulator } from "../azure-sim/index.mjs";
import { VM_ID, check, parseVmJson, runCli, runInProcess } from "../e2e/harness.js";
import { SERVICE_NAMES, makePki, type Pki } from "./pki.js";
import { refusedPort, startPlainHttp, startProxy, startService, startSilent, type Running } from "./servers.js";

type Simulator = Awaited<ReturnType<typeof startSimulator>>;

let sim: Simulator;
let pki: Pki;
/** NODE_EXTRA_CA_CERTS for the CLI: the simulator's CA and the test service CA (plus the interceptor's, when trusted). */
let trusted: string;
let trustedWithInterceptor: string;
const running: Running[] = [];

beforeAll(async () => {
  sim = await startSimulator({ scenario: "healthy" });
  pki = makePki();
  trusted = join(pki.dir, "cli-cas.pem");
  trustedWithInterceptor = join(pki.dir, "cli-cas-interceptor.pem");
  writeFileSync(trusted, sim.ca + pki.serviceCa);
  writeFileSync(trustedWithInterceptor, sim.ca + pki.serviceCa + pki.interceptorCa);
});
afterAll(async () => {
  await sim?.close();
  pki?.cleanup();
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.close()));
});

async function up<T extends Running>(server: Promise<T>): Promise<T> {
  const started = await server;
  running.push(started);
  return started;
}

interface Doctor {
  port: number;
  args?: string[];
  env?: Record<string, string>;
}

/** `sc-doctor --vm … -o json --only network` against the stand-in on `port`. */
async function doctor({ port, args = [], env = {} }: Doctor) {
  const resolve = SERVICE_NAMES.flatMap((host) => ["--resolve", `${host}:${port}:127.0.0.1`]);
  const run = await runCli(
    [
      "--vm",
      VM_ID,
      "-o",
      "json",
      "--only",
      "network",
      "--timeout",
      "4000",
      "--console-endpoint",
      `wss://eastus.gateway.serialconsole.azure.com:${port}`,
      ...resolve,
      ...args,
    ],
    { ...sim.env, NODE_EXTRA_CA_CERTS: trusted, ...env },
  );
  const report = parseVmJson(run);
  const result = check(report, "network");
  const evidence = result.evidence as { targets?: { role: string; failedStage?: string; reason?: string }[] };
  const gateway = evidence.targets?.find((t) => t.role === "gateway");
  return { run, report, result, gateway };
}

/** The simulator is on 127.0.0.1: keep the Azure calls off the test proxies. */
function viaProxy(port: number, extra: Record<string, string> = {}): Record<string, string> {
  return { HTTPS_PROXY: `http://127.0.0.1:${port}`, NO_PROXY: "127.0.0.1,localhost", ...extra };
}

describe("network check through the CLI", () => {
  it("pass → exit 0", async () => {
    const service = await up(startService(pki.service));
    const { run, result, report } = await doctor({ port: service.port });
    expect(result.status).toBe("pass");
    expect(report.verdict).toBe("ready");
    expect(run.code).toBe(0);
  });

  it.each([
    { name: "refused port", start: async () => ({ port: await refusedPort() }), stage: "tcp", reason: "tcp-refused" },
    { name: "certificate for another host", start: () => up(startService(pki.wrongHost)), stage: "tls", reason: "tls-hostname" },
    {
      name: "handshake that never finishes",
      start: () => up(startSilent()),
      stage: "tls",
      reason: "tls-timeout",
      args: ["--timeout", "1500"],
    },
    { name: "plain HTTP on the TLS port", start: () => up(startPlainHttp()), stage: "tls", reason: "tls-protocol" },
    {
      name: "upgrade without an HTTP answer",
      start: () => up(startService(pki.service, { dropUpgrade: true })),
      stage: "upgrade",
      reason: "upgrade-blocked",
    },
  ])("$name → fail ($reason), exit 1", async ({ start, stage, reason, args }) => {
    const { port } = await start();
    const { run, result, gateway } = await doctor({ port, args });
    expect(gateway).toMatchObject({ failedStage: stage, reason });
    expect(result.status).toBe("fail");
    expect(result.documentedError?.id).toBe("websocket-closed");
    expect(run.code).toBe(1);
  });

  it("name that does not resolve → fail (dns), exit 1", async () => {
    const run = await runInProcess(
      ["--vm", VM_ID, "-o", "json", "--only", "network", "--console-endpoint", "wss://sc-doctor-test.invalid"],
      sim.env,
    );
    const result = check(parseVmJson(run), "network");
    expect(result.evidence).toMatchObject({ failedStage: "dns", failure: "dns" });
    expect(run.code).toBe(1);
  });

  it("only the legacy name gets through → fail naming the old allow list, exit 1", async () => {
    const service = await up(startService(pki.service, { blockSni: /serialconsole\.azure\.com$/ }));
    const { run, result } = await doctor({ port: service.port });
    expect(result.status).toBe("fail");
    expect(result.reason).toMatch(/predates the move to \*\.serialconsole\.azure\.com/);
    expect(run.code).toBe(1);
  });

  it("CONNECT proxy that allows → pass, proxy in evidence with credentials masked, exit 0", async () => {
    const service = await up(startService(pki.service));
    const proxy = await up(startProxy("allow"));
    const { run, result } = await doctor({
      port: service.port,
      env: viaProxy(proxy.port, { HTTPS_PROXY: `http://bob:hunter2@127.0.0.1:${proxy.port}` }),
    });
    expect(result.status).toBe("pass");
    expect(JSON.stringify(result.evidence)).toContain(`http://***:***@127.0.0.1:${proxy.port}/`);
    expect(run.stdout).not.toContain("hunter2");
    expect(run.code).toBe(0);
  });

  it("a proxy without a scheme (HTTPS_PROXY=127.0.0.1:port) is an http:// proxy, as curl reads it: the tunnel works", async () => {
    const service = await up(startService(pki.service));
    const proxy = await up(startProxy("allow"));
    const { run, result } = await doctor({ port: service.port, env: viaProxy(proxy.port, { HTTPS_PROXY: `127.0.0.1:${proxy.port}` }) });
    expect(run.stderr).not.toMatch(/internal error/);
    expect(result.status).toBe("pass");
    expect(run.code).toBe(0);
  });

  it.each([
    // An unencoded '/' makes the URL read the password as a host and port.
    ["http://alice:1234/word@127.0.0.1:3128", /HTTPS_PROXY is not a proxy URL: percent-encode/, /1234\/word|alice/],
    // Azure's pipeline crashed on it (exit 1).
    ["http://user:s3cr%zzet@127.0.0.1:9", /HTTPS_PROXY: its user name or password is not valid percent-encoding/, /s3cr/],
    // No URL at all ("ss@127.0.0.1" is no port): the same hint, and the placeholder as written, not masked.
    [
      "http://user:pa/ss@127.0.0.1:3128",
      /HTTPS_PROXY is not a proxy URL: percent-encode .* \(expected http:\/\/\[<user>:<password>@\]<proxy-host>:<port>\)/,
      /pa\/ss|\*\*\*/,
    ],
  ])(
    "a proxy URL whose credentials cannot be used (%s): usage error naming the variable, never its value",
    async (proxy, message, secret) => {
      const run = await runCli(["--vm", VM_ID, "-o", "json", "--only", "network"], {
        ...sim.env,
        HTTPS_PROXY: proxy,
        NO_PROXY: "127.0.0.1,localhost",
      });
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stdout + run.stderr).not.toMatch(secret);
    },
  );

  it("a stale http_proxy beside a good HTTPS_PROXY (no client reads it for https) is no error", async () => {
    const service = await up(startService(pki.service));
    const proxy = await up(startProxy("allow"));
    const { run, result } = await doctor({ port: service.port, env: viaProxy(proxy.port, { http_proxy: "http://u:100%@proxy:3128" }) });
    expect(run.code, run.stderr).toBe(0);
    expect(result.status).toBe("pass");
  });

  it("CONNECT proxy that refuses (403) → fail (proxy-denied), exit 1", async () => {
    const proxy = await up(startProxy("deny"));
    const { run, gateway } = await doctor({ port: 4431, env: viaProxy(proxy.port) });
    expect(gateway).toMatchObject({ failedStage: "proxy", reason: "proxy-denied" });
    expect(run.code).toBe(1);
  });

  it("only HTTP_PROXY set (the probe's and Azure's https fallback): the fix's curl goes through it, by name", async () => {
    const proxy = await up(startProxy("deny"));
    const { run, result, gateway } = await doctor({
      port: 4431,
      env: { HTTP_PROXY: `http://bob:hunter2@127.0.0.1:${proxy.port}`, NO_PROXY: "127.0.0.1,localhost" },
    });
    expect(gateway).toMatchObject({ failedStage: "proxy", reason: "proxy-denied" });
    expect(result.fix).toEqual([
      `curl -sv --max-time 10 -x "$HTTP_PROXY" -o /dev/null https://eastus.gateway.serialconsole.azure.com:4431/`,
    ]);
    expect(result.reason).not.toContain("HTTPS_PROXY");
    expect(run.stdout).not.toContain("hunter2");
    expect(run.code).toBe(1);
  });

  it.each([
    ["deny", 403, "HTTPS_PROXY", /refused the tunnel/],
    // The proxy variable holds credentials here: the proxy rejected them (it does not merely want some).
    ["auth", 407, "HTTPS_PROXY", /rejected the credentials in HTTPS_PROXY \(407 Proxy Authentication Required\)/],
    // HTTP_PROXY alone is Azure's https fallback: named as the variable it is.
    ["auth", 407, "HTTP_PROXY", /rejected the credentials in HTTP_PROXY \(407 Proxy Authentication Required\)/],
  ] as const)(
    "a proxy that answers Resource Manager's tunnel itself (%s, %i) is named, not taken for Azure refusing a read (%s)",
    async (mode, status, variable, words) => {
      const proxy = await up(startProxy(mode));
      // Sign-in goes direct (localhost, in NO_PROXY), Resource Manager (127.0.0.1) through the proxy.
      const identity = (sim.env["IDENTITY_ENDPOINT"] ?? "").replace("127.0.0.1", "localhost");
      const run = await runCli(["--vm", VM_ID, "-o", "table", "--no-network", "--only", "subscription-state,provisioning-state"], {
        ...sim.env,
        IDENTITY_ENDPOINT: identity,
        [variable]: `http://bob:hunter2@127.0.0.1:${proxy.port}`,
        NO_PROXY: "localhost",
      });
      expect(run.code, run.stderr).toBe(3);
      expect(run.stdout).toMatch(
        new RegExp(
          `could not read the VM: ${status} .*the proxy http://\\*\\*\\*:\\*\\*\\*@127\\.0\\.0\\.1:${proxy.port}/ \\(${variable}\\) answered, not Azure`,
        ),
      );
      expect(run.stdout).toMatch(words);
      // Not the advice for a refused read: no role fixes a proxy.
      expect(run.stdout).not.toMatch(/Access: sc-doctor reads with the signed-in caller's own access/);
      expect(run.stdout + run.stderr).not.toContain("hunter2");
    },
  );

  it("Azure's 503 asking a wait longer than --timeout, through a proxy that tunnels: throttled, not the proxy's answer", async () => {
    const proxy = await up(startProxy("allow"));
    const identity = (sim.env["IDENTITY_ENDPOINT"] ?? "").replace("127.0.0.1", "localhost");
    sim.setFaults([{ match: { path: "virtualMachines/vm1", method: "GET" }, kind: "503", retryAfter: 30 }]);
    try {
      const run = await runCli(["--vm", VM_ID, "-o", "table", "--no-network", "--only", "provisioning-state", "--timeout", "5000"], {
        ...sim.env,
        IDENTITY_ENDPOINT: identity,
        HTTPS_PROXY: `http://127.0.0.1:${proxy.port}`,
        NO_PROXY: "localhost",
      });
      expect(run.code, run.stderr).toBe(3);
      expect(run.stdout).toMatch(/could not read the VM: 503 .*throttled: Azure asked to wait 30 s/);
      expect(run.stdout).not.toMatch(/answered, not Azure/);
    } finally {
      sim.setFaults([]);
    }
  });

  it("a proxy that wants credentials HTTPS_PROXY lacks (407) → fail naming the form to write them in, placeholder unmasked", async () => {
    const proxy = await up(startProxy("auth"));
    const { run, result, gateway } = await doctor({ port: 4431, env: viaProxy(proxy.port) });
    expect(gateway).toMatchObject({ failedStage: "proxy", reason: "proxy-denied" });
    expect(result.reason).toContain("put them in HTTPS_PROXY as http://<user>:<password>@<proxy-host>:<port> (percent-encoded)");
    expect(JSON.stringify(result.evidence)).toContain("put them in HTTPS_PROXY as http://<user>:<password>@<proxy-host>:<port>");
    expect(run.stdout).not.toContain("***");
    expect(run.code).toBe(1);
  });

  it("TLS-intercepting proxy with a locally trusted CA → warn, exit 0 (1 with --fail-on warn)", async () => {
    const proxy = await up(startProxy("intercept", pki.interceptor));
    const env = viaProxy(proxy.port, { NODE_EXTRA_CA_CERTS: trustedWithInterceptor });
    const { run, result, report } = await doctor({ port: 4431, env });
    expect(result.status).toBe("warn");
    expect(result.reason).toMatch(/intercepted/);
    expect(report.verdict).toBe("degraded");
    expect(run.code).toBe(0);
    const strict = await doctor({ port: 4431, env, args: ["--fail-on", "warn"] });
    expect(strict.run.code).toBe(1);
  });

  it("TLS-intercepting proxy whose root Node does not trust (a browser's system may) → warn, exit 0, the hint kept", async () => {
    const proxy = await up(startProxy("intercept", pki.interceptor));
    const { run, result, report, gateway } = await doctor({ port: 4431, env: viaProxy(proxy.port) });
    expect(gateway).toMatchObject({ failedStage: "tls", reason: "tls-untrusted" });
    expect(result.status).toBe("warn");
    expect(result.reason).toMatch(/issued by Contoso TLS Inspection Root .*rewrites certificates/);
    expect(result.reason).toMatch(/trust its root with NODE_EXTRA_CA_CERTS/);
    expect(report.verdict).toBe("degraded");
    expect(run.code).toBe(0);
  });

  it("NO_PROXY bypasses a refusing proxy → pass, exit 0", async () => {
    const service = await up(startService(pki.service));
    const proxy = await up(startProxy("deny"));
    const { run, result } = await doctor({
      port: service.port,
      env: viaProxy(proxy.port, { NO_PROXY: "127.0.0.1,.serialconsole.azure.com,.console.azure.com" }),
    });
    expect(result.status).toBe("pass");
    expect(proxy.seen).toEqual([]);
    expect(run.code).toBe(0);
  });

  it("NO_PROXY with a `*` inside a list (no wildcard to curl or Azure's pipeline) → the probe still takes the proxy", async () => {
    const service = await up(startService(pki.service));
    const proxy = await up(startProxy("allow"));
    const { run, result } = await doctor({ port: service.port, env: viaProxy(proxy.port, { NO_PROXY: "127.0.0.1,localhost,*" }) });
    expect(result.status).toBe("pass");
    expect(proxy.seen.length).toBeGreaterThan(0);
    expect(run.code).toBe(0);
  });

  it("derives the gateway from the VM's region (westeurope in the simulator) when no --console-endpoint is given", async () => {
    // Every derived name is pinned to 127.0.0.1 so nothing leaves the machine; whatever answers there, the hosts show the derivation.
    const hosts = ["westeurope.gateway.serialconsole.azure.com", "portal.serialconsole.azure.com", "ux.console.azure.com"];
    const resolve = hosts.flatMap((host) => ["--resolve", `${host}:443:127.0.0.1`]);
    const run = await runCli(["--vm", VM_ID, "-o", "json", "--only", "network", "--timeout", "3000", ...resolve], {
      ...sim.env,
      NODE_EXTRA_CA_CERTS: trusted,
    });
    const result = check(parseVmJson(run), "network");
    const evidence = result.evidence as {
      location?: string;
      endpointSource?: string;
      targets?: { role: string; host: string; port: number }[];
    };
    expect(evidence.location).toBe("westeurope");
    expect(evidence.endpointSource).toBe("derived");
    expect(evidence.targets?.map((t) => [t.role, t.host, t.port])).toEqual([
      ["gateway", hosts[0], 443],
      ["portal", hosts[1], 443],
      ["legacy", hosts[2], 443],
    ]);
  });

  it("AzureChinaCloud without --console-endpoint → skip (no documented endpoint), exit 0", async () => {
    const run = await runInProcess(["--vm", VM_ID, "-o", "json", "--only", "network", "--cloud", "AzureChinaCloud"], sim.env);
    const result = check(parseVmJson(run), "network");
    expect(result.status).toBe("skip");
    expect(result.reason).toMatch(/no Serial Console endpoint is documented for AzureChinaCloud/);
    expect(run.code).toBe(0);
  });

  it("--no-network → skip, exit 0", async () => {
    const run = await runInProcess(["--vm", VM_ID, "-o", "json", "--only", "network", "--no-network"], sim.env);
    expect(check(parseVmJson(run), "network").status).toBe("skip");
    expect(run.code).toBe(0);
  });

  it("malformed --console-endpoint → usage error, exit 2", async () => {
    const run = await runInProcess(["--vm", VM_ID, "--only", "network", "--console-endpoint", "http://not-wss.example"], sim.env);
    expect(run.stderr).toMatch(/--console-endpoint/);
    expect(run.code).toBe(2);
  });
});
