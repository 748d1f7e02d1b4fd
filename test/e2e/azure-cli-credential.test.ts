/**
 * Signed in with `az login`: @azure/identity's AzureCliCredential runs `az account get-access-token` for every
 * token it is asked for (it keeps no cache), and each Azure SDK client asks from its own pipeline. A fake `az` on
 * PATH (a Node script that fetches its token from the simulator's identity endpoint and logs each call) shows how
 * many times a diagnosis and an audit start it: once per run, not once per client.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator } from "../azure-sim/index.mjs";
import { runCli, runInProcess, VM_ID } from "./harness.js";

type Sim = Awaited<ReturnType<typeof startSimulator>>;
const dir = mkdtempSync(join(tmpdir(), "sc-doctor-az-"));
const log = join(dir, "calls.log");

/** The fake `az` (test/fixtures/fake-az/az), first on PATH. */
const FAKE_AZ_DIR = fileURLToPath(new URL("../fixtures/fake-az/", import.meta.url));

let healthy: Sim;
let fleet: Sim;
const calls = () => readFileSync(log, "utf8").split("\n").filter(Boolean);

/** The simulator's environment with the Azure CLI credential in place of its managed identity. */
function signedInWithAz(sim: Sim): Record<string, string> {
  const { IDENTITY_ENDPOINT, IDENTITY_HEADER, ...rest } = sim.env;
  return {
    ...rest,
    PATH: `${FAKE_AZ_DIR}${delimiter}${process.env["PATH"] ?? ""}`,
    // Only the Azure CLI credential (no managed identity probe, no environment credential).
    AZURE_TOKEN_CREDENTIALS: "AzureCliCredential",
    FAKE_AZ_LOG: log,
    FAKE_AZ_IDENTITY: IDENTITY_ENDPOINT ?? "",
    FAKE_AZ_SECRET: IDENTITY_HEADER ?? "",
  };
}

