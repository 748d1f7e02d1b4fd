/**
 * Enumeration of the fleet, page by page, isolated per subscription. Every VM row is the documented ARM shape,
 * mapped later by the same `mapVm` as `sc-doctor --vm`.
 * - `graph`: Resource Graph, in batches of subscriptions. Ordinary VMs (Flexible scale set members included) come
 *   from the `Resources` table, uniform scale set instances from `ComputeResources` — a second query, because the
 *   two tables cannot be `union`ed (https://learn.microsoft.com/azure/governance/resource-graph/concepts/query-language).
 *   If a batch's query fails, each of its subscriptions is queried alone, so that one subscription's failure is
 *   reported as that subscription's and the others are still audited. A uniform scale set none of whose instances
 *   `ComputeResources` held (Azure China's table has none) has them listed through Resource Manager.
 * - `arm` (clouds without Resource Graph): per subscription, or per resource group with `--resource-group`, the
 *   VM list (models; never the `statusOnly=true` list, whose rows lack the model —
 *   https://github.com/Azure/azure-sdk-for-go/issues/18565), then the scale sets and each uniform set's instances
 *   with `$expand=instanceView`. A subscription's rows are handed on once all its lists answered, so a subscription
 *   is either enumerated whole or reported as not evaluated with the reason.
 * The ARM lists are @azure/arm-compute's (src/azure/vm-lists.ts), paged by src/azure/read.ts; Resource Graph is `graphQuery`.
 */
import { createHash } from "node:crypto";
import type { ArmContext } from "../azure/arm.js";
import { AzureCallError } from "../azure/arm.js";
import type { SubscriptionFacts } from "../azure/facts.js";
import { MalformedResponseError, asObject, isObject, optObject, optString, type JsonObject } from "../azure/json.js";
import { parseArmId, parseVmResourceId, type VmRef } from "../azure/resource-id.js";
import { listSubscriptionRows } from "../azure/storage-lookup.js";
import { SUBSCRIPTIONS_PER_QUERY, graphQuery, instanceQuery, uniformScaleSetQuery, vmQuery, type VmQueryScope } from "./graph.js";
import { forEachPage } from "../azure/read.js";
import type { RunCache } from "../azure/run-cache.js";
import { isFlexibleScaleSet, scaleSetInstances, scaleSets, vmModels } from "../azure/vm-lists.js";
import { storageNameOfRow } from "./storage.js";
import { PARTLY_LISTED } from "./unevaluated-reasons.js";

export type Source = "graph" | "arm";

/** One VM to audit: its parsed id (or why it could not be read) and its row, with what decides bulk reads. */
export interface FleetVm {
  id: string;
  ref?: VmRef;
  problem?: string;
  /**
   * The row: as parsed (Resource Graph pages: at most a page plus the audit's bounded queue wait), or as JSON text
   * parsed again when the VM is evaluated (`--source arm` hands on a whole subscription's rows at once: held as
   * strings instead of object graphs, they keep the garbage collector's live set small).
   */
  row?: JsonObject;
  text?: string;
  /** The boot diagnostics account the row names (`diagnosticsProfile.bootDiagnostics.storageUri`), lower-case. */
  storageName?: string;
  /** The row embeds its instance view (scale set instance lists with `$expand=instanceView`). */
  hasInstanceView: boolean;
}

/** The VM's row, as enumerated. */
export function rowOf(vm: Pick<FleetVm, "row" | "text">): JsonObject {
  return vm.row ?? asObject(JSON.parse(vm.text ?? "null"), "the VM row");
}

/** The instance view embedded in a row (`properties.instanceView`), if any. */
export function embeddedInstanceView(row: JsonObject): JsonObject | undefined {
  const value = optObject(row, "properties", "VM")?.["instanceView"];
  return isObject(value) ? value : undefined;
}

/** Every subscription the credential can see, except deleted ones. */
export async function listSubscriptions(arm: ArmContext, shared: RunCache, signal?: AbortSignal): Promise<SubscriptionFacts[]> {
  const rows = await listSubscriptionRows(arm, { shared, signal });
  const listed = rows.map((row) => {
    const subscriptionId = (optString(row, "subscriptionId", "subscription") ?? "").toLowerCase();
    if (subscriptionId) shared.listedSubscriptions.set(subscriptionId, row);
    return { subscriptionId, state: optString(row, "state", "subscription") };
  });
  return listed.filter((s) => s.subscriptionId && s.state !== "Deleted");
}

