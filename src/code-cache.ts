/**
 * Load the CLI's CommonJS bundle (`dist/sc-doctor.cjs`, ~2.5 MB) with V8's code cache kept on disk between runs,
 * so a start deserialises compiled code instead of parsing the bundle again. Node 22+ offers this for modules
 * (`module.enableCompileCache`); Node 20 does not, and `vm.Script`'s `cachedData` works on both
 * (https://nodejs.org/api/vm.html#scriptcreatecacheddata).
 *
 * V8 trusts cached data whose header looks right (it checks only the source's length, and Node 20's release build
 * skips its checksum): a damaged file can crash the process. So each file carries the SHA-1 of its data, checked
 * before V8 sees it, and is named by the bundle's content hash, size and modification time (an edited copy of the
 * bundle gets its own), Node's version, the platform and the command (each command compiles other functions). It
 * lives in the user's cache directory (`$XDG_CACHE_HOME` or `~/.cache`, absolute paths only, then `sc-doctor/`),
 * used only when that directory is the user's own and writable by no one else, written once (atomically) after a
 * run that had none, and not used with SC_DOCTOR_NO_CODE_CACHE=1 or Node's NODE_DISABLE_COMPILE_CACHE=1. Reading or
 * writing it never fails a run: without it the bundle is compiled from source, as `require` would.
 */
import { createRequire } from "node:module";

// Built-ins through `require`, on first use: the binary imports this module, and its `--version` answer must not
// wait for more built-ins to load (an ES module import of each is read at once).
const require = createRequire(import.meta.url);
const fs = () => require("node:fs") as typeof import("node:fs");
const path = () => require("node:path") as typeof import("node:path");

const COMMANDS = ["audit", "report", "explain", "checks"];
const DIGEST = 20; // SHA-1
/** A partial file older than this was left by a run that died while writing. */
const STALE_PARTIAL_MS = 10 * 60_000;
/**
 * Another bundle's cache file (an upgrade's leftover, or another installed version, e.g. a global install beside
 * `npx`) written longer ago than this is removed; younger ones stay, so two versions in use do not sweep each other's.
 */
const STALE_OTHER_MS = 7 * 24 * 60 * 60_000;
/** At most this many cache files (1–2 MB each) stay, the oldest going first: each rebuild of a checkout is a new bundle. */
const MAX_FILES = 12;

/** Where the cache files go; undefined when turned off or there is no safe place for them. */
export function codeCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env["SC_DOCTOR_NO_CODE_CACHE"] === "1" || env["NODE_DISABLE_COMPILE_CACHE"] === "1") return undefined;
  try {
    const { homedir } = require("node:os") as typeof import("node:os");
    const home = homedir();
    // A relative or empty base would put the cache in whatever directory the user is in.
    const base =
      env["XDG_CACHE_HOME"] && path().isAbsolute(env["XDG_CACHE_HOME"]) ? env["XDG_CACHE_HOME"] : home && path().join(home, ".cache");
    return base && path().isAbsolute(base) ? path().join(base, "sc-doctor") : undefined;
  } catch {
    return undefined; // no home directory
  }
}

/** The command a run's code path depends on: its cache is its own (help reaches little of any command). */
function commandOf(argv: readonly string[]): string {
  const args = argv.slice(2);
  if (args.some((arg) => ["-h", "--help", "help", "-V", "--version"].includes(arg))) return "help";
  return args.find((arg) => COMMANDS.includes(arg)) ?? "vm";
}

/** The path of `name` in the directory of the running binary (`dist/`). */
export function bundleBeside(name: string): string {
  const { fileURLToPath } = require("node:url") as typeof import("node:url");
  return path().join(path().dirname(fileURLToPath(import.meta.url)), name);
}

/** False when someone else could have written the cache (another owner, or group/world-writable). */
function ownedBySelf(dir: string): boolean {
  try {
    const stat = fs().statSync(dir);
    const uid = process.getuid?.();
    return (uid === undefined || stat.uid === uid) && (stat.mode & 0o022) === 0;
  } catch {
    return true; // not there yet: it is created 0700 when written
  }
}

function sha1(data: Uint8Array): Buffer {
  const { createHash } = require("node:crypto") as typeof import("node:crypto");
  return createHash("sha1").update(data).digest();
}

/** Mark `file` as used now, at most once an hour (one metadata write on the start path, not one per run). */
function touch(file: string): void {
  try {
    const now = Date.now();
    if (now - fs().statSync(file).mtimeMs > 60 * 60_000) fs().utimesSync(file, new Date(now), new Date(now));
  } catch {
    // a read-only cache directory: only the sweep's judgement suffers
  }
}

