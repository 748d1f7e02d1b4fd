// A service provider's engineer managing this tenant through Azure Lighthouse: Reader delegated on both subscriptions,
// Virtual Machine Contributor delegated on rg1 — none of it in a role-assignment list the caller reads, all of it in
// the Permissions API (https://learn.microsoft.com/azure/lighthouse/concepts/architecture). rg1 also holds someone
// else's ordinary assignment, as most groups do.
import { CALLER_OBJECT_ID, makeRoleAssignment } from "../world/builders.mjs";
import { SUB1, SUB2 } from "../world/base.mjs";
import { ROLES } from "../world/roles.mjs";

const delegated = (scope, roleGuid) => ({ ...makeRoleAssignment({ scope, roleGuid, principalId: CALLER_OBJECT_ID }), lighthouse: true });

/** The service provider's tenant: the subscriptions say who manages them (Subscriptions - Get, `managedByTenants`). */
export const PROVIDER_TENANT = "99999999-0000-0000-0000-000000000099";

export default (w) => {
  for (const subscription of w.subscriptions) subscription.managedByTenants = [{ tenantId: PROVIDER_TENANT }];
  w.roleAssignments = [
    ...[SUB1, SUB2].map((s) => delegated(`/subscriptions/${s}`, ROLES.reader.guid)),
    delegated(`/subscriptions/${SUB1}/resourceGroups/rg1`, ROLES.vmContributor.guid),
    makeRoleAssignment({
      scope: `/subscriptions/${SUB1}/resourceGroups/rg1`,
      roleGuid: ROLES.contributor.guid,
      principalId: "66666666-6666-6666-6666-666666666666",
    }),
  ];
};
