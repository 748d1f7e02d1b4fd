import { defineCheck } from "./define.js";

/**
 * "Web socket is closed or couldn't be opened" (errors doc): this machine must reach `*.serialconsole.azure.com`.
 * (Skeleton until the probe exists: it never passes without having probed.)
 */
export default defineCheck({
  id: "network",
  title: "Network path to Serial Console from this machine",
  needs: ["network"],
  permissions: ["none (probes from this machine; no Azure call)"],
  evaluate({ network }) {
    if (network.skipped) return { status: "skip", reason: network.skipped, evidence: {} };
    return { status: "error", reason: "the network probe is not implemented yet", evidence: {} };
  },
});
