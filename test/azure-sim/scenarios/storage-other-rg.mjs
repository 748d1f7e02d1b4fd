// No documented error: the boot diagnostics account lives in rg-diag, found by listing the subscription's accounts (az CLI does the same).
import { makeStorageAccount } from "../world/builders.mjs";
import { SUB1 } from "../world/base.mjs";
export default (w) => {
  Object.assign(w.account, makeStorageAccount({ subscriptionId: SUB1, resourceGroup: "rg-diag", name: "scdiagstore" }));
};
