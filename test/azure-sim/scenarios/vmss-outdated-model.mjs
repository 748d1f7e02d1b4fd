// "Azure Serial Console requires boot diagnostics to be enabled" (scale sets) — instance 0 is not on the latest model.
import { makeScaleSet, makeScaleSetVm } from "../world/builders.mjs";
import { BOOT_URI, SUB1 } from "../world/base.mjs";
export default (w) => {
  w.scaleSets.push(makeScaleSet({ subscriptionId: SUB1, resourceGroup: "rg1", name: "ss1", storageUri: BOOT_URI }));
  w.vms.push(
    makeScaleSetVm({
      subscriptionId: SUB1,
      resourceGroup: "rg1",
      scaleSet: "ss1",
      instanceId: "0",
      storageUri: BOOT_URI,
      latestModelApplied: false,
    }),
  );
};
