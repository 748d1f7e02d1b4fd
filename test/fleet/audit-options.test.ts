import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { forDrift, validateAuditOptions, type AuditCliOptions } from "../../src/commands/audit-options.js";
import { SERIAL_LOG_NOT_READ } from "../../src/azure/serial-log.js";
import { SummaryBuilder, drift } from "../../src/fleet/summary.js";
import type { CheckResult, VmResult } from "../../src/types.js";

const options = (extra: Partial<AuditCliOptions>): AuditCliOptions => ({
  source: "graph",
  failOn: "fail",
  timeout: "15000",
  cloud: "AzureCloud",
  network: false,
  color: false,
  output: "json",
  ...extra,
});

/** A result as `audit -o json` writes it (what `report` checks a saved result against). */
const saved = (id: string, status: "pass" | "fail" = "fail") => ({
  vm: { id, name: id.slice(id.lastIndexOf("/") + 1), resourceGroup: "rg1", subscriptionId: "s1" },
  verdict: status === "fail" ? "blocked" : "ready",
  checks: [{ id: "power-state", title: "power", status, reason: "r", durationMs: 0, evidence: {} }],
});

const refused: [Partial<AuditCliOptions>, RegExp][] = [
  [{ subscription: ["not-a-guid"] }, /--subscription must be a subscription id/],
  [{ resourceGroup: ["bad/rg"] }, /--resource-group 'bad\/rg' is not a valid/],
  // Azure's names never end in a period; `..` would take `/resourceGroups/..` out of the list's URL (every group listed).
  [{ resourceGroup: [".."] }, /--resource-group '\.\.' is not a valid/],
  [{ resourceGroup: ["rg-app-001."] }, /--resource-group 'rg-app-001\.' is not a valid/],
  [{ where: "location =~ 'x'", source: "arm" }, /needs --source graph/],
  [{ where: "location =~ 'x' | take 5" }, /one Resource Graph filter predicate.*'\|' outside a string/],
  [{ where: "a == 'b'\n| project id" }, /several lines/],
  [{ tag: ["=value"] }, /--tag must be key or key=value/],
  // `tags['env'] =~ ''` in Resource Graph selects the VMs WITHOUT the tag; the ARM source selected none.
  [{ tag: ["env="] }, /--tag 'env=' has an empty value: pass --tag env to select the VMs that have the tag/],
  // Line and paragraph separators: no KQL string may hold them (src/fleet/graph.ts kqlString), nor a C1 control.
  [{ tag: ["env=a\u2028b"] }, /--tag must not contain control characters/],
  [{ tag: ["env\u2029=b"] }, /--tag must not contain control characters/],
  [{ tag: ["env=a\u009bb"] }, /--tag must not contain control characters/],
  [{ concurrency: "0" }, /--concurrency must be a positive whole number/],
  [{ baseline: "/nonexistent/previous.json" }, /--baseline: cannot read/],
  [{ failOnDrift: true }, /--fail-on-drift needs --baseline/],
  [{ only: "power-state,nope" }, /unknown check id 'nope'/],
];