beforeAll(async () => {
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

  it("--verbose --redact labels a user's whole sign-in name, though stderr's e-mail pattern would stop at its ' or #", async () => {
    // An `az` whose token is a user's, named by a UPN Entra ID allows (the simulator reads no claim but its audience).
    const userAz = mkdtempSync(join(tmpdir(), "sc-doctor-az-user-"));
    const payload = (upn: string) =>
      Buffer.from(JSON.stringify({ idtyp: "user", upn, oid: VM_ID.split("/")[2], exp: 4102444800 })).toString("base64url");
    for (const upn of ["ann.o'neil@contoso.com", "bob_contoso.com#EXT#@fabrikam.onmicrosoft.com"]) {
      const token = `eyJ0eXAiOiJKV1QifQ.${payload(upn)}.sig`;
      writeFileSync(
        join(userAz, "az"),
        `#!/usr/bin/env node\nprocess.stdout.write(${JSON.stringify(JSON.stringify({ accessToken: token, expires_on: 4102444800, tokenType: "Bearer" }))});\n`,
        { mode: 0o755 },
      );
      const env = { ...signedInWithAz(healthy), PATH: `${userAz}${delimiter}${process.env["PATH"] ?? ""}` };
      const run = await runCli(["--vm", VM_ID, "-o", "json", "--no-network", "--only", "subscription-state", "-v", "--redact"], env);
      expect(run.stderr).toMatch(/^sc-doctor: signed in with AzureCliCredential as user <user-1> \(object id <[a-z]+-1>\)$/m);
      for (const part of upn.split(/[@'#]/).filter((p) => p.length > 3)) expect(run.stderr).not.toContain(part);
    }
  }, 60_000);

  it("--verbose names the Azure CLI as the credential that answered (the built CLI: bundling keeps the class names)", async () => {
    const run = await runCli(["--vm", VM_ID, "-o", "json", "--no-network", "--only", "subscription-state", "-v"], signedInWithAz(healthy));
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(
      /^sc-doctor: signed in with AzureCliCredential as an application \(service principal\) \(object id [0-9a-f-]{36}, tenant [0-9a-f-]{36}\)$/m,
    );
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
    // The way out is the variable, not signing in again.
    expect(run.stderr).toContain("Set AZURE_TOKEN_CREDENTIALS to 'prod', 'dev' or the name of one credential");
    expect(run.stderr).not.toContain("az login");
    expect(JSON.parse(run.stdout).error.code).toBe("AuthenticationFailed");
  }, 60_000);
});

describe("an Azure CLI that does not answer", () => {
  it("the timeout names the Azure CLI alone when AZURE_TOKEN_CREDENTIALS chose it (not a client secret's sign-in or IMDS)", async () => {
    const run = await runCli(["--vm", VM_ID, "-o", "json", "--no-network", "--timeout", "1000"], {
      ...signedInWithAz(healthy),
      // Set, but not in the chain AZURE_TOKEN_CREDENTIALS chose.
      AZURE_TENANT_ID: "contoso.onmicrosoft.com",
      AZURE_CLIENT_ID: "app",
      AZURE_CLIENT_SECRET: "secret",
      // Past the 10 s sign-in floor, and over soon after it (the Azure CLI credential cannot stop it).
      FAKE_AZ_DELAY_MS: "12000",
    });
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toMatch(
      /authentication failed: no token within \d+ ms: the Azure CLI \(az account get-access-token\) did not answer in time/,
    );
    expect(run.stderr).not.toMatch(/Entra ID|IMDS/);
  }, 60_000);
});

describe("a malformed credential variable", () => {
  // DefaultAzureCredential skips the credentials that reject it; the next one (here `az`) would sign in instead.
  it.each([
    ["AZURE_TENANT_ID", { AZURE_TENANT_ID: "contoso tenant", AZURE_CLIENT_ID: "app", AZURE_CLIENT_SECRET: "secret" }],
    ["AZURE_AUTHORITY_HOST", { AZURE_AUTHORITY_HOST: "http://login.microsoftonline.com" }],
    ["AZURE_AUTHORITY_HOST", { AZURE_AUTHORITY_HOST: "login.microsoftonline.com" }],
  ])(
    "%s %j is named (exit 3), not skipped for the next credential",
    async (name, variables) => {
      writeFileSync(log, "");
      const { AZURE_TOKEN_CREDENTIALS, ...defaultChain } = signedInWithAz(healthy);
      const run = await runCli(["--vm", VM_ID, "-o", "json", "--no-network"], {
        ...defaultChain,
        // The simulator's managed identity stays: the authority host's check drops it too.
        IDENTITY_ENDPOINT: healthy.env["IDENTITY_ENDPOINT"] ?? "",
        IDENTITY_HEADER: healthy.env["IDENTITY_HEADER"] ?? "",
        ...variables,
      });
      expect(run.code, run.stderr).toBe(3);
      expect(run.stderr).toMatch(new RegExp(`^sc-doctor: authentication failed: ${name} must be `, "m"));
      expect(run.stderr).toMatch(new RegExp(`^Set ${name} to `, "m"));
      expect(JSON.parse(run.stdout).error.code).toBe("AuthenticationFailed");
      expect(calls()).toEqual([]);
    },
    60_000,
  );

  it("a malformed AZURE_TENANT_ID that no credential reads (no client secret, certificate or federated token) is not refused", async () => {
    const { AZURE_TOKEN_CREDENTIALS, ...defaultChain } = signedInWithAz(healthy);
    const run = await runCli(["--vm", VM_ID, "-o", "json", "--no-network"], {
      ...defaultChain,
      // The simulator's managed identity (App Service style) signs in; it reads no tenant.
      IDENTITY_ENDPOINT: healthy.env["IDENTITY_ENDPOINT"] ?? "",
      IDENTITY_HEADER: healthy.env["IDENTITY_HEADER"] ?? "",
      AZURE_TENANT_ID: "00000000-0000-0000-0000-000000000000\n",
    });
    expect(run.code, run.stderr).toBe(0);
  }, 60_000);

  it("is not refused when AZURE_TOKEN_CREDENTIALS chose a credential that does not read it (exit 0)", async () => {
    const run = await runCli(["--vm", VM_ID, "-o", "json", "--no-network"], {
      ...signedInWithAz(healthy),
      AZURE_TENANT_ID: "contoso tenant",
      AZURE_AUTHORITY_HOST: "http://login.microsoftonline.com",
    });
    expect(run.code, run.stderr).toBe(0);
  }, 60_000);
});
