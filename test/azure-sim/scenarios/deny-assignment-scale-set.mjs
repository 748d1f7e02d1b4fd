// A uniform scale set (vmss-uniform) under a deny assignment at the scale set itself that spares its child scopes
// (doNotApplyToChildScopes): its instances are children of it, so the deny does not reach them
// (https://learn.microsoft.com/rest/api/authorization/deny-assignments/get — doNotApplyToChildScopes).
import vmssUniform from "./vmss-uniform.mjs";
import { STACK_DENY } from "./deny-assignment.mjs";
import { SUB1 } from "../world/base.mjs";

const SCALE_SET = `/subscriptions/${SUB1}/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachineScaleSets/ss1`;

export default (w) => {
  vmssUniform(w);
  w.denyAssignments = [
    {
      ...STACK_DENY,
      id: `${SCALE_SET}/providers/Microsoft.Authorization/denyAssignments/7e1c0a52-3c55-4f0e-9a0b-2b8f5d7c9e11`,
      name: "7e1c0a52-3c55-4f0e-9a0b-2b8f5d7c9e11",
      properties: { ...STACK_DENY.properties, denyAssignmentName: "scale set only", scope: SCALE_SET, doNotApplyToChildScopes: true },
    },
  ];
};
