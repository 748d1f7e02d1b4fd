// "Provisioning for this VM has not yet succeeded." — the last operation failed (ProvisioningState/failed/<code>).
import { setProvisioning } from "../world/builders.mjs";
export default (w) =>
  setProvisioning(
    w.vm,
    "Failed",
    "OSProvisioningTimedOut",
    "OS Provisioning for VM 'vm1' did not finish in the allotted time. The VM may still finish provisioning successfully.",
  );
