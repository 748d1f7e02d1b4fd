/** Each file format from plain `VmResult`s: content, structure, and validity against the published schemas. */
import { describe, expect, it } from "vitest";
import { parse } from "csv-parse/sync";
import formatCsv, { formatParts as formatCsvParts } from "../../src/report/csv.js";
import type { ReportInput } from "../../src/report/formats.js";
import formatJson, { formatParts as formatJsonParts } from "../../src/report/json.js";
import formatJsonl, { formatParts as formatJsonlParts } from "../../src/report/jsonl.js";
import formatJunit, { formatParts as formatJunitParts } from "../../src/report/junit.js";
import formatMarkdown, { MAX_MARKDOWN_VMS, collapsed, formatParts as formatMarkdownParts } from "../../src/report/markdown.js";
import formatSarif from "../../src/report/sarif.js";
import formatHtml, { MAX_VM_DETAILS } from "../../src/report/html.js";
import formatTable, { formatSummaryLine } from "../../src/report/table.js";
import { CHECK_IDS, type CheckId, type CheckResult } from "../../src/types.js";
import { BLOCKED, READY, summaryOf } from "../fixtures/results.js";
import { assertValidJunit, assertValidSarif } from "../fixtures/validate.js";
import { maskSecrets } from "../../src/report/secrets.js";

const meta = { tool: { name: "sc-doctor" as const, version: "1.2.3" }, generatedAt: "2026-11-25T02:00:00.000Z" };
const one = (result = BLOCKED): ReportInput => ({ ...meta, results: [result] });
const audit: ReportInput = { ...meta, results: [READY, BLOCKED], summary: summaryOf([READY, BLOCKED]) };
const opts = { redact: false, color: false };

/** A degraded VM (`web-d`) first, then `blocked` blocked ones (`web-0`…): a fleet whose worst come last. */
function degradedThenBlocked(blocked: number) {
  const degraded = { ...BLOCKED, verdict: "degraded" as const, vm: { ...BLOCKED.vm, id: `${BLOCKED.vm.id}-d`, name: "web-d" } };
  return [
    degraded,
    ...Array.from({ length: blocked }, (_, i) => ({ ...BLOCKED, vm: { ...BLOCKED.vm, id: `${BLOCKED.vm.id}-${i}`, name: `web-${i}` } })),
  ];
}

