/**
 * The bundled executable (scripts/build.mjs, src/bin.ts): the `--version` shortcut that skips commander, commander's
 * own `--version`, and a report's tool version all print package.json's version, which the bundler inlines.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { CLI, VM_ID, cleanEnv, runCli, useSimulator } from "./harness.js";
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

  it("the ES module build of the binary (node dist/cli.js) runs the same CLI", () => {
    const esm = fileURLToPath(new URL("../../dist/cli.js", import.meta.url));
    expect(CLI).not.toBe(esm);
    for (const args of [["--version"], ["--no-color", "--version"]]) {
      expect(spawnSync(process.execPath, [esm, ...args], { encoding: "utf8" }).stdout).toBe(`${version}\n`);
    }
    const diagnosis = spawnSync(process.execPath, [esm, "--vm", VM_ID, "-o", "json", "--no-network", "--only", "power-state"], {
      encoding: "utf8",
      env: cleanEnv({ ...sim.env, SC_DOCTOR_NO_CODE_CACHE: "1" }),
    });
    expect(diagnosis.status, diagnosis.stderr).toBe(0);
    expect(JSON.parse(diagnosis.stdout).checks[0].status).toBe("pass");
  });

  it("on an old Node.js the binary says so before anything else runs: the guard first, no syntax an old Node cannot parse", () => {
    const bin = readFileSync(CLI, "utf8");
    const guard = bin.indexOf("needs Node.js 20 or later");
    expect(guard).toBeGreaterThan(0);
    // Every require (a built-in with the `node:` prefix fails before Node 14.18) comes after it, but the banner's.
    expect(bin.slice(0, guard).match(/require\(/g)).toHaveLength(1);
    expect(bin).not.toMatch(/require\("node:/);
    // Syntax newer than Node 12's: logical assignment, optional chaining, nullish coalescing.
    expect(bin).not.toMatch(/\?\?=|\?\.[A-Za-z_$[(]|\?\?/);
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
    // An earlier version's cache not written for more than a week goes when this one writes its own; another
    // version in use (written yesterday) keeps its own.
    mkdirSync(join(home, "sc-doctor"));
    const [old, inUse] = ["0123456789abcdef-1-1-node20.0.0-linux-x64-vm.v8", "fedcba9876543210-1-1-node20.0.0-linux-x64-vm.v8"];
    for (const [name, daysAgo] of [
      [old, 8],
      [inUse, 1],
    ] as const) {
      writeFileSync(join(home, "sc-doctor", name), "another version's");
      const then = new Date(Date.now() - daysAgo * 86_400_000);
      utimesSync(join(home, "sc-doctor", name), then, then);
    }
    const first = await runCli(diagnosis, { ...sim.env, XDG_CACHE_HOME: home });
    expect(first.code, first.stderr).toBe(0);
    const files = cacheFiles(home).filter((name) => name !== inUse);
    expect(cacheFiles(home)).toContain(inUse);
    expect(files).toEqual([expect.stringMatching(/^[0-9a-f]{16}-\d+-\d+-node[\d.]+-[a-z0-9]+-[a-z0-9]+-vm\.v8$/)]);
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

    // A flipped bit V8 would trust (its header intact) can crash Node: the file's own checksum refuses it first.
    const damaged = readFileSync(file);
    const middle = Math.floor(damaged.length / 2);
    damaged[middle] = (damaged[middle] ?? 0) ^ 0x10;
    writeFileSync(file, damaged);
    const fourth = await runCli(diagnosis, { ...sim.env, XDG_CACHE_HOME: home });
    expect(fourth.code, fourth.stderr).toBe(0);
    const rewritten = readFileSync(file);
    expect(createHash("sha1").update(rewritten.subarray(20)).digest().equals(rewritten.subarray(0, 20))).toBe(true);
  });

  it("an edited bundle (same length) gets its own cache; a cache directory others can write is not used", async () => {
    const home = mkdtempSync(join(tmpdir(), "sc-doctor-cache-"));
    const before = await runCli(diagnosis, { ...sim.env, XDG_CACHE_HOME: home });
    expect(before.code, before.stderr).toBe(0);
    // The bundle touched (as an in-place patch would): another key, a file of its own (the old one goes after a week).
    const bundle = fileURLToPath(new URL("../../dist/sc-doctor.cjs", import.meta.url));
    const { atime, mtime } = statSync(bundle);
    try {
      utimesSync(bundle, atime, new Date(mtime.getTime() + 5000));
      const after = await runCli(diagnosis, { ...sim.env, XDG_CACHE_HOME: home });
      expect(after.code, after.stderr).toBe(0);
      expect(cacheFiles(home)).toHaveLength(2);
      expect(cacheFiles(home).filter((name) => name.includes(`-${Math.trunc(statSync(bundle).mtimeMs)}-`))).toHaveLength(1);
    } finally {
      utimesSync(bundle, atime, mtime);
    }
    const shared = mkdtempSync(join(tmpdir(), "sc-doctor-cache-"));
    mkdirSync(join(shared, "sc-doctor"));
    chmodSync(join(shared, "sc-doctor"), 0o777);
    const run = await runCli(diagnosis, { ...sim.env, XDG_CACHE_HOME: shared });
    expect(run.code, run.stderr).toBe(0);
    expect(cacheFiles(shared)).toEqual([]);
  });

  it("a relative XDG_CACHE_HOME is ignored (the cache never lands in the working directory)", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "sc-doctor-cwd-"));
    const child = spawnSync(process.execPath, [CLI, "--vm", VM_ID, "-o", "json", "--no-network", "--only", "power-state"], {
      cwd,
      env: cleanEnv({ ...sim.env, XDG_CACHE_HOME: "relative-cache", HOME: cwd }),
      encoding: "utf8",
    });
    expect(child.status, child.stderr).toBe(0);
    expect(existsSync(join(cwd, "relative-cache"))).toBe(false);
    expect(readdirSync(join(cwd, ".cache", "sc-doctor")).length).toBe(1); // $HOME/.cache instead
  });

  it("the bundled @azure/arm-compute client builds the operation groups sc-doctor calls, and only those", async () => {
    const bundle = fileURLToPath(new URL("../../dist/sc-doctor.cjs", import.meta.url));
    const script = `const lib = require(${JSON.stringify(bundle)}).library();
      const arm = lib.createArmContext({ credential: { getToken: async () => null }, cloud: "AzureCloud" });
      arm.clients.compute("${VM_ID.split("/")[2]}").then((c) => console.log(JSON.stringify(Object.keys(c).filter((k) => typeof c[k]?.get === "function" || typeof c[k]?.list === "function").sort())));`;
    const child = spawnSync(process.execPath, ["-e", script], { encoding: "utf8" });
    expect(child.status, child.stderr).toBe(0);
    expect(JSON.parse(child.stdout)).toEqual(["virtualMachineScaleSetVMs", "virtualMachineScaleSets", "virtualMachines"]);
  });

  it("the bundle is ASCII (the loader reads it as Latin-1) and its own CommonJS wrapper", () => {
    const text = readFileSync(fileURLToPath(new URL("../../dist/sc-doctor.cjs", import.meta.url)));
    expect(text.every((byte) => byte < 0x80)).toBe(true);
    expect(text.subarray(0, 400).toString()).toMatch(
      /^\(this === globalThis \? .*\(function \(exports, require, module, __filename, __dirname\) \{/,
    );
  });

  it("the library loads from ES modules and from CommonJS (no top-level await)", () => {
    const index = fileURLToPath(new URL("../../dist/index.js", import.meta.url));
    const required = spawnSync(process.execPath, ["-e", `console.log(typeof require(${JSON.stringify(index)}).diagnoseVm)`], {
      encoding: "utf8",
    });
    expect(required.stdout.trim(), required.stderr).toBe("function");
  });

  // A tool that embeds the library is often bundled itself (esbuild; ncc for a GitHub Action): the bundler must
  // follow index.js to the bundle. An ES module bundle of any CommonJS code that requires Node's modules needs
  // esbuild's usual createRequire banner (https://github.com/evanw/esbuild/issues/1921).
  const CREATE_REQUIRE = "import{createRequire}from'node:module';const require=createRequire(import.meta.url);";
  it.each([
    { as: "CommonJS", format: "cjs", banner: undefined },
    { as: "an ES module", format: "esm", banner: CREATE_REQUIRE },
  ] as const)("a tool that bundles the library with esbuild as $as gets a bundle that runs", async ({ format, banner }) => {
    const { build } = await import("esbuild");
    const dir = mkdtempSync(join(tmpdir(), "sc-doctor-embed-"));
    const index = fileURLToPath(new URL("../../dist/index.js", import.meta.url));
    writeFileSync(
      join(dir, "tool.mjs"),
      `import { CHECK_IDS, diagnoseVm } from ${JSON.stringify(index)};\nconsole.log(CHECK_IDS.length, typeof diagnoseVm);\n`,
    );
    const outfile = join(dir, `out.${format === "cjs" ? "cjs" : "mjs"}`);
    await build({
      entryPoints: [join(dir, "tool.mjs")],
      bundle: true,
      platform: "node",
      format,
      outfile,
      logLevel: "silent",
      banner: { js: banner ?? "" },
    });
    const ran = spawnSync(process.execPath, [outfile], { encoding: "utf8" });
    expect(ran.stdout.trim(), ran.stderr).toBe("20 function");
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
    // procfs, where mkdir answers ENOENT for a parent that exists: Node's recursive mkdir looped there for ever.
    if (existsSync("/proc/self")) {
      const proc = await runCli(diagnosis, { ...sim.env, XDG_CACHE_HOME: "/proc" }, 20_000);
      expect(proc.code, proc.stderr).toBe(0);
    }
  });

  it("a file in use stays young (the sweep goes by its modification time)", async () => {
    const home = mkdtempSync(join(tmpdir(), "sc-doctor-cache-"));
    expect((await runCli(diagnosis, { ...sim.env, XDG_CACHE_HOME: home })).code).toBe(0);
    const file = join(home, "sc-doctor", cacheFiles(home)[0] ?? "");
    const weekAgo = new Date(Date.now() - 8 * 86_400_000);
    utimesSync(file, weekAgo, weekAgo);
    expect((await runCli(diagnosis, { ...sim.env, XDG_CACHE_HOME: home })).code).toBe(0);
    expect(Date.now() - statSync(file).mtimeMs).toBeLessThan(60_000);
  });

  it("a home that does not exist (HOME=/nonexistent) is not created", async () => {
    const home = join(mkdtempSync(join(tmpdir(), "sc-doctor-nohome-")), "nonexistent");
    const run = await runCli(diagnosis, { ...sim.env, HOME: home, XDG_CACHE_HOME: "" });
    expect(run.code, run.stderr).toBe(0);
    expect(existsSync(home)).toBe(false);
  });

  it("keeps at most 12 files: other bundles' oldest go first (each rebuild of a checkout is a bundle of its own)", async () => {
    const home = mkdtempSync(join(tmpdir(), "sc-doctor-cache-"));
    mkdirSync(join(home, "sc-doctor"));
    const others = Array.from({ length: 14 }, (_, i) => `${String(i).padStart(16, "0")}-1-1-node20.0.0-linux-x64-vm.v8`);
    others.forEach((name, i) => {
      writeFileSync(join(home, "sc-doctor", name), "another build's");
      const then = new Date(Date.now() - (i + 1) * 60_000); // the first is the newest
      utimesSync(join(home, "sc-doctor", name), then, then);
    });
    const run = await runCli(diagnosis, { ...sim.env, XDG_CACHE_HOME: home });
    expect(run.code, run.stderr).toBe(0);
    const left = cacheFiles(home);
    expect(left).toHaveLength(12);
    expect(left.filter((name) => !others.includes(name))).toHaveLength(1); // this run's own
    expect(left).toEqual(expect.arrayContaining(others.slice(0, 11)));
  });
});
