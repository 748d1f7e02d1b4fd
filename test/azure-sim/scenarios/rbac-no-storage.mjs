// "You do not have the required permissions to write to the boot diagnostics storage account…" — VM Contributor on the VM only, Reader elsewhere.
import { CALLER_OBJECT_ID, makeRoleAssignment } from "../world/builders.mjs";
import { SUB1, SUB2 } from "../world/base.mjs";
import { ROLES } from "../world/roles.mjs";
export default (w) => {
  w.roleAssignments = [
    makeRoleAssignment({ scope: w.vm.model.id, roleGuid: ROLES.vmContributor.guid, principalId: CALLER_OBJECT_ID }),
    ...[SUB1, SUB2].map((s) =>
      makeRoleAssignment({ scope: `/subscriptions/${s}`, roleGuid: ROLES.reader.guid, principalId: CALLER_OBJECT_ID }),
    ),
  ];
};
