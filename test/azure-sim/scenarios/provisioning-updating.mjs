// "Provisioning for this VM has not yet succeeded." — an update is in progress (ProvisioningState/updating).
import { setProvisioning } from "../world/builders.mjs";
export default (w) => setProvisioning(w.vm, "Updating");
