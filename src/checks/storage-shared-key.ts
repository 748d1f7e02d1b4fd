import { storageArgs, vmArgs } from "./support/facts-to-args.js";
import { accountEvidence, defineStorageCheck } from "./support/storage.js";

/**
 * Serial Console overview: not supported when the account has "Allow storage account key access" disabled.
 * `allowSharedKeyAccess` absent or null means allowed (storage spec); only an explicit `false` breaks it.
 */
export default defineStorageCheck({
  id: "storage-shared-key",
  title: "Boot diagnostics account allows key access",
  evaluate(account, vm) {
    const evidence = { ...accountEvidence(account), allowSharedKeyAccess: account.allowSharedKeyAccess ?? null };
    if (account.allowSharedKeyAccess !== false) return { status: "pass", reason: "storage account key access is allowed", evidence };
    return {
      status: "fail",
      reason: `storage account ${account.name} has key access disabled (allowSharedKeyAccess: false)`,
      evidence,
      documentedErrorId: "storage-shared-key-disabled",
      fixArgs: { ...vmArgs(vm), ...storageArgs(account) },
    };
  },
});
