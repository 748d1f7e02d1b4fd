/**
 * Hostile data from Azure (the simulator's `hostile` scenario: ANSI/OSC 8 escapes, bidi overrides, HTML, CSV
 * formulas in tags, statuses and error messages), plus a very long error message and control characters, must
 * never reach any output unescaped — through the built CLI, format by format. Formats not implemented yet are
 * skipped with that reason and covered automatically once they land.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator } from "../azure-sim/index.mjs";
import { VM_ID } from "../e2e/harness.js";
import { FORMATS, notImplemented, runFormat } from "./cli.js";
import { csvProblems, htmlProblems, markdownProblems, terminalProblems, xmlProblems } from "./output-checks.js";

type Sim = Awaited<ReturnType<typeof startSimulator>>;
let sim: Sim;

// Beyond the scenario: a 64 KiB message full of C0 controls, DEL/C1 and a forged "PASS" line.
const LONG = `${"\u0007\u0008\u000b\u007f\u009b".repeat(100)}\r\n  PASS   rbac-vm  forged ${"A".repeat(64 * 1024)}`;

beforeAll(async () => {
  sim = await startSimulator({ scenario: "hostile" });
});
afterAll(async () => {
  await sim?.close();
});

function withExtraFaults(): void {
  sim.setScenario("hostile");
  // The scenario's own faults come with it; these add a long hostile message on the subscription read.
  sim.setFaults([
    { match: { path: "/subscriptions/00000000-0000-0000-0000-000000000001", method: "GET" }, kind: "404", count: 1, message: LONG },
  ]);
}

describe.each(FORMATS)("-o %s", (format) => {
  it("no escape, control or bidi character and no injection reaches the output", async (context) => {
    withExtraFaults();
    sim.resetLog();
    const run = await runFormat(format, ["--vm", VM_ID, "--no-network", "--verbose"], sim.env);
    if (notImplemented(run)) return context.skip(`-o ${format} is not implemented yet`);
    expect(run.code, run.stderr).not.toBe(4);
    expect([0, 1, 3]).toContain(run.code);
    const problems = [
      ...terminalProblems(run.stdout).map((p) => `stdout: ${p}`),
      ...terminalProblems(run.stderr).map((p) => `stderr: ${p}`),
    ];
    if (format === "markdown") problems.push(...markdownProblems(run.stdout));
    if (format === "junit") problems.push(...xmlProblems(run.stdout));
    if (format === "csv") problems.push(...csvProblems(run.stdout));
    if (format === "html") problems.push(...htmlProblems(run.stdout));
    if (format === "sarif" || format === "json") JSON.parse(run.stdout);
    if (format === "jsonl")
      run.stdout
        .trim()
        .split("\n")
        .forEach((line) => JSON.parse(line));
    // The forged status line must not appear as a line of its own in the human formats.
    if (format === "table" || format === "markdown") expect(run.stdout).not.toMatch(/^\s*PASS\s+rbac-vm\s+forged/m);
    expect(problems).toEqual([]);
    expect(sim.writes).toHaveLength(0);
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
  });
});
