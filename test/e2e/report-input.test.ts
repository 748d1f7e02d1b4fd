/**
 * `sc-doctor report` reads files anyone can edit or truncate: what it cannot trust is a usage error (exit 2) naming
 * the input, never a summary that contradicts itself or a garbled result read as a pass.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runInProcess } from "./harness.js";

const dir = mkdtempSync(join(tmpdir(), "sc-doctor-report-input-"));
const VM = { id: "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/vm1" };
const result = (verdict: string, status: string) => ({
  vm: { ...VM, name: "vm1", resourceGroup: "rg1", subscriptionId: "00000000-0000-0000-0000-000000000001" },
  verdict,
  checks: [{ id: "subscription-state", title: "Subscription state", status, reason: "r", durationMs: 0, evidence: {} }],
});
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe("report: inputs it cannot trust", () => {
  it("a verdict that contradicts the result's checks", async () => {
    const run = await runInProcess(["report", file("lie.jsonl", `${JSON.stringify(result("ready", "fail"))}\n`), "-o", "json"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/lie\.jsonl: line 1: verdict "ready" contradicts its checks \(blocked\)/);
    expect(run.stdout).toBe("");
  });

  it("a check status that is none of pass, warn, fail, error, skip", async () => {
    const run = await runInProcess(["report", file("bogus.jsonl", `${JSON.stringify(result("ready", "bogus"))}\n`), "--fail-on", "warn"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/bogus\.jsonl: line 1: .*status "bogus"/);
  });

  it("an audit document of another schemaVersion", async () => {
    const audit = { schemaVersion: 2, tool: { name: "sc-doctor", version: "9.0.0" }, summary: {}, results: [result("ready", "pass")] };
    const run = await runInProcess(["report", file("v2.json", JSON.stringify(audit))]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/v2\.json: schemaVersion 2.*reads schemaVersion 1/);
  });

  it("only empty inputs: no audit to report (an audit that crashed upstream), not a clean fleet", async () => {
    const run = await runInProcess(["report", file("empty.jsonl", ""), "-"], {}, 60_000, "");
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/every input is empty/);
  });

  it("an empty input beside others (a shard that drew no VM) is fine, and a consistent result reads as before", async () => {
    const run = await runInProcess([
      "report",
      file("none.jsonl", ""),
      file("one.jsonl", `${JSON.stringify(result("blocked", "fail"))}\n`),
      "-o",
      "json",
    ]);
    expect(run.code, run.stderr).toBe(1);
    expect(JSON.parse(run.stdout).summary).toMatchObject({ vms: 1, blocked: 1 });
  });
});

describe("report: redacted inputs", () => {
  const redacted = (n: number, name: string) => ({
    ...result("blocked", "fail"),
    vm: {
      id: `/subscriptions/<subscription-${n}>/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/${name}`,
      name,
      resourceGroup: "rg1",
      subscriptionId: `<subscription-${n}>`,
    },
  });

  it("two runs written with --redact cannot be merged: their labels are numbered per run", async () => {
    const a = file("shard-a.jsonl", `${JSON.stringify(redacted(1, "vm1"))}\n`);
    const b = file("shard-b.jsonl", `${JSON.stringify(redacted(1, "vm2"))}\n`);
    const run = await runInProcess(["report", a, b, "-o", "json"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /shard-a\.jsonl was written with --redact.*merge the outputs written without it and pass --redact to report/,
    );
  });

  it("one redacted input alone renders as before", async () => {
    const run = await runInProcess(["report", file("alone.jsonl", `${JSON.stringify(redacted(1, "vm1"))}\n`), "-o", "json"]);
    expect(run.code, run.stderr).toBe(1);
  });
});
