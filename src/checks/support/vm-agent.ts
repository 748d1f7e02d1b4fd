import type { VmFacts } from "../../azure/facts.js";
import { renderFix } from "../../catalog/index.js";
import { vmArgs } from "./facts-to-args.js";

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
const OFFLINE_REPAIR = [
  "az vm repair create --name {vm} --resource-group {rg} --subscription {subscription} --verbose",
  "az vm repair restore --name {vm} --resource-group {rg} --subscription {subscription} --verbose",
] as const;

/**
 * How to make `change` on the OS disk without the agent, and the commands: a VM's disk through a repair VM; a uniform
 * scale set instance's — which `az vm repair` does not take — through the scale set's model and a reimage of the
 * instance (https://learn.microsoft.com/cli/azure/vmss#az-vmss-reimage), which replaces its OS disk.
 */
export function offlineRoute(vm: VmFacts, change: string): { how: string; fix: string[] } {
  const args = vmArgs(vm);
  if (args["scaleSet"] && args["instanceId"])
    return {
      how: `az vm repair does not take a scale set instance: ${change} in the scale set's model (its image or custom data), then reimage the instance (it replaces its OS disk)`,
      fix: renderFix(
        ["az vmss reimage --name {scaleSet} --resource-group {rg} --subscription {subscription} --instance-ids {instanceId}"],
        args,
      ),
    };
  return {
    how: `az vm repair create, then ${change} on its copy of the OS disk, then az vm repair restore`,
    fix: renderFix(OFFLINE_REPAIR, args),
  };
}
