/**
 * The one bundle of sc-doctor's code (scripts/build.mjs: `dist/sc-doctor.cjs`): the CLI (`runCli`), which the
 * `sc-doctor` binary (src/bin.ts) runs, and the library (src/index.ts), which `dist/index.js` re-exports. The
 * library is required on demand (synchronously: `dist/index.js` has no top-level await, so CommonJS can require
 * it), and the CLI's start does not run the modules only the library needs.
 */
import type * as Library from "./index.js";

export { runCli } from "./cli.js";

// esbuild bundles this require of our own module into a lazy initialiser; this file exists only in the bundle.
export const library = (): typeof Library => require("./index.js") as typeof Library;
