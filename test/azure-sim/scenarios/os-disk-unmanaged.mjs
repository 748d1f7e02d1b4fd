// VM Inspector: UnmanagedDiskNotSupported — the OS disk is a VHD in a storage account (vhd.uri, no managedDisk).
export default (w) => {
  const osDisk = w.vm.model.properties.storageProfile.osDisk;
  delete osDisk.managedDisk;
  osDisk.vhd = { uri: `https://scvhds.blob.core.windows.net/vhds/${osDisk.name}.vhd` };
};
