/**
 * The bundled executable (scripts/build.mjs, src/bin.ts): the `--version` shortcut that skips commander, commander's
 * own `--version`, and a report's tool version all print package.json's version, which the bundler inlines.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
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

/**
 * The binary loads the bundle through V8's code cache (src/code-cache.ts): written once per bundle, Node and
 * command after a run that went the whole way, used by the next, never a reason for a run to fail.
 */
describe("the code cache", () => {
  const diagnosis = ["--vm", VM_ID, "-o", "json", "--no-network", "--only", "power-state"];
  const cacheFiles = (home: string) => (existsSync(join(home, "sc-doctor")) ? readdirSync(join(home, "sc-doctor")) : []);

  it("is written by a diagnosis, read by the next one (same result), and rewritten when it is garbage", async () => {
    const home = mkdtempSync(join(tmpdir(), "sc-doctor-cache-"));
    // An earlier version's cache goes when this one writes its own.
    mkdirSync(join(home, "sc-doctor"));
    writeFileSync(join(home, "sc-doctor", "0123456789abcdef-node20.0.0-linux-x64-vm.v8"), "old");
    const first = await runCli(diagnosis, { ...sim.env, XDG_CACHE_HOME: home });
    expect(first.code, first.stderr).toBe(0);
    const files = cacheFiles(home);
    expect(files).toEqual([expect.stringMatching(/^[0-9a-f]{16}-node[\d.]+-[a-z0-9]+-[a-z0-9]+-vm\.v8$/)]);
    const file = join(home, "sc-doctor", files[0] ?? "");
    const written = statSync(file).mtimeMs;

    const second = await runCli(diagnosis, { ...sim.env, XDG_CACHE_HOME: home });
    expect(second.code, second.stderr).toBe(0);
    expect(JSON.parse(second.stdout).checks.map((c: { status: string }) => c.status)).toEqual(
      JSON.parse(first.stdout).checks.map((c: { status: string }) => c.status),
    );
    expect(statSync(file).mtimeMs).toBe(written); // used, not written again

    writeFileSync(file, "not a V8 code cache");
    const third = await runCli(diagnosis, { ...sim.env, XDG_CACHE_HOME: home });
    expect(third.code, third.stderr).toBe(0);
    expect(statSync(file).size).toBeGreaterThan(1000);
  });

  it("is not written with SC_DOCTOR_NO_CODE_CACHE=1, after a usage error, or where it cannot be", async () => {
    const home = mkdtempSync(join(tmpdir(), "sc-doctor-cache-"));
    const off = await runCli(diagnosis, { ...sim.env, XDG_CACHE_HOME: home, SC_DOCTOR_NO_CODE_CACHE: "1" });
    expect(off.code, off.stderr).toBe(0);
    const usage = await runCli(["--vm", "not-an-id"], { XDG_CACHE_HOME: home });
    expect(usage.code).toBe(2);
    expect(cacheFiles(home)).toEqual([]);
    // A cache directory that is a file: the run works all the same.
    const blocked = join(home, "blocked");
    writeFileSync(blocked, "");
    const run = await runCli(diagnosis, { ...sim.env, XDG_CACHE_HOME: blocked });
    expect(run.code, run.stderr).toBe(0);
  });
});
