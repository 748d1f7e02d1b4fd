/**
 * The report formats as users get them: the CLI against the simulator's scenarios, `--redact` on, each
 * output validated (JUnit against the Ant XSD, SARIF against the OASIS 2.1.0 schema, CSV parsed back) and
 * searched for anything that must not leak — subscription ids, secrets echoed by Azure, terminal escapes.
 * The scenario × format matrix runs in-process (`runInProcess`); "without --redact" spawns the built CLI.
 */
import { parse } from "csv-parse/sync";
import { CHECK_IDS } from "../../src/types.js";
import { afterEach, describe, expect, it } from "vitest";
import type { Simulator } from "../azure-sim/index.mjs";
import { assertValidJunit, assertValidSarif } from "../fixtures/validate.js";
import { SUB, VM_ID, runCli, runInProcess, useSimulator } from "./harness.js";

let sim: Simulator;
useSimulator((started) => (sim = started));
// Read-only (docs/contract.md): whatever a test did, the simulator must not have seen a write.
afterEach(() => {
  expect(sim.writes, "the simulator saw a write").toHaveLength(0);
});

async function report(scenario: string, format: string, extra: string[] = ["--redact"], cli = runInProcess) {
  sim.setScenario(scenario);
  // The pre-2026 storage path keeps a firewalled account a failure, so each format shows a blocked VM.
  return cli(["--vm", VM_ID, "-o", format, "--no-network", "--legacy-storage-path", ...extra], sim.env);
}

/** The secrets the hostile scenario plants (test/azure-sim/scenarios/hostile.mjs: SAS `sig=`, `AccountKey=`). */
const SECRET_VALUES = ["SECRETSIG123", "SECRETKEY123"];

function assertClean(text: string, env: Record<string, string>): void {
  expect(text).not.toContain(SUB);
  for (const secret of SECRET_VALUES) expect(text).not.toContain(secret);
  // The simulator's managed-identity header is one of our own secrets: masked whatever Azure echoes.
  if (env["IDENTITY_HEADER"]) expect(text).not.toContain(env["IDENTITY_HEADER"]);
  expect(text).not.toMatch(/[\u001b\u0007\u202e\u0000]/);
}

const SCENARIOS = [
  ["healthy", 0, "ready"],
  ["storage-firewall-deny", 1, "blocked"],
  ["hostile", 1, "blocked"],
] as const;

describe.each(SCENARIOS)("%s", (scenario, exitCode, verdict) => {
  it("markdown: a redacted ticket report with verdict, facts, checks and correlation ids", async () => {
    const run = await report(scenario, "markdown", []);
    expect(run.code, run.stderr).toBe(exitCode);
    assertClean(run.stdout, sim.env);
    expect(run.stdout).toContain(`**Verdict:** ${verdict}`);
    expect(run.stdout).toMatch(/\| Region \| westeurope \|/);
    expect(run.stdout).toContain("### ARM correlation ids");
    expect(run.stdout).toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/);
    if (scenario === "storage-firewall-deny") expect(run.stdout).toContain("**Documented error** (`storage-forbidden`");
  });

  it("junit: valid against the Ant JUnit schema", async () => {
    const run = await report(scenario, "junit");
    expect(run.code, run.stderr).toBe(exitCode);
    await assertValidJunit(run.stdout);
    assertClean(run.stdout, sim.env);
    expect(run.stdout.match(/<testcase /g)?.length).toBe(CHECK_IDS.length);
    if (scenario === "storage-firewall-deny") expect(run.stdout).toMatch(/<testcase name="storage-firewall"[^>]*>\s*<failure /);
  });

  it("csv: a row per check, parses back", async () => {
    const run = await report(scenario, "csv");
    expect(run.code, run.stderr).toBe(exitCode);
    assertClean(run.stdout, sim.env);
    const rows = parse(run.stdout, { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(CHECK_IDS.length);
    expect(new Set(rows.map((r) => r["verdict"]))).toEqual(new Set([verdict]));
  });

  it("sarif: valid SARIF 2.1.0, a result per failed/warned/errored check", async () => {
    const run = await report(scenario, "sarif");
    expect(run.code, run.stderr).toBe(exitCode);
    assertValidSarif(run.stdout);
    assertClean(run.stdout, sim.env);
    const results = JSON.parse(run.stdout).runs[0].results as { ruleId: string; level: string }[];
    if (scenario === "healthy") expect(results).toEqual([]);
    if (scenario === "storage-firewall-deny")
      expect(results).toContainEqual(expect.objectContaining({ ruleId: "storage-firewall", level: "error" }));
  });

  it("jsonl: one redacted VM result per line", async () => {
    const run = await report(scenario, "jsonl");
    expect(run.code, run.stderr).toBe(exitCode);
    assertClean(run.stdout, sim.env);
    const lines = run.stdout
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines).toHaveLength(1);
    expect(lines[0].verdict).toBe(verdict);
    expect(lines[0].vm.subscriptionId).toBe("<subscription-1>");
  });
});

