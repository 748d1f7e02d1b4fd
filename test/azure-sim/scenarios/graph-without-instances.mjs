// No error: vmss-uniform's scale set in a cloud whose Resource Graph ComputeResources table holds no scale set instances (Azure China lists only public IPs there).
// The instance carries a tag (tier=web) that vm1 does not, for filtered audits.
import vmssUniform from "./vmss-uniform.mjs";
export default (w) => {
  vmssUniform(w);
  const instance = w.vms.at(-1);
  instance.model.tags = { ...instance.model.tags, tier: "web" };
  w.graphWithoutInstances = true;
};
