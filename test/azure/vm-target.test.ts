/**
 * The VM rbac-vm judges (src/azure/loaders.ts `vmTargetLoader`): the VM's facts, or — when Azure refused the model's
 * own GET — its resource id, so the missing role can still be named. Any other failure stays that failure.
 */
import { describe, expect, it } from "vitest";
import { AzureCallError } from "../../src/azure/arm.js";
import { VM_READ, vmTargetLoader } from "../../src/azure/loaders.js";
import { parseVmResourceId } from "../../src/azure/resource-id.js";

const VM_ID = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/vm1";
const INSTANCE_ID =
  "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachineScaleSets/ss1/virtualMachines/3";
const refusing = (error: Error) => () => Promise.reject(error);

describe("vmTargetLoader", () => {
  it("the model's GET refused (403): the target from the resource id, with Azure's refusal", async () => {
    const target = await vmTargetLoader(
      parseVmResourceId(VM_ID),
      refusing(new AzureCallError(VM_READ, "no", 403, "AuthorizationFailed")),
    )();
    expect(target).toMatchObject({ id: VM_ID, name: "vm1", kind: "vm", readRefused: "403 AuthorizationFailed" });
    const instance = await vmTargetLoader(parseVmResourceId(INSTANCE_ID), refusing(new AzureCallError(VM_READ, "no", 403)))();
    expect(instance).toMatchObject({ kind: "vmss-uniform", name: "ss1_3", scaleSetName: "ss1", instanceId: "3", readRefused: "403" });
    expect(instance.scaleSetId).toMatch(/virtualMachineScaleSets\/ss1$/);
  });

  it.each([
    ["a missing VM (404)", new AzureCallError(VM_READ, "not found", 404, "ResourceNotFound")],
    ["the instance view refused (its own action), the model read", new AzureCallError("the VM instance view", "no", 403)],
    ["a failure that is no answer from Azure", new Error("boom")],
  ])("%s: that failure, not a target", async (_, error) => {
    await expect(vmTargetLoader(parseVmResourceId(VM_ID), refusing(error))()).rejects.toBe(error);
  });
});
