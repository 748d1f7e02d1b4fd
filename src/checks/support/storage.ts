/** Shared by the storage checks: which account they judge, or why they don't apply. */
import type { StorageAccountFacts, StorageLookup, StoragePath, VmFacts } from "../../azure/facts.js";
import type { CheckId, Finding } from "../../types.js";
import { defineCheck, type CheckDefinition, type FactMap, type FactName } from "../define.js";

/** The found account, or the `skip` finding that says why there is none to judge. */
export function accountOrSkip(lookup: StorageLookup): StorageAccountFacts | Finding {
  if (lookup.kind === "found") return lookup.account;
  if (lookup.kind === "not-applicable") return { status: "skip", reason: lookup.reason, evidence: {} };
  // Not "storage-account failed": on the end-2025 path that check warns about the same account.
  const why = lookup.kind === "not-found" ? "was not found" : "could not be located (its resource group is undetermined)";
  return {
    status: "skip",
    reason: `the boot diagnostics storage account ${why}, so there is no account to judge (see storage-account)`,
    evidence: { dependsOn: "storage-account" },
  };
}

export function isFinding(value: StorageAccountFacts | Finding): value is Finding {
  return "status" in value;
}

/** Evidence every storage check carries: which account. */
export function accountEvidence(account: StorageAccountFacts) {
  return { storageAccount: account.name, storageAccountId: account.id };
}

/** What the storage findings cite: the overview's notice (docs/contract.md, "Storage path"). */
export const STORAGE_NOTICE =
  "Azure Serial Console overview: by the end of 2025 Serial Console no longer uses the boot diagnostics storage account to establish a connection (logs and screenshots still use it). This check maps to the documented error users still report.";

const LEGACY_NOTE = "judged as the console's connection path (--legacy-storage-path, as before Azure's end-2025 change)";
const END_2025_NOTE =
  "judged on the end-2025 storage path: per Azure's notice the console no longer connects through this account, but the serial log and screenshot still need it; --legacy-storage-path judges it as the connection path";

/**
 * Judge a finding about the custom boot diagnostics account on the run's storage path. The overview (ms.date
 * 10/16/2025, https://learn.microsoft.com/troubleshoot/azure/virtual-machines/windows/serial-console-overview) says the
 * console stops using that account to connect by the end of 2025; logs and screenshots still use it. So by default
 * a `fail` becomes `warn` (the console connects; logs may not), keeping its documented error, mitigation and fix;
 * with `--legacy-storage-path` it stays `fail`. Either way the finding says which path it judged and cites the
 * notice (a `pass` or `skip` does not: the path decided nothing, and an audit writes every VM's evidence).
 */
export function onStoragePath(finding: Finding, path: StoragePath): Finding {
  if (finding.status !== "fail" && finding.status !== "warn") return finding;
  const evidence = { ...finding.evidence, storagePath: path, notice: STORAGE_NOTICE };
  if (path === "legacy") return { ...finding, reason: `${finding.reason} (${LEGACY_NOTE})`, evidence };
  if (finding.status === "warn") return { ...finding, reason: `${finding.reason} (${END_2025_NOTE})`, evidence };
  return { ...finding, status: "warn", reason: `${finding.reason} (${END_2025_NOTE})`, evidence: { ...evidence, legacyStatus: "fail" } };
}

/**
 * A check of the boot diagnostics account's own settings: it reads the account and the VM, depends on
 * `storage-account`, and skips (saying why) when there is no account to judge.
 */
export function defineStorageCheck<E extends FactName = never>(check: {
  id: CheckId;
  title: string;
  /** What it reads beyond the account itself. */
  permissions?: readonly string[];
  /** Facts it reads beyond the account, the VM and the storage path (passed to `evaluate`). */
  needs?: readonly E[];
  evaluate(account: StorageAccountFacts, vm: VmFacts, facts: Pick<FactMap, E>): Finding;
}): CheckDefinition<"storage" | "vm" | "storagePath" | E> {
  return defineCheck<"storage" | "vm" | "storagePath" | E>({
    id: check.id,
    title: check.title,
    needs: ["storage", "vm", "storagePath", ...(check.needs ?? [])],
    dependsOn: ["storage-account"],
    permissions: ["Microsoft.Storage/storageAccounts/read", ...(check.permissions ?? [])],
    evaluate(facts) {
      const account = accountOrSkip(facts.storage);
      return isFinding(account) ? account : onStoragePath(check.evaluate(account, facts.vm, facts), facts.storagePath);
    },
  });
}
