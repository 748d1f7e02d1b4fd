/**
 * Instance views for the fleet. Resource Graph rows carry only the power state
 * (`properties.extended.instanceView.powerState`), and the VM model lists none, but checks also read
 * instance-view-only facts — the `ProvisioningState/failed/…` status (provisioning-state),
 * `instanceView.bootDiagnostics.status` (boot-diagnostics) — so a row alone could pass a VM that `sc-doctor --vm`
 * warns about. Every VM therefore gets the same instance view `--vm` reads, joined by id:
 * - a row that embeds it (scale set instance lists with `$expand=instanceView`) is used as is;
 * - ordinary VMs: once more than `BULK_THRESHOLD` VMs of a subscription are in scope, the subscription's
 *   `statusOnly=true` list (run-time status only, a few pages for thousands of VMs); else one GET each. With
 *   `--resource-group` the subscription-wide list is never read (it would page the whole subscription): the
 *   group's own list with `$expand=instanceView` instead. The compute spec allows that expansion only with a
 *   `$filter` and real behaviour is unverified
 *   (https://learn.microsoft.com/rest/api/compute/virtual-machines/list), so a refusal, or a row without its
 *   instance view, falls back to the VM's own GET;
 * - uniform scale set instances: from the second instance of a set in scope, the scale set's instance list with
 *   `$expand=instanceView` (one page holds what would be a GET each).
 * A VM a bulk list lacks (created since, or the list failed) falls back to its own GET. Counts grow as pages are
 * enumerated (`note`), so a bulk list starts as soon as its subscription is known to be large; it keeps only the
 * instance views — the part `mapVm` reads — as JSON text, and lets each go once its VM took it.
 *
 * Given the order in which enumeration hands subscriptions on (`order`: Resource Graph pages are ordered by id, so
 * by subscription), a subscription whose list is read also starts the next `LOOKAHEAD` subscriptions' lists. A
 * `statusOnly` list is read page after page (`nextLink`): started only when its subscription's first VMs were
 * enumerated, it was not there yet when they were evaluated, and evaluation stalled once per subscription. Only for
 * an audit of every VM (no `--where`, tag or `--resource-group` filter, no `--shard`): then each of those lists is
 * one the audit reads anyway, or, for a subscription with few VMs, one page instead of a GET each.
 */
import type { ArmContext } from "../azure/arm.js";
import { asObject, type JsonObject } from "../azure/json.js";
import { loadInstanceView } from "../azure/loaders.js";
import { instanceViewAsRead } from "../azure/map-vm.js";
import { forEachPage, type CallOptions, type Paged } from "../azure/read.js";
import { scaleSetInstances, vmModelsWithInstanceViews, vmStatuses } from "../azure/vm-lists.js";
import { embeddedInstanceView, type FleetVm } from "./sources.js";

/** Above this many VMs of one subscription (or instances of one scale set) in scope, one paged list is cheaper than a GET each. */
export const BULK_THRESHOLD = 20;
/** Subscriptions ahead of the one being enumerated whose `statusOnly` lists are read in advance (see above). */
export const LOOKAHEAD = 2;

type Need = Required<Pick<FleetVm, "ref">> & Pick<FleetVm, "hasInstanceView">;

export interface InstanceViewSource {
  /** Count an enumerated VM (before it is evaluated): may start its subscription's or scale set's bulk list. */
  note(vm: FleetVm): void;
  /**
   * The instance view of `vm`, or undefined when its row already embeds one; `statusOnly` when it came from a
   * subscription's `statusOnly=true` list, whose rows are not documented to hold every field (see `single`). Throws
   * AzureCallError.
   */
  get(vm: Need): Promise<{ view: JsonObject; statusOnly: boolean } | undefined>;
  /** The VM's own instance view GET, as `sc-doctor --vm` reads it. Throws AzureCallError. */
  single(vm: Need): Promise<JsonObject>;
  /** The bulk list `vm`'s instance view will come from, settling when it is read; undefined when there is none. */
  pending(vm: Need): Promise<unknown> | undefined;
}

/** Which bulk list would hold `vm`'s instance view: its subscription's (or resource group's), or its uniform scale set's. */
function bulkKey(vm: Need, resourceGroupScoped: boolean): string {
  const { ref } = vm;
  if (ref.kind === "vmss-uniform") return `ss:${ref.subscriptionId}/${ref.resourceGroup}/${ref.scaleSet ?? ""}`.toLowerCase();
  return (resourceGroupScoped ? `rg:${ref.subscriptionId}/${ref.resourceGroup}` : `sub:${ref.subscriptionId}`).toLowerCase();
}

type BulkList = { list: (options: CallOptions) => Paged; operation: string };

