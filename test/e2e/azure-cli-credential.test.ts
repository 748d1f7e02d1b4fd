/**
 * Signed in with `az login`: @azure/identity's AzureCliCredential runs `az account get-access-token` for every
 * token it is asked for (it keeps no cache), and each Azure SDK client asks from its own pipeline. A fake `az` on
 * PATH (a Node script that fetches its token from the simulator's identity endpoint and logs each call) shows how
 * many times a diagnosis and an audit start it: once per run, not once per client.
 */
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator } from "../azure-sim/index.mjs";
import { runCli, runInProcess, VM_ID } from "./harness.js";

type Sim = Awaited<ReturnType<typeof startSimulator>>;
const dir = mkdtempSync(join(tmpdir(), "sc-doctor-az-"));
const log = join(dir, "calls.log");

/** `az account get-access-token --resource <r>`: one log line, then the JSON the Azure CLI prints. */
const FAKE_AZ = `#!/usr/bin/env node
const { appendFileSync } = require("node:fs");
const https = require("node:https");
const args = process.argv.slice(2);
appendFileSync(process.env.FAKE_AZ_LOG, args.join(" ") + "\\n");
if (process.env.FAKE_AZ_EXPIRED) {
  process.stderr.write("ERROR: AADSTS700082: The refresh token has expired due to inactivity. Trace ID: 1\\nInteractive authentication is needed. Please run:\\naz login --scope https://management.core.windows.net//.default\\n");
  process.exit(1);
}
const resource = args[args.indexOf("--resource") + 1];
const url = process.env.FAKE_AZ_IDENTITY + "?api-version=2019-08-01&resource=" + encodeURIComponent(resource);
https.get(url, { headers: { "X-IDENTITY-HEADER": process.env.FAKE_AZ_SECRET } }, (res) => {
  let body = "";
  res.on("data", (chunk) => (body += chunk));
  res.on("end", () => {
    const token = JSON.parse(body);
    const expires = Number(token.expires_on);
    process.stdout.write(JSON.stringify({ accessToken: token.access_token, expires_on: expires, expiresOn: new Date(expires * 1000).toISOString().replace("T", " ").replace("Z", ""), tokenType: "Bearer", subscription: "", tenant: "" }));
  });
});
`;

let healthy: Sim;
let fleet: Sim;
const calls = () => readFileSync(log, "utf8").split("\n").filter(Boolean);

/** The simulator's environment with the Azure CLI credential in place of its managed identity. */
function signedInWithAz(sim: Sim): Record<string, string> {
  const { IDENTITY_ENDPOINT, IDENTITY_HEADER, ...rest } = sim.env;
  return {
    ...rest,
    PATH: `${dir}${delimiter}${process.env["PATH"] ?? ""}`,
    // Only the Azure CLI credential (no managed identity probe, no environment credential).
    AZURE_TOKEN_CREDENTIALS: "AzureCliCredential",
    FAKE_AZ_LOG: log,
    FAKE_AZ_IDENTITY: IDENTITY_ENDPOINT ?? "",
    FAKE_AZ_SECRET: IDENTITY_HEADER ?? "",
  };
}

beforeAll(async () => {
  writeFileSync(join(dir, "az"), FAKE_AZ);
  chmodSync(join(dir, "az"), 0o755);
  [healthy, fleet] = await Promise.all([
    startSimulator({ scenario: "healthy" }),
    startSimulator({ fleet: { vms: 12, subscriptions: 3, storageAccounts: 3, seed: 5 } }),
  ]);
}, 60_000);

afterAll(async () => {
  await Promise.all([healthy?.close(), fleet?.close()]);
});

describe("signed in with the Azure CLI", () => {
  it("a diagnosis runs `az account get-access-token` once, however many clients it makes", async () => {
    writeFileSync(log, "");
    const run = await runCli(["--vm", VM_ID, "-o", "json", "--no-network"], signedInWithAz(healthy));
    expect(run.code, run.stderr).toBe(0);
    expect(calls()).toHaveLength(1);
    expect(calls()[0]).toMatch(/^account get-access-token .*--resource https:\/\//);
  }, 60_000);

  it("an audit of three subscriptions runs it once too", async () => {
    writeFileSync(log, "");
    const run = await runInProcess(["audit", "--no-network", "-o", "json"], signedInWithAz(fleet), 120_000);
    expect(run.code, run.stderr).toBeLessThan(2);
    expect(JSON.parse(run.stdout).results.length).toBeGreaterThanOrEqual(12);
    expect(calls()).toHaveLength(1);
  }, 120_000);

  it("an expired login is the reason given, not the chain's 'authentication failed' (exit 3, JSON error)", async () => {
    const run = await runCli(["--vm", VM_ID, "-o", "json", "--no-network"], { ...signedInWithAz(healthy), FAKE_AZ_EXPIRED: "1" });
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toContain("sc-doctor: authentication failed: ERROR: AADSTS700082: The refresh token has expired");
    expect(JSON.parse(run.stdout).error).toMatchObject({ code: "AuthenticationFailed", message: expect.stringContaining("AADSTS700082") });
  }, 60_000);

  it("an unknown AZURE_TOKEN_CREDENTIALS value is a sign-in failure (exit 3, JSON error), not an internal error", async () => {
    const run = await runCli(["--vm", VM_ID, "-o", "json", "--no-network"], {
      ...signedInWithAz(healthy),
      AZURE_TOKEN_CREDENTIALS: "AzureCLI",
    });
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toMatch(/^sc-doctor: authentication failed: Invalid value for AZURE_TOKEN_CREDENTIALS = AzureCLI\./m);
    expect(run.stderr).not.toContain("internal error");
    expect(JSON.parse(run.stdout).error.code).toBe("AuthenticationFailed");
  }, 60_000);
});