export function toFleetVm(row: JsonObject, hold: "object" | "text" = "object"): FleetVm {
  const name = typeof row["name"] === "string" ? row["name"] : undefined;
  const id = typeof row["id"] === "string" ? row["id"] : `(a VM row without an id${name ? `, named '${name}'` : ""})`;
  const base = {
    ...(hold === "object" ? { row } : { text: JSON.stringify(row) }),
    storageName: storageNameOfRow(row),
    hasInstanceView: embeddedInstanceView(row) !== undefined,
  };
  try {
    const ref = parseVmResourceId(id);
    return { id: ref.id, ref, ...base };
  } catch (error) {
    // Tagged with a digest of what names the row: two such rows are two results (not one VM deduplicated away, nor
    // a "duplicate VM" for `sc-doctor report`), the same row read twice is one, and the tag stays when its power
    // state or tags change between one shard's run and another's (a whole-row digest moved it between shards).
    const naming = ["id", "subscriptionId", "resourceGroup", "type", "name"].map((key) => row[key]);
    const vmId = row["properties"] && typeof row["properties"] === "object" ? (row["properties"] as JsonObject)["vmId"] : undefined;
    const tag = createHash("sha256")
      .update(JSON.stringify([...naming, vmId]))
      .digest("hex")
      .slice(0, 8);
    const problem = `the VM id '${id}' could not be read: ${error instanceof Error ? error.message : String(error)}`;
    return { id: `${id} (row ${tag})`, ...base, problem };
  }
}

/** What enumeration hands on: pages of VMs as they arrive, and subscriptions that could not be enumerated. */
export interface EnumerationSink {
  vms(page: FleetVm[]): Promise<void>;
  failed(subscriptionId: string, reason: string): void;
  /** Every VM of these subscriptions was handed on (what an interruption leaves unlisted is the rest). */
  listed?(subscriptionIds: readonly string[]): void;
  /** `--source arm`: a subscription's VM list of this `--resource-group` answered (the group exists there). */
  groupFound?(name: string): void;
}

export interface EnumerateOptions extends VmQueryScope {
  source: Source;
  subscriptions: readonly string[];
  signal?: AbortSignal;
  /** Subscriptions enumerated at once with `--source arm`. */
  parallel?: number;
}

