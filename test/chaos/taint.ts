/**
 * Which facts were not read successfully, from the simulator's request log. For a single resource the last answer
 * on its path decides (a 429 retried into a 200 is a successful read). A fault that returned a distorted 200
 * (malformed, truncated, empty, mistyped or stripped body) taints; `huge-body` keeps the real data and does not.
 *
 * Two facts come from searches rather than one path, and are judged by what the tool reports it used:
 * - `storage` (lookup: GET in the VM's group, then lists): read if some storage answer was a clean 200 and no
 *   storage answer the tool kept was distorted — a 404 injected where the account really is absent is honest;
 * - permissions: the path under the scope named in rbac-vm/rbac-storage's evidence (the engine also asks for
 *   speculative scopes it may not use).
 * Taint then flows along data dependencies: the storage lookup starts from the VM's boot diagnostics URI, and the
 * storage permissions from the account found.
 */
import type { RequestLogEntry } from "../azure-sim/index.mjs";
import type { FactName } from "../../src/checks/define.js";

const DISTORTING = new Set(["malformed-json", "truncated-json", "empty-body", "wrong-types", "missing-fields"]);
const clean = (entry: RequestLogEntry) => entry.fault === undefined || entry.fault === "huge-body";
const PERMISSIONS = "/providers/microsoft.authorization/permissions";

const SINGLE: Record<string, FactName> = {
  vm: "vm",
  "vm-instance-view": "vm",
  "scale-set-vm": "vm",
  "scale-set-vm-instance-view": "vm",
  subscription: "subscription",
  "console-service": "consoleService",
  "boot-diagnostics-data": "serialLog",
  blob: "serialLog",
  "cloud-shell-settings": "cloudShell",
};
const STORAGE_KINDS = new Set(["storage-account", "storage-list", "subscriptions"]);
const DEPENDS: Partial<Record<FactName, FactName[]>> = {
  storage: ["vm"],
  storagePermissions: ["storage", "vm"],
  vmPermissions: [],
  // The account's locks are read where the lookup found it; unknown when the lookup could not locate it.
  locks: ["storage", "vm"],
  // The serial log is judged only when the VM says boot diagnostics is on.
  serialLog: ["vm"],
  // The Cloud Shell storage account's subscription is read with the same GET (the healthy world: the VM's own).
  cloudShell: ["subscription"],
};

export interface UsedScopes {
  vmPermissions?: string;
  storagePermissions?: string;
  /** --principal: permissions come from role assignments + role definitions, not the Permissions API. */
  principal?: boolean;
  /** The account storage-account reports it found: its data came from its own GET or its subscription's list. */
  storageAccount?: { subscriptionId: string; resourceGroup: string; name: string };
}

/**
 * Facts whose final answer was a distorted 200 (malformed, truncated, empty, mistyped, stripped): Azure did not
 * say anything about the resource, so no finding at all — `fail` included — may rest on it.
 */
export function distortedFacts(log: readonly RequestLogEntry[]): Set<FactName> {
  const distorted = log.filter((entry) => entry.fault !== undefined && DISTORTING.has(entry.fault) && entry.status === 200);
  return taintedFacts(distorted, {}, true);
}

export function taintedFacts(log: readonly RequestLogEntry[], scopes: UsedScopes = {}, anyPermissionScope = false): Set<FactName> {
  const last = new Map<string, RequestLogEntry>();
  for (const entry of log) last.set(entry.path.toLowerCase(), entry);
  const finals = [...last.values()];
  const tainted = new Set<FactName>();

  for (const entry of finals) {
    const fact = SINGLE[entry.kind];
    if (fact && !clean(entry)) tainted.add(fact);
  }

  const account = scopes.storageAccount;
  // Locks: those at the VM, and at the account the lookup found — not a speculative read at the id next to the VM,
  // which the engine drops once the account turns out to be elsewhere (seed 424411). `anyPermissionScope`: all.
  const accountPath = account
    ? `/subscriptions/${account.subscriptionId}/resourceGroups/${account.resourceGroup}/providers/Microsoft.Storage/storageAccounts/${account.name}/`.toLowerCase()
    : undefined;
  for (const entry of finals.filter((e) => e.kind === "locks" && !clean(e))) {
    const path = entry.path.toLowerCase();
    const atAccount = path.includes("/providers/microsoft.storage/");
    if (anyPermissionScope || !atAccount || (accountPath !== undefined && path.startsWith(accountPath))) tainted.add("locks");
  }

  const storage = finals.filter((e) => STORAGE_KINDS.has(e.kind));
  if (account) {
    // Found: honest iff the account's own GET or its subscription's list answered a clean 200 (seed 8152: a
    // mistyped list of another subscription, where the account is not, does not matter).
    const sources = [
      `/subscriptions/${account.subscriptionId}/resourceGroups/${account.resourceGroup}/providers/Microsoft.Storage/storageAccounts/${account.name}`,
      `/subscriptions/${account.subscriptionId}/providers/Microsoft.Storage/storageAccounts`,
    ].map((path) => last.get(path.toLowerCase()));
    if (!sources.some((e) => e !== undefined && clean(e) && e.status === 200)) tainted.add("storage");
  } else
    // A distorted body only matters on a 200: a 404 with a mangled error body is still the 404 the lookup acts on.
    if (
      storage.some((e) => e.fault !== undefined && DISTORTING.has(e.fault) && e.status === 200) ||
      (storage.length > 0 && !storage.some((e) => clean(e) && e.status === 200))
    ) {
      tainted.add("storage");
    }

  if (anyPermissionScope) {
    for (const entry of finals.filter((e) => (e.kind === "permissions" || e.kind === "role-assignments") && !clean(e))) {
      tainted.add(/\/storageAccounts\//i.test(entry.path) ? "storagePermissions" : "vmPermissions");
    }
    if (finals.some((e) => e.kind === "role-definition" && !clean(e))) {
      tainted.add("vmPermissions");
      tainted.add("storagePermissions");
    }
  }
  if (scopes.principal) {
    // Role definitions are shared by both evaluations; role assignments are listed per scope.
    if (finals.some((e) => e.kind === "role-definition" && !clean(e))) {
      tainted.add("vmPermissions");
      tainted.add("storagePermissions");
    }
    for (const fact of ["vmPermissions", "storagePermissions"] as const) {
      const scope = scopes[fact];
      if (scope === undefined) continue;
      const entry = last.get(`${scope}/providers/microsoft.authorization/roleassignments`.toLowerCase());
      if (!entry || !clean(entry) || entry.status !== 200) tainted.add(fact);
    }
  }
  for (const fact of scopes.principal ? [] : (["vmPermissions", "storagePermissions"] as const)) {
    const scope = scopes[fact];
    if (scope === undefined) continue;
    const entry = last.get(`${scope}${PERMISSIONS}`.toLowerCase());
    if (!entry || !clean(entry) || entry.status !== 200) tainted.add(fact);
  }

  let grew = true;
  while (grew) {
    grew = false;
    for (const [fact, deps] of Object.entries(DEPENDS) as [FactName, FactName[]][]) {
      if (!tainted.has(fact) && deps.some((dep) => tainted.has(dep))) {
        tainted.add(fact);
        grew = true;
      }
    }
  }
  return tainted;
}
