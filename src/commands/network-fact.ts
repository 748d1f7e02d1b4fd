/** The `network` fact: the probe from this machine (src/net/), or a recorded reason why it was not run. */
import type { CloudName } from "../azure/arm.js";
import type { NetworkFacts, VmFacts } from "../azure/facts.js";

export interface NetworkFactOptions {
  enabled: boolean;
  cloud: CloudName;
  consoleEndpoint?: string;
  resolve: string[];
  timeoutMs: number;
}

export function networkFactFor(options: NetworkFactOptions): (vm: () => Promise<VmFacts>) => Promise<NetworkFacts> {
  return async (vm) => {
    if (!options.enabled) return { skipped: "--no-network: the probe from this machine was not run", targets: [] };
    const { probeNetwork } = await import("../net/index.js");
    // The gateway host is per region; without the VM's location the probe still tests the shared hosts.
    const location = options.consoleEndpoint ? undefined : await vm().then((facts) => facts.location, () => undefined);
    // Leave a little of the check's own budget so the probe reports its stage instead of being cut off by the engine.
    const timeoutMs = Math.max(100, options.timeoutMs - 250);
    return probeNetwork({ cloud: options.cloud, location, consoleEndpoint: options.consoleEndpoint, resolve: options.resolve, timeoutMs });
  };
}
