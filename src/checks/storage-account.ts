import { bootDiagnosticsUri } from "../azure/boot-diagnostics.js";
import type { StorageAccountFacts, VmFacts } from "../azure/facts.js";
import { defineCheck, type FactMap } from "./define.js";
import { ENABLE_MANAGED_BOOT_DIAGNOSTICS, storageArgs, vmArgs, vmFix } from "./support/facts-to-args.js";
import { onStoragePath } from "./support/storage.js";
import type { Finding } from "../types.js";

/**
 * "The storage account '' used for boot diagnostics on this VM couldn't be found" and "Unable to determine the
 * resource group for the boot diagnostics storage account" (errors doc). The account is searched in the VM's
 * resource group, its subscription, then every subscription the caller can see (as the az extension does).
 */
export default defineCheck({
  id: "storage-account",
  title: "Boot diagnostics storage account",
  needs: ["storage", "vm", "storagePath"],
  dependsOn: ["boot-diagnostics"],
  permissions: ["Microsoft.Storage/storageAccounts/read", "Microsoft.Resources/subscriptions/read"],
  evaluate({ storage, vm, storagePath }) {
    return onStoragePath(judge({ storage, vm }), storagePath);
  },
});

function judge({ storage, vm }: Pick<FactMap, "storage" | "vm">): Finding {
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
    };
    const where = evidence.sameSubscription
      ? `resource group ${account.resourceGroup}`
      : `resource group ${account.resourceGroup} of subscription ${account.subscriptionId}`;
    const hosts = uriHosts(vm, account);
    if (hosts && hosts.uri !== hosts.account)
      return {
        status: "fail",
        reason: `found storage account ${account.name} in ${where}, but the boot diagnostics URI names host ${hosts.uri}, which is not the account's blob endpoint (${hosts.account}): nothing can be written to or read from it there`,
        evidence: { ...evidence, uriHost: hosts.uri, blobEndpointHost: hosts.account },
        documentedErrorId: "bad-request-400",
        fixArgs: { ...vmArgs(vm), ...storageArgs(account) },
      };
    // The boot diagnostics doc: the custom account must be in the same region and subscription as the VM
    // (https://learn.microsoft.com/azure/virtual-machines/boot-diagnostics). Not a documented console error, so warn.
    const sameRegion = !account.location || !vm.location || norm(account.location) === norm(vm.location);
    const supportedSku = account.skuName === undefined || isSupportedSku(account.skuName);
    const mismatches = [
      // `where` named the account's subscription already.
      ...(evidence.sameSubscription ? [] : [`another subscription than the VM's ${vm.subscriptionId}`]),
      ...(sameRegion ? [] : [`region ${account.location}, not the VM's ${vm.location}`]),
    ];
    const problems = [
      ...(mismatches.length > 0
        ? [`it is in ${mismatches.join(" and ")}: boot diagnostics needs the account in the VM's region and subscription`]
        : []),
      ...(supportedSku
        ? []
        : [
            `its SKU ${account.skuName} is premium or zone-redundant, which boot diagnostics does not support (starting the VM fails with StorageAccountTypeNotSupported)`,
          ]),
    ];
    if (problems.length > 0) {
      return {
        status: "warn",
        reason: `found storage account ${account.name} in ${where}, but ${problems.join("; and ")}`,
        evidence: { ...evidence, sameRegion, supportedSku },
        fix: vmFix(vm, [ENABLE_MANAGED_BOOT_DIAGNOSTICS]),
      };
    }
    return {
      status: "pass",
      reason: `found storage account ${account.name} in ${where}`,
      evidence: { ...evidence, sameRegion, supportedSku },
    };
  }
  if (storage.kind === "not-found") {
    if (storage.subscriptionsUnlisted !== undefined) {
      const searched =
        storage.searchedSubscriptions.length > 0 ? ` is not in subscription ${storage.searchedSubscriptions.join(", ")};` : ":";
      const failed =
        storage.inaccessibleSubscriptions.length > 0
          ? ` the storage list of ${storage.inaccessibleSubscriptions.join(", ")} was refused or failed${listFailure(storage.listFailure)};`
          : "";
      return {
        status: "error",
        reason: `storage account '${storage.accountName}'${searched}${failed} the other subscriptions you can see could not be listed (${storage.subscriptionsUnlisted}), so it may be in one of them`,
        evidence: {
          storageAccount: storage.accountName,
          searchedSubscriptions: storage.searchedSubscriptions,
          inaccessibleSubscriptions: storage.inaccessibleSubscriptions,
          subscriptionsUnlisted: storage.subscriptionsUnlisted,
        },
      };
    }
    // Some subscription refused or failed its list: the account may be there, so "not found" would be a guess.
    if (storage.inaccessibleSubscriptions.length > 0) {
      return {
        status: "error",
        reason: `storage account '${storage.accountName}' was not found in the ${storage.searchedSubscriptions.length} subscription(s) searched, but the storage list of ${storage.inaccessibleSubscriptions.join(", ")} was refused or failed${listFailure(storage.listFailure)}, so it may be there`,
        evidence: {
          storageAccount: storage.accountName,
          searchedSubscriptions: storage.searchedSubscriptions,
          inaccessibleSubscriptions: storage.inaccessibleSubscriptions,
        },
      };
    }
    return {
      status: "fail",
      reason: `storage account '${storage.accountName}' was not found in the ${storage.searchedSubscriptions.length} subscription(s) you can see`,
      evidence: {
        storageAccount: storage.accountName,
        searchedSubscriptions: storage.searchedSubscriptions,
        inaccessibleSubscriptions: storage.inaccessibleSubscriptions,
      },
      documentedErrorId: "storage-account-not-found",
      fixArgs: { ...vmArgs(vm), storageAccount: storage.accountName },
    };
  }
  return {
    status: "fail",
    reason: `unable to determine the resource group of storage account '${storage.accountName}': ${storage.detail}`,
    evidence: { storageAccount: storage.accountName },
    documentedErrorId: "storage-rg-undetermined",
    fixArgs: { ...vmArgs(vm), storageAccount: storage.accountName },
  };
}

