import { defineCheck } from "./define.js";
import { sh } from "./support/shell.js";
import { vmArgs } from "./support/facts-to-args.js";
import { NOT_RUNNING, powerStatus } from "./support/power.js";

/**
 * "Azure Serial Console requires a virtual machine to be running" (errors doc 2025: the VM must not be stopped or
 * deallocated). Note the az CLI only refuses deallocated VMs; a stopped VM passes its pre-check and then hangs.
 */
export default defineCheck({
  id: "power-state",
  title: "VM power state",
  needs: ["vm"],
  permissions: ["Microsoft.Compute/virtualMachines/read"],
  evaluate({ vm }) {
    if (!vm.hasInstanceView)
      return { status: "error", reason: "Azure returned no instance view, so the power state is unknown", evidence: {} };
    const found = powerStatus(vm);
    if (!found)
      return {
        status: "error",
        reason: "the instance view reports no PowerState status",
        evidence: { statuses: vm.statuses.map((s) => s.code) },
      };
    const { status: power, state } = found;
    const evidence = { powerState: power.code, displayStatus: power.displayStatus ?? null };
    if (state === "running") return { status: "pass", reason: "the VM is running", evidence };
    if (state === "starting") return { status: "warn", reason: "the VM is starting; Serial Console connects once it runs", evidence };
    if (NOT_RUNNING.includes(state)) {
      return {
        status: "fail",
        reason: `the VM is ${state} (${power.code})`,
        evidence,
        documentedErrorId: "vm-not-running",
        fixArgs: vmArgs(vm),
        fix:
          vm.kind === "vmss-uniform"
            ? [
                sh`az vmss start --name ${vm.scaleSetName} --resource-group ${vm.resourceGroup} --instance-ids ${vm.instanceId} --subscription ${vm.subscriptionId}`,
              ]
            : undefined,
      };
    }
    return { status: "error", reason: `the power state '${power.code}' is not one sc-doctor can judge`, evidence };
  },
});
