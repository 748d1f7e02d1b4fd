// "Unable to determine the resource group for the boot diagnostics storage account" — listed, but its id has no resourceGroups segment.
import { SUB1 } from "../world/base.mjs";
export default (w) => {
  w.account.id = `/subscriptions/${SUB1}/providers/Microsoft.Storage/storageAccounts/scdiagstore`;
};
