#!/usr/bin/env node
/**
 * The `sc-doctor` executable (bundled to `dist/cli.js` by scripts/build.mjs): the `--version` shortcut, then the CLI
 * proper from the one bundle of sc-doctor's code (`dist/sc-doctor.cjs`), loaded through V8's code cache.
 */
import { requireCached } from "./code-cache.js";

/** Set by the bundler (scripts/build.mjs): the version, and the content hash of `sc-doctor.cjs` beside this file. */
declare const SC_DOCTOR_VERSION: string;
declare const SC_DOCTOR_BUNDLE_HASH: string;

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === "--version" || args[0] === "-V")) {
  // What commander prints for --version, without loading the bundle.
  process.stdout.write(`${SC_DOCTOR_VERSION}\n`);
} else {
  const { fileURLToPath } = await import("node:url");
  const bundle = requireCached(fileURLToPath(new URL("./sc-doctor.cjs", import.meta.url)), SC_DOCTOR_BUNDLE_HASH) as {
    runCli(argv: readonly string[]): Promise<void>;
  };
  await bundle.runCli(process.argv);
}
