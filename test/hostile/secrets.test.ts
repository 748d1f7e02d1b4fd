/**
 * Secrets never reach stdout or stderr — with --verbose, with and without --redact, in every output format:
 * - the access token the CLI itself used (every simulator token starts with the same JWT header, so any of them is
 *   recognisable without knowing which one the child process got);
 * - a real token of the simulator, a SAS signature, a storage account key, a connection string and the
 *   IDENTITY_HEADER value, all injected into Azure responses (error messages, the boot diagnostics URI, tags).
 */
import { request } from "node:https";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startSimulator } from "../azure-sim/index.mjs";
import { VM_ID } from "../e2e/harness.js";
import { FORMATS, notImplemented, runFormat } from "./cli.js";

type Sim = Awaited<ReturnType<typeof startSimulator>>;
let sim: Sim;
let token = "";

// base64url of the simulator's fixed JWT header {"typ":"JWT","alg":"RS256","kid":"sc-doctor-sim"}.
const SIM_JWT_HEADER = Buffer.from(JSON.stringify({ typ: "JWT", alg: "RS256", kid: "sc-doctor-sim" })).toString("base64url");
const SAS_SIG = "sig=Zm9vYmFyU0FTc2lnbmF0dXJlMTIzNDU2Nzg5MA%3D%3D";
const ACCOUNT_KEY = `${"k3y".repeat(28)}AB==`; // 88 characters: the shape of a storage account key

/** A token from the simulator's managed-identity endpoint, exactly as the CLI would get one. */
function fetchToken(): Promise<string> {
  const url = new URL(`${sim.env.IDENTITY_ENDPOINT}?api-version=2019-08-01&resource=${encodeURIComponent("https://management.azure.com")}`);
  return new Promise((resolve, reject) => {
    const req = request(url, { ca: sim.ca, headers: { "X-IDENTITY-HEADER": sim.env.IDENTITY_HEADER }, timeout: 10_000 }, (res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => (body += chunk.toString()));
      res.on("end", () => resolve((JSON.parse(body) as { access_token: string }).access_token));
    });
    req.on("error", reject);
    req.end();
  });
}

beforeAll(async () => {
  sim = await startSimulator({ scenario: "hostile" });
  token = await fetchToken();
  expect(token.startsWith(SIM_JWT_HEADER)).toBe(true);
});
afterAll(async () => {
  await sim?.close();
});
// Read-only (docs/contract.md): whatever a test did, the simulator must not have seen a write.
afterEach(() => {
  expect(sim.writes, "the simulator saw a write").toHaveLength(0);
});

function injectSecrets(): void {
  sim.setScenario("hostile");
  const leak = `token ${token} Bearer ${token} ${SAS_SIG}&se=2030 AccountKey=${ACCOUNT_KEY} key ${ACCOUNT_KEY} header ${sim.env.IDENTITY_HEADER}`;
  sim.setFaults([
    { match: { path: "/subscriptions/00000000-0000-0000-0000-000000000001", method: "GET" }, kind: "500", message: leak },
    { match: { path: "Microsoft.SerialConsole/consoleServices" }, kind: "403", message: leak },
    { match: { path: "/providers/Microsoft.Authorization/permissions" }, kind: "401", message: leak },
  ]);
}

function leaks(text: string): string[] {
  const found: string[] = [];
  if (text.includes(SIM_JWT_HEADER)) found.push("an access token (simulator JWT header)");
  if (token && text.includes(token.split(".")[2] ?? token)) found.push("the injected token's signature");
  if (/sig=(?!\*)[A-Za-z0-9%]{6,}/.test(text) || text.includes("SECRETSIG123") || text.includes("Zm9vYmFyU0FT"))
    found.push("a SAS signature");
  if (text.includes(ACCOUNT_KEY) || text.includes("SECRETKEY123")) found.push("a storage account key");
  if (text.includes(sim.env.IDENTITY_HEADER)) found.push("the IDENTITY_HEADER value");
  return found;
}

describe.each(FORMATS)("-o %s --verbose", (format) => {
  it.for([
    { label: "without --redact", extra: [] as string[] },
    { label: "with --redact", extra: ["--redact"] },
  ])("no secret in stdout or stderr, $label", async ({ extra }, context) => {
    injectSecrets();
    const run = await runFormat(format, ["--vm", VM_ID, "--no-network", "--verbose", ...extra], sim.env);
    if (notImplemented(run)) return context.skip(`-o ${format} is not implemented yet`);
    expect(run.code, run.stderr).not.toBe(4);
    expect({ stdout: leaks(run.stdout), stderr: leaks(run.stderr) }).toEqual({ stdout: [], stderr: [] });
  });
});

describe("the leak detector", () => {
  it("recognises each secret", () => {
    expect(leaks(`x ${token} y`).length).toBeGreaterThan(0);
    expect(leaks(`https://a.blob.core.windows.net/?sv=1&${SAS_SIG}`)).toContain("a SAS signature");
    expect(leaks(`AccountKey=${ACCOUNT_KEY}`)).toContain("a storage account key");
    expect(leaks(`h=${sim.env.IDENTITY_HEADER}`)).toContain("the IDENTITY_HEADER value");
    expect(leaks("sig=*** AccountKey=***")).toEqual([]);
  });
});
