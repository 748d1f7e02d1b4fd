import { defineCheck } from "./define.js";
import { sh } from "./support/shell.js";
import { ENABLE_MANAGED_BOOT_DIAGNOSTICS, vmFix } from "./support/facts-to-args.js";

/**
 * Errors doc (https://learn.microsoft.com/troubleshoot/azure/virtual-machines/windows/serial-console-errors): "If you
 * use the Serial Console on a VM scale set instance, make sure that your instance has the latest model" — in the row
 * about boot diagnostics: enabled on the scale set, it reaches an instance only with the model. So an instance that
 * already has boot diagnostics is not blocked by an older model (`warn`); one without it is. Flexible orchestration
 * instances are ordinary VMs with their own model.
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
    const update = sh`az vmss update-instances --name ${vm.scaleSetName} --resource-group ${vm.resourceGroup} --subscription ${vm.subscriptionId} --instance-ids ${vm.instanceId}`;
    // The instance's own model or instance view says boot diagnostics is on: the one setting the docs tie to the model.
    const hasBootDiagnostics = vm.bootDiagnostics.enabled === true || (vm.instanceViewBootDiagnostics ?? null) !== null;
    if (hasBootDiagnostics) {
      return {
        status: "warn",
        reason:
          "the instance does not run the scale set's latest model, but it already has boot diagnostics (the setting the console needs from the model); other model changes have not reached it",
        evidence: { ...evidence, instanceBootDiagnostics: true },
        fix: [update],
      };
    }
    // Whether the scale set's own model enables boot diagnostics is not read here: enabling it there first is
    // harmless when it already does, and without it applying the model would not help.
    return {
      status: "fail",
      reason: "the instance does not run the scale set's latest model, so settings such as boot diagnostics may not have reached it",
      evidence,
      documentedErrorId: "boot-diagnostics-disabled",
      fix: vmFix(vm, [ENABLE_MANAGED_BOOT_DIAGNOSTICS]),
    };
  },
});
