// "The storage account '' used for boot diagnostics on this VM could not be found." — deleted, and subscription …0002 is not registered for Microsoft.Storage (its list answers 404 SubscriptionNotFound).
import { SUB2 } from "../world/base.mjs";
export default (w) => {
  w.storageAccounts = w.storageAccounts.filter((a) => a !== w.account);
  w.storageUnregistered = [SUB2];
};
