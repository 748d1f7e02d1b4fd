// No error: vmss-uniform's scale set in a cloud whose Resource Graph ComputeResources table holds no scale set instances (Azure China lists only public IPs there).
import vmssUniform from "./vmss-uniform.mjs";
export default (w) => {
  vmssUniform(w);
  w.graphWithoutInstances = true;
};
