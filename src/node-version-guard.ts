/**
 * Imported first by the binary (src/bin.ts): on a Node.js older than sc-doctor supports, say so and exit 3 before
 * any other module runs — they require `node:` built-ins and use syntax an old Node cannot load, and would fail
 * with a misleading error (or exit 1, which a CI gate reads as findings). The binary is built for old syntax
 * (scripts/build.mjs) so that this module can run at all.
 */
import { unsupportedNode } from "./node-version.js";

const tooOld = unsupportedNode(process.version);
if (tooOld !== undefined) {
  // Exit 3, could not evaluate: nothing was run, and a CI gate must not read this as "no findings".
  process.stderr.write(`sc-doctor: ${tooOld}\n`);
  process.exit(3);
}
