import { defineCheck } from "./define.js";
import { vmArgs } from "./support/facts-to-args.js";
import { judgePermissions } from "./support/rbac.js";

/**
 * "You don't have the required permissions to use this VM with the serial console. Ensure you have at least
 * Virtual Machine Contributor role permissions." The action that authorizes a session is
 * `Microsoft.SerialConsole/serialPorts/connect/action` (in Virtual Machine Contributor, Contributor, Owner);
 * reading the VM is needed to open the console blade at all.
 */
const VM_ACTIONS = ["Microsoft.Compute/virtualMachines/read", "Microsoft.SerialConsole/serialPorts/connect/action"] as const;
const SCALE_SET_VM_ACTIONS = [
  "Microsoft.Compute/virtualMachineScaleSets/virtualMachines/read",
  "Microsoft.SerialConsole/serialPorts/connect/action",
] as const;

export default defineCheck({
  id: "rbac-vm",
  title: "Your permissions on the VM",
  needs: ["vmPermissions", "vmTarget"],
  permissions: [
    "none for yourself (Permissions API); with --principal: Microsoft.Authorization/roleAssignments/read, roleDefinitions/read",
    "Microsoft.Authorization/denyAssignments/read (deny assignments override roles: refused, the check is error, not pass; Reader's */read includes it)",
  ],
  judgesActions: { fact: "vmPermissions", actions: (kind) => (kind === "vmss-uniform" ? SCALE_SET_VM_ACTIONS : VM_ACTIONS) },
  evaluate({ vmPermissions, vmTarget: vm }) {
    const required = vm.kind === "vmss-uniform" ? SCALE_SET_VM_ACTIONS : VM_ACTIONS;
    const scope = vm.kind === "vmss-uniform" ? `scale set ${vm.scaleSetName}` : `VM ${vm.name}`;
    // Role assignments cannot target a uniform scale set instance: the fix assigns at the scale set, where it was judged.
    const roleScope = vm.kind === "vmss-uniform" && vm.scaleSetId ? vm.scaleSetId : vm.id;
    // Deny assignments are judged at the instance itself: one on the scale set that spares its child scopes
    // (doNotApplyToChildScopes) does not reach it.
    const finding = judgePermissions(vmPermissions, required, scope, "rbac-vm-permissions", { ...vmArgs(vm), vmId: roleScope }, vm.id);
    // Azure refused you the read that your roles grant: something the Permissions API does not show (a deny
    // assignment, a condition) stands in the way, so "you hold every action" would be a lie. (With --principal the
    // refusal was the caller's, not the principal's: it says nothing about the roles judged.)
    if (vm.readRefused !== undefined && vmPermissions.source !== "principal" && finding.status === "pass") {
      return {
        status: "error",
        reason: `Azure refused to let you read ${scope} (${vm.readRefused}) though the roles seen grant ${required.join(", ")}: a deny assignment or a role assignment condition, which the Permissions API does not show, may block it`,
        evidence: finding.evidence,
      };
    }
    return finding;
  },
});
