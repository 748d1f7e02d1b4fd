/**
 * Once, in vitest's main process before any worker starts: the simulator's PKI. Workers inherit its CA through
 * NODE_EXTRA_CA_CERTS (read by Node at start-up only), so the CLI run in-process (test/e2e/harness.ts,
 * runInProcess) trusts the simulator exactly as a spawned CLI does; SC_DOCTOR_SIM_PKI tells the simulator
 * (test/azure-sim/certs.mjs) to serve with this PKI instead of making its own.
 */
import { testCertificates } from "./azure-sim/certs.mjs";

export default async function setup() {
  const certs = await testCertificates();
  process.env["SC_DOCTOR_SIM_PKI"] = certs.dir;
  process.env["NODE_EXTRA_CA_CERTS"] = certs.caPath;
}
