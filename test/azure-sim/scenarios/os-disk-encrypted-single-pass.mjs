// VM Inspector: EncryptedDiskNotSupported — single-pass Azure Disk Encryption: the model has no encryptionSettings; the instance view's OS disk and the extension say it.
export default (w) => {
  const keyVault = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg1/providers/Microsoft.KeyVault/vaults/kv-sc";
  const osDisk = w.vm.instanceView.disks[0];
  osDisk.encryptionSettings = [
    {
      diskEncryptionKey: { secretUrl: "https://kv-sc.vault.azure.net/secrets/vm1-bek/0a1b2c3d4e5f", sourceVault: { id: keyVault } },
      enabled: true,
    },
  ];
  osDisk.statuses = [
    ...osDisk.statuses,
    { code: "EncryptionState/encrypted", level: "Info", displayStatus: "Encryption is enabled on disk" },
  ];
  const extension = {
    name: "AzureDiskEncryptionForLinux",
    id: `${w.vm.model.id}/extensions/AzureDiskEncryptionForLinux`,
    type: "Microsoft.Compute/virtualMachines/extensions",
    location: w.vm.model.location,
    properties: {
      autoUpgradeMinorVersion: true,
      provisioningState: "Succeeded",
      publisher: "Microsoft.Azure.Security",
      type: "AzureDiskEncryptionForLinux",
      typeHandlerVersion: "1.1",
      settings: { EncryptionOperation: "EnableEncryption", KeyVaultResourceId: keyVault, VolumeType: "OS" },
    },
  };
  w.vm.model.resources = [...(w.vm.model.resources ?? []), extension];
  w.vm.instanceView.extensions = [
    ...(w.vm.instanceView.extensions ?? []),
    {
      name: "AzureDiskEncryptionForLinux",
      type: "Microsoft.Azure.Security.AzureDiskEncryptionForLinux",
      typeHandlerVersion: "1.1.0.55",
      statuses: [
        {
          code: "ProvisioningState/succeeded",
          level: "Info",
          displayStatus: "Provisioning succeeded",
          message: "Encryption succeeded for OS volume",
        },
      ],
    },
  ];
};
