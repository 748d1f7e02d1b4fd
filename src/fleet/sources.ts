/**
 * Enumeration in bulk. `graph`: Resource Graph brings every VM in scope (its model, power state and provisioning
 * state) in pages of 1000. `arm` (clouds without Resource Graph): the subscription-wide VM list with
 * `statusOnly=true`, which carries each VM's model and instance view. Either way a VM row is the documented ARM
 * shape, mapped by the same `mapVm` as `sc-doctor --vm`.
 */
import type { ArmContext } from "../azure/arm.js";
import { API } from "../azure/api.js";
import type { SubscriptionFacts } from "../azure/facts.js";
import { asObject, isObject, optObject, optString, type JsonObject } from "../azure/json.js";
import { parseVmResourceId, type VmRef } from "../azure/resource-id.js";
import { graphQuery, vmQuery, type VmQueryScope } from "./graph.js";
import { forEachItem } from "./paging.js";
import { storageNameOfRow } from "./storage.js";
import { listSubscriptionRows } from "../azure/storage-lookup.js";

export type Source = "graph" | "arm";

/** One VM to audit: its parsed id (or why it could not be read) and its row, with what decides bulk reads. */
export interface FleetVm {
  id: string;
  ref?: VmRef;
  problem?: string;
  /**
   * The row as JSON text, parsed again when the VM is evaluated (`rowOf`). Ten thousand rows held as strings
   * instead of object graphs keep the garbage collector's live set — and with it the peak memory — small.
   */
  text: string;
  /** The boot diagnostics account the row names (`diagnosticsProfile.bootDiagnostics.storageUri`), lower-case. */
  storageName?: string;
  /** The row embeds its instance view (ARM list with `statusOnly=true`). */
  hasInstanceView: boolean;
}

/** The VM's row, as enumerated. */
export function rowOf(vm: Pick<FleetVm, "text">): JsonObject {
  return asObject(JSON.parse(vm.text), "the VM row");
}

/** The instance view embedded in a row (`properties.instanceView`: ARM lists with `statusOnly=true`), if any. */
export function embeddedInstanceView(row: JsonObject): JsonObject | undefined {
  const value = optObject(row, "properties", "VM")?.["instanceView"];
  return isObject(value) ? value : undefined;
}

/**
 * Every subscription the credential can see, except deleted ones. The raw list is shared under the key the
 * single-VM storage lookup uses for the same call, so it is read once.
 */
export async function listSubscriptions(
  arm: ArmContext,
  shared: Map<string, Promise<unknown>>,
  signal?: AbortSignal,
): Promise<SubscriptionFacts[]> {
  const rows = await listSubscriptionRows(arm, { shared, signal });
  return rows
    .map((row) => ({
      subscriptionId: (optString(row, "subscriptionId", "subscription") ?? "").toLowerCase(),
      state: optString(row, "state", "subscription"),
    }))
    .filter((s) => s.subscriptionId && s.state !== "Deleted");
}

export function toFleetVm(row: JsonObject): FleetVm {
  const id = typeof row["id"] === "string" ? row["id"] : "(a VM row without an id)";
  const base = { text: JSON.stringify(row), storageName: storageNameOfRow(row), hasInstanceView: embeddedInstanceView(row) !== undefined };
  try {
    const ref = parseVmResourceId(id);
    return { id: ref.id, ref, ...base };
  } catch (error) {
    return { id, ...base, problem: `the VM id '${id}' could not be read: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** The ARM list path with instance views (https://learn.microsoft.com/rest/api/compute/virtual-machines/list-all; `statusOnly=true` adds `properties.instanceView`). */
export function vmListPath(subscriptionId: string): string {
  return `/subscriptions/${subscriptionId}/providers/Microsoft.Compute/virtualMachines?api-version=${API.compute}&statusOnly=true`;
}

/** Every VM in scope, sorted by id. */
export async function enumerateVms(
  arm: ArmContext,
  source: Source,
  subscriptions: readonly string[],
  scope: VmQueryScope,
  signal?: AbortSignal,
): Promise<FleetVm[]> {
  const vms: FleetVm[] = [];
  if (source === "graph") {
    for await (const page of graphQuery(arm, vmQuery(scope), subscriptions, signal)) for (const row of page) vms.push(toFleetVm(row));
  } else {
    await Promise.all(
      subscriptions.map((sub) =>
        forEachItem(
          arm,
          `virtual machines of subscription ${sub}`,
          vmListPath(sub),
          (row) => void (inArmScope(row, scope) && vms.push(toFleetVm(row))),
          signal,
        ),
      ),
    );
  }
  return vms.sort((a, b) => (a.id.toLowerCase() < b.id.toLowerCase() ? -1 : a.id.toLowerCase() > b.id.toLowerCase() ? 1 : 0));
}

/** The ARM lists cannot filter server-side: resource groups and tags are applied here, as KQL would. */
export function inArmScope(row: JsonObject, scope: VmQueryScope): boolean {
  const groups = (scope.resourceGroups ?? []).map((g) => g.toLowerCase());
  const group = (/\/resourceGroups\/([^/]+)/i.exec(typeof row["id"] === "string" ? row["id"] : "")?.[1] ?? "").toLowerCase();
  if (groups.length && !groups.includes(group)) return false;
  return (scope.tags ?? []).every((tag) => matchesTag(row, tag));
}

function matchesTag(row: JsonObject, tag: { key: string; value?: string }): boolean {
  const tags = optObject(row, "tags", "VM") ?? {};
  // Azure tag names are case-insensitive (as Resource Graph's tags['k'] is); `=~` on the value is too.
  const key = Object.keys(tags).find((k) => k.toLowerCase() === tag.key.toLowerCase());
  const value = key === undefined ? undefined : tags[key];
  if (typeof value !== "string" || value === "") return false;
  return tag.value === undefined || value.toLowerCase() === tag.value.toLowerCase();
}
