/**
 * What a user installs (issue 17 item 2): `npm pack` from a fresh clone — no dist/ yet — must build (prepack) and
 * produce a tarball that installs into an empty prefix with a working `sc-doctor` binary. The README's install
 * command is the one used here (`npm install --global <tarball>`, with --prefix so nothing global is touched).
 *
 * The clone is a copy of the sources in a temporary directory (sharing node_modules), so the build never touches
 * the dist/ that other test files are running. The package has no runtime dependencies (dist/ bundles them), so
 * the install needs neither npm's cache nor the registry; it must bring sc-doctor alone, and the installed CLI runs.
 *
 * `npm test` has just run `npm run build` (from an empty dist/: scripts/build.mjs removes it first), which is what
 * `prepack` runs: a second build of the same sources in the clone would prove nothing more and costs a full tsc +
 * esbuild. So when the repository's dist/ is newer than everything the build reads, the clone gets a copy of it
 * and packs with --ignore-scripts (after asserting that `prepack` is that build); otherwise — a stale or missing
 * dist/, or SC_DOCTOR_PACK_FROM_SCRATCH=1 — the clone packs as a stranger's would, building on its own.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT } from "./npm.js";

const pkg = (await import("../../package.json", { with: { type: "json" } })).default as {
  version: string;
  name: string;
  scripts: Record<string, string>;
};
const work = mkdtempSync(join(tmpdir(), "sc-doctor-pack-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function run(command: string, args: string[], cwd: string, timeoutMs = 240_000) {
  const result = spawnSync(command, args, {
    cwd,
    encoding: "utf8",
    timeout: timeoutMs,
    env: { ...process.env, npm_config_update_notifier: "false", npm_config_fund: "false", npm_config_audit: "false" },
  });
  return { code: result.status, stdout: result.stdout ?? "", stderr: result.stderr ?? "" };
}

/** What the build reads: dist/ is stale when any of it changed after dist/cli.js was written. */
const BUILD_INPUTS = ["package.json", "package-lock.json", "tsconfig.json", "tsconfig.build.json", "scripts", "src"];
/** What the clone copies: the build's inputs and what the tarball ships as it is. */
const SOURCES = [...BUILD_INPUTS, "README.md", "LICENSE", "schema"];

/** The newest modification time (ms) of a file or of any file under a directory. */
function newest(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))));
}

/** The repository's dist/ was built after the last change to anything the build reads (`npm test` just built it). */
function distIsFresh(): boolean {
  if (!existsSync(join(ROOT, "dist", "cli.js"))) return false;
  return statSync(join(ROOT, "dist", "cli.js")).mtimeMs > Math.max(...BUILD_INPUTS.map((entry) => newest(join(ROOT, entry))));
}

const FROM_SCRATCH = process.env["SC_DOCTOR_PACK_FROM_SCRATCH"] === "1" || !distIsFresh();

/** A fresh clone as far as packing is concerned: sources and config, no dist/. */
function freshClone(): string {
  const clone = join(work, "clone");
  for (const entry of SOURCES) cpSync(join(ROOT, entry), join(clone, entry), { recursive: true });
  symlinkSync(join(ROOT, "node_modules"), join(clone, "node_modules"), "dir");
  return clone;
}

describe("npm pack → install into an empty prefix → sc-doctor --version", () => {
  // From scratch, packing type-checks and builds the whole tree (about 2 minutes on two busy cores); then npm
  // installs one package, offline.
  const name = FROM_SCRATCH ? "works from a clone that was never built" : "works from a clone with the dist/ `npm test` just built";
  it(name, { timeout: 600_000 }, () => {
    const clone = freshClone();
    expect(existsSync(join(clone, "dist"))).toBe(false);

    if (!FROM_SCRATCH) {
      // What `prepack` would run is the build `npm test` ran; the clone packs that build's output.
      expect(pkg.scripts["prepack"]).toBe("npm run build");
      // `npm test` (test/run-suite.mjs) runs the build script before the e2e lane this file belongs to.
      expect(pkg.scripts["test"]).toBe("node test/run-suite.mjs");
      expect(pkg.scripts["build"]).toBe("node scripts/build.mjs");
      expect(readFileSync(join(ROOT, "test/run-suite.mjs"), "utf8")).toContain('"scripts/build.mjs"');
      cpSync(join(ROOT, "dist"), join(clone, "dist"), { recursive: true });
    }
    const pack = run("npm", ["pack", "--pack-destination", work, ...(FROM_SCRATCH ? [] : ["--ignore-scripts"])], clone);
    expect(pack.code, pack.stderr).toBe(0);
    const tarball = join(work, `${pkg.name}-${pkg.version}.tgz`);
    expect(existsSync(tarball), readdirSync(work).join(", ")).toBe(true);

    const prefix = join(work, "prefix");
    const install = run("npm", ["install", "--global", "--prefix", prefix, "--offline", "--no-audit", "--no-fund", tarball], work);
    expect(install.code, install.stderr).toBe(0);

    // The README's Install section gives exactly this route.
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    expect(readme).toContain("npm ci && npm pack");
    expect(readme).toContain(`npm install --global ./${pkg.name}-${pkg.version}.tgz`);

    const bin = join(prefix, process.platform === "win32" ? "sc-doctor.cmd" : join("bin", "sc-doctor"));
    const version = run(bin, ["--version"], work, 30_000);
    expect(version.code, version.stderr).toBe(0);
    expect(version.stdout.trim()).toBe(pkg.version);

    // The bundle carries every package it needs: the install brought sc-doctor alone, and the whole CLI runs.
    const installed = process.platform === "win32" ? join(prefix, "node_modules") : join(prefix, "lib", "node_modules");
    expect(readdirSync(installed)).toEqual(["sc-doctor"]);
    expect(existsSync(join(installed, "sc-doctor", "node_modules"))).toBe(false);
    const explain = run(bin, ["explain", "--no-color", "Web socket is closed or couldn't be opened."], work, 30_000);
    expect(explain.code, explain.stderr).toBe(0);
    expect(explain.stdout).toContain("websocket-closed");

    // As a library: the package's entry point and its schemas resolve; its internal modules do not (their .d.ts
    // ship, their JavaScript is in the one bundle, so a deep import would type-check and then fail to load).
    const script = [
      'const lib = await import("sc-doctor");',
      'const deep = await import("sc-doctor/dist/commands/checks.js").then(() => "loaded", (error) => error.code);',
      'const schema = await import("sc-doctor/schema/vm-result.schema.json", { with: { type: "json" } });',
      "console.log(typeof lib.diagnoseVm, typeof lib.ResourceIdError, deep, typeof schema.default.$schema);",
    ].join("\n");
    const library = run(process.execPath, ["--input-type=module", "-e", script], join(installed, ".."), 30_000);
    expect(library.stdout.trim(), library.stderr).toBe("function function ERR_PACKAGE_PATH_NOT_EXPORTED string");
  });
});
