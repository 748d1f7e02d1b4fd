import { defineCheck } from "./define.js";
import { vmArgs } from "./support/facts-to-args.js";
import { STORAGE_NOTICE } from "./support/facts-to-args.js";

/**
 * "The storage account '' used for boot diagnostics on this VM couldn't be found" and "Unable to determine the
 * resource group for the boot diagnostics storage account" (errors doc). The account is searched in the VM's
 * resource group, its subscription, then every subscription the caller can see (as the az extension does).
 */
export default defineCheck({
  id: "storage-account",
  title: "Boot diagnostics storage account",
  needs: ["storage", "vm"],
  dependsOn: ["boot-diagnostics"],
  permissions: ["Microsoft.Storage/storageAccounts/read", "Microsoft.Resources/subscriptions/read"],
  evaluate({ storage, vm }) {
    if (storage.kind === "not-applicable") return { status: "skip", reason: storage.reason, evidence: {} };
    if (storage.kind === "found") {
      const { account } = storage;
      const evidence = {
        storageAccount: account.name,
        resourceGroup: account.resourceGroup,
        subscriptionId: account.subscriptionId,
        location: account.location ?? null,
        sku: account.skuName ?? null,
        sameResourceGroup: account.resourceGroup.toLowerCase() === vm.resourceGroup.toLowerCase(),
        sameSubscription: account.subscriptionId === vm.subscriptionId,
        notice: STORAGE_NOTICE,
      };
      const where = evidence.sameSubscription
        ? `resource group ${account.resourceGroup}`
        : `resource group ${account.resourceGroup} of subscription ${account.subscriptionId}`;
      return { status: "pass", reason: `found storage account ${account.name} in ${where}`, evidence };
    }
    if (storage.kind === "not-found") {
      const hidden =
        storage.inaccessibleSubscriptions.length > 0
          ? `; ${storage.inaccessibleSubscriptions.length} subscription(s) could not be listed`
          : "";
      return {
        status: "fail",
        reason: `storage account '${storage.accountName}' was not found in the ${storage.searchedSubscriptions.length} subscription(s) you can see${hidden}`,
        evidence: {
          storageAccount: storage.accountName,
          searchedSubscriptions: storage.searchedSubscriptions,
          inaccessibleSubscriptions: storage.inaccessibleSubscriptions,
          notice: STORAGE_NOTICE,
        },
        documentedErrorId: "storage-account-not-found",
        fixArgs: { ...vmArgs(vm), storageAccount: storage.accountName },
      };
    }
    return {
      status: "fail",
      reason: `unable to determine the resource group of storage account '${storage.accountName}': ${storage.detail}`,
      evidence: { storageAccount: storage.accountName, notice: STORAGE_NOTICE },
      documentedErrorId: "storage-rg-undetermined",
      fixArgs: { ...vmArgs(vm), storageAccount: storage.accountName },
    };
  },
});
