/**
 * Saved outputs too large for one string are read in pieces (src/commands/saved-pieces.ts): whatever the slice
 * size, the same results, gaps and refusals as reading the text whole (`parseSavedAudit`).
 */
import { describe, expect, it } from "vitest";
import { parseLargeSavedAudit, parseSavedAudit } from "../../src/commands/report.js";
import { readCapped } from "../../src/commands/text-input.js";
import { UsageError } from "../../src/commands/options.js";
import { SavedStructureError, fileChunks, savedPieces } from "../../src/commands/saved-pieces.js";
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeSavedText } from "../../src/commands/text-input.js";
import { forDrift } from "../../src/commands/audit-options.js";

const id = (name: string, sub = "00000000-0000-0000-0000-000000000001") =>
  `/subscriptions/${sub}/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/${name}`;
const result = (name: string, status = "pass", verdict = status === "fail" ? "blocked" : "ready") => ({
  vm: { id: id(name), name, resourceGroup: "rg1", subscriptionId: "00000000-0000-0000-0000-000000000001" },
  verdict,
  checks: [
    // Strings holding what the scanner must not take for structure: braces, brackets, quotes, a "results" key.
    {
      id: "subscription-state",
      title: 'a "quoted" {title} [x]',
      status,
      reason: 'results: [{"results": []}] \\ é ✓',
      durationMs: 1,
      evidence: { results: [1, { a: "}" }] },
    },
  ],
});
const document = (names: string[], summary: object = {}) => ({
  schemaVersion: 1,
  tool: { name: "sc-doctor", version: "1.0.0" },
  generatedAt: "2026-12-01T00:00:00.000Z",
  scope: { subscriptions: "all" },
  summary: { vms: names.length, ...summary },
  results: names.map((name, i) => result(name, i % 2 ? "fail" : "pass")),
});
const names = Array.from({ length: 12 }, (_, i) => `vm-${i}`);
const bytes = (text: string) => Buffer.from(text, "utf8");
const utf16 = (text: string, bigEndian = false) => {
  const body = Buffer.from(text, "utf16le");
  return bigEndian ? Buffer.concat([Buffer.from([0xfe, 0xff]), body.swap16()]) : Buffer.concat([Buffer.from([0xff, 0xfe]), body]);
};

const inputs: [string, Buffer][] = [
  ["-o json, pretty-printed", bytes(JSON.stringify(document(names), null, 2))],
  ["-o json on one line (jq -c)", bytes(JSON.stringify(document(names)))],
  [
    "-o json with gaps",
    bytes(
      JSON.stringify(
        document(names, {
          unevaluatedSubscriptions: [{ subscriptionId: "s2", reason: "403" }],
          notEvaluated: [id("later")],
          failedInputs: [{ input: "shard-2.json", code: "Empty", message: "empty" }],
        }),
        null,
        2,
      ),
    ),
  ],
  ["-o jsonl", bytes(names.map((name) => `${JSON.stringify(result(name))}\n`).join(""))],
  [
    "-o jsonl with a failed shard's error line",
    bytes(
      `${JSON.stringify(result("a"))}\n${JSON.stringify({ schemaVersion: 1, error: { code: "X", message: "m" } })}\n${JSON.stringify(result("b"))}\n`,
    ),
  ],
  ["one --vm -o json document", bytes(JSON.stringify({ schemaVersion: 1, ...result("vm-0") }, null, 2))],
  [
    "--vm -o json documents, one per line (jq -c)",
    bytes(names.map((name) => `${JSON.stringify({ schemaVersion: 1, ...result(name) })}\n`).join("")),
  ],
  ["UTF-8 with a byte order mark", Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes(JSON.stringify(document(names), null, 2))])],
  ["UTF-16LE (Windows PowerShell's Out-File)", utf16(JSON.stringify(document(names), null, 2))],
  ["UTF-16BE", utf16(names.map((name) => `${JSON.stringify(result(name))}\n`).join(""), true)],
];

