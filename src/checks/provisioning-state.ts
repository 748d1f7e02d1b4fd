import { defineCheck } from "./define.js";
import { sh } from "./support/shell.js";

/** "Provisioning for this VM isn't done" (errors doc): the VM (or instance) must have finished provisioning. */
export default defineCheck({
  id: "provisioning-state",
  title: "VM provisioning state",
  needs: ["vm"],
  permissions: ["Microsoft.Compute/virtualMachines/read"],
  evaluate({ vm }) {
    const state = vm.provisioningState;
    const failedStatus = vm.statuses.find((s) => s.code.toLowerCase().startsWith("provisioningstate/failed"));
    const evidence = { provisioningState: state ?? null, instanceViewStatus: failedStatus?.code ?? null };
    if (state === undefined) return { status: "error", reason: "the VM response has no properties.provisioningState", evidence };
    if (state.toLowerCase() === "succeeded") return { status: "pass", reason: "provisioning succeeded", evidence };
    if (state.toLowerCase() === "updating") {
      return {
        status: "warn",
        reason:
          "an operation is in progress on the VM (provisioningState Updating); Serial Console may refuse to connect until it finishes",
        evidence,
        documentedErrorId: "provisioning-not-done",
        fixArgs: { vm: vm.name, rg: vm.resourceGroup, subscription: vm.subscriptionId },
      };
    }
    const detail = failedStatus?.displayStatus ? ` (${failedStatus.displayStatus})` : "";
    return {
      status: "fail",
      reason: `provisioning state is ${state}${detail}, not Succeeded`,
      evidence,
      documentedErrorId: "provisioning-not-done",
      fixArgs: { vm: vm.name, rg: vm.resourceGroup, subscription: vm.subscriptionId },
      // A failed VM is recovered by reapplying its state (vm-stuck-in-failed-state.md), not by waiting.
      fix:
        state.toLowerCase() === "failed"
          ? [sh`az vm reapply --name ${vm.name} --resource-group ${vm.resourceGroup} --subscription ${vm.subscriptionId}`]
          : undefined,
    };
  },
});
