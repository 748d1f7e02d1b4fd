/** Types of the Azure simulator (index.mjs), so tests that use it type-check. */

export type FaultKind =
  | "429"
  | "500"
  | "502"
  | "503"
  | "403"
  | "404"
  | "401"
  | "hang"
  | "reset"
  | "malformed-json"
  | "truncated-json"
  | "empty-body"
  | "wrong-types"
  | "missing-fields"
  | "huge-body"
  /** Targeted only (not in FAULT_KINDS, so never drawn by the chaos schedules): 409 MissingSubscriptionRegistration. */
  | "409"
  /** Targeted only: the real page pointing back at itself (`nextLink`, or Resource Graph's `$skipToken`). */
  | "loop-link";

export interface Fault {
  /** `path`: case-insensitive substring of the request path; `method`: GET, POST, …; `body`: substring of a POST's JSON body (Resource Graph queries). */
  match: { path?: string; pathIs?: string; method?: string; body?: string };
  kind: FaultKind;
  /** How many times it fires; default: every time. */
  count?: number;
  /** Seconds, sent as `Retry-After` (429 always carries one unless omitted here; 5xx only when given). */
  retryAfter?: number;
  /** Replaces the error message of the ARM error kinds (hostile-text tests). */
  message?: string;
}

export interface FleetSpec {
  vms: number;
  subscriptions?: number;
  storageAccounts?: number;
  seed?: number;
  /** Share (0..1) of VMs whose reads fail with a transient 500 the first time. */
  faultRate?: number;
  /** Share (0..1) of each resource group's VMs that are uniform scale set instances instead (one set per group). */
  uniformShare?: number;
}

export interface SimulatorOptions {
  /** A scenario name (test/azure-sim/scenarios/*.mjs); default "healthy". */
  scenario?: string;
  /** A generated fleet instead of a scenario. */
  fleet?: FleetSpec;
  /** Delay added to every ARM response (not to the token endpoint). */
  latencyMs?: number;
  /** Enforce ARM and Resource Graph read limits (429 with Retry-After). */
  throttle?: boolean;
}

export interface RequestLogEntry {
  method: string;
  /** Decoded path, without the query string. */
  path: string;
  query: Record<string, string>;
  /** 0 when the request was never answered (hang, reset). */
  status: number;
  fault?: FaultKind | "throttled";
  ms: number;
  correlationId: string;
  /** Route kind: "vm", "storage-list", "permissions", "resource-graph", "boot-diagnostics-data", "blob", "write", "unrouted", … */
  kind: string;
  /** Blob GETs: the `Range` header sent (the query's `sig` is logged as `***`). */
  range?: string;
  /** Resource Graph queries: the table the query reads (`resources`, `resourcecontainers`, …), lower-case. */
  graphTable?: string;
}

export interface WriteLogEntry {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
}

export interface SimulatorStats {
  /** ARM requests (token requests excluded). */
  requests: number;
  writes: number;
  tokens: number;
  faulted: number;
  throttled: number;
  byKind: Record<string, number>;
}

export interface SimulatorEnv {
  IDENTITY_ENDPOINT: string;
  IDENTITY_HEADER: string;
  NODE_EXTRA_CA_CERTS: string;
  SC_DOCTOR_ARM_ENDPOINT: string;
  AZURE_SUBSCRIPTION_ID: string;
  [name: string]: string;
}

export interface Simulator {
  /** `https://127.0.0.1:<port>` */
  readonly origin: string;
  /** PEM of the CA that signed the server certificate (also at env.NODE_EXTRA_CA_CERTS). */
  readonly ca: string;
  readonly env: SimulatorEnv;
  readonly scenario: string;
  /** Every ARM request so far (since resetLog), in the order they were answered. */
  readonly requests: RequestLogEntry[];
  /** Every write attempted (all rejected with 405). */
  readonly writes: WriteLogEntry[];
  setScenario(name: string): void;
  setFleet(spec: FleetSpec): void;
  setFaults(faults: Fault[]): void;
  /**
   * Delay every answer by `ms` (ARM, Resource Graph, blobs, cloud metadata; never the token endpoint).
   * `metadata: false`: not `/metadata/endpoints` either — the public clouds' path, which has no metadata read.
   */
  setLatency(ms: number, options?: { metadata?: boolean }): void;
  setThrottle(on: boolean): void;
  resetLog(): void;
  stats(): SimulatorStats;
  close(): Promise<void>;
}

export function startSimulator(options?: SimulatorOptions): Promise<Simulator>;
export const FAULT_KINDS: readonly FaultKind[];
export const SCENARIOS: Readonly<Record<string, unknown>>;

/** The plain data of a generated fleet (bodies in ARM shape, hence loosely typed). */
export interface FleetWorld {
  subscriptions: { subscriptionId: string; state: string; [key: string]: unknown }[];
  consoleServices: Record<string, { disabled?: boolean; notFound?: boolean }>;
  resourceGroups: { id: string; name: string }[];
  vms: { model: any; instanceView: any }[];
  scaleSets: any[];
  storageAccounts: { id: string; name: string; location: string; properties: any }[];
  roleAssignments: any[];
  faultRate: number;
  seed: number;
}

/** Generate a fleet's world without starting a server (what `fleet:` / `setFleet` serve). */
export function buildFleet(spec: FleetSpec): FleetWorld;

/** The seedable PRNG (mulberry32) the fleet generator uses; the chaos schedules share it. */
export function prng(seed: number): () => number;

/** The simulator's routes answered in-process (in-process.mjs): every call recorded in `calls`. */
