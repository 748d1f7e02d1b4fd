/**
 * The bundled executable (scripts/build.mjs, src/bin.ts): the `--version` shortcut that skips commander, commander's
 * own `--version`, and a report's tool version all print package.json's version, which the bundler inlines.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { VM_ID, runCli, useSimulator } from "./harness.js";
import type { Simulator } from "../azure-sim/index.mjs";

const { version } = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
let sim: Simulator;
useSimulator((started) => (sim = started));

describe("one version everywhere", () => {
  it.each([[["--version"]], [["-V"]], [["--no-color", "--version"]]])("sc-doctor %j prints package.json's version", async (args) => {
    const run = await runCli(args);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe(`${version}\n`);
  });

  it("a JSON report names the same version", async () => {
    const run = await runCli(["--vm", VM_ID, "-o", "json", "--no-network", "--only", "power-state"], sim.env);
    expect(run.code, run.stderr).toBe(0);
    expect((JSON.parse(run.stdout) as { tool: unknown }).tool).toEqual({ name: "sc-doctor", version });
    expect(sim.writes).toHaveLength(0);
  });
});
