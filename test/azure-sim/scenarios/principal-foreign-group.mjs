// As principal-group, but the group's assignment says `principalType: "ForeignGroup"` (a group of another tenant:
// https://learn.microsoft.com/rest/api/authorization/role-assignments/list-for-scope — the type is optional and has
// more values than Group): assignedTo() still returns it for the member, and it still grants.
import principalGroup from "./principal-group.mjs";

export default (w) => {
  principalGroup(w);
  const assignment = w.roleAssignments.at(-1);
  assignment.properties.principalType = "ForeignGroup";
};
