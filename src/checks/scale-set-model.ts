import { defineCheck } from "./define.js";
import { sh } from "./support/shell.js";
import { vmArgs } from "./support/facts-to-args.js";

/**
 * Errors doc: "If you use the Serial Console on a VM scale set instance, make sure that your instance has the
 * latest model" — boot diagnostics enabled on the scale set reaches an instance only with the model
 * (`latestModelApplied`). Flexible orchestration instances are ordinary VMs with their own model.
 */
export default defineCheck({
  id: "scale-set-model",
  title: "Scale set instance on the latest model",
  needs: ["vm"],
  permissions: ["Microsoft.Compute/virtualMachineScaleSets/virtualMachines/read"],
  evaluate({ vm }) {
    if (vm.kind !== "vmss-uniform") {
      const reason = vm.scaleSetId ? "a flexible scale set instance is an ordinary VM with its own model" : "not a scale set instance";
      return { status: "skip", reason, evidence: { scaleSet: vm.scaleSetId ?? null } };
    }
    const evidence = {
      scaleSet: vm.scaleSetName ?? null,
      instanceId: vm.instanceId ?? null,
      latestModelApplied: vm.latestModelApplied ?? null,
    };
    if (vm.latestModelApplied === undefined)
      return { status: "error", reason: "the instance response has no properties.latestModelApplied", evidence };
    if (vm.latestModelApplied) return { status: "pass", reason: "the instance runs the scale set's latest model", evidence };
    return {
      status: "fail",
      reason: "the instance does not run the scale set's latest model, so settings such as boot diagnostics may not have reached it",
      evidence,
      documentedErrorId: "boot-diagnostics-disabled",
      fixArgs: vmArgs(vm),
      fix: [
        sh`az vmss update-instances --name ${vm.scaleSetName} --resource-group ${vm.resourceGroup} --subscription ${vm.subscriptionId} --instance-ids ${vm.instanceId}`,
      ],
    };
  },
});
