import { ENABLE_MANAGED_BOOT_DIAGNOSTICS, storageArgs, vmArgs, vmFix } from "./support/facts-to-args.js";
import { accountEvidence, defineStorageCheck } from "./support/storage.js";

/** "Serial console doesn't work with a storage account using Azure Data Lake Storage Gen2 with hierarchical namespaces." */
export default defineStorageCheck({
  id: "storage-hns",
  title: "Boot diagnostics account is not ADLS Gen2",
  evaluate(account, vm) {
    // isHnsEnabled is only settable at creation and defaults to false when absent.
    const evidence = { ...accountEvidence(account), isHnsEnabled: account.isHnsEnabled ?? false };
    if (account.isHnsEnabled !== true) return { status: "pass", reason: "hierarchical namespace is not enabled", evidence };
    return {
      status: "fail",
      reason: `storage account ${account.name} has a hierarchical namespace (ADLS Gen2), which Serial Console does not support`,
      evidence,
      documentedErrorId: "storage-hns-unsupported",
      fixArgs: { ...vmArgs(vm), ...storageArgs(account) },
      fix: vmFix(vm, [ENABLE_MANAGED_BOOT_DIAGNOSTICS]),
    };
  },
});
