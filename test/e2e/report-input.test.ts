/**
 * `sc-doctor report` reads files anyone can edit or truncate: what it cannot trust is a usage error (exit 2) naming
 * the input, never a summary that contradicts itself or a garbled result read as a pass.
 */
import { EventEmitter } from "node:events";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { parseAuditJson } from "./audit-support.js";
import { run } from "../../src/program.js";
import { runInProcess } from "./harness.js";
import { PARTLY_LISTED, UNLISTED_REASON } from "../../src/fleet/unevaluated-reasons.js";

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

/** `report <empty input> <one blocked result> -o json`. */
const emptyBesideOne = (emptyName: string) =>
  runInProcess(["report", file(emptyName, ""), file("one.jsonl", `${JSON.stringify(result("blocked", "fail"))}\n`), "-o", "json"]);

describe("report: inputs it cannot trust", () => {
  it("a verdict that contradicts the result's checks: the checks decide, and stderr says so", async () => {
    const run = await runInProcess(["report", file("lie.jsonl", `${JSON.stringify(result("ready", "fail"))}\n`), "-o", "json"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /1 saved verdict contradicted the checks and was recomputed from them \(e\.g\. .*lie\.jsonl: line 1: "ready" → "blocked"\)/,
    );
    expect(JSON.parse(run.stdout)).toMatchObject({ summary: { vms: 1, ready: 0, blocked: 1 }, results: [{ verdict: "blocked" }] });
  });

  it("jsonl audit inputs: stderr says they cannot show what their audits did not cover (json inputs and --vm documents can)", async () => {
    const lines = file("shard-1.jsonl", `${JSON.stringify(result("ready", "pass"))}\n`);
    const run = await runInProcess(["report", lines, "-o", "json"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(
      /shard-1\.jsonl: jsonl records no subscription its audit could not list and no VM it did not evaluate, so this report cannot show them; merge the audits' -o json outputs to carry them/,
    );
    const vmDoc = { schemaVersion: 1, tool: { name: "sc-doctor", version: "0.1.0" }, ...result("ready", "pass") };
    const documents = await runInProcess(["report", file("vm.jsonl", `${JSON.stringify(vmDoc)}\n`), "-o", "json"]);
    expect(documents.stderr).not.toMatch(/jsonl records/);
  });

  it("a check status that is none of pass, warn, fail, error, skip", async () => {
    const run = await runInProcess(["report", file("bogus.jsonl", `${JSON.stringify(result("ready", "bogus"))}\n`), "--fail-on", "warn"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/bogus\.jsonl: line 1: .*status "bogus"/);
  });

  it("one VM's --vm -o json document (pretty-printed) merges as that VM; other JSON is named for what it is not", async () => {
    const vmDoc = { schemaVersion: 1, tool: { name: "sc-doctor", version: "0.1.0" }, ...result("blocked", "fail") };
    const other = { ...result("ready", "pass"), vm: { ...result("ready", "pass").vm, id: VM.id.replace("vm1", "vm2"), name: "vm2" } };
    const run = await runInProcess([
      "report",
      file("one-vm.json", JSON.stringify(vmDoc, null, 2)),
      file("more.jsonl", `${JSON.stringify(other)}\n`),
      "-o",
      "json",
    ]);
    expect(run.code, run.stderr).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ summary: { vms: 2, blocked: 1, ready: 1 } });
    const notOurs = await runInProcess(["report", file("other.json", JSON.stringify({ value: [1, 2] }, null, 2))]);
    expect(notOurs.code).toBe(2);
    expect(notOurs.stderr).toMatch(/other\.json: JSON, but neither 'sc-doctor audit -o json' \(no "results" list\)/);
  });

  it("--vm -o json documents, pretty-printed or one per line (jq -c): merged without schemaVersion, tool or generatedAt", async () => {
    const header = { schemaVersion: 1, tool: { name: "sc-doctor", version: "0.1.0" }, generatedAt: "2026-12-01T01:00:00.000Z" };
    const vm2 = { ...result("ready", "pass"), vm: { ...result("ready", "pass").vm, id: VM.id.replace("vm1", "vm2"), name: "vm2" } };
    const vm3 = { ...result("ready", "pass"), vm: { ...result("ready", "pass").vm, id: VM.id.replace("vm1", "vm3"), name: "vm3" } };
    const pretty = file("one-vm-pretty.json", JSON.stringify({ ...header, ...result("blocked", "fail") }, null, 2));
    const lines = file("vms-compact.jsonl", `${JSON.stringify({ ...header, ...vm2 })}\n${JSON.stringify({ ...header, ...vm3 })}\n`);
    const run = await runInProcess(["report", pretty, lines, "-o", "json"]);
    expect(run.code, run.stderr).toBe(1);
    const merged = JSON.parse(run.stdout) as { results: Record<string, unknown>[] };
    expect(merged.results).toHaveLength(3);
    for (const saved of merged.results) for (const key of ["schemaVersion", "tool", "generatedAt"]) expect(saved).not.toHaveProperty(key);
    // Read line by line, each line's schemaVersion is checked as a whole document's is.
    const mixed = `${JSON.stringify({ ...header, ...vm2 })}\n${JSON.stringify({ ...header, ...vm3, schemaVersion: 2 })}\n`;
    const v2 = await runInProcess(["report", file("v2-lines.jsonl", mixed)]);
    expect(v2.code).toBe(2);
    expect(v2.stderr).toMatch(/v2-lines\.jsonl: line 2: schemaVersion 2.*reads schemaVersion 1/);
  });

  it.each([
    [
      "cut mid-line (a killed audit): said to be incomplete",
      "no newline",
      /cut\.jsonl: line 2, the last, is incomplete: the audit that wrote it was probably stopped mid-line \(killed, or out of disk\); 'head -n 1' keeps the 1 line before it/,
    ],
    [
      "a whole last line that is not JSON: not JSON",
      "newline",
      /cut\.jsonl: line 2 is not JSON: neither 'sc-doctor audit -o json' nor '-o jsonl' output/,
    ],
    [
      "after blank lines: numbered as in the file, so the advice keeps the whole lines",
      "no newline, after two blank lines",
      /cut\.jsonl: line 4, the last, is incomplete: .*'head -n 3' keeps the 3 lines before it/,
    ],
    [
      "that is the only line: no advice to keep none",
      "alone",
      /cut\.jsonl: its only line is incomplete: the audit that wrote it was probably stopped mid-line/,
    ],
  ])("a last line %s (exit 2)", async (_, ending, message) => {
    const whole = ending === "alone" ? "" : `${ending.endsWith("blank lines") ? "\n\n" : ""}${JSON.stringify(result("ready", "pass"))}\n`;
    const cut = JSON.stringify(result("blocked", "fail")).slice(0, 40);
    const run = await runInProcess(["report", file("cut.jsonl", `${whole}${cut}${ending === "newline" ? "\n" : ""}`), "-o", "json"]);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(message);
  });

  it("an -o json document cut short (or two of them one after another) is said to be that, not 'neither -o json nor -o jsonl'", async () => {
    const document = JSON.stringify({ schemaVersion: 1, summary: {}, results: [result("blocked", "fail")] }, null, 2);
    const cut = await runInProcess(["report", file("cut-audit.json", document.slice(0, document.length / 2)), "-o", "json"]);
    expect(cut.code).toBe(2);
    expect(cut.stderr).toMatch(
      /cut-audit\.json: pretty-printed JSON that does not parse as one document \(.+\): an 'sc-doctor audit -o json' output cut short \(the audit stopped while writing it, or the file was truncated\)/,
    );
    const two = await runInProcess(["report", file("two.json", `${document}\n${document}\n`)]);
    expect(two.code).toBe(2);
    expect(two.stderr).toMatch(/two\.json: pretty-printed JSON .* or several documents one after another \(pass each as its own input\)/);
  });

  it("an audit document of another schemaVersion", async () => {
    const audit = { schemaVersion: 2, tool: { name: "sc-doctor", version: "9.0.0" }, summary: {}, results: [result("ready", "pass")] };
    const run = await runInProcess(["report", file("v2.json", JSON.stringify(audit))]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/v2\.json: schemaVersion 2.*reads schemaVersion 1/);
  });

  it("inputs saved by Windows PowerShell (UTF-16 or UTF-8 with a byte order mark) read as the audit wrote them, stdin too", async () => {
    const vm = (name: string, status: string) => {
      const line = result(status === "fail" ? "blocked" : "ready", status);
      return { ...line, vm: { ...line.vm, id: VM.id.replace("vm1", name), name } };
    };
    const saved = (name: string, bytes: Buffer) => {
      const path = join(dir, name);
      writeFileSync(path, bytes);
      return path;
    };
    const audit = (name: string) => JSON.stringify({ schemaVersion: 1, summary: {}, results: [vm(name, "pass")] }, null, 2);
    // `> file` in Windows PowerShell 5.1 (UTF-16LE), Set-Content -Encoding UTF8 (a UTF-8 BOM), and UTF-16BE.
    const le = saved("ps-out-file.json", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(audit("vm2"), "utf16le")]));
    const bom = saved(
      "ps-set-content.jsonl",
      Buffer.from(`\ufeff${JSON.stringify(vm("vm3", "pass"))}\n${JSON.stringify(vm("vm4", "pass"))}\n`),
    );
    const be = saved("utf16be.json", Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(audit("vm5"), "utf16le").swap16()]));
    const stdin = `\ufeff${JSON.stringify(vm("vm1", "fail"))}\n`;
    const run = await runInProcess(["report", le, bom, be, "-", "-o", "json"], {}, 60_000, stdin);
    expect(run.code, run.stderr).toBe(1);
    const merged = JSON.parse(run.stdout) as { summary: { vms: number; blocked: number }; results: { vm: { name: string } }[] };
    expect(merged.summary).toMatchObject({ vms: 5, blocked: 1 });
    expect(merged.results.map((r) => r.vm.name)).toEqual(["vm1", "vm2", "vm3", "vm4", "vm5"]);
  });

  it("a large merge's JSON is written in parts, none near V8's longest string (~50,000 VMs in one threw: exit 4)", async () => {
    const lines = Array.from({ length: 6_000 }, (_, i) => {
      const line = result("blocked", "fail");
      return JSON.stringify({ ...line, vm: { ...line.vm, id: VM.id.replace("vm1", `vm-${i}`), name: `vm-${i}` } });
    });
    const writes: string[] = [];
    const recorder = (into: string[]) =>
      Object.assign(new EventEmitter(), {
        write: (chunk: string | Uint8Array) => into.push(String(chunk)) > 0,
      }) as unknown as NodeJS.WriteStream;
    const io = { stdout: recorder(writes), stderr: recorder([]), stdin: Readable.from([]) };
    const code = await run([process.execPath, "sc-doctor", "report", file("many.jsonl", `${lines.join("\n")}\n`), "-o", "json"], io);
    expect(code).toBe(1);
    expect(writes.length).toBeGreaterThan(1);
    const text = writes.join("");
    expect(Math.max(...writes.map((part) => part.length))).toBeLessThan(text.length / 2);
    // The same document, pretty-printed as one JSON.stringify would.
    const merged = parseAuditJson(text);
    expect(text).toBe(`${JSON.stringify(merged, null, 2)}\n`);
    expect(merged.summary).toMatchObject({ vms: 6_000, blocked: 6_000 });
  });

  it("only empty inputs (an audit of no VM writes nothing with -o jsonl): 0 VMs, exit 0, and a word on stderr", async () => {
    const run = await runInProcess(["report", file("empty.jsonl", ""), "-", "-o", "json"], {}, 60_000, "");
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).summary.vms).toBe(0);
    expect(run.stderr).toMatch(/every input is empty/);
  });

  it.each([
    ["a reason that is not a string", { reason: 5 }, /checks\[0\]\.reason is not a string/],
    ["a title that is not a string", { title: 5 }, /checks\[0\]\.title is not a string/],
    ["fix that is not a list", { fix: "az x" }, /checks\[0\]\.fix is not a list of strings/],
    ["a documented error without its message", { documentedError: { id: "x" } }, /documentedError\.message is missing/],
    ["a check id that is no check id", { id: "__proto__" }, /is not a check id/],
    ["evidence that is not an object", { evidence: "x" }, /evidence is not an object/],
  ])("%s: a usage error naming the field, never a formatter's crash", async (_, change, message) => {
    const line = result("ready", "pass");
    Object.assign(line.checks[0] as object, change);
    for (const format of ["markdown", "junit", "html", "csv", "table"]) {
      const run = await runInProcess(["report", file("field.jsonl", `${JSON.stringify(line)}\n`), "-o", format]);
      expect(run.code, `${format}: ${run.stderr}`).toBe(2);
      expect(run.stderr).toMatch(message);
    }
  });

  it.each([
    [
      "a subscription not audited without its reason",
      { unevaluatedSubscriptions: [{ subscriptionId: "s2", reason: null }] },
      /unevaluatedSubscriptions\[0\] is not/,
    ],
    [
      "not-audited subscriptions that are not a list",
      { unevaluatedSubscriptions: { subscriptionId: "s2", reason: "403" } },
      /unevaluatedSubscriptions is not a list/,
    ],
    ["a VM not evaluated that is not an id", { notEvaluated: [5] }, /notEvaluated\[0\] is not a VM id/],
    ["a failed input without its code", { failedInputs: [{ input: "x.json", message: "m" }] }, /failedInputs\[0\] is not/],
    ["a summary that is not an object", "all fine", /summary is not an object/],
  ])(
    "%s: a usage error naming it, never a gap dropped (the merge would exit 0 as if the fleet were covered)",
    async (_, summary, message) => {
      const document = { schemaVersion: 1, summary, results: [result("ready", "pass")] };
      const run = await runInProcess(["report", file("gaps.json", JSON.stringify(document))]);
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toMatch(message);
    },
  );

  it("vm fields of the wrong type, and correlation ids that are not a list", async () => {
    for (const [change, message] of [
      [{ vm: { ...result("ready", "pass").vm, name: 5 } }, /vm\.name is not a string/],
      [{ correlationIds: "abc" }, /correlationIds is not a list of strings/],
    ] as const) {
      const run = await runInProcess(["report", file("vm.jsonl", `${JSON.stringify({ ...result("ready", "pass"), ...change })}\n`)]);
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toMatch(message);
    }
  });

  it("a hand-made result with only ids, verdict and statuses merges: name, group and titles are told from the ids", async () => {
    const minimal = { vm: { id: VM.id, subscriptionId: "s1" }, verdict: "blocked", checks: [{ id: "storage-firewall", status: "fail" }] };
    for (const format of ["json", "markdown", "junit", "html", "csv", "table", "sarif"]) {
      const run = await runInProcess(["report", file("minimal.jsonl", `${JSON.stringify(minimal)}\n`), "-o", format]);
      expect(run.code, `${format}: ${run.stderr}`).toBe(1);
    }
    const run = await runInProcess(["report", file("minimal.jsonl", `${JSON.stringify(minimal)}\n`), "-o", "json"]);
    expect(JSON.parse(run.stdout).results[0]).toMatchObject({
      vm: { name: "vm1", resourceGroup: "rg1" },
      checks: [{ title: "storage-firewall", reason: "(no reason in the saved result)" }],
    });
  });

  it("an empty title or reason is told as a missing one is (the schema wants them non-empty)", async () => {
    const hollow = {
      vm: { id: VM.id, subscriptionId: "s1" },
      checks: [{ id: "storage-firewall", status: "error", title: "", reason: "" }],
    };
    const run = await runInProcess(["report", file("hollow.jsonl", `${JSON.stringify(hollow)}\n`), "-o", "json"]);
    expect(run.code, run.stderr).toBe(3);
    expect(JSON.parse(run.stdout).results[0].checks[0]).toMatchObject({
      title: "storage-firewall",
      reason: "(no reason in the saved result)",
    });
  });

  it("evidence nested far deeper than sc-doctor writes: a usage error, not a stack overflow", async () => {
    // Built as text: JSON.stringify itself overflows at this depth.
    const deep = `${"[".repeat(9000)}"x"${"]".repeat(9000)}`;
    const line = JSON.stringify(result("ready", "pass")).replace('"evidence":{}', `"evidence":{"a":${deep}}`);
    const run = await runInProcess(["report", file("deep.jsonl", `${line}\n`), "-o", "json"]);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(/nested deeper than/);
  });

  it("fill-ins stay what the JSON schema allows; values it does not are refused", async () => {
    const line = result("unknown", "error");
    delete (line.checks[0] as { reason?: string }).reason;
    const run = await runInProcess(["report", file("noreason.jsonl", `${JSON.stringify(line)}\n`), "-o", "json"]);
    expect(run.code, run.stderr).toBe(3);
    expect(JSON.parse(run.stdout).results[0].checks[0].reason).not.toBe("");
    for (const [change, message] of [[{ partial: "yes" }, /partial is "yes", not true/]] as const) {
      const bad = await runInProcess(["report", file("bad.jsonl", `${JSON.stringify({ ...result("ready", "pass"), ...change })}\n`)]);
      expect(bad.code, bad.stderr).toBe(2);
      expect(bad.stderr).toMatch(message);
    }
    const negative = result("ready", "pass");
    Object.assign(negative.checks[0] as object, { durationMs: -1 });
    const run2 = await runInProcess(["report", file("neg.jsonl", `${JSON.stringify(negative)}\n`)]);
    expect(run2.code).toBe(2);
    expect(run2.stderr).toMatch(/durationMs is not a number of milliseconds/);
    // 1e400 parses as Infinity, which JSON writes as null (schema-invalid) and JUnit as time="Infinity" (not xs:decimal).
    const endless = JSON.stringify(result("ready", "pass")).replace('"durationMs":0', '"durationMs":1e400');
    for (const format of ["json", "junit"]) {
      const run3 = await runInProcess(["report", file("endless.jsonl", `${endless}\n`), "-o", format]);
      expect(run3.code, `${format}: ${run3.stdout}`).toBe(2);
      expect(run3.stderr).toMatch(/durationMs is not a number of milliseconds/);
    }
  });

  it("a subscription id of __proto__ is counted under its own name, not lost, with --redact too", async () => {
    const proto = { ...result("blocked", "fail"), vm: { ...result("blocked", "fail").vm, subscriptionId: "__proto__" } };
    const other = result("blocked", "fail");
    other.vm = { ...other.vm, id: other.vm.id.replace(/vm1$/, "vm2"), name: "vm2" };
    const input = file("proto.jsonl", `${JSON.stringify(proto)}\n${JSON.stringify(other)}\n`);
    for (const extra of [[], ["--redact"]]) {
      const run = await runInProcess(["report", input, "-o", "json", ...extra]);
      expect(run.code, run.stderr).toBe(1);
      expect(Object.keys(JSON.parse(run.stdout).summary.bySubscription)).toHaveLength(2);
    }
  });

  it("a __proto__ key before a key redaction changes is kept, and a refused object's ids are not shown cut", async () => {
    const sub = "0a1b2c3d-0000-4000-8000-000000000001";
    const line = result("ready", "pass");
    Object.assign(line.checks[0] as object, { evidence: JSON.parse(`{"__proto__":{"a":1},"subscriptionId":"${sub}"}`) });
    const run = await runInProcess(["report", file("proto-evidence.jsonl", `${JSON.stringify(line)}\n`), "-o", "json", "--redact"]);
    expect(run.code, run.stderr).toBe(0);
    expect(Object.keys(JSON.parse(run.stdout).results[0].checks[0].evidence)).toEqual(["__proto__", "subscriptionId"]);
    const refused = {
      ...result("ready", "pass"),
      vm: { ...result("ready", "pass").vm, scaleSet: { id: `/subscriptions/${sub}/resourceGroups/rg` } },
    };
    const bad = await runInProcess(["report", file("obj.jsonl", `${JSON.stringify(refused)}\n`), "--redact"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/vm\.scaleSet is not a string: an object/);
    expect(bad.stderr).not.toContain(sub.slice(0, 20));
  });

  it("what the audit writes for a VM whose id it could not read (empty subscription id) merges", async () => {
    const unreadable = {
      ...result("unknown", "error"),
      vm: { id: "(a VM row without an id)", name: "", resourceGroup: "", subscriptionId: "" },
    };
    const run = await runInProcess(["report", file("unreadable.jsonl", `${JSON.stringify(unreadable)}\n`), "-o", "json"]);
    expect(run.code, run.stderr).toBe(3);
  });

  it("anything nested far deeper than sc-doctor writes, in any field: a usage error", async () => {
    const deep = `${"[".repeat(9000)}"x"${"]".repeat(9000)}`;
    const line = JSON.stringify(result("ready", "pass")).replace('"verdict"', `"extra":${deep},"verdict"`);
    const run = await runInProcess(["report", file("deep-extra.jsonl", `${line}\n`), "-o", "json"]);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(/nested deeper than/);
  });

  it("with --redact, a refused file named after a subscription is not named in full", async () => {
    const sub = "00000000-0000-0000-0000-000000000002";
    const run = await runInProcess(["report", file(`${sub}.jsonl`, "not json\n"), "--redact"]);
    expect(run.code).toBe(2);
    expect(run.stderr).not.toContain(sub);
    expect(run.stderr).toContain("<guid>.jsonl");
  });

  it("with --redact, a note naming a file after a subscription id masks it", async () => {
    const sub = "00000000-0000-0000-0000-000000000001";
    const line = result("ready", "fail"); // a verdict to recompute: the note names the file
    const run = await runInProcess(["report", file(`${sub}.jsonl`, `${JSON.stringify(line)}\n`), "--redact", "-o", "json"]);
    expect(run.stderr).toMatch(/recomputed/);
    expect(run.stderr).not.toContain(sub);
    expect(run.stdout).not.toContain(sub);
  });

  it("a future check id that names an Object member is counted under its own name", async () => {
    const line = result("blocked", "fail");
    Object.assign(line.checks[0] as object, { id: "constructor" });
    const run = await runInProcess(["report", file("ctor.jsonl", `${JSON.stringify(line)}\n`), "-o", "json"]);
    expect(run.code, run.stderr).toBe(1);
    expect(JSON.parse(run.stdout).summary.byCheck).toEqual({ constructor: { fail: 1, warn: 0, error: 0 } });
  });

  it("an empty input beside others (a shard that drew no VM) is fine, and a consistent result reads as before", async () => {
    const run = await emptyBesideOne("none.jsonl");
    expect(run.code, run.stderr).toBe(1);
    expect(JSON.parse(run.stdout).summary).toMatchObject({ vms: 1, blocked: 1 });
  });
});