describe("a large input read in pieces", () => {
  it.each(inputs)("%s: what reading it whole gives, at any slice size", (_, input) => {
    const whole = parseSavedAudit(decodeSavedText(input), "in.json");
    expect(whole.results.length).toBeGreaterThan(0);
    for (const slice of [2, 6, 64, 1000, 1 << 20]) expect(parseLargeSavedAudit([input], "in.json", slice), `slice ${slice}`).toEqual(whole);
  });

  it("chunks of any size (a file read in chunks, odd-sized ones splitting UTF-16 code units and the byte order mark)", () => {
    const chunked = (input: Buffer, size: number) =>
      Array.from({ length: Math.ceil(input.length / size) }, (_, i) => input.subarray(i * size, (i + 1) * size));
    for (const [, input] of inputs) {
      const whole = parseSavedAudit(decodeSavedText(input), "in.json");
      for (const size of [1, 3, 7, 4096])
        expect(parseLargeSavedAudit(chunked(input, size), "in.json", 5), `chunks of ${size}`).toEqual(whole);
    }
  });

  it("a file is read in chunks, as the whole file reads", () => {
    const path = join(mkdtempSync(join(tmpdir(), "sc-doctor-pieces-")), "audit.json");
    const input = inputs[2]![1];
    writeFileSync(path, input);
    expect(parseLargeSavedAudit(fileChunks(path), "in.json")).toEqual(parseSavedAudit(decodeSavedText(input), "in.json"));
  });

  it("a results key written with an escape is that key (as JSON.parse reads it)", () => {
    const text = JSON.stringify(document(names)).replace('"results":', '"\\u0072esults":');
    expect(JSON.parse(text).results).toHaveLength(names.length);
    expect(parseLargeSavedAudit([bytes(text)], "in.json", 64)).toEqual(parseSavedAudit(text, "in.json"));
  });

  it("each result is a piece of its own; the document keeps an empty results list", () => {
    const text = JSON.stringify(document(names.slice(0, 2)), null, 2);
    const pieces = [...savedPieces([bytes(text)], 8)];
    expect(pieces.map((piece) => piece.kind)).toEqual(["result", "result", "value"]);
    expect(JSON.parse(pieces[2]!.text)).toMatchObject({ schemaVersion: 1, results: [] });
    expect(JSON.parse(pieces[1]!.text)).toEqual(result("vm-1", "fail"));
    // Each on the line its text starts on: the results' own `{` lines, after the line that opens the list.
    const lines = text.split("\n");
    const opens = lines.flatMap((line, i) => (line === "    {" ? [i + 1] : []));
    expect(opens[0]).toBe(lines.findIndex((line) => line.includes('"results": [')) + 2);
    expect(pieces.map((piece) => piece.line)).toEqual([...opens, 1]);
  });

  it.each([
    [
      "cut short",
      JSON.stringify(document(names), null, 2).slice(0, 900),
      /in\.json: it ends inside the value that starts on line \d+: cut short/,
    ],
    ["text between values", `${JSON.stringify(result("a"))}\nnot json\n`, /in\.json: line 2 is not JSON/],
    [
      "a results list holding a string",
      JSON.stringify({ ...document([]), results: ["x"] }),
      /the results list holds something other than VM results/,
    ],
    ["two documents", `${JSON.stringify(document(["a"]))}\n${JSON.stringify(document(["b"]))}`, /several documents one after another/],
    [
      "a document after results",
      `${JSON.stringify(result("a"))}\n${JSON.stringify(document(["b"]))}`,
      /several documents one after another/,
    ],
    ["a result that is not JSON", '{"schemaVersion":1,"results":[{"vm": nope}]}', /in\.json: results\[0\] \(line 1\) is not JSON/],
    [
      "a result sc-doctor did not write",
      JSON.stringify({ ...document([]), results: [{ vm: {} }] }),
      /in\.json: results\[0\]: not an sc-doctor VM result/,
    ],
    ["a results key twice in one document", '{"schemaVersion":1,"results":[],"results":[]}', /line 1: a second "results" in one document/],
    [
      "two pretty-printed --vm documents one after another",
      `${JSON.stringify({ schemaVersion: 1, ...result("a") }, null, 2)}\n${JSON.stringify({ schemaVersion: 1, ...result("b") }, null, 2)}`,
      /several documents one after another/,
    ],
    ["malformed gaps", JSON.stringify(document(["a"], { notEvaluated: [5] })), /summary\.notEvaluated\[0\] is not a VM id/],
  ])("%s: a usage error naming the input", (_, text, message) => {
    expect(() => parseLargeSavedAudit([bytes(text)], "in.json", 64)).toThrow(message);
  });

  it.each([
    ["an empty element", (a: string, _b: string) => `{"results":[,${a}]}`],
    ["two elements without a comma", (a: string, b: string) => `{"results":[${a} ${b}]}`],
    ["a trailing comma", (a: string, _b: string) => `{"results":[${a},]}`],
    ["a comma before any element", () => '{"results":[,]}'],
  ])("a results list with %s: not JSON, as when read whole", (_, make) => {
    const text = make(JSON.stringify(result("a")), JSON.stringify(result("b")));
    expect(() => parseSavedAudit(text, "in.json")).toThrow(UsageError);
    expect(() => parseLargeSavedAudit([bytes(text)], "in.json", 3)).toThrow(/the results list is not JSON \(a missing or extra comma\)/);
  });

  it("a read that fails midway is the input's 'cannot read', not an internal error", () => {
    function* failing() {
      yield bytes('{"schemaVersion":1,"results":[');
      throw Object.assign(new Error("EIO: i/o error, read"), { code: "EIO" });
    }
    expect(() => parseLargeSavedAudit(failing(), "in.json")).toThrow(/^cannot read 'in\.json': EIO: i\/o error, read$/);
  });

  it("white space alone is blank (an empty -o json file: a failed audit's)", () => {
    expect(parseLargeSavedAudit([bytes(" \n\t\r\n ")], "in.json")).toMatchObject({ results: [], blank: true });
    expect(parseLargeSavedAudit([bytes('{"schemaVersion":1,"results":[]}')], "in.json").blank).toBeUndefined();
  });

  it("a reader that stops early closes the file", () => {
    const path = join(mkdtempSync(join(tmpdir(), "sc-doctor-pieces-")), "two.jsonl");
    writeFileSync(path, `${JSON.stringify(document(["a"]))}\n${JSON.stringify(document(["b"]))}\n`);
    const open = () => readdirSync("/proc/self/fd").length;
    const before = open();
    for (let i = 0; i < 20; i++) {
      expect(() => parseLargeSavedAudit(fileChunks(path), "two.jsonl")).toThrow(/several documents/);
    }
    expect(open()).toBeLessThanOrEqual(before + 1);
  });

  it("the scanner's own error carries the line (CRLF line ends count once)", () => {
    const lineOf = (text: string) => {
      try {
        [...savedPieces([bytes(text)])];
      } catch (error) {
        return error instanceof SavedStructureError ? error.line : undefined;
      }
      return undefined;
    };
    expect(lineOf('{"a":1}\n\n  x')).toBe(3);
    expect(lineOf('{"a":1}\r\n\r\n{"b":2}\r\nx')).toBe(4);
  });

  it("a value past the longest piece is refused by the line it starts on, before it is held whole (a string past V8's limit was exit 4)", () => {
    const line = (name: string) => `${JSON.stringify(document([name]).results[0])}\n`;
    // Line 2 lost its closing bracket: the rest of the input would join it.
    const damaged = `${line("a")}${line("b").replace(/}\n$/, "\n")}${line("c").repeat(200)}`;
    expect(() => [...savedPieces([bytes(damaged)], 64, 4096)]).toThrow(
      /the value that starts on line 2 runs past .* MiB: no sc-doctor output holds one that long/,
    );
    // Within the limit, ending inside it still says so, and names the missing bracket as a cause.
    expect(() => [...savedPieces([bytes(`${line("a")}${line("b").replace(/}\n$/, "\n")}`)], 64, 1 << 20)]).toThrow(
      /ends inside the value that starts on line 2: cut short .* or that value is missing a closing bracket/,
    );
    // A long value within the limit is read.
    expect([...savedPieces([bytes(line("a").repeat(3))], 64, 4096)]).toHaveLength(3);
  });
});

