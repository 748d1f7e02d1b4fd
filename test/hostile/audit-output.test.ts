/**
 * `sc-doctor audit`, spawned once: hostile text and secrets that Azure echoes in error messages (console service
 * and permissions reads of a generated fleet) reach neither stdout nor stderr unescaped or unmasked, with the
 * results streamed VM by VM (jsonl) and the summary on stderr. Every format's many-VM layout (tables, summaries, CSV
 * rows, SARIF results, JUnit suites) is checked in-process on recorded results in output-matrix.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator } from "../azure-sim/index.mjs";
import { runCli } from "../e2e/harness.js";

import { terminalProblems } from "./output-checks.js";

type Sim = Awaited<ReturnType<typeof startSimulator>>;
let sim: Sim;

const KEY = `${"Qk3y".repeat(21)}ZZ==`;
const JWT = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJvaWQiOiJzZWNyZXQifQ.c2lnbmF0dXJlLXNlY3JldA";
const HOSTILE = `\u001b[31mRED\u001b[0m \u001b]8;;https://evil.example\u0007click\u001b]8;;\u0007 \u202etxt.exe <img src=x onerror=alert(1)> =HYPERLINK("https://evil.example") +1 -2 @SUM(A1) sig=SECRETSIG987 AccountKey=${KEY} ${JWT}`;

beforeAll(async () => {
  sim = await startSimulator({ fleet: { vms: 12, subscriptions: 2, storageAccounts: 4, seed: 3 } });
});
afterAll(async () => {
  await sim?.close();
});

describe.each(["jsonl"] as const)("sc-doctor audit -o %s --verbose", (format) => {
  it("no escape, injection or secret in stdout or stderr", async () => {
    sim.setFaults([
      { match: { path: "Microsoft.SerialConsole/consoleServices" }, kind: "500", message: HOSTILE },
      { match: { path: "/providers/Microsoft.Authorization/permissions" }, kind: "403", message: HOSTILE },
    ]);
    const run = await runCli(
      ["audit", "-o", format, "--no-network", "--verbose", "--timeout", "5000"],
      { ...sim.env, IDENTITY_HEADER: sim.env.IDENTITY_HEADER },
      120_000,
    );
    sim.setFaults([]);
    expect([0, 1, 3], run.stderr.slice(0, 500)).toContain(run.code);
    const problems = [
      ...terminalProblems(run.stdout).map((p) => `stdout: ${p}`),
      ...terminalProblems(run.stderr).map((p) => `stderr: ${p}`),
    ];
    for (const line of run.stdout.trimEnd().split("\n")) JSON.parse(line);
    for (const secret of ["SECRETSIG987", KEY, JWT.split(".")[2] ?? JWT, sim.env.IDENTITY_HEADER]) {
      if (run.stdout.includes(secret) || run.stderr.includes(secret)) problems.push(`secret leaked: ${secret.slice(0, 12)}…`);
    }
    expect(problems).toEqual([]);
    // The hostile message did reach the report (masked and escaped): otherwise this test proves nothing.
    expect(run.stdout).toMatch(/RED|txt\.exe|HYPERLINK|could not read/);
    expect(sim.writes).toHaveLength(0);
  });
});
