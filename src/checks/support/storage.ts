/** Shared by the storage checks: which account they judge, or why they don't apply. */
import type { StorageAccountFacts, StorageLookup, VmFacts } from "../../azure/facts.js";
import type { CheckId, Finding } from "../../types.js";
import { defineCheck, type CheckDefinition } from "../define.js";
import { STORAGE_NOTICE } from "./facts-to-args.js";

/** The found account, or the `skip` finding that says why there is none to judge. */
export function accountOrSkip(lookup: StorageLookup): StorageAccountFacts | Finding {
  if (lookup.kind === "found") return lookup.account;
  if (lookup.kind === "not-applicable") return { status: "skip", reason: lookup.reason, evidence: {} };
  return {
    status: "skip",
    reason: "storage-account failed: the boot diagnostics storage account could not be found",
    evidence: { dependsOn: "storage-account" },
  };
}

export function isFinding(value: StorageAccountFacts | Finding): value is Finding {
  return "status" in value;
}

/** Evidence every storage check carries: which account, and the end-of-2025 notice. */
export function accountEvidence(account: StorageAccountFacts) {
  return { storageAccount: account.name, storageAccountId: account.id, notice: STORAGE_NOTICE };
}

/**
 * A check of the boot diagnostics account's own settings: it reads the account and the VM, depends on
 * `storage-account`, and skips (saying why) when there is no account to judge.
 */
export function defineStorageCheck(check: {
  id: CheckId;
  title: string;
  evaluate(account: StorageAccountFacts, vm: VmFacts): Finding;
}): CheckDefinition<"storage" | "vm"> {
  return defineCheck({
    id: check.id,
    title: check.title,
    needs: ["storage", "vm"],
    dependsOn: ["storage-account"],
    permissions: ["Microsoft.Storage/storageAccounts/read"],
    evaluate({ storage, vm }) {
      const account = accountOrSkip(storage);
      return isFinding(account) ? account : check.evaluate(account, vm);
    },
  });
}