/**
 * The boot diagnostics URI's host and the account's own blob endpoint host (`primaryEndpoints.blob`), lower-cased,
 * when both are known. The account is found by the URI's first label alone, so a URI on another suffix still finds
 * it: `acct.blob.core.windows.net` for an account with Azure DNS-zone endpoints (`acct.z12.blob.storage.azure.net`,
 * https://learn.microsoft.com/azure/storage/common/storage-account-overview#azure-dns-zone-endpoints-preview), or
 * the public suffix for an account in a sovereign cloud.
 */
function uriHosts(vm: VmFacts, account: StorageAccountFacts): { uri: string; account: string } | undefined {
  const host = (url: string | undefined) => {
    if (!url || !URL.canParse(url)) return undefined;
    return new URL(url).hostname.toLowerCase().replace(/\.$/, "");
  };
  const uri = host(bootDiagnosticsUri(vm));
  const own = host(account.blobEndpoint);
  return uri && own ? { uri, account: own } : undefined;
}

const norm = (location: string) => location.toLowerCase().replace(/\s+/g, "");

/**
 * "Boot diagnostics doesn't support premium storage accounts or zone redundant storage accounts. If either of these
 * are used for boot diagnostics users receive an StorageAccountTypeNotSupported error when starting the VM"
 * (https://learn.microsoft.com/azure/virtual-machines/boot-diagnostics, "Limitations"). Premium SKUs are `Premium_*`
 * (the FileStorage and BlockBlobStorage kinds have only those); zone-redundant ones carry ZRS in their name (ZRS,
 * GZRS, RA-GZRS; https://learn.microsoft.com/rest/api/storagerp/srp_sku_types).
 */
function isSupportedSku(skuName: string): boolean {
  const sku = skuName.toLowerCase();
  return !sku.startsWith("premium") && !sku.includes("zrs");
}

/** ` (<why the first subscription's list failed>)`, when known: refused, throttled, a 5xx or a malformed page. */
function listFailure(why: string | undefined): string {
  return why ? ` (${why})` : "";
}