const subscriptionList = (arm: ArmContext, subscriptionId: string): BulkList => ({
  list: vmStatuses(arm, subscriptionId),
  operation: `virtual machines of subscription ${subscriptionId}`,
});

function bulkList(arm: ArmContext, vm: Need, resourceGroupScoped: boolean): BulkList {
  const { ref } = vm;
  if (ref.kind === "vmss-uniform") {
    const scaleSetId = `/subscriptions/${ref.subscriptionId}/resourceGroups/${ref.resourceGroup}/providers/Microsoft.Compute/virtualMachineScaleSets/${ref.scaleSet ?? ""}`;
    return { list: scaleSetInstances(arm, scaleSetId), operation: `instances of scale set ${ref.scaleSet ?? ""}` };
  }
  if (resourceGroupScoped)
    return {
      list: vmModelsWithInstanceViews(arm, ref.subscriptionId, ref.resourceGroup),
      operation: `virtual machines of resource group ${ref.resourceGroup}`,
    };
  return subscriptionList(arm, ref.subscriptionId);
}

export interface InstanceViewOptions {
  resourceGroupScoped: boolean;
  signal?: AbortSignal;
  /** Lower-case subscription ids in the order enumeration hands them on, for an audit of every VM (see above). */
  order?: readonly string[];
}

export function instanceViewSource(arm: ArmContext, options: InstanceViewOptions): InstanceViewSource {
  const { signal } = options;
  const counts = new Map<string, number>();
  const bulks = new Map<string, Promise<Map<string, string>>>();
  const position = new Map(options.order?.map((subscriptionId, i) => [subscriptionId, i]));

  const startBulk = (key: string, { list, operation }: BulkList) => {
    if (bulks.has(key)) return;
    const load = async () => {
      // Kept as JSON text until its VM needs it: compact, and nothing for the garbage collector to trace.
      const byId = new Map<string, string>();
      await forEachPage(operation, list, signal, (page) => {
        for (const row of page) {
          const view = embeddedInstanceView(row);
          if (view && typeof row["id"] === "string") byId.set(row["id"].toLowerCase(), JSON.stringify(instanceViewAsRead(view)));
        }
      });
      return byId;
    };
    const promise = load();
    promise.catch(() => undefined); // each VM's own GET decides then, and its error is that VM's reason
    bulks.set(key, promise);
  };

  const note: InstanceViewSource["note"] = (vm) => {
    if (!vm.ref || vm.hasInstanceView) return;
    const need = { ref: vm.ref, hasInstanceView: vm.hasInstanceView };
    const key = bulkKey(need, options.resourceGroupScoped);
    const count = (counts.get(key) ?? 0) + 1;
    counts.set(key, count);
    // The subscription's list holds every VM there, in scope or not: worth it past the threshold. A scale set's or a
    // group's list holds little else than what is in scope: worth it from the second VM.
    const threshold = key.startsWith("sub:") ? BULK_THRESHOLD : 1;
    // Read ahead from a subscription whose list is read: when its own list starts, or at its first VM when an
    // earlier subscription read it ahead (so the chain goes on through subscriptions of any size).
    const readAhead = key.startsWith("sub:") && (count === threshold + 1 || (count === 1 && bulks.has(key)));
    if (count > threshold) startBulk(key, bulkList(arm, need, options.resourceGroupScoped));
    const at = readAhead ? position.get(vm.ref.subscriptionId.toLowerCase()) : undefined;
    if (at === undefined || !options.order) return;
    for (const next of options.order.slice(at + 1, at + 1 + LOOKAHEAD)) startBulk(`sub:${next}`, subscriptionList(arm, next));
  };

  // The same path `sc-doctor --vm` uses when the VM GET comes without its instance view (src/azure/loaders.ts).
  const single = async (vm: Need) => asObject(await loadInstanceView(arm, vm.ref, signal), "the instance view");

  const get: InstanceViewSource["get"] = async (vm) => {
    if (vm.hasInstanceView) return undefined;
    const key = bulkKey(vm, options.resourceGroupScoped);
    const bulk = bulks.get(key);
    if (bulk) {
      const view = await bulk.then(
        (byId) => {
          const id = vm.ref.id.toLowerCase();
          const found = byId.get(id);
          byId.delete(id); // each VM reads its view once (its loader is memoised): memory shrinks as VMs finish
          return found === undefined ? undefined : asObject(JSON.parse(found), "the instance view");
        },
        () => undefined,
      );
      if (view) return { view, statusOnly: key.startsWith("sub:") };
    }
    return { view: await single(vm), statusOnly: false };
  };
  const pending: InstanceViewSource["pending"] = (vm) =>
    vm.hasInstanceView ? undefined : bulks.get(bulkKey(vm, options.resourceGroupScoped));
  return { note, get, single, pending };
}
