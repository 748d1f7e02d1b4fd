#!/usr/bin/env node
/**
 * The `sc-doctor` executable (bundled to `dist/cli.js` by scripts/build.mjs): two start-up shortcuts, then the CLI
 * proper (`./cli.ts`), imported so that neither pays for parsing it.
 */
import module from "node:module";

// Node >= 22.1 keeps V8's compiled code of every module loaded after this call in a cache on disk (the OS temp
// directory; NODE_DISABLE_COMPILE_CACHE=1 turns it off), so the Azure SDK chunks load faster from the second run
// on (https://nodejs.org/api/module.html#moduleenablecompilecachecachedir). Node 20 has no such API.
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === "--version" || args[0] === "-V")) {
  // What commander prints for --version, without loading commander and declaring every option first.
  const { VERSION } = await import("./version.js");
  process.stdout.write(`${VERSION}\n`);
} else {
  await import("./cli.js");
}
