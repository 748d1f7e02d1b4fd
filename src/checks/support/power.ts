import type { VmFacts } from "../../azure/facts.js";

/**
 * The instance view's `PowerState/<state>` status, with the state lower-cased; undefined when there is none
 * (https://learn.microsoft.com/azure/virtual-machines/states-billing#power-states-and-billing).
 */
export function powerStatus(vm: VmFacts): { status: VmFacts["statuses"][number]; state: string } | undefined {
  const status = vm.statuses.find((s) => s.code.toLowerCase().startsWith("powerstate/"));
  return status && { status, state: status.code.slice("PowerState/".length).toLowerCase() };
}

/** States in which the VM does not run and Serial Console cannot connect ("requires a virtual machine to be running"). */
export const NOT_RUNNING: readonly string[] = ["stopped", "stopping", "deallocated", "deallocating"];
