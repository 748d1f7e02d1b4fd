/** Real names for the catalogue's fix templates (`{vm}`, `{rg}`, …), taken from the facts a check read. */
import type { StorageAccountFacts, VmFacts } from "../../azure/facts.js";

export function vmArgs(vm: VmFacts): Record<string, string> {
  const args: Record<string, string> = { vm: vm.name, rg: vm.resourceGroup, subscription: vm.subscriptionId, vmId: vm.id };
  if (vm.location) args["location"] = vm.location;
  if (vm.scaleSetName) args["scaleSet"] = vm.scaleSetName;
  if (vm.instanceId) args["instanceId"] = vm.instanceId;
  return args;
}

export function storageArgs(account: StorageAccountFacts): Record<string, string> {
  return {
    storageAccount: account.name,
    storageRg: account.resourceGroup,
    storageSubscription: account.subscriptionId,
    storageAccountId: account.id,
    storageUri: account.blobEndpoint ?? `https://${account.name}.blob.core.windows.net/`,
  };
}
