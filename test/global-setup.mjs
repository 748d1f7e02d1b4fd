/**
 * Once, in vitest's main process before any worker starts:
 * - the simulator's PKI. Workers inherit its CA through NODE_EXTRA_CA_CERTS (read by Node at start-up only), so the
 *   CLI run in-process (test/e2e/harness.ts, runInProcess) trusts the simulator exactly as a spawned CLI does;
 *   SC_DOCTOR_SIM_PKI tells the simulator (test/azure-sim/certs.mjs) to serve with this PKI instead of making its own.
 * - a cache directory of the suite's own (XDG_CACHE_HOME, inherited by every CLI the tests spawn): the built CLI's
 *   code cache (src/code-cache.ts) of each build stays out of the developer's ~/.cache, and goes with the run.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { testCertificates } from "./azure-sim/certs.mjs";

export default async function setup() {
  const certs = await testCertificates();
  process.env["SC_DOCTOR_SIM_PKI"] = certs.dir;
  process.env["NODE_EXTRA_CA_CERTS"] = certs.caPath;
  const cache = mkdtempSync(join(tmpdir(), "sc-doctor-suite-cache-"));
  process.env["XDG_CACHE_HOME"] = cache;
  return () => rmSync(cache, { recursive: true, force: true });
}
