// VM Inspector: EncryptedDiskNotSupported — the OS disk uses Azure Disk Encryption (encryptionSettings.enabled).
export default (w) => {
  w.vm.model.properties.storageProfile.osDisk.encryptionSettings = {
    enabled: true,
    diskEncryptionKey: {
      secretUrl: "https://kv-sc.vault.azure.net/secrets/vm1-bek/0a1b2c3d4e5f",
      sourceVault: {
        id: "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg1/providers/Microsoft.KeyVault/vaults/kv-sc",
      },
    },
  };
};
