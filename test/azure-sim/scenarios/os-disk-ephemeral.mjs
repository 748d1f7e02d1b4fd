// VM Inspector: ResourceNotSupported — the OS disk is ephemeral (diffDiskSettings.option Local).
export default (w) => {
  const osDisk = w.vm.model.properties.storageProfile.osDisk;
  osDisk.diffDiskSettings = { option: "Local", placement: "ResourceDisk" };
  osDisk.caching = "ReadOnly";
  osDisk.managedDisk.storageAccountType = "Standard_LRS";
};
