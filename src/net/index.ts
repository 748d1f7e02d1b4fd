/**
 * The network probe: DNS → TCP → TLS → websocket upgrade to the Serial Console endpoints, from this machine.
 * (Skeleton: the network work implements the stages.)
 */
import type { CloudName } from "../azure/arm.js";
import type { NetworkFacts } from "./types.js";

export interface ProbeOptions {
  cloud: CloudName;
  /** The VM's region (ARM `location`), for `<region>.gateway.serialconsole.azure.com`. */
  location?: string;
  /** --console-endpoint override. */
  consoleEndpoint?: string;
  /** --resolve host:port:address (curl semantics). */
  resolve: string[];
  /** Bound for the whole probe. */
  timeoutMs: number;
}

export async function probeNetwork(options: ProbeOptions): Promise<NetworkFacts> {
  void options;
  return { targets: [], notImplemented: true };
}
