/**
 * Load the CLI's CommonJS bundle (`dist/sc-doctor.cjs`, ~2.5 MB) with V8's code cache kept on disk between runs,
 * so a start deserialises compiled code instead of parsing the bundle again. Node 22+ offers this for modules
 * (`module.enableCompileCache`); Node 20 does not, and `vm.Script`'s `cachedData` works on both
 * (https://nodejs.org/api/vm.html#scriptcreatecacheddata).
 *
 * The cache file is named by the bundle's content hash (V8 itself checks only the source's length), Node's version,
 * the platform and the command (each command compiles other functions); it lives in the user's cache directory
 * (`$XDG_CACHE_HOME` or `~/.cache`, then `sc-doctor/`), is written once, atomically, after a run that had none, and
 * is not used with SC_DOCTOR_NO_CODE_CACHE=1 or Node's NODE_DISABLE_COMPILE_CACHE=1. Reading or writing it never
 * fails a run: without it the bundle is only compiled from source, as `require` would.
 */
import { createRequire } from "node:module";

// Built-ins through `require`, on first use: the binary imports this module, and its `--version` answer must not
// wait for five more built-ins to load (an ES module import of each is read at once).
const require = createRequire(import.meta.url);
const fs = () => require("node:fs") as typeof import("node:fs");
const path = () => require("node:path") as typeof import("node:path");

/** Where the cache files go; undefined when turned off or there is no place for them. */
export function codeCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env["SC_DOCTOR_NO_CODE_CACHE"] === "1" || env["NODE_DISABLE_COMPILE_CACHE"] === "1") return undefined;
  try {
    const { homedir } = require("node:os") as typeof import("node:os");
    const base = env["XDG_CACHE_HOME"] || path().join(homedir(), ".cache");
    return base ? path().join(base, "sc-doctor") : undefined;
  } catch {
    return undefined; // no home directory
  }
}

/** The command a run's code path depends on: its cache is its own (help reaches little of any command). */
function commandOf(argv: readonly string[]): string {
  const args = argv.slice(2);
  if (args.some((arg) => ["-h", "--help", "help", "-V", "--version"].includes(arg))) return "help";
  const command = args.find((arg) => !arg.startsWith("-"));
  return command && ["audit", "report", "explain", "checks"].includes(command) ? command : "vm";
}

/**
 * `require(file)` of a CommonJS bundle whose content hash is `hash`, through the code cache. Returns its exports.
 * Throws what compiling or running the bundle throws (a missing file, a syntax error), never a cache problem.
 */
export function requireCached(file: string, hash: string, argv: readonly string[] = process.argv): unknown {
  const { readFileSync } = fs();
  const { Script } = require("node:vm") as typeof import("node:vm");
  const source = readFileSync(file, "utf8");
  const dir = codeCacheDir();
  const cacheFile =
    dir && path().join(dir, `${hash}-node${process.versions.node}-${process.platform}-${process.arch}-${commandOf(argv)}.v8`);
  let cachedData: Buffer | undefined;
  try {
    if (cacheFile) cachedData = readFileSync(cacheFile);
  } catch {
    // first run with this bundle, Node and command
  }
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
  const script = new Script(wrapped, { filename: file, cachedData });
  if (cacheFile && (cachedData === undefined || script.cachedDataRejected)) {
    // At exit, the functions this run compiled are in the cache too (the CLI ends with process.exit); only after a
    // run that went the whole way (exit 0 or 1), not after a usage error that compiled next to nothing.
    process.once("exit", (code) => {
      if (code === 0 || code === 1) writeCache(cacheFile, script, hash);
    });
  }
  const module = { exports: {} as unknown };
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  run(module.exports, createRequire(file), module, file, path().dirname(file));
  return module.exports;
}

/** Write the cache of this run; remove those of other bundles (an upgrade's leftovers). */
function writeCache(cacheFile: string, script: import("node:vm").Script, hash: string): void {
  const { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } = fs();
  const { dirname, join } = path();
  try {
    const dir = dirname(cacheFile);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    for (const name of readdirSync(dir)) if (name.endsWith(".v8") && !name.startsWith(`${hash}-`)) rmSync(join(dir, name), { force: true });
    // Another run may write the same file at once: each writes its own, the rename makes one of them whole.
    const partial = `${cacheFile}.${process.pid}.tmp`;
    writeFileSync(partial, script.createCachedData(), { mode: 0o600 });
    renameSync(partial, cacheFile);
  } catch {
    // a read-only or full disk: the next run compiles from source again
  }
}
