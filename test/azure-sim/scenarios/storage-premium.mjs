// No console error: the boot diagnostics account is premium (Premium_LRS, kind BlockBlobStorage), which boot diagnostics
// does not support — starting the VM fails with StorageAccountTypeNotSupported (https://learn.microsoft.com/azure/virtual-machines/boot-diagnostics).
export default (w) => {
  w.account.sku = { name: "Premium_LRS", tier: "Premium" };
  w.account.kind = "BlockBlobStorage";
};
