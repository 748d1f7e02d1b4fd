// Several documented errors at once: subscription Warned, console disabled, VM deallocated, boot diagnostics over http://, HNS account, caller Reader only.
import { CALLER_OBJECT_ID, makeRoleAssignment, setBootDiagnostics, setPower } from "../world/builders.mjs";
import { SUB1, SUB2 } from "../world/base.mjs";
import { ROLES } from "../world/roles.mjs";
export default (w) => {
  w.subscriptions[0].state = "Warned";
  w.consoleServices[SUB1] = { disabled: true };
  setPower(w.vm, "deallocated");
  setBootDiagnostics(w.vm, true, "http://scdiagstore.blob.core.windows.net/");
  w.account.properties.isHnsEnabled = true;
  w.account.properties.allowSharedKeyAccess = false;
  w.roleAssignments = [SUB1, SUB2].map((s) =>
    makeRoleAssignment({ scope: `/subscriptions/${s}`, roleGuid: ROLES.reader.guid, principalId: CALLER_OBJECT_ID }),
  );
};
