/**
 * Once, in vitest's main process before any worker starts:
 * - the simulator's PKI. Workers inherit its CA through NODE_EXTRA_CA_CERTS (read by Node at start-up only), so the
 *   CLI run in-process (test/e2e/harness.ts, runInProcess) trusts the simulator exactly as a spawned CLI does;
 *   SC_DOCTOR_SIM_PKI tells the simulator (test/azure-sim/certs.mjs) to serve with this PKI instead of making its own.
 * - a cache directory of the suite's own (XDG_CACHE_HOME, inherited by every CLI the tests spawn): the built CLI's
 *   code cache (src/code-cache.ts) of each build stays out of the developer's ~/.cache, and goes with the run.
 * - an empty Azure CLI configuration directory (AZURE_CONFIG_DIR): the developer's `az` settings (an active cloud of
 *   US Government or China adds a `--cloud` hint to errors; a default subscription) stay out of the results. A test
 *   that needs one writes its own.
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
  const azureCli = mkdtempSync(join(tmpdir(), "sc-doctor-suite-azure-cli-"));
  process.env["AZURE_CONFIG_DIR"] = azureCli;
  return () => {
    rmSync(cache, { recursive: true, force: true });
    rmSync(azureCli, { recursive: true, force: true });
  };
}
