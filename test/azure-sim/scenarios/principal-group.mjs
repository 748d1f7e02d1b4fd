// "You do not have the required permissions to use this VM…" — answered for --principal 3333…: its VM Contributor role comes through a group.
import { makeRoleAssignment } from "../world/builders.mjs";
import { ROLES } from "../world/roles.mjs";
import { SUB1 } from "../world/base.mjs";
export const PRINCIPAL = "33333333-3333-3333-3333-333333333333";
export const GROUP = "44444444-4444-4444-4444-444444444444";
export default (w) => {
  w.groups[GROUP] = [PRINCIPAL];
  w.roleAssignments.push(
    makeRoleAssignment({
      scope: `/subscriptions/${SUB1}/resourceGroups/rg1`,
      roleGuid: ROLES.vmContributor.guid,
      principalId: GROUP,
      principalType: "Group",
    }),
  );
};