export function describeFailure(error: unknown): string {
  if (error instanceof AzureCallError) return error.describe();
  if (error instanceof MalformedResponseError) return `malformed response from Azure: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

/** Enumerate every VM in scope into `sink`; never throws for one subscription's failure. */
export async function enumerateFleet(arm: ArmContext, options: EnumerateOptions, sink: EnumerationSink): Promise<void> {
  if (options.source === "graph") await enumerateGraph(arm, options, sink);
  else await enumerateArm(arm, options, sink);
}

/**
 * The order in which `--source graph` hands subscriptions on: batch after batch, each batch's VMs ordered by id
 * (`order by id asc`), so by subscription id within a batch.
 */
export function graphSubscriptionOrder(subscriptions: readonly string[]): string[] {
  const order: string[] = [];
  for (let i = 0; i < subscriptions.length; i += SUBSCRIPTIONS_PER_QUERY)
    order.push(
      ...subscriptions
        .slice(i, i + SUBSCRIPTIONS_PER_QUERY)
        .map((s) => s.toLowerCase())
        .sort(),
    );
  return order;
}

/** Resource Graph answered 429 past the retries (its quota is per caller: https://learn.microsoft.com/azure/governance/resource-graph/concepts/guidance-for-throttled-requests). */
const throttled = (error: unknown) => error instanceof AzureCallError && error.status === 429;

/** Subscriptions of a failed Resource Graph batch asked alone at once (each is a query or two against the quota). */
const RETRIES_AT_ONCE = 4;

/** Lower-case id of the scale set a uniform instance belongs to. */
const scaleSetOf = (ref: VmRef) =>
  `/subscriptions/${ref.subscriptionId}/resourcegroups/${ref.resourceGroup}/providers/microsoft.compute/virtualmachinescalesets/${ref.scaleSet ?? ""}`.toLowerCase();

async function enumerateGraph(arm: ArmContext, options: EnumerateOptions, sink: EnumerationSink): Promise<void> {
  const { signal } = options;
  // The scale sets are compared with the instances found only when the instance query is not filtered by VM fields.
  const crossCheck = !options.where && !options.tags?.length;
  const run = async (batch: readonly string[], skip: Set<string>) => {
    const withInstances = new Set<string>();
    const hand = async (rows: JsonObject[]) => {
      const page = rows.map((row) => toFleetVm(row)).filter((vm) => !skip.has(vm.id.toLowerCase()));
      for (const vm of page) {
        skip.add(vm.id.toLowerCase());
        if (vm.ref?.kind === "vmss-uniform") withInstances.add(scaleSetOf(vm.ref));
      }
      await sink.vms(page);
    };
    for await (const rows of graphQuery(arm, vmQuery(options), batch, signal)) await hand(rows);
    let refused: unknown;
    try {
      for await (const rows of graphQuery(arm, instanceQuery(options), batch, signal)) await hand(rows);
    } catch (error) {
      // A cloud without the table (400) while the VM query passed: the scale set lists below stand in for it.
      if (!crossCheck || !queryRefused(error)) throw error;
      refused = error;
    }
    if (crossCheck) await listUnseenInstances(arm, options, batch, withInstances, hand, refused);
    else if (withInstances.size === 0) await unindexedInstancesFiltered(arm, options, batch, hand, sink);
  };
  for (let i = 0; i < options.subscriptions.length; i += SUBSCRIPTIONS_PER_QUERY) {
    const batch = options.subscriptions.slice(i, i + SUBSCRIPTIONS_PER_QUERY);
    // Ids already handed on in this batch: a retry per subscription after a failure must not hand them on twice.
    const seen = new Set<string>();
    try {
      await run(batch, seen);
      sink.listed?.(batch);
    } catch (error) {
      if (signal?.aborted || queryRefused(error)) throw error;
      // One subscription, or a throttle past its retries: Resource Graph's quota is the caller's, not a
      // subscription's, so asking each subscription alone would only multiply the queries against a spent quota.
      if (batch.length === 1 || throttled(error)) {
        for (const subscriptionId of batch) sink.failed(subscriptionId, partly(describeFailure(error), listedIn(seen, subscriptionId)));
        continue;
      }
      // In Resource Graph's order, which the instance-view read-ahead follows (graphSubscriptionOrder), a few at a
      // time: one that hangs again must not hold up the rest of the batch for another --timeout.
      const alone = graphSubscriptionOrder(batch);
      let next = 0;
      const worker = async () => {
        for (let subscriptionId = alone[next++]; subscriptionId !== undefined; subscriptionId = alone[next++]) {
          try {
            await run([subscriptionId], seen);
            sink.listed?.([subscriptionId]);
          } catch (error) {
            if (signal?.aborted || queryRefused(error)) {
              next = alone.length; // the enumeration ends: the other workers take no further subscription
              throw error;
            }
            sink.failed(subscriptionId, partly(describeFailure(error), listedIn(seen, subscriptionId)));
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(RETRIES_AT_ONCE, alone.length) }, worker));
    }
  }
}

/**
 * Uniform scale sets of `batch` none of whose instances came from `ComputeResources` (a cloud whose table holds
 * none, like Azure China's; or instances Resource Graph has not indexed yet): their instances from Resource
 * Manager's list, as `--source arm` reads them. A set whose capacity is 0 has none to look for. When the scale
 * sets cannot be listed either, the instance query's refusal (if any) stands.
 */
async function listUnseenInstances(
  arm: ArmContext,
  options: EnumerateOptions,
  batch: readonly string[],
  withInstances: ReadonlySet<string>,
  hand: (rows: JsonObject[]) => Promise<void>,
  refused: unknown,
): Promise<void> {
  let unseen: string[];
  try {
    unseen = await unseenScaleSets(arm, options, batch, withInstances);
  } catch (error) {
    if (refused !== undefined) throw refused;
    if (options.signal?.aborted) throw error;
    return; // a check of Resource Graph's own answer: without it, that answer stands
  }
  for (const scaleSetId of unseen) await forEachInstancePage(arm, scaleSetId, options.signal, hand);
}

/** Uniform scale sets of `batch` with instances (capacity not 0) none of which is in `withInstances` (lower-case ids). */
async function unseenScaleSets(
  arm: ArmContext,
  options: EnumerateOptions,
  batch: readonly string[],
  withInstances: ReadonlySet<string>,
): Promise<string[]> {
  const unseen: string[] = [];
  for await (const rows of graphQuery(arm, uniformScaleSetQuery(options), batch, options.signal))
    for (const row of rows) {
      const id = typeof row["id"] === "string" ? row["id"] : undefined;
      // Only scale sets: an answer that is not one (a Resource Graph that ignored the query) checks nothing.
      if (typeof row["type"] !== "string" || row["type"].toLowerCase() !== "microsoft.compute/virtualmachinescalesets") continue;
      const capacity = optObject(row, "sku", "scale set")?.["capacity"];
      if (id && !isFlexibleScaleSet(row) && capacity !== 0 && !withInstances.has(id.toLowerCase())) unseen.push(id);
    }
  return unseen;
}

function forEachInstancePage(
  arm: ArmContext,
  scaleSetId: string,
  signal: AbortSignal | undefined,
  hand: (rows: JsonObject[]) => Promise<void>,
) {
  return forEachPage(
    `instances of scale set ${parseArmId(scaleSetId).name ?? scaleSetId}`,
    scaleSetInstances(arm, scaleSetId),
    signal,
    hand,
  );
}

/**
 * With `--where` or `--tag`, a uniform scale set with no instance in the filtered answer may have none that match —
 * or be in a cloud whose `ComputeResources` holds no instances (Azure China's). Only when the batch got no instance
 * at all is the table asked for one of the scope's, unfiltered; when it has none, tags are applied to Resource
 * Manager's instance lists as KQL would, and `--where`, which only Resource Graph can apply, leaves the instances
 * unaudited: their subscriptions are reported so, never silently short.
 */
async function unindexedInstancesFiltered(
  arm: ArmContext,
  options: EnumerateOptions,
  batch: readonly string[],
  hand: (rows: JsonObject[]) => Promise<void>,
  sink: EnumerationSink,
): Promise<void> {
  let unseen: string[];
  try {
    unseen = await unseenScaleSets(arm, options, batch, new Set());
  } catch (error) {
    if (options.signal?.aborted) throw error;
    return; // a check of Resource Graph's own answer, as unfiltered: without it, that answer stands
  }
  if (unseen.length === 0) return;
  try {
    const probe = `${instanceQuery({ resourceGroups: options.resourceGroups })}\n| take 1`;
    for await (const rows of graphQuery(arm, probe, batch, options.signal)) if (rows.length > 0) return;
  } catch (error) {
    if (options.signal?.aborted) throw error;
    // Not known to hold any: read from Resource Manager as for a table without them (never dropped unsaid).
  }
  if (options.where) {
    const subscriptions = new Set(unseen.map((id) => parseArmId(id).subscriptionId?.toLowerCase() ?? ""));
    for (const subscriptionId of subscriptions)
      sink.failed(
        subscriptionId,
        "its uniform scale set instances are not in Resource Graph's ComputeResources table here, and --where can be applied there only: they are not audited, its other VMs are (audit them with --tag, or without a filter)",
      );
    return;
  }
  for (const scaleSetId of unseen)
    await forEachInstancePage(arm, scaleSetId, options.signal, (rows) => hand(rows.filter((row) => matchesTags(row, options.tags))));
}

/**
 * 400: Resource Graph refused the query itself (e.g. InvalidQuery from a bad --where), the same for every
 * subscription: that ends the audit with Azure's details instead of being reported once per subscription.
 */
function queryRefused(error: unknown): boolean {
  return error instanceof AzureCallError && error.status === 400;
}

/** How many of `subscriptionId`'s VMs were handed on (and so are audited) before its enumeration failed. */
function listedIn(seen: ReadonlySet<string>, subscriptionId: string): number {
  const prefix = `/subscriptions/${subscriptionId.toLowerCase()}/`;
  let listed = 0;
  for (const id of seen) if (id.startsWith(prefix)) listed++;
  return listed;
}

/**
 * A Resource Graph failure can come after the subscription's first pages (or after its VMs, before its scale set
 * instances): those VMs are audited, and the reason says so rather than implying none of the subscription was.
 */
function partly(reason: string, listed: number): string {
  // First, so that a line cut short (stderr cuts long reasons) still says the subscription was partly audited.
  return listed === 0 ? reason : `${PARTLY_LISTED}${listed} VM${listed === 1 ? "" : "s"}, which are audited: ${reason}`;
}

async function enumerateArm(arm: ArmContext, options: EnumerateOptions, sink: EnumerationSink): Promise<void> {
  const queue = [...options.subscriptions];
  const worker = async () => {
    for (let sub = queue.shift(); sub !== undefined; sub = queue.shift()) {
      let rows: FleetVm[];
      try {
        rows = await listSubscriptionArm(arm, sub, options, (name) => sink.groupFound?.(name));
      } catch (error) {
        if (options.signal?.aborted) throw error;
        sink.failed(sub, describeFailure(error));
        continue;
      }
      await sink.vms(rows);
      sink.listed?.([sub]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.parallel ?? 8, queue.length)) }, worker));
}

/** One subscription's VMs and uniform scale set instances from the ARM lists (scoped to resource groups when given). */
async function listSubscriptionArm(
  arm: ArmContext,
  subscriptionId: string,
  options: EnumerateOptions,
  groupFound?: (name: string) => void,
): Promise<FleetVm[]> {
  const { signal } = options;
  const vms: FleetVm[] = [];
  // A VM listed twice (a list that changed while it was paged) is audited once: `report` refuses an audit's output
  // that holds a VM twice, as it would two inputs that both hold it.
  const listed = new Set<string>();
  const keep = (row: JsonObject) => {
    if (!matchesTags(row, options.tags)) return;
    const vm = toFleetVm(row, "text");
    const key = vm.id.toLowerCase();
    if (listed.has(key)) return;
    listed.add(key);
    vms.push(vm);
  };
  // Resource group names are case-insensitive: a group named twice is listed once.
  const groups = options.resourceGroups?.length
    ? [...new Map(options.resourceGroups.map((g) => [g.toLowerCase(), g])).values()]
    : [undefined];
  for (const group of groups) {
    try {
      await forEachPage(`virtual machines of subscription ${subscriptionId}`, vmModels(arm, subscriptionId, group), signal, (page) =>
        page.forEach(keep),
      );
    } catch (error) {
      // A group this subscription does not have holds none of its VMs (as the Resource Graph filter says).
      if (group !== undefined && error instanceof AzureCallError && error.status === 404 && error.code === "ResourceGroupNotFound")
        continue;
      // Microsoft.Compute not registered (a subscription that never had a VM): it holds none, as Resource Graph
      // would answer (https://learn.microsoft.com/azure/azure-resource-manager/troubleshooting/error-register-resource-provider).
      // Its resource groups may still exist: none is called absent on its account.
      if (error instanceof AzureCallError && error.status === 409 && error.code === "MissingSubscriptionRegistration") {
        for (const name of groups) if (name !== undefined) groupFound?.(name);
        return vms;
      }
      throw error;
    }
    if (group !== undefined) groupFound?.(group);
    const uniform: string[] = [];
    await forEachPage(
      `virtual machine scale sets of subscription ${subscriptionId}`,
      scaleSets(arm, subscriptionId, group),
      signal,
      (page) => {
        for (const set of page) {
          // Flexible members are ordinary VMs, already in the VM list.
          if (!isFlexibleScaleSet(set) && typeof set["id"] === "string") uniform.push(set["id"]);
        }
      },
    );
    for (const scaleSetId of uniform) {
      await forEachPage(
        `instances of scale set ${parseArmId(scaleSetId).name ?? scaleSetId}`,
        scaleSetInstances(arm, scaleSetId),
        signal,
        (page) => page.forEach(keep),
      );
    }
  }
  return vms;
}

/** The ARM lists cannot filter on tags: applied here, as KQL would (tag names case-insensitive, values with `=~`). */
export function matchesTags(row: JsonObject, tags: VmQueryScope["tags"]): boolean {
  return (tags ?? []).every((tag) => {
    const own = optObject(row, "tags", "VM") ?? {};
    const key = Object.keys(own).find((k) => k.toLowerCase() === tag.key.toLowerCase());
    const value = key === undefined ? undefined : own[key];
    if (typeof value !== "string" || value === "") return false;
    return tag.value === undefined || value.toLowerCase() === tag.value.toLowerCase();
  });
}
