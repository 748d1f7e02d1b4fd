/**
 * Text from Azure, a guest or a paste that once made a regex backtrack for seconds to minutes: long runs of
 * whitespace or newlines next to patterns that could split them many ways. Each case is answered in well under a
 * second now (the old code took clearly longer than these tests' timeouts) and the answer is still the right one.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseSavedAudit } from "../../src/commands/report.js";
import { detectCrash } from "../../src/explain/crash.js";
import { judgeSerialLog } from "../../src/checks/support/serial-log.js";
import { RedactionLabels, redactIdentifiers } from "../../src/report/redact.js";
import { sanitizeLine } from "../../src/report/sanitize.js";
import { maskWrappedSecrets } from "../../src/report/secrets.js";
import { OBJECT_ID, SUB, TENANT } from "../fixtures/results.js";
import { propertyParams } from "../property/config.js";

describe("redaction's identifier positions", () => {
  it.each([
    // `\btid\b\s*['"]?\s*[:=]?\s*['"]?`: cubic, 3,000 spaces took about 15 s.
    ["tid", 3_000, TENANT, "<tenant-1>"],
    // `\s*[:=]?\s*`: quadratic, 100,000 spaces took about 25 s each.
    ["tenant id", 100_000, TENANT, "<tenant-1>"],
    ["subscription", 100_000, SUB, "<subscription-1>"],
    ["object id", 100_000, OBJECT_ID, "<object-1>"],
    ["--assignee", 100_000, OBJECT_ID, "<object-1>"],
  ])(
    "%s and a long run of spaces before something else",
    (key, spaces, id, label) => {
      const pad = " ".repeat(spaces);
      expect(redactIdentifiers(`${key}${pad}x; ${key}: '${id}'`, new RedactionLabels())).toBe(`${key}${pad}x; ${key}: '${label}'`);
    },
    20_000,
  );

  it("still finds an id after Format-List's padding", () => {
    expect(redactIdentifiers(`TenantId             : ${TENANT}`, new RedactionLabels())).toBe("TenantId             : <tenant-1>");
  });
});

describe("sanitizeLine", () => {
  it("a long run of spaces without a line break", () => {
    // `/\s*[\r\n\t]+\s*/g` tried every start in the run: quadratic, 150,000 spaces took about 30 s.
    const pad = " ".repeat(150_000);
    expect(sanitizeLine(`a${pad}b \n\t c`, 200_000)).toBe(`a${pad}b c`);
  }, 20_000);

  it("turns each run of whitespace holding a line break or tab into one space, as that regex did", () => {
    const text = fc.array(fc.constantFrom(" ", "  ", "\n", "\r\n", "\t", "\u00a0", "\u2028", "a", "b c"), { maxLength: 20 });
    fc.assert(
      fc.property(text, (pieces) => {
        const line = pieces.join("");
        expect(sanitizeLine(line, 1_000)).toBe(line.replace(/\s*[\r\n\t]+\s*/g, " "));
      }),
      propertyParams(500),
    );
  });
});

describe("a client crash in a paste", () => {
  it("among many empty lines", () => {
    // `^\s*` under the `m` flag ran from every line start over all later newlines: 2 × 150,000 took about 40 s.
    const lines = "\n".repeat(150_000);
    const trace = [
      "Uncaught TypeError: Cannot read properties of undefined (reading 'id')",
      "    at getStorageAccount (https://portal.azure.com/Content/a.js:10:5)",
      "    at main (https://portal.azure.com/Content/b.js:3:1)",
    ].join("\n");
    expect(detectCrash(`${lines}${trace}${lines}x`)).toEqual({
      client: "a JavaScript client (the portal page or a Node.js tool)",
      exception: "TypeError: Cannot read properties of undefined (reading 'id')",
      where: "getStorageAccount (Content/a.js, line 10)",
      during: {
        what: "looking up the boot diagnostics storage account",
        check: "storage-account",
        entries: ["storage-rg-undetermined", "storage-account-not-found"],
      },
    });
  }, 20_000);

  it.each(["\r", "\u2028", "\u2029"])(
    "among many %j line terminators (each starts a line under the m flag)",
    (terminator) => {
      // `^[^\S\n]*` ran from each over all later ones: 100,000 U+2028 took 16 s.
      const trace = "Uncaught TypeError: x\n    at main (https://portal.azure.com/Content/b.js:3:1)";
      expect(detectCrash(`${terminator.repeat(100_000)}${trace}${terminator.repeat(100_000)}x`)).toMatchObject({
        exception: "TypeError: x",
      });
    },
    20_000,
  );

  it("indented with no-break spaces (a trace copied from a web page or a chat)", () => {
    const trace = [
      "Uncaught TypeError: Cannot read properties of undefined (reading 'storageUri')",
      "\u00a0\u00a0\u00a0\u00a0at getBootDiagnostics (serialconsole.js:120:15)",
      "\u00a0\u00a0\u00a0\u00a0at connect (serialconsole.js:88:3)",
    ].join("\n");
    expect(detectCrash(trace)).toMatchObject({
      exception: "TypeError: Cannot read properties of undefined (reading 'storageUri')",
      where: "getBootDiagnostics (serialconsole.js, line 120)",
    });
  });
});

describe("report's input", () => {
  it("a result line cut short after many blank lines", () => {
    // `/\n\s*$/` ran from every newline over the rest of the run: 2 × 170,000 blank lines took about 40 s.
    const blank = "\n".repeat(170_000);
    expect(() => parseSavedAudit(`${blank}{"vm":`, "cut.jsonl")).toThrow(
      "cut.jsonl: its only line is incomplete: the audit that wrote it was probably stopped mid-line (killed, or out of disk)",
    );
    expect(() => parseSavedAudit(`${blank}{"vm":\n`, "bad.jsonl")).toThrow(
      "bad.jsonl: line 170001 is not JSON: neither 'sc-doctor audit -o json' nor '-o jsonl' output",
    );
  }, 20_000);
});

describe("a wrapped paste's credentials (maskWrappedSecrets)", () => {
  it("a signature followed by megabytes of wrapped base64 is joined only as far as a credential can reach", () => {
    // Joining line after line and masking the whole joined line each time was quadratic: 400 KB took 13 s.
    const lines = Array.from({ length: 16_000 }, (_, i) => `${"QWxhZGRpbjpvcGVuIHNlc2FtZQ".repeat(3)}${String(i).padStart(6, "0")}`);
    const masked = maskWrappedSecrets(`sig=${lines.join("\n")}`, []);
    expect(masked.startsWith("sig=***")).toBe(true);
    expect(masked).toContain(lines.at(-1));
  }, 20_000);

  it.each(["sig=AAAAAAAAAAAA", "password=abc"])(
    "20,000 lines of %s: each masked on its own line, none joined (each is a credential by itself)",
    (line) => {
      // Joining them (the next one hid its own key) kept growing one line: 20,000 took 20–30 s.
      const masked = maskWrappedSecrets(Array.from({ length: 20_000 }, () => line).join("\n"), []);
      expect(masked.split("\n")).toHaveLength(20_000);
      expect(masked).not.toMatch(/AAAA|=abc/);
    },
    20_000,
  );

  it.each([" ", "\t"])(
    "a long run of %j with no line break after it",
    (blank) => {
      // `split(/([ \t]*\r?\n[ \t]*)/)` retried the run from each of its characters: 100,000 spaces took 24 s (300,000: minutes).
      const run = blank.repeat(300_000);
      expect(maskWrappedSecrets(`Web socket is closed.${run}x sig=AAAAAAAA`, [])).toBe(`Web socket is closed.${run}x sig=***`);
      // Blanks around a line break still go with it: a signature wrapped after them is still joined and masked.
      expect(maskWrappedSecrets(`sig=QUJDREVGR0hJSktM${run}\r\n${run}TU5PUFFSU1RVVldY rest`, [])).toBe("sig=*** rest");
    },
    20_000,
  );
});

describe("a guest's serial log written to cost time (judgeSerialLog runs synchronously: --timeout cannot stop it)", () => {
  const SAC = "Computer is booting, SAC started and initialized.\r\nSAC>\r\n";
  it("50,000 sticky lines cleared at the end: one pass, not one per line (2 MiB took about 3 minutes)", () => {
    const log = `${SAC}${"EVENT: The CMD command is unavailable.\r\n".repeat(50_000)}EVENT: The CMD command is now available.\r\nSAC>\r\n`;
    expect(judgeSerialLog(log).verdict).toMatchObject({ state: "prompt", signature: { id: "sac-prompt" } });
    // The same lines before the latest boot (an earlier boot's): cleared there too, no earlier failure named.
    const earlier = judgeSerialLog(`${log}${SAC}`).verdict;
    expect(earlier).toMatchObject({ state: "prompt" });
    expect(earlier).not.toHaveProperty("earlier");
  }, 10_000);

  it("20,000 failure notes around a prompt: each judged once against the first prompt (16,000 took 25 s)", () => {
    const notes = "[   12.5] cloud-init[1]: x failed\n".repeat(20_000);
    const log = `[    0.000000] Linux version 6.8.0-1015-azure (buildd@lcy02-amd64-051)\n${notes}vm1 login: \n${notes}`;
    // The prompt decides; the failure notes after it are only a note (as for one of them).
    expect(judgeSerialLog(log).verdict).toMatchObject({
      state: "prompt",
      signature: { id: "login-prompt" },
      later: { signature: "cloud-init" },
    });
  }, 10_000);
});
