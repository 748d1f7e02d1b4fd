/** The package's version (package.json `version`), for `--version` and every report's `tool.version`. */
import { createRequire } from "node:module";

/** Set by the bundler (scripts/build.mjs): a bundled chunk no longer sits next to package.json's relative path. */
declare const SC_DOCTOR_VERSION: string | undefined;

export const VERSION: string =
  typeof SC_DOCTOR_VERSION === "string"
    ? SC_DOCTOR_VERSION
    : (createRequire(import.meta.url)("../package.json") as { version: string }).version;
