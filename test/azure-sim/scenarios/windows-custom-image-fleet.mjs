// guest-no-login (Windows client editions have no SAC): 25 Windows 11 VMs from a gallery image, the edition told only by the guest agent's osName, in a subscription whose statusOnly list leaves that field out.
import { makeVm } from "../world/builders.mjs";
import { BOOT_URI, SUB1 } from "../world/base.mjs";

export default (w) => {
  const make = (name) => {
    const vm = makeVm({ subscriptionId: SUB1, resourceGroup: "rg1", name, osType: "Windows", storageUri: BOOT_URI });
    vm.model.properties.storageProfile.imageReference = {
      id: `/subscriptions/${SUB1}/resourceGroups/rg-img/providers/Microsoft.Compute/galleries/gal/images/win11/versions/1.0.0`,
    };
    vm.instanceView.osName = "Windows 11 Enterprise";
    return vm;
  };
  Object.assign(w.vm, make("vm1"));
  for (let i = 2; i <= 25; i++) w.vms.push(make(`vm${i}`));
  w.statusOnlyWithoutGuestFields = true;
};
