import type { VmFacts } from "../../azure/facts.js";

/**
 * Why nothing that runs through the VM agent can run on this VM, if its model says so: extensions (VMAccess, which
 * `az vm user update` is) need a VM that allows extension operations (`osProfile.allowExtensionOperations`,
 * https://learn.microsoft.com/rest/api/compute/virtual-machines/get#osprofile) and the agent, and Run Command is run
 * by the agent too (https://learn.microsoft.com/azure/virtual-machines/linux/run-command). Shared by `guest-login`
 * and `serial-log`, so both say the same of the same VM.
 */
export function noVmAgentExtensions(vm: VmFacts): string | undefined {
  if (vm.allowExtensionOperations === false) return "extension operations are disallowed (osProfile.allowExtensionOperations: false)";
  if (vm.provisionVMAgent === false) return "the VM was created without the VM agent (provisionVMAgent: false)";
  return undefined;
}

/** Run Command's doc, which says it runs through the VM agent. */
export const RUN_COMMAND_DOC = "https://learn.microsoft.com/azure/virtual-machines/linux/run-command";

/**
 * The repair VM route, for changes that cannot be made through the agent: a repair VM with a copy of the OS disk,
 * the change made there, then the disk swapped back
 * (https://learn.microsoft.com/troubleshoot/azure/virtual-machines/windows/repair-windows-vm-using-azure-virtual-machine-repair-commands).
 */
export const OFFLINE_REPAIR = [
  "az vm repair create --name {vm} --resource-group {rg} --subscription {subscription} --verbose",
  "az vm repair restore --name {vm} --resource-group {rg} --subscription {subscription} --verbose",
] as const;
