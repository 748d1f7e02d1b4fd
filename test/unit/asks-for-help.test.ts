/** Which runs only ask for help or the version (a closed pipe is then no failure: src/cli.ts, src/program.ts). */
import { describe, expect, it } from "vitest";
import { asksForHelp } from "../../src/program.js";

describe("asksForHelp", () => {
  it.each([
    [["--help"], true],
    [["-h"], true],
    [["help", "audit"], true],
    [["audit", "--help"], true],
    [["--version"], true],
    [["-V"], true],
    // `help` as a value is a value: a resource group, a pasted text.
    [["--vm", "vm1", "-g", "help"], false],
    [["explain", "help"], false],
    [["audit", "-o", "jsonl"], false],
    [["explain", "--", "-h"], false],
  ])("%j → %s", (args, expected) => {
    expect(asksForHelp(["node", "sc-doctor", ...args])).toBe(expected);
  });
});
