/**
 * The compute lists an audit pages through, as `forEachPage`/`readPages` listers over @azure/arm-compute
 * (https://learn.microsoft.com/rest/api/compute/virtual-machines/list-all,
 * https://learn.microsoft.com/rest/api/compute/virtual-machines/list,
 * https://learn.microsoft.com/rest/api/compute/virtual-machine-scale-sets/list-all,
 * https://learn.microsoft.com/rest/api/compute/virtual-machine-scale-set-vms/list). The client is created on the
 * first page, inside the pager, so its package loads only when a list is read.
 */
import type { ComputeManagementClient } from "@azure/arm-compute";
import type { ArmContext } from "./arm.js";
import { optObject, optString, type JsonObject } from "./json.js";
import type { CallOptions, Paged } from "./read.js";
import { parseArmId } from "./resource-id.js";

type Lister = (options: CallOptions) => Paged;

/**
 * Whether a scale set (its ARM body or Resource Graph row) is Flexible: its members are ordinary VMs, and the
 * scale-set-VM calls do not apply (https://learn.microsoft.com/azure/virtual-machine-scale-sets/virtual-machine-scale-sets-orchestration-modes).
 * Compared without case, as Azure's enum values are. Throws `MalformedResponseError` for a non-object `properties`.
 */
export function isFlexibleScaleSet(set: JsonObject): boolean {
  return optString(optObject(set, "properties", "scale set"), "orchestrationMode", "scale set.properties")?.toLowerCase() === "flexible";
}

function computeList(
  arm: ArmContext,
  subscriptionId: string,
  list: (client: ComputeManagementClient, options: CallOptions) => Paged,
): Lister {
  return (options) => ({
    async *byPage() {
      const client = await arm.clients.compute(subscriptionId);
      yield* list(client, options).byPage();
    },
  });
}

/** The VM models of a subscription (`VirtualMachines_ListAll`) or of one resource group (`VirtualMachines_List`). */
export function vmModels(arm: ArmContext, subscriptionId: string, resourceGroup?: string): Lister {
  return computeList(arm, subscriptionId, (client, options) =>
    resourceGroup === undefined ? client.virtualMachines.listAll(options) : client.virtualMachines.list(resourceGroup, options),
  );
}

/** One resource group's VMs with `$expand=instanceView` (real behaviour without a `$filter` unverified: callers fall back). */
export function vmModelsWithInstanceViews(arm: ArmContext, subscriptionId: string, resourceGroup: string): Lister {
  return computeList(arm, subscriptionId, (client, options) =>
    client.virtualMachines.list(resourceGroup, { ...options, expand: "instanceView" }),
  );
}

/** `VirtualMachines_ListAll` with `statusOnly=true`: each VM's run-time status (instance view), never its model. */
export function vmStatuses(arm: ArmContext, subscriptionId: string): Lister {
  return computeList(arm, subscriptionId, (client, options) => client.virtualMachines.listAll({ ...options, statusOnly: "true" }));
}

/** The scale sets of a subscription or of one resource group. */
export function scaleSets(arm: ArmContext, subscriptionId: string, resourceGroup?: string): Lister {
  return computeList(arm, subscriptionId, (client, options) =>
    resourceGroup === undefined
      ? client.virtualMachineScaleSets.listAll(options)
      : client.virtualMachineScaleSets.list(resourceGroup, options),
  );
}

/** A uniform scale set's instances with their instance views (`VirtualMachineScaleSetVMs_List`, `$expand=instanceView`). */
export function scaleSetInstances(arm: ArmContext, scaleSetId: string): Lister {
  const { subscriptionId, resourceGroup, name } = parseArmId(scaleSetId);
  return computeList(arm, subscriptionId ?? "", (client, options) =>
    client.virtualMachineScaleSetVMs.list(resourceGroup ?? "", name ?? "", { ...options, expand: "instanceView" }),
  );
}
