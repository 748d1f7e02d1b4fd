// No error: --principal 5555… holds Virtual Machine Contributor through management group mg-contoso, above subscription …0001.
import { makeRoleAssignment } from "../world/builders.mjs";
import { ROLES } from "../world/roles.mjs";
import { SUB1 } from "../world/base.mjs";
export const MG_PRINCIPAL = "55555555-5555-5555-5555-000000000005";
export default (w) => {
  w.managementGroups = { [SUB1]: ["mg-contoso", "tenant-root"] };
  w.roleAssignments.push(
    makeRoleAssignment({
      scope: "/providers/Microsoft.Management/managementGroups/mg-contoso",
      roleGuid: ROLES.vmContributor.guid,
      principalId: MG_PRINCIPAL,
    }),
  );
};
