/**
 * Format × redaction × hostile, in-process on recorded results (test/fixtures/hostile-results.ts): for every
 * registered format, one VM and an audit, with and without --redact, the whole output pipeline (sanitise → mask
 * secrets → redact → format) and then the stdout/stderr filter must leave no escape, control or bidi character,
 * no injection and no secret. A format added to the registry is covered here without touching this file; the
 * built CLI is exercised once per format by cli-output.test.ts.
 */
import { describe, expect, it } from "vitest";
import { createCleaner, renderVmText } from "../../src/commands/render.js";
import { OUTPUT_FORMATS, loadFormat, redacts, type OutputFormat } from "../../src/report/formats.js";
import { maskSecrets } from "../../src/report/secrets.js";
import {
  ACCOUNT_KEY,
  HOSTILE_AUDIT,
  HOSTILE_VM,
  IDENTITY_HEADER,
  OWN_SECRETS,
  SAS_SIG,
  TOKEN,
  leaks,
} from "../fixtures/hostile-results.js";
import { csvProblems, htmlProblems, markdownProblems, terminalProblems, xmlProblems } from "./output-checks.js";

const meta = { tool: { name: "sc-doctor" as const, version: "1.2.3" }, generatedAt: "2026-11-25T02:00:00.000Z" };

/** `sc-doctor --vm … -o <format>` as written to stdout (through the stream filter). */
async function vmOutput(format: OutputFormat, redact: boolean): Promise<string> {
  const text = await renderVmText(format, HOSTILE_VM, meta, { redact, color: false, verbose: true, secrets: OWN_SECRETS });
  return maskSecrets(text, OWN_SECRETS);
}

/** `sc-doctor audit -o <format>` as written to stdout: the steps of src/commands/audit.ts, one cleaner for the run. */
async function auditOutput(format: OutputFormat, redact: boolean): Promise<string> {
  const formatter = await loadFormat(format);
  const masked = redacts(formatter, redact);
  const clean = createCleaner(OWN_SECRETS, masked);
  const results = HOSTILE_AUDIT.results.map(clean);
  const summary = clean(HOSTILE_AUDIT.summary);
  const text = formatter.formatResult
    ? results.map(formatter.formatResult).join("")
    : formatter.default({ ...meta, results, summary }, { redact: masked, color: false });
  return maskSecrets(text, OWN_SECRETS);
}

/** Checks a format adds to the terminal and secret checks every format gets. */
const FORMAT_PROBLEMS: Partial<Record<OutputFormat, (text: string) => string[]>> = {
  markdown: markdownProblems,
  junit: xmlProblems,
  csv: csvProblems,
  html: htmlProblems,
  json: (text) => parses(() => JSON.parse(text)),
  sarif: (text) => parses(() => JSON.parse(text)),
  jsonl: (text) =>
    parses(() =>
      text
        .trimEnd()
        .split("\n")
        .forEach((line) => JSON.parse(line)),
    ),
};

function parses(parse: () => unknown): string[] {
  try {
    parse();
    return [];
  } catch (error) {
    return [`not parseable: ${String(error)}`];
  }
}

function problemsIn(format: OutputFormat, text: string): string[] {
  return [...terminalProblems(text), ...(FORMAT_PROBLEMS[format]?.(text) ?? []), ...leaks(text).map((leak) => `leaks ${leak}`)];
}

const CASES = [
  { label: "one VM", render: vmOutput, redact: false },
  { label: "one VM, --redact", render: vmOutput, redact: true },
  { label: "audit", render: auditOutput, redact: false },
  { label: "audit, --redact", render: auditOutput, redact: true },
];

describe.each(OUTPUT_FORMATS)("-o %s", (format) => {
  it.for(CASES)("$label: no escape, control or bidi character, no injection, no secret", async ({ render, redact }) => {
    const text = await render(format, redact);
    expect(problemsIn(format, text)).toEqual([]);
    // The hostile text did reach the output (cleaned): otherwise this test proves nothing.
    expect(text).toMatch(/RED ALERT|txt\.exe|HYPERLINK/);
    // The forged status line never stands as a line of its own in the human formats.
    if (format === "table" || format === "markdown") expect(text).not.toMatch(/^\s*PASS\s+rbac-vm\s+forged/m);
  });
});

describe("the checkers themselves", () => {
  it("flag what they are meant to flag", () => {
    expect(terminalProblems("ok \u001b[31mred")).toHaveLength(1);
    expect(terminalProblems("abc\u202etxt")).toHaveLength(1);
    expect(markdownProblems("note <img src=x onerror=alert(1)>")).toHaveLength(1);
    expect(markdownProblems("note `<img src=x>` in code")).toEqual([]);
    expect(xmlProblems('<failure message="x"><img src=x></failure>')).toHaveLength(1);
    expect(csvProblems('id,reason\nvm1,"=HYPERLINK(""x"")"\n')).toHaveLength(1);
    expect(csvProblems("id,reason\nvm1,'=HYPERLINK(x)\n")).toEqual([]);
    expect(htmlProblems("<td><img src=x onerror=alert(1)></td>")).not.toEqual([]);
    expect(htmlProblems('<td><b onclick="x()">a</b></td>')).toHaveLength(1);
    expect(htmlProblems('<a href="https://evil.example/">x</a>')).toHaveLength(1);
    expect(htmlProblems("<script>a</script><script>b</script>")).toHaveLength(1);
    expect(htmlProblems('<td>&lt;img src=x onerror=alert(1)&gt;</td><a href="https://learn.microsoft.com/x">doc</a>')).toEqual([]);
    expect(FORMAT_PROBLEMS.jsonl?.('{"a":1}\n{"b":')).toHaveLength(1);
  });

  it("the leak detector recognises each secret", () => {
    expect(leaks(`x ${TOKEN} y`).length).toBeGreaterThan(0);
    expect(leaks(`https://a.blob.core.windows.net/?sv=1&${SAS_SIG}`)).toContain("a SAS signature");
    expect(leaks(`AccountKey=${ACCOUNT_KEY}`)).toContain("a storage account key");
    expect(leaks(`h=${IDENTITY_HEADER}`)).toContain("the IDENTITY_HEADER value");
    expect(leaks("sig=*** AccountKey=***")).toEqual([]);
  });

  it("the raw recorded results are hostile (every check above could fail)", () => {
    expect(leaks(JSON.stringify(HOSTILE_AUDIT)).length).toBeGreaterThanOrEqual(4);
    expect(terminalProblems(HOSTILE_VM.vm.name).length).toBeGreaterThan(0);
    expect(csvProblems(`name\n${HOSTILE_VM.vm.name.split(" ")[0]}\n`).length).toBeGreaterThan(0);
  });
});
