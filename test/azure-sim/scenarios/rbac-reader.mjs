// "You do not have the required permissions to use this VM with the serial console…" — the caller holds Reader only (*/read).
import { CALLER_OBJECT_ID, makeRoleAssignment } from "../world/builders.mjs";
import { SUB1, SUB2 } from "../world/base.mjs";
import { ROLES } from "../world/roles.mjs";
export default (w) => {
  w.roleAssignments = [SUB1, SUB2].map((s) =>
    makeRoleAssignment({ scope: `/subscriptions/${s}`, roleGuid: ROLES.reader.guid, principalId: CALLER_OBJECT_ID }),
  );
};
