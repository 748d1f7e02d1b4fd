/**
 * What the network probe (src/net/) found, stage by stage. Placeholder shape owned by the network issue (#4):
 * the probe fills it and the `network` check evaluates it.
 */
export type ProbeStage = "dns" | "tcp" | "tls" | "upgrade";

export type ProbeFailureReason =
  | "dns"
  | "tcp-refused"
  | "tcp-timeout"
  | "tls-untrusted"
  | "tls-hostname"
  | "tls-timeout"
  | "proxy-denied"
  | "upgrade-blocked";

export interface NetworkFacts {
  /** Set when the probe was not run (--no-network): the check skips with this reason. */
  skipped?: string;
  targets: unknown[];
  /** Skeleton marker until the probe exists: the check says error, never pass. */
  notImplemented?: boolean;
}