describe("audit options: refused before any request (exit 2)", () => {
  it.each(refused)("%j", async (extra, message) => {
    await expect(validateAuditOptions(options(extra))).rejects.toThrow(message);
  });

  it("a baseline that is not a previous audit's JSON is refused", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sc-doctor-"));
    writeFileSync(join(dir, "bad.json"), JSON.stringify({ schemaVersion: 1, vm: {} }));
    await expect(validateAuditOptions(options({ baseline: join(dir, "bad.json") }))).rejects.toThrow(
      /--baseline '.*bad\.json': line 1: not an sc-doctor VM result \(vm\.id is missing\)/,
    );
    writeFileSync(join(dir, "lines.jsonl"), `${JSON.stringify(saved("/x"))}\n`);
    await expect(validateAuditOptions(options({ baseline: join(dir, "lines.jsonl") }))).rejects.toThrow(
      /--baseline: '.*lines\.jsonl' is 'sc-doctor audit -o jsonl' output, which records neither/,
    );
    writeFileSync(join(dir, "good.json"), JSON.stringify({ results: [saved("/x")] }));
    expect((await validateAuditOptions(options({ baseline: join(dir, "good.json") }))).baseline?.results).toHaveLength(1);
  });

  it.each([
    // Any object with a `results` list was taken: every VM blocked now was "newly blocked" (exit 1 with --fail-on-drift).
    [{ version: "1.2.3", results: [{ check_id: "x" }] }, /--baseline '.*other\.json': results\[0\]: not an sc-doctor VM result \(no vm\)/],
    [{ schemaVersion: 2, results: [] }, /--baseline '.*other\.json': schemaVersion 2; this sc-doctor reads schemaVersion 1/],
    [{ results: [{ ...saved("/x"), checks: [{ id: "power-state", status: "broken" }] }] }, /check power-state has status "broken"/],
  ])("a baseline that is no sc-doctor output is refused as report refuses it: %j", async (document, message) => {
    const dir = mkdtempSync(join(tmpdir(), "sc-doctor-"));
    writeFileSync(join(dir, "other.json"), JSON.stringify(document));
    await expect(validateAuditOptions(options({ baseline: join(dir, "other.json") }))).rejects.toThrow(message);
  });

  it("a baseline's scope and failed inputs are read, so drift leaves alone what it never looked at", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sc-doctor-"));
    const scope = { subscriptions: ["s1"], resourceGroups: ["rg1"], shard: "1/3" };
    writeFileSync(join(dir, "scoped.json"), JSON.stringify({ scope, summary: {}, results: [] }));
    expect((await validateAuditOptions(options({ baseline: join(dir, "scoped.json") }))).baseline).toMatchObject({
      scope,
      missingInputs: false,
    });
    const failedInputs = [{ input: "shard-2.json", code: "Empty", message: "empty" }];
    writeFileSync(join(dir, "merged.json"), JSON.stringify({ summary: { failedInputs }, results: [] }));
    const merged = (await validateAuditOptions(options({ baseline: join(dir, "merged.json") }))).baseline;
    expect(merged).toMatchObject({ missingInputs: true });
    expect(merged?.scope).toBeUndefined();
  });

  it("a baseline saved by Windows PowerShell (UTF-16LE, or UTF-8 with a byte order mark) is read as the audit wrote it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sc-doctor-"));
    const audit = JSON.stringify({ schemaVersion: 1, results: [saved("/x")] }, null, 2);
    writeFileSync(join(dir, "out-file.json"), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(audit, "utf16le")]));
    writeFileSync(join(dir, "set-content.json"), `\ufeff${audit}`);
    for (const name of ["out-file.json", "set-content.json"])
      expect((await validateAuditOptions(options({ baseline: join(dir, name) }))).baseline?.results).toEqual([saved("/x")]);
  });

  it("a baseline written with --redact is refused: its labelled ids match no VM, so every blocked VM would be 'newly blocked'", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sc-doctor-"));
    const id = "/subscriptions/<subscription-1>/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/vm1";
    writeFileSync(join(dir, "redacted.json"), JSON.stringify({ schemaVersion: 1, results: [saved(id)] }));
    await expect(validateAuditOptions(options({ baseline: join(dir, "redacted.json") }))).rejects.toThrow(
      /--baseline: '.*redacted\.json' was written with --redact: .*pass the JSON of an audit written without --redact/,
    );
  });

  it("a baseline that is a failed run's error report says so, and what to pass instead", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sc-doctor-"));
    const failed = join(dir, "audit.json");
    const error = { code: "AuthenticationFailed", message: "could not sign in" };
    writeFileSync(failed, JSON.stringify({ schemaVersion: 1, tool: { name: "sc-doctor", version: "0.1.0" }, error }));
    await expect(validateAuditOptions(options({ baseline: failed }))).rejects.toThrow(
      /--baseline: '.*audit\.json' is the error report of a run that failed \(AuthenticationFailed: could not sign in\), not its results: pass the JSON of the last audit that completed, or run without --baseline/,
    );
  });

  it("tags: key, key=value, and a value containing '='", async () => {
    expect((await validateAuditOptions(options({ tag: ["env=prod", "owner", "expr=a=b"] }))).tags).toEqual([
      { key: "env", value: "prod" },
      { key: "owner" },
      { key: "expr", value: "a=b" },
    ]);
  });
});

describe("forDrift: what a large baseline keeps of each result until the audit ends", () => {
  const vm = {
    id: "/subscriptions/s1/resourceGroups/rg-dropped/providers/Microsoft.Compute/virtualMachines/vm-dropped",
    name: "vm-dropped",
    resourceGroup: "rg-dropped",
    subscriptionId: "s1",
  };
  const check = (id: CheckResult["id"], status: CheckResult["status"], reason: string): CheckResult => ({
    id,
    title: `TITLE of ${id}`,
    status,
    reason,
    durationMs: 12,
    evidence: { seen: `EVIDENCE of ${id}` },
    fix: [`FIX for ${id}`],
  });
  const saved = (powerState: CheckResult["status"]): VmResult => ({
    vm,
    verdict: powerState === "fail" ? "blocked" : "ready",
    checks: [
      check("power-state", powerState, "REASON: the VM is deallocated"),
      check("network", "skip", "--no-network: the probe from this machine was not run"),
      check("serial-log", "skip", SERIAL_LOG_NOT_READ.audit),
    ],
  });

  it("keeps the id, verdict, statuses and the switchable checks' reasons: no title, evidence, fix, VM name or other reason", () => {
    const kept = forDrift(saved("fail"));
    expect(JSON.stringify(kept)).not.toMatch(/TITLE|EVIDENCE|FIX|REASON|"(vm|rg)-dropped"/);
    expect(kept.vm.id).toBe(vm.id);
    expect(kept.verdict).toBe("blocked");
    expect(kept.checks.map(({ id, status, reason }) => [id, status, reason])).toEqual([
      ["power-state", "fail", ""],
      ["network", "skip", "--no-network: the probe from this machine was not run"],
      ["serial-log", "skip", SERIAL_LOG_NOT_READ.audit],
    ]);
    // Equal checks of different VMs are one object: a fleet's VMs repeat a few hundred.
    expect(forDrift(saved("fail")).checks[0]).toBe(kept.checks[0]);
  });

  it("drift reads the same of it as of the whole result: a serial log not read then is left out of both verdicts", () => {
    const now = new SummaryBuilder({ trackVerdicts: true });
    // Read now (--serial-log), and failing: blocked now only by what the baseline did not read.
    now.add({ ...saved("pass"), verdict: "blocked", checks: [...saved("pass").checks.slice(0, 2), check("serial-log", "fail", "panic")] });
    const whole = drift({ results: [saved("pass")] }, now.verdicts.values());
    expect(whole).toEqual({ newlyBlocked: [], fixed: [], stillBlocked: [] });
    expect(drift({ results: [forDrift(saved("pass"))] }, now.verdicts.values())).toEqual(whole);
  });
});
