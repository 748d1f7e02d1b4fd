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

/**
 * One loader per run: the probe depends only on the region (and the options), so an audit probes each region's
 * gateway once, however many VMs live there.
 */
export function networkFactFor(options: NetworkFactOptions): (vm: () => Promise<VmFacts>) => Promise<NetworkFacts> {
  const byRegion = new Map<string, Promise<NetworkFacts>>();
  return async (vm) => {
    if (!options.enabled) return { skipped: "--no-network: the probe from this machine was not run", targets: [] };
    const started = performance.now();
    const { probeNetwork } = await import("../net/index.js");
    // The gateway host is per region; without the VM's location the probe still tests the shared hosts.
    const location = await vm().then((facts) => facts.location ?? null, () => null);
    const key = options.consoleEndpoint ? "--console-endpoint" : (location ?? "");
    let probe = byRegion.get(key);
    if (!probe) {
      // Leave a little of the check's own budget so the probe reports its stage instead of being cut off by the engine.
      // The check's clock started before the VM read, so that time is spent too.
      const timeoutMs = Math.max(100, options.timeoutMs - 250 - (performance.now() - started));
      probe = probeNetwork({ cloud: options.cloud, location, consoleEndpoint: options.consoleEndpoint, resolve: options.resolve, timeoutMs });
      byRegion.set(key, probe);
    }
    return probe;
  };
}
