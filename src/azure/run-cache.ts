/**
 * What one run (a `--vm` diagnosis or a whole audit) has already read, shared between loaders and VMs: one typed
 * slot per kind of answer instead of string-prefixed keys in one untyped map. A slot keeps the promise, so
 * concurrent askers share one request; keys are case-normalised by the slot's caller.
 */
import type {
  CloudShellFacts,
  ConsoleServiceFacts,
  DenyAssignmentList,
  LockFacts,
  PermissionBlock,
  PermissionFacts,
  PerimeterFacts,
  StorageLookup,
  SubscriptionFacts,
} from "./facts.js";
import type { JsonObject } from "./json.js";

export class Slot<T> {
  private readonly entries = new Map<string, Promise<T>>();
  private readonly failed = new Set<string>();

  /** The promise for `key`, starting `load` only if nobody asked before. */
  get(key: string, load: () => Promise<T>): Promise<T> {
    let promise = this.entries.get(key);
    if (!promise) {
      const loading = load();
      promise = loading;
      this.entries.set(key, loading);
      loading.catch(() => {
        if (this.entries.get(key) === loading) this.failed.add(key);
      });
    }
    return promise;
  }

  /** Drop the loads that failed (a read cancelled with the diagnosis that started it), so the next ask reads again. */
  forgetFailed(): void {
    for (const key of this.failed) this.entries.delete(key);
    this.failed.clear();
  }

  /** The keys asked for so far. */
  keys(): string[] {
    return [...this.entries.keys()];
  }
}

/** Role assignments of one principal listed at a scope, and what that listing cannot see. */
export interface PrincipalAssignments {
  assignments: JsonObject[];
  limitations: string[];
}

/** A subscription's role assignments, for every principal, as the audit's RBAC shortcuts need them (scopes lower-case). */
export interface SubscriptionAssignments {
  /** Scopes below resource-group level that carry at least one role assignment. */
  resourceScopes: Set<string>;
  /** The assignments made at each resource group's own scope. */
  atGroup: Map<string, JsonObject[]>;
}

export interface RoleDefinitionFacts {
  name: string;
  blocks: PermissionBlock[];
}

export class RunCache {
  /** GET /subscriptions/{id}, by subscription id. */
  readonly subscription = new Slot<SubscriptionFacts>();
  /** Serial Console state, by subscription id. */
  readonly consoleService = new Slot<ConsoleServiceFacts>();
  /** The signed-in caller's Cloud Shell settings (one key: ""). */
  readonly cloudShell = new Slot<CloudShellFacts>();
  /** Every subscription the credential can see (one key: ""). */
  readonly subscriptionRows = new Slot<JsonObject[]>();
  /**
   * The rows of the audit's own subscription listing, by lower-cased id, once it was read (before any VM is
   * evaluated): each is the model a GET of that subscription returns, so none is asked again.
   */
  readonly listedSubscriptions = new Map<string, JsonObject>();
  /** Storage accounts listed per subscription id. */
  readonly storageAccounts = new Slot<JsonObject[]>();
  /** The caller's permissions, by lower-cased scope. */
  readonly permissions = new Slot<PermissionFacts>();
  /** Role definitions, by lower-cased id. */
  readonly roleDefinitions = new Slot<RoleDefinitionFacts>();
  /** Deny assignments of a subscription (at, above and below it), by lower-cased subscription id. */
  readonly denyAssignments = new Slot<DenyAssignmentList>();
  /** Management locks at or above a scope, by lower-cased scope. */
  readonly locksAt = new Slot<LockFacts[]>();
  /** Every management lock of a subscription, by lower-cased subscription id. */
  readonly subscriptionLocks = new Slot<LockFacts[]>();
  /** A storage account's network security perimeters, by lower-cased account id. */
  readonly perimeters = new Slot<PerimeterFacts>();
  // The audit's (src/fleet):
  /** Storage account lookups, by the VM facts that decide them. */
  readonly storageLookups = new Slot<StorageLookup>();
  /** Every principal's role assignments, by subscription scope (undefined: the list could not be read). */
  readonly subscriptionAssignments = new Slot<SubscriptionAssignments | undefined>();
  /** The caller's permissions at a resource group, by lower-cased group scope (undefined: not to be had). */
  readonly groupPermissions = new Slot<PermissionFacts | undefined>();
  /** `--principal` assignments listed at a subscription, by principal and subscription scope. */
  readonly principalAssignments = new Slot<PrincipalAssignments>();

  /** Forget every failed load in every slot (see `Slot.forgetFailed`). */
  forgetFailed(): void {
    for (const slot of Object.values(this)) if (slot instanceof Slot) slot.forgetFailed();
  }

  /** Every key of every slot, as `slot:key` (what a run keeps; tests check nothing is kept per VM). */
  keys(): string[] {
    return Object.entries(this).flatMap(([name, slot]) => (slot instanceof Slot ? slot.keys().map((key) => `${name}:${key}`) : []));
  }
}

/** Share a load through a run cache slot when there is one; without, just load. */
export function cached<T>(slot: Slot<T> | undefined, key: string, load: () => Promise<T>): Promise<T> {
  return slot ? slot.get(key, load) : load();
}
