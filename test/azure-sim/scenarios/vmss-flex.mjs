// No documented error: flexible orchestration — ss1_abc123 is an ordinary VM whose properties.virtualMachineScaleSet.id names ss1.
import { makeScaleSet, makeVm } from "../world/builders.mjs";
import { BOOT_URI, SUB1 } from "../world/base.mjs";
export default (w) => {
  const scaleSet = makeScaleSet({ subscriptionId: SUB1, resourceGroup: "rg1", name: "ss1", orchestrationMode: "Flexible" });
  const vm = makeVm({ subscriptionId: SUB1, resourceGroup: "rg1", name: "ss1_abc123", storageUri: BOOT_URI });
  vm.model.properties = { virtualMachineScaleSet: { id: scaleSet.id }, ...vm.model.properties };
  w.scaleSets.push(scaleSet);
  w.vms.push(vm);
};