describe("without --redact", () => {
  it("identifiers stay, secrets Azure echoes are still masked", async () => {
    const run = await report("hostile", "csv", [], runCli); // spawned: the masking on the real streams
    expect(run.stdout).toContain(SUB);
    for (const secret of SECRET_VALUES) expect(run.stdout).not.toContain(secret);
    expect(run.stdout).not.toMatch(/[\u001b\u0007\u202e]/);
  });
});

describe("audit (--source arm: the simulator has no Resource Graph yet)", () => {
  const audit = (format: string) => {
    sim.setScenario("storage-firewall-deny");
    return runInProcess(["audit", "--source", "arm", "-o", format, "--no-network", "--redact", "--legacy-storage-path"], sim.env);
  };

  it("markdown: the summary first, then a section per VM that is not ready", async () => {
    const run = await audit("markdown");
    expect(run.code, run.stderr).toBe(1);
    assertClean(run.stdout, sim.env);
    expect(run.stdout).toMatch(/^# Azure Serial Console audit/);
    expect(run.stdout.indexOf("## Summary")).toBeLessThan(run.stdout.indexOf("### vm1 — BLOCKED"));
    expect(run.stdout).toContain("| `storage-firewall` | 1 | 0 | 0 |");
  });

  it("junit and sarif stay valid for an audit", async () => {
    const junit = await audit("junit");
    await assertValidJunit(junit.stdout);
    const sarif = await audit("sarif");
    assertValidSarif(sarif.stdout);
    assertClean(junit.stdout + sarif.stdout, sim.env);
  });
});

describe("--redact covers stderr too (every output)", () => {
  it("--vm -v: the verbose trace shows the same labels as the report, never the subscription id", async () => {
    sim.setScenario("healthy");
    const run = await runInProcess(["--vm", VM_ID, "-o", "json", "--no-network", "--redact", "-v"], sim.env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/GET \/subscriptions\/<subscription-1>\//);
    expect(run.stderr).not.toContain(SUB);
    expect(run.stdout).not.toContain(SUB);
    expect(JSON.parse(run.stdout).vm.subscriptionId).toBe("<subscription-1>");
  });

  it("a VM that does not exist: its id on stderr is redacted", async () => {
    sim.setScenario("healthy");
    const run = await runInProcess(["--vm", VM_ID.replace(/vm1$/, "nope"), "--no-network", "--redact"], sim.env);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain("<subscription-1>");
    expect(run.stderr).not.toContain(SUB);
  });

  it("audit -v: the trace and the report share one label set", async () => {
    sim.setScenario("healthy");
    const run = await runInProcess(["audit", "--source", "arm", "-o", "json", "--no-network", "--redact", "-v", "--exit-zero"], sim.env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/\/subscriptions\/<subscription-1>\//);
    expect(run.stderr).not.toContain(SUB);
    expect(run.stdout).not.toContain(SUB);
  });

  it("without --redact, stderr keeps the ids", async () => {
    sim.setScenario("healthy");
    const run = await runInProcess(["--vm", VM_ID, "-o", "json", "--no-network", "-v"], sim.env);
    expect(run.stderr).toContain(SUB);
  });
});
