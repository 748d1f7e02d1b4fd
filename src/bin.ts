#!/usr/bin/env node
/**
 * The `sc-doctor` executable, built twice by scripts/build.mjs: `dist/cli.cjs` (the package's `bin`: a CommonJS
 * entry skips Node's ES module loader, ~9 ms of every start) and `dist/cli.js` (the same as an ES module, for
 * `node dist/cli.js`). The `--version` shortcut, then the CLI proper from the one bundle of sc-doctor's code
 * (`dist/sc-doctor.cjs`), loaded through V8's code cache.
 */
// First: on an unsupported Node.js it exits before the other modules load.
import "./node-version-guard.js";
import { bundleBeside, requireCached } from "./code-cache.js";
import { SIGNAL_HOOK } from "./signal-hook.js";

/** Set by the bundler (scripts/build.mjs): the version, and the content hash of `sc-doctor.cjs` beside this file. */
declare const SC_DOCTOR_VERSION: string;
declare const SC_DOCTOR_BUNDLE_HASH: string;

// The network probe resolves names with getaddrinfo on libuv's thread pool (4 threads by default), which cannot be
// cancelled: a few names whose DNS never answers would hold every thread while other lookups wait. Set before the
// pool first starts (nothing here has used it yet); a value the user set is kept.
process.env["UV_THREADPOOL_SIZE"] ??= "16";

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === "--version" || args[0] === "-V")) {
  // What commander prints for --version, without loading the bundle. Read by a program that stops early
  // (`sc-doctor --version | true`): a closed pipe is no failure here (as for --help, src/cli.ts).
  process.stdout.on("error", () => undefined);
  process.stdout.write(`${SC_DOCTOR_VERSION}\n`);
} else {
  // From the first moment, a signal ends the run with 3 (could not evaluate), never the default 130/143 a CI gate
  // would not recognise: loading the bundle alone takes a few hundred ms. The audit routes signals to its own
  // handler through SIGNAL_HOOK (src/commands/audit.ts: it writes what finished); everything else stops at once,
  // its output not written or (`report` streaming a large merge) cut short.
  const hooks = globalThis as { [SIGNAL_HOOK]?: (() => void) | null };
  hooks[SIGNAL_HOOK] = null;
  const interrupted = () => {
    const hook = hooks[SIGNAL_HOOK];
    if (hook) return hook();
    process.stderr.write("sc-doctor: interrupted before its output was complete\n");
    process.exit(3);
  };
  process.on("SIGINT", interrupted);
  process.on("SIGTERM", interrupted);
  const bundle = requireCached(bundleBeside("sc-doctor.cjs"), SC_DOCTOR_BUNDLE_HASH) as {
    runCli(argv: readonly string[]): Promise<void>;
  };
  // runCli reports its own failures and sets the exit code (src/cli.ts).
  void bundle.runCli(process.argv);
}
