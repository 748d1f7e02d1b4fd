/**
 * sc-doctor as a library: the same engine the CLI runs. `diagnoseVm` evaluates one VM; `CHECKS` lists the checks;
 * `CATALOG` holds the documented errors. The CLI (`sc-doctor`, the package's bin) is the supported interface; this is for tools
 * that embed the diagnosis.
 */
export { createArmContext, type ArmContext, type CloudName } from "./azure/arm.js";
export { authenticate, createCredential, objectIdFromToken } from "./azure/credential.js";
export { parseVmResourceId, ResourceIdError, vmRefFromParts, type VmRef } from "./azure/resource-id.js";
export { CHECKS } from "./checks/index.js";
export { CATALOG, getEntry, type CatalogEntry } from "./catalog/index.js";
export { diagnoseVm, type DiagnoseOptions } from "./engine/diagnose.js";
export { exitCodeFor, EXIT } from "./engine/exit-code.js";
export * from "./types.js";
