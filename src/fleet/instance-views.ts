/**
 * Instance views for the fleet. Resource Graph rows carry only the power state
 * (`properties.extended.instanceView.powerState`), but checks also read instance-view-only facts — the
 * `ProvisioningState/failed/…` status (provisioning-state), `instanceView.bootDiagnostics.status`
 * (boot-diagnostics) — so a Resource Graph row alone could pass a VM that `sc-doctor --vm` warns about.
 * Rather than guess, every VM gets the same instance view `--vm` reads:
 * - rows from the ARM list with `statusOnly=true` already hold it (`properties.instanceView`);
 * - otherwise, per subscription, the `statusOnly=true` list (a few pages for thousands of VMs) when more than
 *   `BULK_THRESHOLD` VMs of that subscription are in scope, else one `GET …/instanceView` per VM.
 * A VM the bulk list lacks (created since, or the list failed) falls back to its own GET. The bulk lists start
 * together as soon as the fleet is known (`prefetch`), and keep only the instance views, page by page.
 */
import { API, sharedMemo } from "../azure/api.js";
import type { ArmContext } from "../azure/arm.js";
import { asObject, type JsonObject } from "../azure/json.js";
import type { VmRef } from "../azure/resource-id.js";
import { forEachItem } from "./paging.js";
import { embeddedInstanceView, vmListPath, type FleetVm } from "./sources.js";
import { vmPath } from "../azure/loaders.js";

/** Above this many VMs of one subscription in scope, one paged list is cheaper than a GET each. */
export const BULK_THRESHOLD = 20;

export interface InstanceViewSource {
  /** The instance view of `vm`, or undefined when its row already embeds one. Throws AzureCallError. */
  get(vm: Required<Pick<FleetVm, "ref">> & Pick<FleetVm, "hasInstanceView">): Promise<JsonObject | undefined>;
  /** Start every bulk list now, all subscriptions at once (their pages are sequential, the subscriptions need not be). */
  prefetch(): void;
}

export function instanceViewSource(
  arm: ArmContext,
  vms: readonly FleetVm[],
  shared: Map<string, Promise<unknown>>,
  signal?: AbortSignal,
): InstanceViewSource {
  const perSubscription = new Map<string, number>();
  for (const vm of vms) {
    if (!vm.ref || vm.hasInstanceView) continue;
    perSubscription.set(vm.ref.subscriptionId, (perSubscription.get(vm.ref.subscriptionId) ?? 0) + 1);
  }

  const bulk = (subscriptionId: string) =>
    sharedMemo(shared, `instanceviews:${subscriptionId}`, async () => {
      // Kept as JSON text until its VM needs it: compact, and nothing for the garbage collector to trace.
      const byId = new Map<string, string>();
      await forEachItem(
        arm,
        `virtual machines of subscription ${subscriptionId}`,
        vmListPath(subscriptionId),
        (row) => {
          const view = embeddedInstanceView(row);
          if (view && typeof row["id"] === "string") byId.set(row["id"].toLowerCase(), JSON.stringify(view));
        },
        signal,
      );
      return byId;
    });
  const bulkSubscriptions = [...perSubscription].filter(([, count]) => count > BULK_THRESHOLD).map(([subscriptionId]) => subscriptionId);

  // The same path `sc-doctor --vm` uses when the VM GET comes without its instance view (src/azure/loaders.ts).
  const single = (ref: VmRef) => arm.getJson("the VM instance view", `${vmPath(ref)}/instanceView?api-version=${API.compute}`, signal);

  const get: InstanceViewSource["get"] = async (vm) => {
    if (vm.hasInstanceView) return undefined;
    const { subscriptionId } = vm.ref;
    if (bulkSubscriptions.includes(subscriptionId)) {
      const view = await bulk(subscriptionId).then(
        (byId) => {
          // Each VM reads its own view once (its loader is memoised): let it go, so memory shrinks as VMs finish.
          const key = vm.ref.id.toLowerCase();
          const found = byId.get(key);
          byId.delete(key);
          return found === undefined ? undefined : asObject(JSON.parse(found), "the instance view");
        },
        () => undefined, // the list failed: each VM's own GET decides, and its error is that VM's reason
      );
      if (view) return view;
    }
    return asObject(await single(vm.ref), "the instance view");
  };
  return {
    get,
    prefetch: () => bulkSubscriptions.forEach((subscriptionId) => void bulk(subscriptionId).catch(() => undefined)),
  };
}
