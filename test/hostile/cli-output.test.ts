/**
 * The built CLI once per registered format, against the simulator's `hostile` scenario with secrets injected into
 * Azure's answers — a real access token of the simulator, a SAS signature, a storage account key, the
 * IDENTITY_HEADER value — and a 64 KiB message of control characters with a forged status line, all with
 * --verbose: nothing of it reaches stdout or stderr (the stream filter on real streams, the token the CLI itself
 * used included), and every format ends the same run with the same exit code. The format × redaction × hostile
 * matrix runs in-process in output-matrix.test.ts.
 */
import { request } from "node:https";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator } from "../azure-sim/index.mjs";
import { VM_ID } from "../e2e/harness.js";
import { ACCOUNT_KEY, LONG, SAS_SIG, SIM_JWT_HEADER } from "../fixtures/hostile-results.js";
import type { CliRun } from "../e2e/harness.js";
import { FORMATS, runFormat } from "./cli.js";
import { csvProblems, markdownProblems, terminalProblems, xmlProblems } from "./output-checks.js";

type Sim = Awaited<ReturnType<typeof startSimulator>>;
let sim: Sim;
let token = "";
const codes = new Map<string, number | null>();

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

const runs = new Map<string, CliRun>();

// One run per format, all at once: each spends most of its time in the retry back-off of the injected 500, and the
// secrets, the scenario and the faults are the same for every format.
beforeAll(async () => {
  sim = await startSimulator({ scenario: "hostile" });
  token = await fetchToken();
  expect(token.startsWith(SIM_JWT_HEADER)).toBe(true);
  injectSecrets();
  sim.resetLog();
  await Promise.all(
    FORMATS.map(async (format) => runs.set(format, await runFormat(format, ["--vm", VM_ID, "--no-network", "--verbose"], sim.env))),
  );
}, 120_000);
afterAll(async () => {
  await sim?.close();
});

function injectSecrets(): void {
  sim.setScenario("hostile");
  const leak = `token ${token} Bearer ${token} ${SAS_SIG}&se=2030 AccountKey=${ACCOUNT_KEY} key ${ACCOUNT_KEY} header ${sim.env.IDENTITY_HEADER}`;
  sim.setFaults([
    { match: { path: "/subscriptions/00000000-0000-0000-0000-000000000001", method: "GET" }, kind: "500", message: `${leak} ${LONG}` },
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

const FORMAT_PROBLEMS: Partial<Record<string, (text: string) => string[]>> = {
  markdown: markdownProblems,
  junit: xmlProblems,
  csv: csvProblems,
};

describe.each(FORMATS)("sc-doctor --vm … -o %s --verbose", (format) => {
  it("exits 0, 1 or 3; no secret, escape or injection on stdout or stderr; nothing written to Azure", () => {
    const run = runs.get(format);
    if (!run) throw new Error(`no run for ${format}`);
    codes.set(format, run.code);
    expect([0, 1, 3], run.stderr.slice(0, 500)).toContain(run.code);
    const problems = [
      ...terminalProblems(run.stdout).map((p) => `stdout: ${p}`),
      ...terminalProblems(run.stderr).map((p) => `stderr: ${p}`),
      ...(FORMAT_PROBLEMS[format]?.(run.stdout) ?? []),
      ...leaks(run.stdout).map((leak) => `stdout leaks ${leak}`),
      ...leaks(run.stderr).map((leak) => `stderr leaks ${leak}`),
    ];
    expect(problems).toEqual([]);
    if (format === "table" || format === "markdown") expect(run.stdout).not.toMatch(/^\s*PASS\s+rbac-vm\s+forged/m);
    // The hostile text did reach the output (cleaned): otherwise this test proves nothing.
    expect(run.stdout).toMatch(/RED ALERT|txt\.exe|HYPERLINK|click here/);
    // Every format's run so far (they ran together): no write.
    expect(sim.writes).toHaveLength(0);
  });
});

describe("across formats", () => {
  it("the same run gives the same exit code whatever the format", () => {
    expect(new Set(codes.values()).size, JSON.stringify([...codes])).toBe(1);
  });

  it("the leak detector recognises each secret", () => {
    expect(leaks(`x ${token} y`).length).toBeGreaterThan(0);
    expect(leaks(`https://a.blob.core.windows.net/?sv=1&${SAS_SIG}`)).toContain("a SAS signature");
    expect(leaks(`AccountKey=${ACCOUNT_KEY}`)).toContain("a storage account key");
    expect(leaks(`h=${sim.env.IDENTITY_HEADER}`)).toContain("the IDENTITY_HEADER value");
    expect(leaks("sig=*** AccountKey=***")).toEqual([]);
  });
});
