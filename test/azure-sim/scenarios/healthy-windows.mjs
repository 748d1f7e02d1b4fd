// No documented error: a running Windows Server VM (the console needs SAC inside the guest; nothing to see from ARM).
import { makeVm } from "../world/builders.mjs";
import { BOOT_URI, SUB1 } from "../world/base.mjs";
export default (w) => {
  Object.assign(w.vm, makeVm({ subscriptionId: SUB1, resourceGroup: "rg1", name: "vm1", osType: "Windows", storageUri: BOOT_URI }));
};
