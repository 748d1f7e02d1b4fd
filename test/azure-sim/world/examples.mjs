/**
 * Azure's own example response bodies (test/fixtures/azure-rest-examples/, from Azure/azure-rest-api-specs; see
 * SOURCES.json there), read once. The builders start from these and replace ids, names and the fields a scenario
 * sets; everything else is served as Azure wrote it.
 */
import { readFileSync } from "node:fs";

const read = (name) =>
  JSON.parse(readFileSync(new URL(`../../fixtures/azure-rest-examples/${name}`, import.meta.url), "utf8")).responses["200"].body;

/** A deep copy, frozen: builders spread its parts into new bodies and never change it. */
function frozen(value) {
  if (value && typeof value === "object") {
    for (const item of Object.values(value)) frozen(item);
    Object.freeze(value);
  }
  return value;
}

export const EXAMPLES = frozen({
  vm: read("VirtualMachine_Get.json"),
  vmInstanceView: read("VirtualMachine_Get_InstanceView.json"),
  scaleSetVm: read("VirtualMachineScaleSetVM_Get_WithUserData.json"),
  scaleSetVmInstanceView: read("VirtualMachineScaleSetVM_Get_InstanceViewAutoPlacedOnDedicatedHostGroup.json"),
  storageAccount: read("StorageAccountGetProperties.json"),
  subscription: read("GetSubscription.json"),
});
