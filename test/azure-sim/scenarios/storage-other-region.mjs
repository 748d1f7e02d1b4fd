// No console error: the boot diagnostics account is in eastus while the VM is in westeurope (the boot diagnostics doc asks for the VM's region).
export default (w) => {
  w.account.location = "eastus";
  w.account.properties.primaryLocation = "eastus";
};
