import { cutText } from "../report/sanitize.js";
import { defineCheck } from "./define.js";
import { vmArgs, vmFix } from "./support/facts-to-args.js";

/**
 * Azure's `displayStatus` is free text: a line's worth of it in the reason, not kilobytes for every output to scan —
 * masked before it is cut (`cutText`: a credential cut short no longer has the shape masking recognises).
 */
const MAX_DISPLAY_STATUS = 200;
const shortened = (text: string) => cutText(text, MAX_DISPLAY_STATUS);

const SCOPE = "--name {vm} --resource-group {rg} --subscription {subscription}";
/**
 * What to run per state: wait for the operation in progress (`az vm wait --created` returns at once for a VM that
 * exists, so an update is waited for with `--updated`); a failed VM is recovered by reapplying its state
 * (https://learn.microsoft.com/troubleshoot/azure/virtual-machines/linux/vm-stuck-in-failed-state); nothing to
 * run for a VM being deleted.
 */
const FIX_BY_STATE: Readonly<Record<string, readonly string[]>> = {
  creating: [`az vm wait --created ${SCOPE}`],
  updating: [`az vm wait --updated ${SCOPE}`],
  migrating: [`az vm wait --updated ${SCOPE}`],
  failed: [`az vm reapply ${SCOPE}`],
  deleting: [],
};

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
        fix: vmFix(vm, FIX_BY_STATE["updating"] ?? []),
      };
    }
    const detail = failedStatus?.displayStatus ? ` (${shortened(failedStatus.displayStatus)})` : "";
    return {
      status: "fail",
      reason: `provisioning state is ${state}${detail}, not Succeeded`,
      evidence,
      documentedErrorId: "provisioning-not-done",
      // Another state (Canceled, …): the documented fix, waiting for provisioning to finish.
      ...(Object.hasOwn(FIX_BY_STATE, state.toLowerCase())
        ? { fix: vmFix(vm, FIX_BY_STATE[state.toLowerCase()] ?? []) }
        : { fixArgs: vmArgs(vm) }),
    };
  },
});