describe("a large --baseline read in pieces", () => {
  it("checks each result as report does, keeping of it what drift reads; the document's gaps and scope whole", () => {
    const saved = document(names, { unevaluatedSubscriptions: [{ subscriptionId: "s2", reason: "403" }] });
    const input = utf16(JSON.stringify(saved, null, 2));
    const whole = parseSavedAudit(decodeSavedText(input), "in.json");
    const read = parseLargeSavedAudit([input], "in.json", 64, forDrift);
    expect(read).toEqual({ ...whole, results: whole.results.map(forDrift) });
    const { vm, checks } = saved.results[1]!;
    // The reason of a check no flag switches off is not read by drift: dropped, with the VM's name and group.
    expect(read.results[1]).toEqual({
      vm: { id: vm.id, name: "", resourceGroup: "", subscriptionId: "" },
      verdict: "blocked",
      checks: checks.map(({ id, status }) => ({ id, title: "", status, reason: "", durationMs: 0, evidence: {} })),
    });
  });
});

describe("standard input read for report -", () => {
  it("stops at its cap with a usage error saying to pass a file (a producer that never ends took 6 GB in 40 s)", async () => {
    async function* endless() {
      for (;;) yield Buffer.from('{"a":1}\n'.repeat(100));
    }
    await expect(readCapped(endless(), 2 * 1024 * 1024, "save it to a file")).rejects.toThrow(
      "standard input holds more than 2 MiB: save it to a file",
    );
    async function* two() {
      yield Buffer.from("abc");
      yield "def";
    }
    await expect(readCapped(two(), 6, "")).resolves.toEqual(Buffer.from("abcdef"));
  });
});
