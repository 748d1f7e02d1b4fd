/**
 * The audit's streamed jsonl line (src/report/jsonl.ts `formatCleanResult`) is serialised once and written as it is
 * when the cleaner can tell from the JSON text that sanitising and masking would change nothing: it must be the
 * same text as cleaning first, for every input — hostile characters, credential shapes and our own secrets included.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createCleaner } from "../../src/commands/render.js";
import { formatCleanResult, formatJsonLine } from "../../src/report/jsonl.js";
import type { VmResult } from "../../src/types.js";

const SECRETS = ["s3cr3t-value-1", 'quo"ted-secret', "back\\slash-secret"];
const KEY = `${"A".repeat(43)}b${"9".repeat(42)}==`;
const PIECES = [
  "vm-1",
  " ",
  "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg",
  "\u0000",
  "\u0008",
  "\r",
  "\n",
  "\t",
  "\u000c",
  "\u001b[31m",
  "\u007f",
  "\u0085",
  "\u202e",
  "\u200b",
  "\ufeff",
  "\\",
  "C:\\run",
  '"',
  "\ud800",
  "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig",
  "Bearer abcdefghijkl",
  "https://a.blob.core.windows.net/c/b?sv=1&sig=abc%2Bdef",
  "AccountKey=abc==",
  KEY,
  "==",
  "password=hunter2",
  "a password user",
  "x-identity-header: abcdef",
  // The pieces of the assignment-shaped patterns, for the generator to join in every way (quotes and whitespace JSON escapes).
  "password",
  "client_secret",
  "x-identity-header",
  ":",
  "=",
  "'",
  "\u000b",
  "\u00a0",
  "value",
  // Azure's names joined to a key, az's flags and PowerShell's (src/report/secrets.ts).
  "adminPassword",
  "ARM_CLIENT_SECRET",
  "--admin-password ",
  "-u a -p ",
  "ConvertTo-SecureString ",
  ...SECRETS,
];
const text = fc.array(fc.constantFrom(...PIECES), { maxLength: 6 }).map((parts) => parts.join(""));
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: "small" },
    text,
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie("node"), { maxLength: 3 }),
    fc.dictionary(text, tie("node"), { maxKeys: 3 }),
  ),
})).node;

describe("formatCleanResult", () => {
  it.each([
    [false, ["s3cr3t-value-1"]],
    [false, SECRETS],
    [true, SECRETS],
  ])("is formatJsonLine(clean(result)) for any result (redact %s, secrets %j)", (redact, secrets) => {
    fc.assert(
      fc.property(value, (result) => {
        const expected = formatJsonLine(createCleaner(secrets, redact)(result as VmResult));
        expect(formatCleanResult(result as VmResult, createCleaner(secrets, redact))).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it("writes a clean result as it is, without walking it, and cleans a hostile one", () => {
    const clean = createCleaner(["s3cr3t-value-1"], false);
    const plain = { vm: { id: "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1" }, checks: [] };
    expect(clean.leavesJsonAsIs?.(JSON.stringify(plain))).toBe(true);
    // A secret JSON would escape cannot be looked for in the text: such a cleaner always walks.
    expect(createCleaner(SECRETS, false).leavesJsonAsIs?.(JSON.stringify(plain))).toBe(false);
    const assignments = ["password\n= x", "client_secret'\t: y", "x-identity-header\u000b=z", 'password"\r\n:v', "PASSWORD\u00a0=w"];
    for (const piece of ["\u001b[31m", "\r", "\u0085", "\u202e", "sig=abc", KEY, "s3cr3t-value-1", ...assignments]) {
      const hostile = { vm: { name: `vm${piece}` } } as unknown as VmResult;
      expect(clean.leavesJsonAsIs?.(JSON.stringify(hostile)), JSON.stringify(piece)).toBe(false);
      expect(formatCleanResult(hostile, clean)).toBe(formatJsonLine(clean(hostile)));
    }
  });
});
