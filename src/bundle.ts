/**
 * The one bundle of sc-doctor's code (scripts/build.mjs: `dist/sc-doctor.cjs`): the CLI (`runCli`), which the
 * `sc-doctor` binary (src/bin.ts) runs, and the library (src/index.ts), which `dist/index.js` re-exports. The
 * library is imported on demand, so that the CLI's start does not run the modules only the library needs.
 */
export { runCli } from "./cli.js";

export const library = () => import("./index.js");