describe("report: an input written by an audit that failed (a CI shard that could not sign in)", () => {
  const ready = `${JSON.stringify(result("ready", "pass"))}\n`;
  const blocked = `${JSON.stringify(result("blocked", "fail"))}\n`;
  /** What `audit -o <format>` writes when sign-in fails (an AZURE_TOKEN_CREDENTIALS value it does not know). */
  const failedAudit = async (format: "json" | "jsonl") => {
    const run = await runInProcess(["audit", "-o", format, "--no-network"], { AZURE_TOKEN_CREDENTIALS: "AzureCLI" });
    expect(run.code, run.stderr).toBe(3);
    return run.stdout;
  };
  const SAID =
    /shard-2\.json[l]?: the audit that wrote it failed \(AuthenticationFailed: authentication failed: Invalid value for AZURE_TOKEN_CREDENTIALS = AzureCLI\..*\); its VMs are not in this report/;

  it("a jsonl audit that failed after streaming results: those are merged, and stderr says only the rest are missing", async () => {
    const error = { schemaVersion: 1, tool: { name: "sc-doctor", version: "0.1.0" }, error: { code: "FleetNotEnumerated", message: "x" } };
    const run = await runInProcess(["report", file("partial.jsonl", `${blocked}${JSON.stringify(error)}\n`), "-o", "json"]);
    expect(JSON.parse(run.stdout).summary).toMatchObject({ vms: 1, blocked: 1 });
    expect(run.stderr).toMatch(
      /partial\.jsonl: line 2: an audit failed \(FleetNotEnumerated: x\); the VMs it did not evaluate are not in this report/,
    );
  });

  it.each(["json", "jsonl"] as const)(
    "its -o %s error document: the other shards render, stderr says which failed and why, exit 3",
    async (format) => {
      const failed = file(`shard-2.${format}`, await failedAudit(format));
      const run = await runInProcess(["report", file("shard-1.jsonl", ready), failed, "-o", "json"]);
      expect(run.code, run.stderr).toBe(3);
      expect(run.stderr).toMatch(SAID);
      expect(JSON.parse(run.stdout).summary).toMatchObject({ vms: 1, ready: 1 });
      const withFindings = await runInProcess(["report", file("shard-1.jsonl", blocked), failed, "-o", "json"]);
      expect(withFindings.code, withFindings.stderr).toBe(1);
      expect(withFindings.stderr).toMatch(SAID);
      // As the failed audit itself exited: 3 with --exit-zero too (its run did not complete).
      const exitZero = await runInProcess(["report", failed, "--exit-zero", "-o", "json"]);
      expect(exitZero.code, exitZero.stderr).toBe(3);
      expect(exitZero.stderr).toMatch(SAID);
    },
  );

  it("shards' jsonl concatenated (cat shard-*.jsonl | report -): the error line is the failed shard, the rest merge", async () => {
    const other = { ...result("ready", "pass"), vm: { ...result("ready", "pass").vm, id: VM.id.replace("vm1", "vm2"), name: "vm2" } };
    const stdin = `${ready}${await failedAudit("jsonl")}${JSON.stringify(other)}\n`;
    const run = await runInProcess(["report", "-", "-o", "json"], {}, 60_000, stdin);
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toMatch(/stdin: line 2: an audit failed \(AuthenticationFailed: /);
    expect(JSON.parse(run.stdout).summary).toMatchObject({ vms: 2, ready: 2 });
  });

  it("a message with terminal escapes is shown without them", async () => {
    const doc = {
      schemaVersion: 1,
      tool: { name: "sc-doctor", version: "0.1.0" },
      error: { code: "VmNotFound", message: "vm\u001b[2J gone" },
    };
    const run = await runInProcess(["report", file("escapes.json", JSON.stringify(doc)), "-o", "json"]);
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toContain("escapes.json: the audit that wrote it failed (VmNotFound: vm gone)");
  });

  it("an empty .json input (-o json writes a document even for no VM) is one too: the others render, exit 3 or 1", async () => {
    const alone = await runInProcess(["report", file("failed.json", ""), file("shard-1.jsonl", ready), "-o", "json"]);
    expect(alone.code, alone.stderr).toBe(3);
    expect(alone.stderr).toMatch(
      /failed\.json is empty: 'sc-doctor audit -o json' writes a document even for no VM, so the audit that wrote it failed \(see its exit code and stderr\); its VMs are not in this report/,
    );
    expect(JSON.parse(alone.stdout).summary).toMatchObject({ vms: 1, ready: 1 });
    const run = await emptyBesideOne("failed.json");
    expect(run.code, run.stderr).toBe(1);
    expect(JSON.parse(run.stdout).summary).toMatchObject({ vms: 1, blocked: 1 });
  });
});

describe("report: the merged document records each input written by an audit that failed (summary.failedInputs)", () => {
  const ready = `${JSON.stringify(result("ready", "pass"))}\n`;
  const SUB = "00000000-0000-0000-0000-000000000001";
  const OTHER = "00000000-0000-0000-0000-000000000009";
  const errorDoc = (code: string, message: string) =>
    JSON.stringify({ schemaVersion: 1, tool: { name: "sc-doctor", version: "0.1.0" }, error: { code, message } });
  const failedInputs = (stdout: string) => (parseAuditJson(stdout).summary as { failedInputs?: unknown }).failedInputs;

  it("an error document, a line of concatenated jsonl and an empty .json: each named, with its code and message", async () => {
    const shard2 = file("shard-2.json", errorDoc("AuthenticationFailed", "authentication failed: no credential"));
    const empty = file("shard-3.json", "");
    const stdin = `${errorDoc("ResourceGraphFailed", "query refused")}\n${ready}`;
    const run = await runInProcess(["report", shard2, empty, "-", "-o", "json"], {}, 60_000, stdin);
    expect(run.code, run.stderr).toBe(3);
    expect(failedInputs(run.stdout)).toEqual([
      { input: shard2, code: "AuthenticationFailed", message: "authentication failed: no credential" },
      { input: empty, code: "Empty", message: expect.stringMatching(/^empty: 'sc-doctor audit -o json' writes a document even for no VM/) },
      { input: "stdin", line: 1, code: "ResourceGraphFailed", message: "query refused" },
    ]);
    const complete = await runInProcess(["report", file("complete.jsonl", ready), "-o", "json"]);
    expect(failedInputs(complete.stdout)).toBeUndefined();
  });

  it("every format people read says it where it says a subscription not audited; stderr says it once", async () => {
    const shard2 = file("formats-2.json", errorDoc("AuthenticationFailed", "no credential"));
    const ready1 = file("formats-1.jsonl", ready);
    const said = `input ${shard2} was not merged: the audit that wrote it failed (AuthenticationFailed: no credential)`;
    for (const format of ["table", "markdown", "html", "junit", "sarif"]) {
      const run = await runInProcess(["report", ready1, shard2, "-o", format]);
      expect(run.code, run.stderr).toBe(3);
      expect(
        format === "sarif" ? JSON.parse(run.stdout).runs[0].invocations[0].toolExecutionNotifications[0].message.text : run.stdout,
      ).toContain(said);
    }
    const json = await runInProcess(["report", ready1, shard2, "-o", "json"]);
    expect(json.stderr).toMatch(/; 1 input from a failed audit not merged\n/);
    expect(json.stderr.match(/the audit that wrote it failed/g)).toHaveLength(1);
  });

  it("a later report of that merged document carries them over, says them on stderr, and exits 3 again", async () => {
    const shard2 = file("carried-2.json", errorDoc("AuthenticationFailed", "authentication failed: no credential"));
    const first = await runInProcess(["report", file("carried-1.jsonl", ready), shard2, "-o", "json"]);
    const merged = file("merged.json", first.stdout);
    const again = await runInProcess(["report", merged, "-o", "json"]);
    expect(again.code, again.stderr).toBe(3);
    expect(failedInputs(again.stdout)).toEqual(failedInputs(first.stdout));
    expect(again.stderr).toContain(`${shard2} (recorded in ${merged}): the audit that wrote it failed (AuthenticationFailed:`);
    expect(parseAuditJson(again.stdout).summary).toMatchObject({ vms: 1, ready: 1 });
  });

  it("--redact: ids in the message and the file name are masked", async () => {
    // Named after a subscription no other text of the report holds: only the name shows it.
    const shard = file(`${OTHER}.json`, errorDoc("SubscriptionNotFound", `subscription '${SUB}' not found in /subscriptions/${SUB}`));
    const run = await runInProcess(["report", shard, file("redact-1.jsonl", ready), "-o", "json", "--redact"]);
    expect(run.code, run.stderr).toBe(3);
    expect(run.stdout).toMatch(/<subscription-1>/);
    expect(run.stdout + run.stderr).not.toMatch(new RegExp(`${SUB}|${OTHER}`));
    expect(failedInputs(run.stdout)).toEqual([
      {
        input: expect.stringContaining("<guid>.json"),
        code: "SubscriptionNotFound",
        message: expect.stringContaining("/subscriptions/<subscription-1>"),
      },
    ]);
    // Merged without --redact, then reported with it: the names carried over are masked as the inputs' own are.
    const merged = file(
      "unredacted-merge.json",
      (await runInProcess(["report", shard, file("redact-2.jsonl", ready), "-o", "json"])).stdout,
    );
    const again = await runInProcess(["report", merged, "-o", "json", "--redact"]);
    expect(again.code, again.stderr).toBe(3);
    expect(again.stdout + again.stderr).not.toMatch(new RegExp(`${SUB}|${OTHER}`));
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

  it("a redacted input's labels in summary.unevaluatedSubscriptions count too; an empty input beside it does not", async () => {
    const audit = {
      schemaVersion: 1,
      summary: { unevaluatedSubscriptions: [{ subscriptionId: "<subscription-1>", reason: "403" }] },
      results: [],
    };
    const plain = file("plain.jsonl", `${JSON.stringify(result("blocked", "fail"))}\n`);
    const mixed = await runInProcess(["report", file("redacted.json", JSON.stringify(audit)), plain, "-o", "json"]);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toMatch(/redacted\.json was written with --redact/);
    const interrupted = {
      schemaVersion: 1,
      summary: { notEvaluated: [`/subscriptions/<subscription-1>/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/vm9`] },
      results: [],
    };
    const withNotEvaluated = await runInProcess(["report", file("interrupted.json", JSON.stringify(interrupted)), plain, "-o", "json"]);
    expect(withNotEvaluated.code).toBe(2);
    expect(withNotEvaluated.stderr).toMatch(/interrupted\.json was written with --redact/);
    const withEmpty = await runInProcess([
      "report",
      file("r1.jsonl", `${JSON.stringify(redacted(1, "vm1"))}\n`),
      file("e.jsonl", ""),
      "-o",
      "json",
    ]);
    expect(withEmpty.code, withEmpty.stderr).toBe(1);
  });

  it("one redacted input alone renders as before", async () => {
    const run = await runInProcess(["report", file("alone.jsonl", `${JSON.stringify(redacted(1, "vm1"))}\n`), "-o", "json"]);
    expect(run.code, run.stderr).toBe(1);
  });
});

describe("report: a subscription not audited in one input and audited in another", () => {
  const S1 = "00000000-0000-0000-0000-000000000001";
  const S2 = "00000000-0000-0000-0000-000000000002";
  const inS2 = { ...result("ready", "pass"), vm: { ...result("ready", "pass").vm, id: VM.id.replace(S1, S2), subscriptionId: S2 } };
  const doc = (generatedAt: string, scope: Record<string, unknown>, results: unknown[], unevaluated: string[] = []) =>
    JSON.stringify({
      schemaVersion: 1,
      tool: { name: "sc-doctor", version: "0.1.0" },
      generatedAt,
      scope,
      summary: {
        vms: results.length,
        ready: results.length,
        degraded: 0,
        blocked: 0,
        unknown: 0,
        byCheck: {},
        ...(unevaluated.length
          ? { unevaluatedSubscriptions: unevaluated.map((subscriptionId) => ({ subscriptionId, reason: "403" })) }
          : {}),
      },
      results,
    });
  const failed = (scope: Record<string, unknown> = { subscriptions: "all" }) =>
    file(`failed-${JSON.stringify(scope).replace(/\W/g, "")}.json`, doc("2026-12-01T01:00:00Z", scope, [result("ready", "pass")], [S2]));
  const report = async (...files: string[]) => {
    const run = await runInProcess(["report", ...files, "-o", "json"]);
    return {
      code: run.code,
      unevaluated: (JSON.parse(run.stdout) as { summary: { unevaluatedSubscriptions?: unknown[] } }).summary.unevaluatedSubscriptions,
    };
  };

  it("a later rerun naming that subscription clears it even when it holds no VM (it was read, and is empty)", async () => {
    const empty = file("rerun-empty.json", doc("2026-12-01T02:00:00Z", { subscriptions: [S2] }, []));
    expect(await report(failed(), empty)).toEqual({ code: 0, unevaluated: undefined });
  });

  it("report's own output records no scope: a merge is no audit, so it supersedes nothing", async () => {
    const rerun = file("rerun-for-merge.json", doc("2026-12-01T02:00:00Z", { subscriptions: [S2] }, [inS2]));
    const merged = (await runInProcess(["report", rerun, "-o", "json"])).stdout;
    expect((JSON.parse(merged) as { scope?: unknown }).scope).toBeUndefined();
    const remerged = file("remerged.json", merged);
    expect((await report(failed(), remerged)).unevaluated).toEqual([{ subscriptionId: S2, reason: "403" }]);
  });

  it("a later audit of all that holds none of its VMs (it may not have seen it): still not audited", async () => {
    const other = { ...result("ready", "pass"), vm: { ...result("ready", "pass").vm, id: VM.id.replace("vm1", "vm9"), name: "vm9" } };
    const all = file("all-without-s2.json", doc("2026-12-01T02:00:00Z", { subscriptions: "all" }, [other]));
    expect((await report(failed(), all)).unevaluated).toEqual([{ subscriptionId: S2, reason: "403" }]);
  });

  it("a shard stopped early (no scope, its top-level shard) and a later whole run of that shard: audited now, exit 0", async () => {
    const { scope: _none, ...stopped } = JSON.parse(doc("2026-12-01T01:00:00Z", {}, [result("ready", "pass")], [S2])) as Record<
      string,
      unknown
    >;
    const interrupted = file("interrupted-shard-1of2.json", JSON.stringify({ ...stopped, shard: "1/2" }));
    const rerun = file("rerun-shard-1of2.json", doc("2026-12-01T02:00:00Z", { subscriptions: "all", shard: "1/2" }, [inS2]));
    expect(await report(interrupted, rerun)).toEqual({ code: 0, unevaluated: undefined });
    // Another shard's whole run says nothing of this shard's share.
    const other = file("rerun-shard-2of2.json", doc("2026-12-01T02:00:00Z", { subscriptions: "all", shard: "2/2" }, [inS2]));
    expect((await report(interrupted, other)).unevaluated).toEqual([{ subscriptionId: S2, reason: "403" }]);
  });

  it("a later rerun of a subscription the failed run listed part way: the rerun's results stand in for its VMs there", async () => {
    const partlyListed = doc("2026-12-01T01:00:00Z", { subscriptions: "all" }, [result("ready", "pass"), inS2], []);
    const withReason = JSON.parse(partlyListed) as { summary: Record<string, unknown> };
    withReason.summary["unevaluatedSubscriptions"] = [{ subscriptionId: S2, reason: `${PARTLY_LISTED}1 VMs, which are audited: 429` }];
    // Listed there but not reached (interrupted), and gone by the rerun: the rerun says what S2 holds now.
    withReason.summary["notEvaluated"] = [inS2.vm.id.replace("vm1", "gone")];
    const first = file("partly-listed.json", JSON.stringify(withReason));
    const blockedInS2 = { ...inS2, verdict: "blocked", checks: [{ ...inS2.checks[0], status: "fail" }] };
    const rerun = file("rerun-partly.json", doc("2026-12-01T02:00:00Z", { subscriptions: [S2] }, [blockedInS2]));
    const run = await runInProcess(["report", first, rerun, "-o", "json"]);
    expect(run.code, run.stderr).toBe(1);
    const merged = JSON.parse(run.stdout) as { summary: Record<string, unknown>; results: { vm: { id: string }; verdict: string }[] };
    expect(merged.results.map((r) => [r.vm.id, r.verdict])).toEqual([
      [VM.id, "ready"],
      [inS2.vm.id, "blocked"],
    ]);
    expect(merged.summary["unevaluatedSubscriptions"]).toBeUndefined();
    // An earlier "rerun" is no rerun: the VM in both is the usage error it always was.
    const earlier = file("earlier-partly.json", doc("2026-12-01T00:00:00Z", { subscriptions: [S2] }, [blockedInS2]));
    expect((await runInProcess(["report", first, earlier, "-o", "json"])).code).toBe(2);
  });

  it("a later rerun of a subscription an interrupted run listed whole but did not finish evaluating: its results stand in", async () => {
    const stopped = JSON.parse(doc("2026-12-01T01:00:00Z", {}, [inS2])) as { scope?: unknown; summary: Record<string, unknown> };
    delete stopped.scope; // an interrupted run records none
    stopped.summary["notEvaluated"] = [inS2.vm.id.replace("vm1", "vm2")];
    const interrupted = file("interrupted-listed.json", JSON.stringify(stopped));
    const vm2 = { ...inS2, vm: { ...inS2.vm, id: inS2.vm.id.replace("vm1", "vm2"), name: "vm2" } };
    const rerun = file("rerun-listed.json", doc("2026-12-01T02:00:00Z", { subscriptions: [S2] }, [inS2, vm2]));
    const run = await runInProcess(["report", interrupted, rerun, "-o", "json"]);
    expect(run.code, run.stderr).toBe(0);
    const merged = JSON.parse(run.stdout) as { summary: Record<string, unknown>; results: unknown[] };
    expect(merged.results).toHaveLength(2);
    expect(merged.summary["notEvaluated"]).toBeUndefined();
  });

  it("shards that each missed a subscription, one interrupted: exit 3 and the interruption's reason, in either order", async () => {
    const shard = (name: string, shardOf: string, reason: string) =>
      file(
        name,
        JSON.stringify({
          ...(JSON.parse(doc("2026-12-01T01:00:00Z", {}, [])) as object),
          shard: shardOf,
          summary: {
            vms: 0,
            ready: 0,
            degraded: 0,
            blocked: 0,
            unknown: 0,
            byCheck: {},
            unevaluatedSubscriptions: [{ subscriptionId: S2, reason }],
          },
        }),
      );
    const interrupted = shard("interrupted-1of2.json", "1/2", UNLISTED_REASON);
    const timedOut = shard("timed-out-2of2.json", "2/2", "RequestTimeout: no answer within 3000 ms");
    for (const order of [
      [interrupted, timedOut],
      [timedOut, interrupted],
    ]) {
      const merged = await report(...order);
      expect(merged).toEqual({ code: 3, unevaluated: [{ subscriptionId: S2, reason: UNLISTED_REASON }] });
      expect((await runInProcess(["report", ...order, "-o", "json", "--exit-zero"])).code).toBe(3);
    }
  });

  it("a later rerun of that subscription: audited now, exit 0", async () => {
    const rerun = file("rerun.json", doc("2026-12-01T02:00:00Z", { subscriptions: [S2] }, [inS2]));
    expect(await report(failed(), rerun)).toEqual({ code: 0, unevaluated: undefined });
  });

  it.each([
    [
      "another shard of the same audit (it holds only its share)",
      { subscriptions: "all", shard: "1/2" },
      { subscriptions: "all", shard: "2/2" },
      "2026-12-01T02:00:00Z",
    ],
    ["a rerun of one resource group", { subscriptions: "all" }, { subscriptions: [S2], resourceGroups: ["rg1"] }, "2026-12-01T02:00:00Z"],
    ["a rerun with --where", { subscriptions: "all" }, { subscriptions: "all", where: "name startswith 'a'" }, "2026-12-01T02:00:00Z"],
    ["an earlier run", { subscriptions: "all" }, { subscriptions: [S2] }, "2026-12-01T00:00:00Z"],
  ])("%s: still not audited, exit 3", async (_, failedScope, otherScope, when) => {
    const other = file(`other-${JSON.stringify(otherScope).replace(/\W/g, "")}-${when.slice(11, 13)}.json`, doc(when, otherScope, [inS2]));
    const merged = await report(failed(failedScope), other);
    expect(merged.code).toBe(3);
    expect(merged.unevaluated).toEqual([{ subscriptionId: S2, reason: "403" }]);
  });
});

describe("report: shards of a split merged", () => {
  const shard = (name: string, shardOf: string) =>
    file(
      name,
      JSON.stringify({
        schemaVersion: 1,
        tool: { name: "sc-doctor", version: "0.1.0" },
        generatedAt: "2026-12-01T01:00:00Z",
        scope: { subscriptions: "all", shard: shardOf },
        shard: shardOf,
        summary: { vms: 0, ready: 0, degraded: 0, blocked: 0, unknown: 0, byCheck: {} },
        results: [],
      }),
    );
  const said = async (...shards: string[]) =>
    (await runInProcess(["report", ...shards.map((s) => shard(`shard-${s.replace("/", "of")}.json`, s)), "-o", "json", "-q"])).stderr;

  it("a shard of the split missing among the inputs is named on stderr (its VMs are not in the report)", async () => {
    expect(await said("1/3", "3/3")).toContain("sc-doctor: shard 2/3 is not among the inputs: its VMs are not in this report\n");
    expect(await said("2/4")).toContain("shards 1/4, 3/4, 4/4 are not among the inputs: their VMs are not in this report");
    expect(await said("1/3", "2/3", "3/3")).not.toContain("shard");
  });

  it("a complete run of no shard among them holds every shard's VMs: no note", async () => {
    const whole = file(
      "whole.json",
      JSON.stringify({
        schemaVersion: 1,
        tool: { name: "sc-doctor", version: "0.1.0" },
        generatedAt: "2026-12-01T02:00:00Z",
        scope: { subscriptions: "all" },
        summary: { vms: 0, ready: 0, degraded: 0, blocked: 0, unknown: 0, byCheck: {} },
        results: [],
      }),
    );
    const run = await runInProcess(["report", shard("shard-1of2-again.json", "1/2"), whole, "-o", "json", "-q"]);
    expect(run.stderr).not.toContain("shard");
  });

  it("a shard given as jsonl (which records no shard) is not called missing", async () => {
    const one = result("ready", "pass");
    const jsonl = file("shard-2of2.jsonl", `${JSON.stringify({ ...one, vm: { ...one.vm, id: `${VM.id}-2`, name: "vm1-2" } })}\n`);
    const run = await runInProcess(["report", shard("shard-1of2-json.json", "1/2"), jsonl, "-o", "json", "-q"]);
    expect(run.stderr).not.toContain("not among the inputs");
  });

  it("shards of different splits are said to be no one audit", async () => {
    expect(await said("1/3", "2/4")).toContain("the inputs are shards of different splits (of 3, of 4)");
  });
});

describe("report: inputs that are no regular file", () => {
  it("a device that never ends (/dev/zero) is read in chunks and refused at its first line, not held whole", async () => {
    const run = await runInProcess(["report", "/dev/zero", "-o", "json"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("/dev/zero: line 1 is not JSON");
  });
});

describe("report: file names are echoed with their invisible characters shown, never sent to the terminal", () => {
  // An OSC title change, a BEL, a screen clear and a bidi override: bytes a file name may hold on Linux.
  const HOSTILE = "evil\u001b]0;PWNED\u0007\u001b[2J\u202e";
  const SHOWN = "evil\\u001b]0;PWNED\\u0007\\u001b[2J\\u202e";
  const INVISIBLE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/;
  const line = `${JSON.stringify(result("blocked", "fail"))}\n`;

  it.each([
    ["a line that is not JSON", () => [file(`${HOSTILE}.jsonl`, "notjson\n")], 2],
    ["a file that cannot be read", () => [join(dir, `${HOSTILE}-missing.jsonl`)], 2],
    ["an empty .json file", () => [file(`${HOSTILE}.json`, "")], 3],
    ["only empty inputs", () => [file(`${HOSTILE}-empty.jsonl`, "")], 0],
    ["a VM in two inputs", () => [file(`${HOSTILE}-a.jsonl`, line), file(`${HOSTILE}-b.jsonl`, line)], 2],
  ])("%s", async (_, inputs, code) => {
    const run = await runInProcess(["report", ...inputs(), "-o", "json"]);
    expect(run.code, run.stderr).toBe(code);
    expect(run.stderr).toContain(SHOWN);
    expect(run.stderr.replace(/\n/g, "")).not.toMatch(INVISIBLE);
  });
});

describe("report: the exit code of an interrupted audit's output", () => {
  it("VMs not evaluated make it 3, as the interrupted audit's own was — findings and --exit-zero too", async () => {
    const interrupted = {
      schemaVersion: 1,
      summary: { notEvaluated: [VM.id.replace("vm1", "vm9")] },
      results: [result("blocked", "fail")],
    };
    const input = file("interrupted-blocked.json", JSON.stringify(interrupted));
    expect((await runInProcess(["report", input, "-o", "json"])).code).toBe(3);
    expect((await runInProcess(["report", input, "-o", "json", "--exit-zero"])).code).toBe(3);
    // Whole: the findings decide.
    const whole = file("whole-blocked.json", JSON.stringify({ ...interrupted, summary: {} }));
    expect((await runInProcess(["report", whole, "-o", "json"])).code).toBe(1);
  });
});

describe("report: resource groups found nowhere", () => {
  const absentDoc = (scopeGroup: string, absent: string[], results: unknown[] = []) =>
    JSON.stringify({
      schemaVersion: 1,
      scope: { subscriptions: "all", resourceGroups: [scopeGroup] },
      summary: { ...(absent.length ? { absentResourceGroups: absent } : {}) },
      results,
    });

  it("one input's absent group that another input holds VMs of, or found empty in its subscriptions, exists: not carried", async () => {
    const nowhere = file("absent-rg1.json", absentDoc("RG1", ["RG1"]));
    const holding = file("holding-rg1.json", absentDoc("rg1", [], [result("blocked", "fail")]));
    const merged = await runInProcess(["report", nowhere, holding, "-o", "json"]);
    expect(merged.code, merged.stderr).toBe(1);
    expect(JSON.parse(merged.stdout).summary.absentResourceGroups).toBeUndefined();
    expect(merged.stderr).not.toContain("found nowhere");
    const empty = file("empty-rg1.json", absentDoc("rg1", []));
    expect((await runInProcess(["report", nowhere, empty, "-o", "json"])).code).toBe(0);
    // Alone it stays: exit 3, and csv has a row for it.
    const alone = await runInProcess(["report", nowhere, "-o", "csv"]);
    expect(alone.code).toBe(3);
    expect(alone.stdout).toContain("resource group RG1 was not found in any audited subscription");
  });

  it("a subscription an interruption left not all listed makes it 3, findings or not, as the audit exited", async () => {
    const interrupted = file(
      "interrupted-unlisted.json",
      JSON.stringify({
        schemaVersion: 1,
        summary: { unevaluatedSubscriptions: [{ subscriptionId: "00000000-0000-0000-0000-000000000002", reason: UNLISTED_REASON }] },
        results: [result("blocked", "fail")],
      }),
    );
    expect((await runInProcess(["report", interrupted, "-o", "json"])).code).toBe(3);
    expect((await runInProcess(["report", interrupted, "-o", "json", "--exit-zero"])).code).toBe(3);
  });
});

describe("report: a format that holds at most so much says on stderr what it left out", () => {
  const blocked = (n: number) =>
    Array.from({ length: n }, (_, i) => {
      const one = result("blocked", "fail");
      return JSON.stringify({ ...one, vm: { ...one.vm, id: `${VM.id}-${i}`, name: `vm1-${i}` } });
    }).join("\n");

  it("markdown: the 100 worst VMs of more not ready", async () => {
    const input = file("blocked-105.jsonl", blocked(105));
    const run = await runInProcess(["report", input, "-o", "markdown"]);
    expect(run.stderr).toContain(
      "sc-doctor: the Markdown details the 100 worst of 105 VMs that are not ready; -o json, -o csv or -o html hold them all\n",
    );
    expect((await runInProcess(["report", input, "-o", "markdown", "-q"])).stderr).not.toContain("worst");
    expect((await runInProcess(["report", file("blocked-100.jsonl", blocked(100)), "-o", "markdown"])).stderr).not.toContain("worst");
  });

  it("sarif: the 5,000 worst results of more", async () => {
    const run = await runInProcess(["report", file("blocked-5001.jsonl", blocked(5001)), "-o", "sarif"]);
    expect(run.stderr).toContain(
      "sc-doctor: the SARIF holds the 5,000 worst of 5,001 results (code scanning stores at most 5,000 per run); -o json holds them all\n",
    );
  });
});
