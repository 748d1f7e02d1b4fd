/** The `network` fact: the probe from this machine (src/net/), or a recorded reason why it was not run. */
import { Slot } from "../azure/run-cache.js";
import { failureText, type CloudName } from "../azure/arm.js";
import { gatewayNotProbed } from "../net/endpoints.js";
import type { NetworkFacts, VmFacts } from "../azure/facts.js";
import type { Lookups } from "../net/resolve.js";

export interface NetworkFactOptions {
  enabled: boolean;
  cloud: CloudName;
  consoleEndpoint?: string;
  resolve: string[];
  timeoutMs: number;
  /**
   * Why the cloud's Serial Console hosts do not apply (Azure Stack Hub behind `--arm-endpoint`), once the session
   * knows; asked when a VM's probe starts, after sign-in.
   */
  noDocumentedEndpoint?: () => string | undefined;
}

/**
 * One loader per run: the probe depends only on the region (and the options), so an audit probes each region's
 * gateway once, however many VMs live there. The probe module (with `ws`) starts loading at once, while the
 * credential and the VM are read, so it never sits on the critical path.
 */
export function networkFactFor(options: NetworkFactOptions): (vm: () => Promise<VmFacts>) => Promise<NetworkFacts> {
  const byRegion = new Slot<NetworkFacts>();
  const lookups: Lookups = new Map();
  const probeModule = options.enabled ? import("../net/index.js") : undefined;
  probeModule?.catch(() => undefined); // a load failure is reported by the check that awaits it, not as unhandled
  return async (vm) => {
    if (!probeModule) return { skipped: "--no-network: the probe from this machine was not run", targets: [] };
    const undocumented = options.consoleEndpoint ? undefined : options.noDocumentedEndpoint?.();
    if (undocumented) return { undocumented, targets: [] };
    const started = performance.now();
    // The gateway host is per region; an explicit --console-endpoint needs no VM read, so the probe starts at once.
    // Without the VM's location the probe still tests the shared hosts (and the check reports it could not judge).
    // The VM read's failure is named where the gateway was not probed (it is the reason its host is unknown).
    let locationUnknown: string | undefined;
    const location = options.consoleEndpoint
      ? null
      : await vm().then(
          (facts) => facts.location ?? null,
          (error: unknown) => {
            locationUnknown = failureText(error);
            return null;
          },
        );
    const key = options.consoleEndpoint ? "--console-endpoint" : (location?.toLowerCase() ?? "");
    // The slot registers the promise before anything awaits, so VMs of one region never start two probes.
    const facts = await byRegion.get(key, async () => {
      const { probeNetwork } = await probeModule;
      // Leave a little of the check's own budget so the probe reports its stage instead of being cut off by the
      // engine; the check's clock started before the VM read, so that time is spent too.
      const waitedMs = Math.round(performance.now() - started);
      const timeoutMs = Math.max(100, options.timeoutMs - 250 - waitedMs);
      const facts = await probeNetwork({
        cloud: options.cloud,
        location,
        consoleEndpoint: options.consoleEndpoint,
        resolve: options.resolve,
        timeoutMs,
        lookups,
      });
      return { ...facts, waitedMs };
    });
    if (locationUnknown === undefined) return facts;
    // One probe for the VMs whose region is unknown (Azure's answer differs by VM: a timestamp, a name); each says its own.
    const shared = gatewayNotProbed();
    return { ...facts, notProbed: facts.notProbed?.map((line) => (line === shared ? gatewayNotProbed(locationUnknown) : line)) };
  };
}

/** The network check's skip reason on Azure Stack Hub (its Resource Manager behind `--arm-endpoint`). */
export function azureStackReason(armEndpoint: string | undefined): string {
  return `Resource Manager at ${armEndpoint ?? "--arm-endpoint"} is Azure Stack Hub (its /metadata/endpoints says so): no Serial Console endpoint is documented for it; pass --console-endpoint wss://<host> to probe one`;
}
