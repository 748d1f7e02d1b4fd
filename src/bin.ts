#!/usr/bin/env node
/**
 * The `sc-doctor` executable (bundled to `dist/cli.js` by scripts/build.mjs): two start-up shortcuts, then the CLI
 * proper (`./cli.ts`), imported so that neither pays for parsing it.
 */
import module from "node:module";

/** Set by the bundler (scripts/build.mjs); undefined in tsc's unbundled `dist/bin.js`, which reads package.json. */
declare const SC_DOCTOR_VERSION: string | undefined;

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === "--version" || args[0] === "-V")) {
  // What commander prints for --version, without loading commander and declaring every option first; in the bundle
  // without loading any other file either.
  const version = typeof SC_DOCTOR_VERSION === "string" ? SC_DOCTOR_VERSION : (await import("./version.js")).VERSION;
  process.stdout.write(`${version}\n`);
} else {
  // Node >= 22.1 keeps V8's compiled code of every module loaded after this call in a cache on disk (the OS temp
  // directory; NODE_DISABLE_COMPILE_CACHE=1 turns it off), so the Azure SDK chunks load faster from the second run
  // on (https://nodejs.org/api/module.html#moduleenablecompilecachecachedir). Node 20 has no such API.
  (module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
  await import("./cli.js");
}
