// "You do not have the required permissions to use this VM with the serial console…" — no role on the VM at all: ARM refuses its GET (403).
import { CALLER_OBJECT_ID, makeRoleAssignment } from "../world/builders.mjs";
import { SUB2 } from "../world/base.mjs";
import { ROLES } from "../world/roles.mjs";
export default (w) => {
  // Contributor on the boot diagnostics account and Reader on the other subscription: nothing at or above the VM.
  w.roleAssignments = [
    makeRoleAssignment({ scope: w.account.id, roleGuid: ROLES.contributor.guid, principalId: CALLER_OBJECT_ID }),
    makeRoleAssignment({ scope: `/subscriptions/${SUB2}`, roleGuid: ROLES.reader.guid, principalId: CALLER_OBJECT_ID }),
  ];
  // The simulator does not enforce RBAC on reads: refuse what ARM refuses a caller with no role at or above the VM —
  // the VM's own GETs (the model and its instance view), the Serial Console service state and the locks at the VM.
  // (Not the Permissions API under the VM's id: anyone may list their own permissions.)
  for (const path of [w.vm.model.id, `${w.vm.model.id}/instanceView`, `${w.vm.model.id}/providers/Microsoft.Authorization/locks`])
    w.faults.push({ match: { pathIs: path, method: "GET" }, kind: "403" });
  w.faults.push({ match: { path: "/providers/Microsoft.SerialConsole/consoleServices", method: "GET" }, kind: "403" });
};
