import type { CheckId, Finding } from "../types.js";
import type {
  CloudShellFacts,
  ConsoleServiceFacts,
  NetworkFacts,
  PermissionFacts,
  PerimeterFacts,
  SerialLogFacts,
  StorageLookup,
  LocksFacts,
  StoragePath,
  SubscriptionFacts,
  VmFacts,
  VmTarget,
} from "../azure/facts.js";

/** Every fact a check can ask for. A loader produces each one once per VM (memoised). */
export interface FactMap {
  vm: VmFacts;
  subscription: SubscriptionFacts;
  consoleService: ConsoleServiceFacts;
  /** The boot diagnostics storage account, found by name across the subscriptions the caller can see. */
  storage: StorageLookup;
  /** The VM rbac-vm judges: its facts, or its resource id when Azure refused to let the caller read it (403). */
  vmTarget: VmTarget;
  vmPermissions: PermissionFacts;
  /** Permissions on the boot diagnostics account; null when there is no account to judge (see `storage`). */
  storagePermissions: PermissionFacts | null;
  network: NetworkFacts;
  /** The tail of the boot diagnostics serial log (one POST and one or two ranged blob GETs). */
  serialLog: SerialLogFacts;
  /** The signed-in caller's Cloud Shell settings and the state of the subscription of its storage account. */
  cloudShell: CloudShellFacts;
  /** Management locks at or above the VM and the boot diagnostics account. */
  locks: LocksFacts;
  /** The boot diagnostics account's network security perimeters; null unless it is SecuredByPerimeter. */
  perimeter: PerimeterFacts | null;
  /** The run's choice of storage path (`--legacy-storage-path`); not read from Azure. */
  storagePath: StoragePath;
}
export type FactName = keyof FactMap;

/** What each fact is, in words for a reason ("timeout" names the facts a check was still waiting for). */
export const FACT_DESCRIPTIONS: Readonly<Record<FactName, string>> = {
  vm: "the VM and its instance view",
  subscription: "the subscription",
  consoleService: "the Serial Console service state",
  storage: "the boot diagnostics storage account",
  vmTarget: "the VM",
  vmPermissions: "the caller's permissions on the VM",
  storagePermissions: "the caller's permissions on the storage account",
  network: "the network probe",
  serialLog: "the serial log",
  cloudShell: "the caller's Cloud Shell settings",
  locks: "the management locks",
  perimeter: "the storage account's network security perimeter",
  storagePath: "the storage path",
};
export type PermissionFactName = "vmPermissions" | "storagePermissions";

/**
 * A check: what it reads, which checks must not have failed first, and a pure evaluation.
 * `evaluate` never does I/O; it may throw (the engine turns a throw into this check's `error`).
 */
export interface CheckDefinition<N extends FactName = FactName> {
  id: CheckId;
  title: string;
  needs: readonly N[];
  /** Checks whose `fail`/`error` make this one `skip` (reason names the dependency). */
  dependsOn?: readonly CheckId[];
  /** The Azure permission(s) the caller needs for the facts this check reads (for `sc-doctor checks`). */
  permissions: readonly string[];
  /**
   * The actions this check judges in a permission fact, per kind of VM: what an audit asks the Permissions API
   * about at that scope (src/fleet/loaders.ts reads them from here, through `actionsJudged`).
   */
  judgesActions?: { fact: PermissionFactName; actions(kind: VmFacts["kind"]): readonly string[] };
  /** Advisory checks never block: they never `fail` (they pass, warn, or skip/error like any check). */
  advisory?: boolean;
  evaluate(facts: Pick<FactMap, N>): Finding;
}

/** Identity helper that keeps `needs` and `evaluate`'s parameter in step. */
export function defineCheck<N extends FactName>(check: CheckDefinition<N>): CheckDefinition<N> {
  return check;
}
