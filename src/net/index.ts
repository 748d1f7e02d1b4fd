/**
 * The network probe: from this machine, DNS → TCP → (proxy) → TLS → websocket upgrade to every host a Serial
 * Console client needs (see endpoints.ts for which and why), all hosts at once, bounded by one time budget.
 * It never sends credentials to those hosts and never opens a console session (no ARM `connect` call).
 */
import { Deadline } from "./deadline.js";
import { planEndpoints, portalOrigin, type EndpointOptions } from "./endpoints.js";
import { probeTarget } from "./probe-target.js";
import { parseResolveOverrides, type Lookups } from "./resolve.js";
import type { NetworkFacts } from "./types.js";

export interface ProbeOptions extends EndpointOptions {
  /** --resolve host:port:address (curl semantics). */
  resolve: readonly string[];
  /** Bound for the whole probe (every stage of every host). */
  timeoutMs: number;
  /** Extra trusted CA certificates (PEM), added to Node's bundled roots. For tests; users set NODE_EXTRA_CA_CERTS. */
  ca?: readonly string[];
  /** The run's DNS lookups, shared by every region's probe (see `Lookups`). */
  lookups?: Lookups;
}

/** Probe every host; resolves (never rejects) with what each stage found. Throws only on malformed options. */
export async function probeNetwork(options: ProbeOptions): Promise<NetworkFacts> {
  const started = performance.now();
  const plan = planEndpoints(options);
  const base = { cloud: options.cloud, location: options.location ?? null, timeoutMs: Math.round(options.timeoutMs) };
  if (plan.kind === "undocumented") return { ...base, undocumented: plan.reason, targets: [] };

  const overrides = parseResolveOverrides(options.resolve);
  const deadline = Deadline.after(options.timeoutMs);
  const origin = portalOrigin(options.cloud);
  const targets = await Promise.all(
    plan.targets.map((target) => probeTarget(target, { overrides, deadline, ca: options.ca, origin, lookups: options.lookups })),
  );
  return {
    ...base,
    endpointSource: plan.source,
    targets,
    notProbed: plan.notProbed,
    durationMs: Math.round(performance.now() - started),
  };
}
