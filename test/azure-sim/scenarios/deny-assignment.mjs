// A deployment stack with deny settings `denyWriteAndDelete` manages rg1: its deny assignment denies every action
// but reads to everyone except the stack's own service principal — Serial Console's connect action on vm1 and the
// boot diagnostics account's listKeys among them, whatever role the caller holds
// (https://learn.microsoft.com/azure/azure-resource-manager/bicep/deployment-stacks#protect-managed-resources).
import { SUB1 } from "../world/base.mjs";

export const STACK_DENY = {
  id: `/subscriptions/${SUB1}/resourceGroups/rg1/providers/Microsoft.Authorization/denyAssignments/5d2d4b8c-7e0a-4c5e-9a53-6c1b7f0b1d2e`,
  type: "Microsoft.Authorization/denyAssignments",
  name: "5d2d4b8c-7e0a-4c5e-9a53-6c1b7f0b1d2e",
  properties: {
    denyAssignmentName: "Deny assignment created by deployment stack 'platform-rg1'",
    description: "Deny assignment created by a Deployment Stack",
    permissions: [{ actions: ["*"], notActions: ["*/read"], dataActions: [], notDataActions: [] }],
    scope: `/subscriptions/${SUB1}/resourceGroups/rg1`,
    doNotApplyToChildScopes: false,
    principals: [{ id: "00000000-0000-0000-0000-000000000000", type: "SystemDefined" }],
    excludePrincipals: [{ id: "99999999-9999-9999-9999-999999999999", type: "ServicePrincipal" }],
    isSystemProtected: true,
  },
};

export default (w) => {
  w.denyAssignments = [STACK_DENY];
};
