import type { LockFacts } from "../azure/facts.js";
import type { Finding } from "../types.js";
import { subscriptionOf } from "../azure/resource-id.js";
import { defineCheck } from "./define.js";
import { vmArgs } from "./support/facts-to-args.js";
import { sh } from "./support/shell.js";
import { onStoragePath } from "./support/storage.js";

const isReadOnly = (lock: LockFacts) => lock.level.toLowerCase() === "readonly";
const describeLocks = (locks: readonly LockFacts[]) =>
  locks.map((lock) => `'${lock.name}' on ${lock.scope || "(unknown scope)"}`).join(", ");
/** Why the account's locks are unknown, as a sentence of our own: the loader's text may be blank or odd. */
const accountLocksUnknown = (why: string) =>
  `the locks on the boot diagnostics storage account could not be read (${why.trim() || "no reason was given"})`;
const evidenceOf = (locks: readonly LockFacts[] | null) =>
  locks?.map((lock) => ({ name: lock.name, level: lock.level, scope: lock.scope })) ?? null;

/**
 * A `ReadOnly` management lock refuses every POST and write below it with 409 ScopeLocked
 * (https://learn.microsoft.com/azure/azure-resource-manager/management/lock-resources). On the boot diagnostics
 * account (or its resource group / subscription) it refuses `listKeys` and the connection string the console wrote
 * there before the end-2025 change (https://github.com/microsoft/azserialconsole/issues/12,
 * https://github.com/microsoft/azserialconsole/issues/115): `fail` with `--legacy-storage-path`, `warn` by default
 * (serial log and screenshot reads still need the keys). On the VM or above it, it may refuse the connect action and
 * `retrieveBootDiagnosticsData`, both POSTs on the VM: `warn`. `CanNotDelete` locks change nothing.
 */
export default defineCheck({
  id: "resource-locks",
  title: "Management locks on the VM and the boot diagnostics account",
  needs: ["locks", "vm", "storagePath"],
  permissions: ["Microsoft.Authorization/locks/read"],
  evaluate({ locks, vm, storagePath }) {
    const vmReadOnly = locks.vm.filter(isReadOnly);
    const accountReadOnly = (locks.account ?? []).filter(isReadOnly);
    const evidence = { vmLocks: evidenceOf(locks.vm), accountLocks: evidenceOf(locks.account) };
    // `az lock delete --ids` deletes in the CLI's current subscription, whatever the id says (azure-cli's
    // _parse_lock_id ignores it, https://github.com/Azure/azure-cli/issues/24519): name the lock's own.
    const removeFix = (list: readonly LockFacts[]) =>
      list.map((lock) => {
        const subscription = subscriptionOf(lock.id);
        return subscription ? sh`az lock delete --ids ${lock.id} --subscription ${subscription}` : sh`az lock delete --ids ${lock.id}`;
      });
    const findings: Finding[] = [];
    if (accountReadOnly.length > 0) {
      findings.push(
        onStoragePath(
          {
            status: "fail",
            reason: `a ReadOnly lock on the boot diagnostics storage account or above it (${describeLocks(accountReadOnly)}) refuses listKeys and the connection string Serial Console writes there (409 ScopeLocked)`,
            evidence,
            documentedErrorId: "scope-locked",
            fixArgs: vmArgs(vm),
            fix: removeFix(accountReadOnly),
          },
          storagePath,
        ),
      );
    }
    if (vmReadOnly.length > 0) {
      findings.push({
        status: "warn",
        reason: `a ReadOnly lock on the VM or above it (${describeLocks(vmReadOnly)}) may refuse the console's connect action and retrieveBootDiagnosticsData, both POSTs on the VM (409 ScopeLocked)`,
        evidence,
        documentedErrorId: "scope-locked",
        fixArgs: vmArgs(vm),
        fix: removeFix(vmReadOnly),
      });
    }
    const [first] = findings;
    if (first) {
      const unknown = locks.accountUnknown !== undefined ? [accountLocksUnknown(locks.accountUnknown)] : [];
      // Account locks unread where one would fail the console (--legacy-storage-path): the VM's warn is no ceiling.
      const mayFail = unknown.length > 0 && storagePath === "legacy";
      // A lock on a resource group or subscription above both is reported once, with every fix once.
      return {
        ...first,
        status: findings.some((f) => f.status === "fail") ? "fail" : mayFail ? "error" : "warn",
        reason: [...findings.map((f) => f.reason), ...unknown].join("; "),
        evidence: Object.assign({}, ...findings.map((f) => f.evidence)) as Finding["evidence"],
        fix: [...new Set(findings.flatMap((f) => f.fix ?? []))],
      };
    }
    if (locks.accountUnknown !== undefined) return { status: "error", reason: accountLocksUnknown(locks.accountUnknown), evidence };
    const others = [...locks.vm, ...(locks.account ?? [])];
    // The locks spec's LockLevel also has NotSpecified: what such a lock refuses is not said, so no pass.
    const unjudged = others.filter((lock) => lock.level.toLowerCase() !== "cannotdelete");
    if (unjudged.length > 0)
      return {
        status: "error",
        reason: `a lock whose level is neither CanNotDelete nor ReadOnly (${describeLocks(unjudged)}): what it refuses cannot be said`,
        evidence,
      };
    const reason =
      others.length > 0
        ? `only CanNotDelete locks (${describeLocks(others)}), which do not refuse what Serial Console does`
        : locks.account === null
          ? "no management lock on the VM or a resource group or subscription above it (no custom boot diagnostics account to hold one)"
          : "no management lock on the VM, the boot diagnostics account, or a resource group or subscription above them";
    return { status: "pass", reason, evidence };
  },
});
