import { afterEach, describe, expect, it } from "vitest";
import { useColor } from "../../src/commands/options.js";
import formatTable, { formatVmTable } from "../../src/report/table.js";
import type { VmResult } from "../../src/types.js";

const ESC = "\u001b[";
const result: VmResult = {
  vm: {
    id: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1",
    name: "vm1",
    resourceGroup: "rg",
    subscriptionId: "s",
  },
  verdict: "blocked",
  checks: [
    {
      id: "power-state",
      title: "VM power state",
      status: "fail",
      reason: "the VM is deallocated",
      durationMs: 1,
      evidence: {},
      fix: ["az vm start --name vm1"],
    },
    { id: "boot-diagnostics", title: "Boot diagnostics", status: "pass", reason: "enabled", durationMs: 1, evidence: {} },
  ],
};
const tty = { isTTY: true } as NodeJS.WriteStream;
const pipe = { isTTY: false } as NodeJS.WriteStream;
const saved = { NO_COLOR: process.env["NO_COLOR"], FORCE_COLOR: process.env["FORCE_COLOR"] };
afterEach(() => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

describe("colour only on a TTY or with FORCE_COLOR, never with NO_COLOR or --no-color", () => {
  it.each([
    [tty, true, undefined, true],
    [pipe, true, undefined, false],
    [tty, false, undefined, false],
    [tty, true, "1", false],
    [tty, true, "", true], // NO_COLOR= (empty) does not disable colour (no-color.org)
  ])("case %#", (stream, flag, noColor, expected) => {
    delete process.env["FORCE_COLOR"];
    if (noColor === undefined) delete process.env["NO_COLOR"];
    else process.env["NO_COLOR"] = noColor;
    expect(useColor({ color: flag }, stream)).toBe(expected);
  });

  it.each([
    [pipe, true, "1", undefined, true], // a CI log that renders colours
    [pipe, true, "true", undefined, true],
    [pipe, true, "0", undefined, false],
    [tty, true, "false", undefined, false],
    [pipe, true, "", undefined, false], // empty: not set
    [pipe, true, "1", "1", false], // NO_COLOR wins
    [pipe, false, "1", undefined, false], // so does --no-color
  ])("FORCE_COLOR, case %#", (stream, flag, force, noColor, expected) => {
    process.env["FORCE_COLOR"] = force;
    if (noColor === undefined) delete process.env["NO_COLOR"];
    else process.env["NO_COLOR"] = noColor;
    expect(useColor({ color: flag }, stream)).toBe(expected);
  });

  it("TERM=dumb (escape sequences shown as text) gets none, on a TTY too", () => {
    const term = process.env["TERM"];
    delete process.env["NO_COLOR"];
    process.env["TERM"] = "dumb";
    try {
      expect(useColor({ color: true }, tty)).toBe(false);
    } finally {
      if (term === undefined) delete process.env["TERM"];
      else process.env["TERM"] = term;
    }
    expect(useColor({ color: true }, tty)).toBe(process.env["TERM"] !== "dumb");
  });

  it("the table has escapes only when asked for colour", () => {
    expect(formatVmTable(result, { color: true })).toContain(ESC);
    expect(formatVmTable(result, { color: false })).not.toContain(ESC);
  });

  it("verdict first, then a line per check, then the fix", () => {
    const lines = formatVmTable(result, { color: false }).split("\n");
    expect(lines[0]).toMatch(/^BLOCKED\s+vm1/);
    expect(lines.findIndex((l) => l.includes("power-state"))).toBeLessThan(lines.findIndex((l) => /^ {4}az vm start/.test(l)));
  });
});

describe("the audit table (issue 17 item 12)", () => {
  const summary = { vms: 1, ready: 0, degraded: 0, blocked: 1, unknown: 0, byCheck: { "power-state": { fail: 1, warn: 0, error: 0 } } };
  const input = { tool: { name: "sc-doctor" as const, version: "0" }, generatedAt: "", summary, results: [result] };

  it("is coloured when asked (verdicts and statuses), plain otherwise", () => {
    expect(formatTable(input, { redact: false, color: true })).toContain(ESC);
    expect(formatTable(input, { redact: false, color: false })).not.toContain(ESC);
  });
});
