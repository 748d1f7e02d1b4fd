/** Real names for the catalogue's fix templates (`{vm}`, `{rg}`, …), taken from the facts a check read. */
import type { StorageAccountFacts, VmFacts, VmTarget } from "../../azure/facts.js";
import { renderFix } from "../../catalog/index.js";

export function vmArgs(vm: VmTarget): Record<string, string> {
  const args: Record<string, string> = { vm: vm.name, rg: vm.resourceGroup, subscription: vm.subscriptionId, vmId: vm.id };
  if (vm.location) args["location"] = vm.location;
  // Only a uniform instance is addressed through its scale set (a flexible one is a VM to `az vm`): with both,
  // renderFix gives the `az vmss` forms of the commands.
  if (vm.kind === "vmss-uniform" && vm.scaleSetName && vm.instanceId) {
    args["scaleSet"] = vm.scaleSetName;
    args["instanceId"] = vm.instanceId;
  }
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

/** Fix `templates` filled for `vm` (`az vmss` forms for a uniform scale set instance, see renderFix). */
export function vmFix(vm: VmFacts, templates: readonly string[]): string[] {
  return renderFix(templates, vmArgs(vm));
}

/** Boot diagnostics moved to managed storage: the fix for a custom account the console cannot use. */
export const ENABLE_MANAGED_BOOT_DIAGNOSTICS =
  "az vm boot-diagnostics enable --name {vm} --resource-group {rg} --subscription {subscription}";