describe("markdown", () => {
  const md = formatMarkdown(one(), { redact: true, color: false });

  it("has everything a support ticket needs", () => {
    expect(md).toMatch(/^# Azure Serial Console diagnosis/);
    expect(md).toContain("**Verdict:** blocked");
    for (const fact of ["Standard\\_B2s", "Linux", "westeurope", "TrustedLaunch", "custom"]) expect(md).toContain(fact);
    expect(md).toMatch(/\| ❌ fail \| `storage-firewall` \| networkAcls\.defaultAction is Deny \|/);
    expect(md).toContain("**Documented error** (`storage-forbidden`");
    expect(md).toContain("Common errors within the Azure Serial Console (2025-10-16)");
    expect(md).toContain("**Mitigation:**");
    expect(md).toContain("az storage account network-rule add --account-name bootdiag01");
    expect(md).toContain("bbbbbbbb-1111-4222-8333-444444444444");
    expect(md).toContain("sc-doctor 1.2.3 at 2026-11-25T02:00:00.000Z");
    expect(md).toContain("are redacted");
  });

  it("audit: summary first, then only the VMs that are not ready", () => {
    const text = formatMarkdown(audit, { redact: true, color: false });
    expect(text.indexOf("## Summary")).toBeLessThan(text.indexOf("## VMs that are not ready"));
    expect(text).toContain("| 2 | 1 | 0 | 1 | 0 |");
    expect(text).toContain("### web-02 — BLOCKED");
    expect(text).not.toContain("### web-01");
  });

  it("an audit details at most MAX_MARKDOWN_VMS VMs, blocked first, and counts the rest (a comment or step summary has a size limit)", () => {
    const results = degradedThenBlocked(MAX_MARKDOWN_VMS + 4);
    const text = formatMarkdown({ ...meta, results, summary: summaryOf(results) }, { redact: true, color: false });
    expect(text.match(/^### .* — /gm)).toHaveLength(MAX_MARKDOWN_VMS);
    // The degraded VM came first in the audit: past the cap now, after every blocked one.
    expect(text.match(/^### .* — \w+$/m)?.[0]).toContain("BLOCKED");
    expect(text).not.toContain("### web-d");
    expect(text).toContain(
      `${MAX_MARKDOWN_VMS + 5} VMs are not ready; the ${MAX_MARKDOWN_VMS} worst are detailed here. Not detailed: 4 blocked, 1 degraded`,
    );
  });

  it("escapes what would break a table or inject markup", () => {
    const hostile = { ...BLOCKED, checks: [{ ...BLOCKED.checks[1]!, reason: "a | b `c` <img src=x> d\nnext line" }] };
    const text = formatMarkdown(one(hostile), opts);
    const row = text.split("\n").find((line) => line.includes("storage-firewall") && line.startsWith("|")) ?? "";
    expect(row.replace(/\\\|/g, "").split("|")).toHaveLength(5);
    expect(row).toContain("a \\| b \\`c\\` &lt;img src=x&gt; d next line");
    expect(text).not.toContain("<img");
  });

  it("a check id that is not one (from a hand-edited file given to `report`) is escaped like any text", () => {
    const id = "bad`id|<img src=x onerror=alert(1)>\n# x";
    const forged = {
      ...BLOCKED,
      checks: [{ ...BLOCKED.checks[1]!, id, documentedError: { id, message: "m" } }],
    } as unknown as typeof BLOCKED;
    const text = formatMarkdown({ ...audit, results: [forged], summary: summaryOf([forged]) }, opts);
    expect(text).not.toContain("<img");
    expect(text).not.toMatch(/^# x/m);
    const row = text.split("\n").find((line) => line.includes("bad") && line.startsWith("|")) ?? "";
    expect(row.replace(/\\\|/g, "").split("|")).toHaveLength(5);
  });
});

describe("junit", () => {
  it("is valid against the Ant JUnit schema, a suite per VM and a case per check", async () => {
    const xml = formatJunit(audit, opts);
    await assertValidJunit(xml);
    expect(xml.match(/<testsuite /g)).toHaveLength(2);
    expect(xml.match(/<testcase /g)).toHaveLength(READY.checks.length + BLOCKED.checks.length);
  });

  it("maps fail → failure, error → error, skip → skipped; warn passes and is listed in system-out", () => {
    const xml = formatJunit(one(), opts);
    expect(xml).toContain('tests="5" failures="1" errors="1" skipped="1"');
    expect(xml).toMatch(
      /<testcase name="storage-firewall"[^>]*>\s*<failure message="networkAcls.defaultAction is Deny" type="storage-forbidden">/,
    );
    expect(xml).toMatch(/<testcase name="rbac-vm"[^>]*>\s*<error /);
    expect(xml).toMatch(/<testcase name="storage-hns"[^>]*>\s*<skipped /);
    expect(xml).toMatch(/<testcase name="trusted-launch"[^>]*\/>/);
    expect(xml).toMatch(/<system-out>[^<]*WARN trusted-launch/);
  });

  it("with --fail-on warn, a warning (what fails the job) is a failure too", async () => {
    const xml = formatJunit(one(), { ...opts, failOn: "warn" });
    await assertValidJunit(xml);
    expect(xml).toContain('tests="5" failures="2" errors="1" skipped="1"');
    expect(xml).toMatch(/<testcase name="trusted-launch"[^>]*>\s*<failure /);
    expect(formatJunit(one(), { ...opts, failOn: "fail" })).toBe(formatJunit(one(), opts));
  });

  it("stays valid XML whatever the text holds", async () => {
    const nasty = {
      ...BLOCKED,
      vm: { ...BLOCKED.vm, name: "a<b>&\"'\u0001\u0000\ud800 c" },
      checks: BLOCKED.checks.map((c) => ({ ...c, reason: "]]> <x/> & \u0007" })),
    };
    const xml = formatJunit(one(nasty), opts);
    await assertValidJunit(xml);
    expect(xml).toContain(`name="${BLOCKED.vm.resourceGroup}/a&lt;b&gt;&amp;&quot;&apos; c"`);
  });
});

describe("csv", () => {
  it("masking the text on the stream (src/report/secrets.ts) never merges fields: a field holding an apostrophe is quoted", () => {
    // A reason ending in `password='abc` and a later field with an apostrophe: unquoted, the masking ran between them.
    const hostile = {
      ...BLOCKED,
      checks: BLOCKED.checks.map((c) => ({ ...c, reason: "sshd said: password='abc", mitigation: "Reset the VM's password" })),
    };
    const text = formatCsv(one(hostile), opts);
    const rows = parse(maskSecrets(text, [], true), { relax_column_count: true }) as string[][];
    expect(rows.map((row) => row.length)).toEqual(rows.map(() => rows[0]?.length));
  });

  it("a header and a row per check per VM, RFC 4180 round trip", () => {
    const text = formatCsv(audit, opts);
    expect(text).toContain("\r\n");
    const rows = parse(text, { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(READY.checks.length + BLOCKED.checks.length);
    const firewall = rows.find((r) => r["check_id"] === "storage-firewall");
    expect(firewall).toMatchObject({ vm_name: "web-02", status: "fail", documented_error_id: "storage-forbidden", verdict: "blocked" });
    expect(firewall?.["documented_error"]).toContain('"Forbidden"');
  });

  it("quotes every cell with a line break (two fix commands), so a row is one CRLF-ended line outside quotes", () => {
    const twoFixes = { ...BLOCKED, checks: BLOCKED.checks.map((c) => ({ ...c, fix: ["az one --x", "az two --y"], reason: "a\rb" })) };
    const text = formatCsv(one(twoFixes), opts);
    const outsideQuotes = text.replace(/"(?:[^"]|"")*"/g, "");
    expect(outsideQuotes.split("\r\n").filter((line) => /[\r\n]/.test(line))).toEqual([]);
    const rows = parse(text, { columns: true, record_delimiter: "\r\n" }) as Record<string, string>[];
    expect(rows[0]?.["fix"]).toBe("az one --x\naz two --y");
  });

  it("defuses formulas: = + - @ tab CR", () => {
    for (const start of ["=", "+", "-", "@", "\t"]) {
      const evil = { ...BLOCKED, vm: { ...BLOCKED.vm, name: `${start}HYPERLINK("http://x")` } };
      const rows = parse(formatCsv(one(evil), opts), { columns: true }) as Record<string, string>[];
      expect(rows[0]?.["vm_name"]).toBe(`'${start}HYPERLINK("http://x")`);
    }
  });
});

describe("sarif", () => {
  it("is valid SARIF 2.1.0 with every check as a rule", () => {
    const text = formatSarif(audit, opts);
    assertValidSarif(text);
    const log = JSON.parse(text);
    const rules = log.runs[0].tool.driver.rules as {
      id: string;
      shortDescription: { text: string };
      help: { text: string };
      helpUri: string;
    }[];
    expect(rules.map((r) => r.id)).toEqual([...CHECK_IDS]);
    for (const rule of rules) {
      expect(rule.shortDescription.text.length).toBeGreaterThan(5);
      expect(rule.help.text).toContain(`--only ${rule.id}`);
      expect(rule.helpUri).toMatch(/^https:\/\//);
    }
  });

  it("a result per failed, warned or errored check, located at the VM", () => {
    const log = JSON.parse(formatSarif(one(), opts));
    const results = log.runs[0].results as {
      ruleId: string;
      level: string;
      kind: string;
      locations: { logicalLocations: { fullyQualifiedName: string }[]; physicalLocation: { artifactLocation: { uri: string } } }[];
    }[];
    expect(results.map((r) => [r.ruleId, r.level, r.kind])).toEqual([
      ["storage-firewall", "error", "fail"],
      ["trusted-launch", "warning", "fail"],
      ["rbac-vm", "none", "open"],
    ]);
    expect(results[0]?.locations[0]?.logicalLocations[0]?.fullyQualifiedName).toBe(BLOCKED.vm.id);
    expect(results[0]?.locations[0]?.physicalLocation.artifactLocation.uri).toBe(`azure${BLOCKED.vm.id.toLowerCase()}`);
  });
});

describe("json in parts (how audit and report write it: one string of a large fleet's document is past V8's limit)", () => {
  it("the parts make exactly the one document's text", () => {
    const many = Array.from({ length: 4_000 }, (_, i) => ({
      ...BLOCKED,
      vm: { ...BLOCKED.vm, id: `${BLOCKED.vm.id}-${i}`, name: `web-${i}` },
    }));
    const inputs: ReportInput[] = [
      audit,
      { ...audit, scope: { subscriptions: "all", shard: "1/2" } },
      { ...meta, results: [], summary: summaryOf([]) },
      one(),
      { ...meta, results: many, summary: summaryOf(many) },
    ];
    for (const input of inputs) expect([...formatJsonParts(input)].join("")).toBe(formatJson(input));
    const parts = [...formatJsonParts(inputs[4] as ReportInput)];
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(part.length).toBeLessThan(2 << 20);
    // csv the same way (about 7 KB per VM: one string passes the limit near 70,000 VMs).
    for (const input of inputs) expect([...formatCsvParts(input, opts)].join("")).toBe(formatCsv(input, opts));
    const csvParts = [...formatCsvParts(inputs[4] as ReportInput, opts)];
    expect(csvParts.length).toBeGreaterThan(1);
    for (const part of csvParts) expect(part.length).toBeLessThan(2 << 20);
    // junit: in parts, and the same document as before (suites joined by a newline).
    for (const input of inputs) {
      const suites = input.results.length;
      const text = [...formatJunitParts(input, opts)].join("");
      expect(text).toBe(formatJunit(input, opts));
      expect(text.match(/<testsuite /g)?.length ?? 0).toBeGreaterThanOrEqual(suites);
      expect(text).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites>\n[\s\S]*\n<\/testsuites>\n$/);
    }
    expect([...formatJunitParts(inputs[4] as ReportInput, opts)].length).toBeGreaterThan(1);
    // jsonl (report -o jsonl; the audit streams it line by line).
    for (const input of inputs) expect([...formatJsonlParts(input)].join("")).toBe(formatJsonl(input));
    expect([...formatJsonlParts(inputs[4] as ReportInput)].length).toBeGreaterThan(1);
  });
});

describe("html of a large fleet", () => {
  it("details at most MAX_VM_DETAILS VMs, blocked first; every VM stays in the table, linked only to a detail shown", () => {
    const results = degradedThenBlocked(MAX_VM_DETAILS + 5);
    const page = formatHtml({ ...meta, results, summary: summaryOf(results) }, opts);
    expect(page.match(/<details class="vm"/g)).toHaveLength(MAX_VM_DETAILS);
    expect(page).toContain(`Details of the first 2,000 of ${(MAX_VM_DETAILS + 6).toLocaleString("en-US")} (blocked first)`);
    // The degraded VM (first in the audit) is past the cap: in the table, not linked.
    expect(page).toContain("<td>web-d</td>");
    expect(page).not.toContain('href="#vm-0"');
    expect(page).toContain('href="#vm-1"');
    expect(page.match(/<tr(?: class="paged")? data-verdict=/g)).toHaveLength(results.length);
  });
});

describe("jsonl", () => {
  it("one VM result per line", () => {
    const lines = formatJsonl(audit, opts).trimEnd().split("\n");
    expect(lines.map((line) => JSON.parse(line).vm.name)).toEqual(["web-01", "web-02"]);
  });
});

describe("the validators can fail", () => {
  it("rejects a JUnit document the schema does not allow", async () => {
    await expect(assertValidJunit('<?xml version="1.0"?><testsuites><testsuite name="x"/></testsuites>')).rejects.toThrow(/invalid JUnit/);
  });
  it("rejects a SARIF log the schema does not allow", () => {
    expect(() => assertValidSarif(JSON.stringify({ version: "2.1.0", runs: [{ tool: { driver: {} } }] }))).toThrow(/invalid SARIF/);
  });
});

describe("junit suite names", () => {
  const copy = (name: string, resourceGroup: string, subscription = "00000000-0000-0000-0000-000000000001") => ({
    ...READY,
    vm: {
      ...READY.vm,
      name,
      resourceGroup,
      subscriptionId: subscription,
      id: `/subscriptions/${subscription}/resourceGroups/${resourceGroup}/providers/Microsoft.Compute/virtualMachines/${name}`,
    },
  });
  const names = (results: (typeof READY)[]) =>
    [...formatJunit({ ...meta, results }, opts).matchAll(/<testsuite [^>]*?\sname="([^"]*)"/g)].map((m) => m[1]);

  it("<resource group>/<name>, the same whatever else the report holds; the id when another subscription repeats both", async () => {
    const results = [
      copy("web", "rg-a"),
      copy("web", "rg-b"),
      copy("db", "rg-a"),
      copy("app", "rg-a"),
      copy("app", "rg-a", "00000000-0000-0000-0000-000000000002"),
    ];
    expect(names(results)).toEqual(["rg-a/web", "rg-b/web", "rg-a/db", results[3]?.vm.id, results[4]?.vm.id]);
    expect(names([copy("db", "rg-a")])).toEqual(["rg-a/db"]);
    await assertValidJunit(formatJunit({ ...meta, results }, opts));
  });
});

describe("an audit that did not cover everything says so in every format people read", () => {
  const SUB2 = "00000000-0000-0000-0000-000000000002";
  const summary = {
    ...summaryOf([READY, BLOCKED]),
    unevaluatedSubscriptions: [{ subscriptionId: SUB2, reason: "403 AuthorizationFailed: no read on the VM list" }],
    notEvaluated: [`/subscriptions/${SUB2}/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/late`],
  };
  const incomplete: ReportInput = { ...meta, results: [READY, BLOCKED], summary };

  it.each([
    ["table", () => formatTable(incomplete, opts)],
    ["markdown", () => formatMarkdown(incomplete, opts)],
    ["html", () => formatHtml(incomplete, opts)],
    ["junit", () => formatJunit(incomplete, opts)],
    ["sarif", () => formatSarif(incomplete, opts)],
  ])("%s: the subscription not audited, with Azure's reason, and the VMs not evaluated", async (format, render) => {
    const text = render();
    expect(text).toContain(`subscription ${SUB2} was not audited`);
    expect(text).toContain("no read on the VM list");
    expect(text).toContain("1 enumerated VM was not evaluated");
    if (format === "junit") await assertValidJunit(text);
    if (format === "sarif") {
      await assertValidSarif(text);
      expect(JSON.parse(text).runs[0].invocations[0].executionSuccessful).toBe(false);
    }
  });

  const failedInputs = [
    { input: "shard-2.json", code: "AuthenticationFailed", message: "authentication failed: no credential" },
    { input: "stdin", line: 3, code: "Empty", message: "empty: no document" },
  ];
  const withFailed: ReportInput = { ...meta, results: [READY], summary: { ...summaryOf([READY]), failedInputs } };

  it.each([
    ["table", () => formatTable(withFailed, opts)],
    ["markdown", () => formatMarkdown(withFailed, opts)],
    ["html", () => formatHtml(withFailed, opts)],
    ["junit", () => formatJunit(withFailed, opts)],
    ["sarif", () => formatSarif(withFailed, opts)],
  ])("%s (report): each input written by an audit that failed, with its code and message", async (format, render) => {
    const text = render();
    expect(text).toContain(
      "input shard-2.json was not merged: the audit that wrote it failed (AuthenticationFailed: authentication failed: no credential)",
    );
    expect(text).toContain("input stdin, line 3, was not merged: the audit that wrote it failed (Empty: empty: no document)");
    if (format === "junit") await assertValidJunit(text);
    if (format === "sarif") {
      await assertValidSarif(text);
      expect(JSON.parse(text).runs[0].invocations[0].executionSuccessful).toBe(false);
    }
  });

  it("csv: a row per gap, verdict unknown and status error, after the VMs' rows (a sheet without them reads as the whole fleet)", () => {
    const rows = parse(formatCsv({ ...incomplete, summary: { ...summary, failedInputs } }, opts), { columns: true }) as Record<
      string,
      string
    >[];
    const gaps = rows.slice(READY.checks.length + BLOCKED.checks.length);
    expect(
      gaps.map((row) => [row["vm_name"], row["resource_group"], row["subscription_id"], row["verdict"], row["status"], row["check_id"]]),
    ).toEqual([
      ["", "", "", "unknown", "error", ""],
      ["", "", "", "unknown", "error", ""],
      ["", "", SUB2, "unknown", "error", ""],
      ["late", "rg", SUB2, "unknown", "error", ""],
    ]);
    expect(gaps.map((row) => row["reason"])).toEqual([
      "input shard-2.json was not merged: the audit that wrote it failed (AuthenticationFailed: authentication failed: no credential)",
      "input stdin, line 3, was not merged: the audit that wrote it failed (Empty: empty: no document)",
      "subscription not audited: 403 AuthorizationFailed: no read on the VM list",
      "not evaluated: the run was interrupted",
    ]);
    expect(gaps[3]?.["vm_id"]).toBe(summary.notEvaluated[0]);
    expect([...formatCsvParts(incomplete, opts)].join("")).toBe(formatCsv(incomplete, opts));
  });

  it("csv: a uniform scale set instance not evaluated is named <set>_<instance>, as its evaluated rows are", () => {
    const instance = `/subscriptions/${SUB2}/resourceGroups/rg/providers/Microsoft.Compute/virtualMachineScaleSets/web/virtualMachines/2`;
    const text = formatCsv({ ...incomplete, summary: { ...summary, notEvaluated: [instance], unevaluatedSubscriptions: [] } }, opts);
    const rows = parse(text, { columns: true }) as Record<string, string>[];
    expect(rows.find((row) => row["vm_id"] === instance)?.["vm_name"]).toBe("web_2");
  });

  it("the summary line counts the inputs from failed audits", () => {
    expect(formatSummaryLine({ ...summary, failedInputs })).toMatch(
      /; 1 subscription not audited; 2 inputs from failed audits not merged\n$/,
    );
  });

  it("the summary line (stderr for the other formats) counts both", () => {
    expect(formatSummaryLine(summary)).toMatch(/; 1 not evaluated; 1 subscription not audited\n$/);
  });

  it("the summary line tells a subscription only partly audited from one not audited, and counts groups found nowhere", () => {
    const partly = {
      subscriptionId: "00000000-0000-0000-0000-000000000009",
      reason: "its enumeration stopped after 57 VMs, which are audited: 403",
    };
    const line = formatSummaryLine({
      ...summary,
      notEvaluated: [],
      unevaluatedSubscriptions: [...(summary.unevaluatedSubscriptions ?? []), partly],
      absentResourceGroups: ["rg-typo"],
    });
    expect(line).toMatch(/; 1 subscription not audited; 1 subscription only partly audited; 1 resource group found nowhere\n$/);
  });

  it("a complete audit's SARIF says the run succeeded, and no format mentions coverage", () => {
    expect(JSON.parse(formatSarif(audit, opts)).runs[0].invocations[0].executionSuccessful).toBe(true);
    for (const text of [formatTable(audit, opts), formatMarkdown(audit, opts), formatJunit(audit, opts)])
      expect(text).not.toMatch(/not audited|not covered/i);
  });

  it("table: an audit with --only says which checks its verdicts are about", () => {
    const only = (result: typeof READY) => ({
      ...result,
      partial: true as const,
      checks: result.checks.filter((c) => c.id === "power-state" || c.id === "boot-diagnostics"),
    });
    const results = [only(READY), only(BLOCKED)];
    const text = formatTable({ ...meta, results, summary: summaryOf(results) }, opts);
    expect(text).toMatch(
      new RegExp(`2 of ${CHECK_IDS.length} checks run \\((power-state, boot-diagnostics|boot-diagnostics, power-state)\\)`),
    );
    expect(formatTable(audit, opts)).not.toMatch(/checks run/);
  });

  it("markdown, html and sarif of an audit with --only say so too (a 'ready' count alone reads as a whole run)", async () => {
    const only = (result: typeof READY) => ({
      ...result,
      partial: true as const,
      checks: result.checks.filter((c) => c.id === "power-state"),
    });
    const results = [only(READY)];
    const input = { ...meta, results, summary: summaryOf(results) };
    const said = `verdicts are about the checks that ran: 1 of ${CHECK_IDS.length} checks run (power-state)`;
    expect(formatMarkdown(input, opts)).toContain(`**Partial run:** ${said}`);
    expect(formatHtml(input, opts)).toContain(`<strong>Partial run:</strong> ${said}`);
    const sarif = formatSarif(input, opts);
    await assertValidSarif(sarif);
    expect(JSON.parse(sarif).runs[0].invocations[0].toolExecutionNotifications).toEqual([
      expect.objectContaining({ level: "warning", message: { text: expect.stringContaining(said) } }),
    ]);
    for (const text of [formatMarkdown(audit, opts), formatHtml(audit, opts), formatSarif(audit, opts)])
      expect(text).not.toMatch(/checks run/);
    // A merge (report) of a partial run with a whole one: the note counts the VMs it is about.
    const mixed = [only(READY), BLOCKED];
    expect(formatMarkdown({ ...meta, results: mixed, summary: summaryOf(mixed) }, opts)).toContain(
      `**Partial run:** 1 of 2 VMs' verdicts are about the checks that ran: 1 of ${CHECK_IDS.length} checks run (power-state)`,
    );
  });

  it("table: a run whose every selected check skipped (--only network --no-network) says nothing was judged, not 'nothing found'", () => {
    const network: CheckResult = { ...(READY.checks[0] as CheckResult), id: "network", status: "skip", reason: "--no-network" };
    const skipped = { ...READY, partial: true as const, checks: [network] };
    const text = formatTable({ ...meta, results: [skipped] }, opts);
    expect(text.split("\n")[0]).toContain("nothing was judged: every check selected was skipped");
    expect(text).not.toContain("nothing found");
  });

  it("an audit whose every check that ran skipped (audit --only serial-log without --serial-log) says nothing was judged", () => {
    const serialLog: CheckResult = {
      ...(READY.checks[0] as CheckResult),
      id: "serial-log",
      status: "skip",
      reason: "audits read the serial log only with --serial-log",
    };
    const skipped = { ...READY, partial: true as const, checks: [serialLog] };
    const results = [skipped, skipped];
    expect(formatTable({ ...meta, results, summary: summaryOf(results) }, opts)).toMatch(
      /1 of \d+ checks run \(serial-log\) — nothing was judged: every check that ran was skipped/,
    );
    // One judged check anywhere: the verdicts are about something.
    const judged = [skipped, { ...READY, partial: true as const, checks: READY.checks.filter((c) => c.id === "power-state") }];
    expect(formatTable({ ...meta, results: judged, summary: summaryOf(judged) }, opts)).not.toMatch(/nothing was judged/);
  });

  it("junit and csv of a run with --only say the verdict is partial (a CI gate or a sheet would read it as whole)", async () => {
    const only = { ...READY, partial: true as const, checks: READY.checks.filter((c) => c.id === "power-state") };
    const junit = formatJunit({ ...meta, results: [only] }, opts);
    await assertValidJunit(junit);
    expect(junit).toContain('<property name="partial" value="true"/>');
    expect(junit).toContain(`verdict: ready (about the checks that ran: 1 of ${CHECK_IDS.length} checks run)`);
    expect(formatJunit(one(READY), opts)).not.toMatch(/partial|checks run/);
    const rows: Record<string, string>[] = parse(formatCsv({ ...meta, results: [only, BLOCKED] }, opts), { columns: true });
    expect(rows.map((row) => [row["vm_name"], row["partial"]])).toEqual([
      [only.vm.name, "true"],
      ...BLOCKED.checks.map(() => [BLOCKED.vm.name, ""]),
    ]);
  });
});

describe("table: a long reason", () => {
  it("cut in the list of checks, whole in the finding's details", () => {
    const tail = "which is why this is a warning and not a failure (see --legacy-storage-path)";
    const reason = `${"the storage account firewall admits the console but not the platform's writes, ".repeat(4)}${tail}`;
    const result = { ...BLOCKED, checks: BLOCKED.checks.map((c) => (c.status === "fail" ? { ...c, reason } : c)) };
    const text = formatTable({ ...meta, results: [result] }, { ...opts, width: 400 } as typeof opts);
    expect(text.replace(/\n +/g, " ")).toContain(tail);
    expect(text.split("\n").find((line) => line.includes("the storage account firewall admits"))).toMatch(/…/);
  });
});

describe("table: a finding with nothing more to say", () => {
  it("no details block: a header alone would repeat the list", () => {
    const bare = { id: "serial-log", title: "Serial log", status: "warn", reason: "short", durationMs: 1, evidence: {} } as const;
    const result = { ...BLOCKED, verdict: "degraded" as const, checks: [bare] };
    const text = formatTable({ ...meta, results: [result] }, opts);
    expect(text).toMatch(/WARN +serial-log +short/);
    expect(text).not.toMatch(/serial-log: Serial log/);
    expect(formatTable(one(), opts)).toMatch(/FAIL storage-firewall: /);
  });
});

describe("table: one failed read behind many errors", () => {
  const error = (
    id: CheckId,
    reason: string,
    statusCode: number,
    evidence: CheckResult["evidence"] = { operation: "the VM" },
  ): CheckResult => ({
    id,
    title: id,
    status: "error",
    reason,
    durationMs: 1,
    evidence: { statusCode, ...evidence },
  });
  const table = (checks: CheckResult[], quiet = false) =>
    formatTable({ ...meta, results: [{ ...BLOCKED, verdict: "unknown", checks }] }, { ...opts, quiet, width: 1000 } as typeof opts);
  const denied =
    "could not read the VM: 403 AuthorizationFailed — The client 'x' does not have authorization to perform action 'Microsoft.Compute/virtualMachines/read'";
  const broken = "could not read the VM: 200 PARSE_ERROR — not JSON";

  it("a refused read: each row names it briefly, one block gives Azure's whole answer and the access it needs", () => {
    const checks = (["provisioning-state", "power-state", "os-disk"] as const).map((id) => error(id, denied, 403));
    const text = formatTable({ ...meta, results: [{ ...BLOCKED, verdict: "unknown", checks }] }, { ...opts, width: 1000 } as typeof opts);
    expect(text.match(/does not have authorization/g)).toHaveLength(1);
    expect(text).toMatch(/ERROR +power-state +could not read the VM: 403 AuthorizationFailed \(see below\)/);
    expect(text).toMatch(/ERROR could not read the VM: 403 AuthorizationFailed \(3 checks\)\n  Reason: could not read the VM: 403/);
    expect(text).toMatch(/Access: .*Reader role covers every read/);
  });

  it("any other shared failure: whole in its first row, the others point at it; no access advice", () => {
    const checks = [error("provisioning-state", broken, 200), error("power-state", broken, 200)];
    const text = formatTable({ ...meta, results: [{ ...BLOCKED, verdict: "unknown", checks }] }, opts);
    expect(text).toMatch(/provisioning-state +could not read the VM: 200 PARSE_ERROR — not JSON/);
    expect(text).toMatch(/power-state +could not read the VM: 200 PARSE_ERROR \(as provisioning-state\)/);
    expect(text).not.toMatch(/Access:/);
  });

  it("--quiet has no block below the list: Azure's whole answer is in the first row, the others point at it", () => {
    const text = table(
      ["provisioning-state", "power-state"].map((id) => error(id as CheckId, denied, 403)),
      true,
    );
    expect(text.match(/does not have authorization/g)).toHaveLength(1);
    expect(text).toMatch(/power-state +could not read the VM: 403 AuthorizationFailed \(as provisioning-state\)/);
    expect(text).not.toMatch(/see below|Access:/);
  });

  it("timeouts that waited for different reads are not one failure", () => {
    const timeout = (id: CheckId, fact: string): CheckResult => ({
      ...error(id, "timeout", 0, {}),
      evidence: { timeoutMs: 100, waitingFor: [fact] },
    });
    const text = table([timeout("network", "network"), timeout("storage-firewall", "storage"), timeout("storage-hns", "storage")]);
    expect(text).toMatch(
      /storage-firewall +timeout — not evaluated within 100 ms \(--timeout\): no answer for the boot diagnostics storage account/,
    );
    expect(text).toMatch(/storage-hns +timeout \(as storage-firewall\)/);
    expect(text).not.toMatch(/as network/);
  });

  it("a storage firewall refusing this machine (a 403 from the blob, not a read Resource Manager refused): no access advice", () => {
    const blob = "the storage account refused this machine: 403 AuthorizationFailure — its firewall does not admit this machine's address";
    const text = table([error("serial-log", blob, 403, { refusedBy: "storage" })]);
    expect(text).not.toMatch(/Access:|see below/);
    expect(text.match(/firewall does not admit/g)).toHaveLength(1);
  });
});

describe("audit table: one failed read behind many errors of a VM", () => {
  it("its reason once per VM, the other rows point at it", () => {
    const denied = "could not read the VM: 403 AuthorizationFailed — The client 'x' does not have authorization";
    const checks = (["provisioning-state", "power-state"] as const).map((id) => ({
      id,
      title: id,
      status: "error" as const,
      reason: denied,
      durationMs: 1,
      evidence: { statusCode: 403, operation: "the VM" },
    }));
    const results = [{ ...BLOCKED, verdict: "unknown" as const, checks }];
    const text = formatTable({ ...meta, results, summary: summaryOf(results) }, opts);
    expect(text.match(/does not have authorization/g)).toHaveLength(1);
    expect(text).toMatch(/error power-state: could not read the VM: 403 AuthorizationFailed \(as provisioning-state\)/);
  });
});

describe("markdown in parts (an audit of 100,000 VMs that are not ready passes V8's longest string as one)", () => {
  it("collapsing blank lines piece by piece gives what collapsing the joined text gives", () => {
    const alphabet = ["\n", "\n\n", "\n\n\n", "a", "b\n", "\nc", ""];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % alphabet.length;
    for (let i = 0; i < 2000; i++) {
      const texts = Array.from({ length: 1 + (i % 6) }, () => Array.from({ length: 1 + (i % 4) }, () => alphabet[next()]).join(""));
      expect([...collapsed(texts)].join(""), JSON.stringify(texts)).toBe(texts.join("").replace(/\n{3,}/g, "\n\n"));
    }
  });

  it("the parts make the one document for a large fleet (its VM sections capped)", () => {
    const many = Array.from({ length: 3_000 }, (_, i) => ({
      ...BLOCKED,
      vm: { ...BLOCKED.vm, id: `${BLOCKED.vm.id}-${i}`, name: `web-${i}` },
    }));
    const input = { ...meta, results: many, summary: summaryOf(many) };
    const parts = [...formatMarkdownParts(input, opts)];
    expect(parts.join("")).toBe(formatMarkdown(input, opts));
    expect(parts.join("")).not.toMatch(/\n{3,}/);
    expect(parts.join("").match(/^### web-\d+ — BLOCKED$/gm)).toHaveLength(MAX_MARKDOWN_VMS);
  });
});
