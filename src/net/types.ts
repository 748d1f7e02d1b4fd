/**
 * What the network probe (src/net/) found, stage by stage, for every host a Serial Console client needs.
 * Plain JSON-able data: the `network` check reads it and copies it into its evidence unchanged.
 */

/** The stages of one probe, in order. `proxy` (the CONNECT tunnel) appears only when a proxy is used. */
export type ProbeStage = "dns" | "tcp" | "proxy" | "tls" | "upgrade";

/**
 * Why a host could not be reached; the failing stage decides. The eight reasons plus three that keep
 * different causes apart instead of bending them into a neighbour: `tcp-unreachable` (no route), `tls-reset`
 * (the connection was cut during the handshake, typical of SNI filtering), `tls-protocol` (the port does not speak
 * TLS, e.g. plain HTTP from a captive portal or transparent proxy); and `proxy-config`: the proxy settings themselves
 * cannot be used (not a URL, a SOCKS proxy, credentials that are not percent-encoding), so nothing was sent.
 */
export type ProbeFailureReason =
  | "dns"
  | "tcp-refused"
  | "tcp-timeout"
  | "tcp-unreachable"
  | "proxy-denied"
  | "proxy-config"
  | "tls-untrusted"
  | "tls-hostname"
  | "tls-timeout"
  | "tls-reset"
  | "tls-protocol"
  | "upgrade-blocked";

/**
 * Which host: the regional websocket `gateway` (required), the `portal` host browser clients load the console UI
 * from (needed by the portal only), and a `legacy` name under the old `*.console.azure.com` domain (diagnostic only).
 */
export type TargetRole = "gateway" | "portal" | "legacy";

/** A host to probe and why. */
export type ProbeTarget = {
  role: TargetRole;
  host: string;
  port: number;
  /** The URL the upgrade is sent to (a dummy session path: no console session can be opened). */
  url: string;
  /** Required hosts decide pass/fail; the others can only warn or add context. */
  required: boolean;
  /** Where the name comes from (doc or code), for the evidence. */
  source: string;
};

/** The certificate the host presented, as validated (or rejected) by the TLS stage. */
export type CertificateFacts = {
  subject: string;
  subjectAltNames: string[];
  issuer: string;
  /** Top of the chain as Node built it (the trust anchor when the chain validated). */
  root: string;
  validFrom: string;
  validTo: string;
  /** The chain ends in a root shipped with Node (Mozilla's bundle), not in a locally added CA. */
  rootInBundledStore: boolean;
  /** The issuer is one the service is known to use (Microsoft / DigiCert). */
  publicIssuer: boolean;
};

/** One stage's outcome. Extra fields depend on the stage (addresses, status, certificate, …). */
export type StageResult = {
  stage: ProbeStage;
  ok: boolean;
  ms: number;
  detail?: string;
  /** dns: the addresses found; tcp: the address connected to. */
  addresses?: string[];
  address?: string;
  /** dns: `--resolve` or the system resolver; tcp: `direct` or the (masked) proxy. */
  via?: string;
  /** proxy: the CONNECT answer; upgrade: the HTTP status the endpoint answered with (101 = upgraded). */
  status?: number;
  /** tls: negotiated protocol and the certificate. */
  protocol?: string;
  certificate?: CertificateFacts;
  /** tls: the chain validated only thanks to a locally added CA and its issuer is not the service's. */
  intercepted?: boolean;
};

/** Everything found for one host. */
export type TargetResult = ProbeTarget & {
  ok: boolean;
  /** Set when a stage failed: which, and why. */
  failedStage?: ProbeStage;
  reason?: ProbeFailureReason;
  detail?: string;
  /** The failed stage was cut off by the probe's time budget (`NetworkFacts.timeoutMs`), not refused or broken. */
  timedOut?: true;
  /** The proxy used for this host (credentials masked), or null for a direct connection (NO_PROXY or none set). */
  proxy: string | null;
  /** The environment variable `proxy` came from, named as set (`HTTPS_PROXY`, `https_proxy`, `ALL_PROXY`, `HTTP_PROXY`, …). */
  proxyVariable?: string;
  stages: StageResult[];
  ms: number;
};

/** The `network` fact. */
export type NetworkFacts = {
  /** Set when the probe was not run (--no-network): the check skips with this reason. */
  skipped?: string;
  /** Set when the endpoint for the cloud is not documented and no --console-endpoint was given (AzureChinaCloud). */
  undocumented?: string;
  cloud?: string;
  location?: string | null;
  /** `derived` from cloud + region, or `--console-endpoint`. */
  endpointSource?: "derived" | "--console-endpoint";
  targets: TargetResult[];
  /** Hosts a client may need that were not probed, and why. */
  notProbed?: string[];
  timeoutMs?: number;
  /** Of the check's --timeout, the milliseconds spent reading the VM (its region) before the probe started. */
  waitedMs?: number;
  durationMs?: number;
};
