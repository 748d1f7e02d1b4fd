// No documented error (docs say same subscription is required for new accounts): the account sits in subscription …0002, rg-diag2.
import { makeStorageAccount } from "../world/builders.mjs";
import { SUB2 } from "../world/base.mjs";
export default (w) => {
  Object.assign(w.account, makeStorageAccount({ subscriptionId: SUB2, resourceGroup: "rg-diag2", name: "scdiagstore" }));
};
