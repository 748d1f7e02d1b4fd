// guest-no-login: a Windows 11 (client edition) VM — no SAC, so the console shows no prompt.
import { makeVm } from "../world/builders.mjs";
import { BOOT_URI, SUB1 } from "../world/base.mjs";
export default (w) => {
  Object.assign(w.vm, makeVm({ subscriptionId: SUB1, resourceGroup: "rg1", name: "vm1", osType: "Windows", storageUri: BOOT_URI }));
  w.vm.model.properties.storageProfile.imageReference = {
    publisher: "MicrosoftWindowsDesktop",
    offer: "windows-11",
    sku: "win11-23h2-pro",
    version: "latest",
    exactVersion: "22631.4317.241007",
  };
  w.vm.model.properties.licenseType = "Windows_Client";
  w.vm.serialLog = "";
};