/** The cached data in `file` when its checksum holds; undefined otherwise (missing, cut short, damaged). */
function readCache(file: string): Buffer | undefined {
  try {
    const stored = fs().readFileSync(file);
    const data = stored.subarray(DIGEST);
    return stored.length > DIGEST && sha1(data).equals(stored.subarray(0, DIGEST)) ? data : undefined;
  } catch {
    return undefined; // first run with this bundle, Node and command
  }
}

/**
 * `require(file)` of a CommonJS bundle whose content hash is `hash`, through the code cache. Returns its exports.
 * The file must be ASCII and its own CommonJS wrapper: as a script, its value is the wrapper function (the form
 * scripts/build.mjs writes).
 * Throws what compiling or running the bundle throws (a missing file, a syntax error), never a cache problem.
 */
export function requireCached(file: string, hash: string, argv: readonly string[] = process.argv): unknown {
  const { readFileSync, statSync } = fs();
  const { Script } = require("node:vm") as typeof import("node:vm");
  // ASCII, so Latin-1 reads it as UTF-8 would, without decoding (scripts/build.mjs checks it).
  const source = readFileSync(file, "latin1");
  const dir = codeCacheDir();
  const { size, mtimeMs } = statSync(file);
  const key = `${hash}-${size}-${Math.trunc(mtimeMs)}`;
  const cacheFile =
    dir && ownedBySelf(dir)
      ? path().join(dir, `${key}-node${process.versions.node}-${process.platform}-${process.arch}-${commandOf(argv)}.v8`)
      : undefined;
  const cachedData = cacheFile ? readCache(cacheFile) : undefined;
  // A file in use stays young: the sweep (writeCache) goes by modification time.
  if (cacheFile && cachedData) touch(cacheFile);
  const script = new Script(source, { filename: file, cachedData });
  if (cacheFile && (cachedData === undefined || script.cachedDataRejected)) {
    // At exit, the functions this run compiled are in the cache too (the CLI ends with process.exit); only after a
    // run that went the whole way (exit 0 or 1), not after a usage error that compiled next to nothing.
    process.once("exit", (code) => {
      if (code === 0 || code === 1) writeCache(cacheFile, script, key);
    });
  }
  const module = { exports: {} as unknown };
  // The bundle's value, compiled as a script, is its CommonJS wrapper function (scripts/build.mjs).
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  run(module.exports, createRequire(file), module, file, path().dirname(file));
  return module.exports;
}

/**
 * Write the cache of this run; remove other bundles' files not written for a week (and the oldest beyond
 * `MAX_FILES`), and dead runs' partials. Creates the cache directory (and `~/.cache`) only in a home that exists.
 */
function writeCache(cacheFile: string, script: import("node:vm").Script, key: string): void {
  const { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } = fs();
  const { dirname, join } = path();
  const dir = dirname(cacheFile);
  // Another run may write the same file at once: each writes its own, the rename makes one of them whole.
  const partial = `${cacheFile}.${process.pid}.tmp`;
  try {
    // `HOME=/nonexistent` (Debian's, Docker's "no home") must not become a home.
    if (!existsSync(dirname(dirname(dir)))) return;
    // Level by level, not `recursive: true`: Node's recursive mkdir loops for ever, burning a core, where mkdir
    // answers ENOENT for a parent that exists (procfs: XDG_CACHE_HOME=/proc).
    for (const level of [dirname(dir), dir]) {
      try {
        mkdirSync(level, { mode: 0o700 });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") return;
      }
    }
    const others: { name: string; mtimeMs: number }[] = [];
    for (const name of readdirSync(dir)) {
      const other = name.endsWith(".v8") && !name.startsWith(`${key}-`);
      const partial = name.endsWith(".tmp");
      if (!other && !partial) continue;
      const { mtimeMs } = statSync(join(dir, name));
      if (Date.now() - mtimeMs > (partial ? STALE_PARTIAL_MS : STALE_OTHER_MS)) rmSync(join(dir, name), { force: true });
      else if (other) others.push({ name, mtimeMs });
    }
    const mine = readdirSync(dir).filter((name) => name.endsWith(".v8") && name.startsWith(`${key}-`)).length + 1;
    for (const { name } of others.sort((a, b) => b.mtimeMs - a.mtimeMs).slice(Math.max(0, MAX_FILES - mine)))
      rmSync(join(dir, name), { force: true });
    const data = script.createCachedData();
    writeFileSync(partial, Buffer.concat([sha1(data), data]), { mode: 0o600 });
    renameSync(partial, cacheFile);
  } catch {
    // a read-only or full disk: the next run compiles from source again
    try {
      rmSync(partial, { force: true });
    } catch {
      // nothing more to do
    }
  }
}
