/**
 * `sc-doctor audit`: the single-VM checks (not a second implementation) over whole subscriptions. VMs are
 * enumerated page by page (./sources.ts) and evaluated as they arrive, so results stream from the first answer;
 * a subscription that cannot be enumerated is reported with the reason while the others are audited. Everything
 * shared (subscription and console state, storage accounts, RBAC scopes, the network probe per region) is loaded
 * once. An interrupted audit reports which VMs it did not evaluate, never silently drops them.
 */
import { toAzureError, type ArmContext } from "../azure/arm.js";
import { RunCache } from "../azure/run-cache.js";
import type { VmFacts } from "../azure/facts.js";
import type { LoaderOptions } from "../azure/loaders.js";
import { subscriptionFacts } from "../azure/subscription.js";
import { parseArmId } from "../azure/resource-id.js";
import type { CheckDefinition } from "../checks/define.js";
import { summarise, toVmResult } from "../engine/diagnose.js";
import { runChecks } from "../engine/run.js";
import type { CheckId, CheckResult, UnevaluatedSubscription, VmResult } from "../types.js";
import type { VmQueryScope } from "./graph.js";
import { instanceViewSource, type InstanceViewSource } from "./instance-views.js";
import { fleetLoaders, type FleetContext } from "./loaders.js";
import { inShard, type Shard } from "./shard.js";
import { absentResourceGroups } from "./resource-groups.js";
import { enumerateFleet, graphSubscriptionOrder, listSubscriptions, type FleetVm, type Source } from "./sources.js";
import { fleetStorageLookup, storageIndex, type StorageIndex } from "./storage.js";

export interface AuditOptions extends VmQueryScope {
  source: Source;
  /** Subscriptions to audit; default every subscription the credential can see. */
  subscriptions?: string[];
  checks: readonly CheckDefinition[];
  timeoutMs: number;
  /** VMs evaluated at once. */
  concurrency: number;
  principal?: string;
  /** The caller's object id (token `oid`), for suggested fixes — as `sc-doctor --vm` passes it. */
  callerObjectId?: string;
  storagePath?: LoaderOptions["storagePath"];
  network: LoaderOptions["network"];
  /** Why serial logs are not read (audits read them only with `--serial-log`); undefined: read them. */
  skipSerialLog?: string;
  /** `--shard k/n`: evaluate only this shard's VMs. */
  shard?: Shard;
  signal?: AbortSignal;
  /** Called as each VM finishes, in completion order; the audit waits for it (stdout backpressure). */
  onResult?: (result: VmResult) => void | Promise<void>;
  /** Called once the subscriptions to audit are known (lower-case, in the order asked or listed), before any is read. */
  onSubscriptions?: (subscriptionIds: readonly string[]) => void;
  /** Called once the fleet is enumerated, with the number of VMs in scope (in this shard). */
  onTotal?: (total: number) => void;
  /** Called when a subscription cannot be enumerated (as it happens, for stderr). */
  onUnevaluatedSubscription?: (entry: UnevaluatedSubscription) => void;
  /** Keep every result (json, csv, …); jsonl streaming doesn't, so memory stays flat. */
  keepResults: boolean;
  /** The audit-wide cache of shared reads (subscriptions, storage lists, scopes); a new one by default. */
  shared?: RunCache;
}

export interface AuditOutcome {
  /** Sorted by VM id (case-insensitive); empty unless `keepResults`. */
  results: VmResult[];
  /** VM ids enumerated but not evaluated because the audit was interrupted, sorted. */
  notEvaluated: string[];
  /** Subscriptions whose VMs could not be enumerated, sorted by id. */
  unevaluatedSubscriptions: UnevaluatedSubscription[];
  /** False when the audit was interrupted before every subscription was enumerated. */
  enumerationComplete: boolean;
  /** Subscriptions (lower-case) an interruption left not fully listed, neither failed nor done; empty when complete. */
  unlistedSubscriptions: string[];
  /** `--resource-group` names that exist in none of the audited subscriptions (as given); see absentResourceGroups. */
  absentResourceGroups: string[];
}

/** An audit without `--serial-log` does not judge serial logs: leaving the check out makes no result partial. */
const unjudgedChecks = (options: Pick<AuditOptions, "skipSerialLog">): CheckId[] => (options.skipSerialLog ? ["serial-log"] : []);

/** A VM whose id could not be read is still accounted for: every check `error` with the reason. */
function unreadable(vm: FleetVm, checks: readonly CheckDefinition[], unjudged: readonly CheckId[]): VmResult {
  const results: CheckResult[] = checks.map((check) => ({
    id: check.id,
    title: check.title,
    status: "error",
    reason: vm.problem ?? "could not be evaluated",
    durationMs: 0,
    evidence: {},
  }));
  const parts = parseArmId(vm.id);
  return toVmResult(
    {
      id: vm.id,
      name: parts.resourceGroup ? (parts.name ?? vm.id) : vm.id,
      resourceGroup: parts.resourceGroup ?? "",
      subscriptionId: (parts.subscriptionId ?? "").toLowerCase(),
    },
    results,
    undefined,
    unjudged,
  );
}

/**
 * The order a page's VMs are evaluated in: round-robin over resource groups. VMs of one group share their first
 * fetches (permissions at the group, a storage lookup there); in id order every worker would queue behind the
 * same fetch, group after group. Interleaved, the workers' first fetches for different groups run side by side.
 */
export function interleaveByGroup(vms: readonly FleetVm[]): FleetVm[] {
  const groups = new Map<string, FleetVm[]>();
  for (const vm of vms) {
    const key = vm.ref ? `${vm.ref.subscriptionId}/${vm.ref.resourceGroup.toLowerCase()}` : "";
    const group = groups.get(key);
    if (group) group.push(vm);
    else groups.set(key, [vm]);
  }
  const queues = [...groups.values()];
  const out: FleetVm[] = [];
  for (let i = 0; out.length < vms.length; i++) for (const queue of queues) if (i < queue.length) out.push(queue[i] as FleetVm);
  return out;
}

export const lowerCompare = (a: string, b: string) => (a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0);
export const byVmId = (a: VmResult, b: VmResult) => lowerCompare(a.vm.id, b.vm.id);

/**
 * What every VM's loaders share in one audit of `subscriptions` (lower-case): the instance-view lists, the storage
 * account index, and the rest of the fleet context. `index.request` and `instanceView.note` take the enumerated VMs.
 */
export function fleetContext(
  arm: ArmContext,
  options: AuditOptions,
  subscriptions: readonly string[],
  shared: RunCache,
): { context: FleetContext; instanceView: InstanceViewSource; index: StorageIndex } {
  const { signal } = options;
  const resourceGroupScoped = (options.resourceGroups?.length ?? 0) > 0;
  const unfiltered = !resourceGroupScoped && !options.where && !options.tags?.length;
  // Every VM of each subscription is in scope: its statusOnly list is read anyway, so it can be read ahead.
  const everyVm = options.source === "graph" && unfiltered && !options.shard;
  const instanceView = instanceViewSource(arm, {
    resourceGroupScoped,
    signal,
    order: everyVm ? graphSubscriptionOrder(subscriptions) : undefined,
  });
  // A filtered audit names few accounts: asked for by name, not by listing the scope's.
  const index = storageIndex(arm, options.source, subscriptions, shared, { signal, listedPages: unfiltered ? undefined : 0 });
  const context: FleetContext = {
    arm,
    shared,
    signal,
    principal: options.principal,
    callerObjectId: options.callerObjectId,
    storagePath: options.storagePath,
    network: options.network,
    skipSerialLog: options.skipSerialLog,
    instanceView,
    // An index that has not answered within half of --timeout (a subscription in scope hangs) leaves a VM the other
    // half for its own subscription's list.
    storage: fleetStorageLookup(arm, index, shared, { signal, patienceMs: options.timeoutMs / 2 }),
  };
  return { context, instanceView, index };
}

/** Each of `subscriptionIds` whose GET fails goes to `failed`, with Azure's reason. */
async function confirmVisible(
  arm: ArmContext,
  subscriptionIds: readonly string[],
  shared: RunCache,
  failed: (subscriptionId: string, reason: string) => void,
  signal?: AbortSignal,
): Promise<void> {
  await Promise.all(
    subscriptionIds.map((id) =>
      subscriptionFacts(arm, id, signal, shared).then(
        () => undefined,
        (error: unknown) =>
          failed(
            id,
            `Resource Graph returned none of its VMs, and the subscription itself could not be read: ${toAzureError("the subscription", error).describe()}`,
          ),
      ),
    ),
  );
}

/** How many check timeouts a VM may wait for its facts from a shared bulk list before its checks start. */
const BULK_WAIT_TIMEOUTS = 4;
/** Node's timers hold at most 2^31 − 1 ms; a longer one fires at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Resolves when `promise` settles, after `ms`, or on abort — whichever comes first; never rejects. */
function untilSettled(promise: Promise<unknown>, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
    promise.then(done, done);
  });
}

export async function runAudit(arm: ArmContext, options: AuditOptions): Promise<AuditOutcome> {
  const { signal } = options;
  const shared = options.shared ?? new RunCache();
  const requested = options.subscriptions?.length
    ? options.subscriptions
    : (await listSubscriptions(arm, shared, signal)).map((s) => s.subscriptionId);
  const subscriptions = [...new Set(requested.map((s) => s.toLowerCase()))];
  options.onSubscriptions?.(subscriptions);

  const { context, instanceView, index } = fleetContext(arm, options, subscriptions, shared);

  const unjudged = unjudgedChecks(options);
  const evaluate = async (vm: FleetVm): Promise<VmResult> => {
    if (!vm.ref) return unreadable(vm, options.checks, unjudged);
    const loaders = fleetLoaders(context, vm.ref, vm);
    // As diagnoseVm: note the VM facts when they arrive, never wait for them (a hung read is bounded by the checks' timeout).
    let facts: VmFacts | undefined;
    loaders.vm().then(
      (loaded) => (facts = loaded),
      () => undefined,
    );
    // Its instance view may come from a bulk list shared with the VM's whole subscription or scale set, read page
    // after page: wait for that list before the checks' clock starts (bounded: a hung list then costs the checks'
    // own timeout), so a slow list does not time out the first VMs that need it — `--vm` reads one VM's view.
    const bulk = vm.ref ? instanceView.pending({ ref: vm.ref, hasInstanceView: vm.hasInstanceView }) : undefined;
    if (bulk) await untilSettled(bulk, Math.min(BULK_WAIT_TIMEOUTS * options.timeoutMs, MAX_TIMER_MS), signal);
    // Checks of one VM run together: their facts are mostly in memory already; VMs are the unit of concurrency.
    const checks = await runChecks(options.checks, loaders, { timeoutMs: options.timeoutMs, concurrency: options.checks.length });
    return toVmResult(summarise(vm.ref, facts), checks, undefined, unjudged);
  };

  // The queue between enumeration and evaluation. Enumeration waits while it is long (memory stays flat however
  // large the fleet); each VM's row is let go once a worker took it.
  const highWater = Math.max(2000, options.concurrency * 8);
  let queue: (FleetVm | undefined)[] = [];
  let head = 0;
  let enumerated = 0;
  let enumerationDone = false;
  /** Enumerated, not finished: what an interruption leaves not evaluated. Never more than the queue plus the workers. */
  const pending = new Set<string>();
  const results: VmResult[] = [];
  const unevaluated: UnevaluatedSubscription[] = [];
  let wakeWorkers: (() => void)[] = [];
  // Every enumeration waiting on a full queue (`--source arm` hands on several subscriptions at once): one slot
  // would keep only the last waiter, and the others would never resume.
  let wakeProducers: (() => void)[] = [];
  const wakeProducer = () => {
    const waiting = wakeProducers;
    wakeProducers = [];
    waiting.forEach((resolve) => resolve());
  };
  const wake = () => {
    const waiting = wakeWorkers;
    wakeWorkers = [];
    waiting.forEach((resolve) => resolve());
  };
  signal?.addEventListener(
    "abort",
    () => {
      wake();
      wakeProducer();
    },
    { once: true },
  );

  // Resource Graph leaves out a subscription the caller cannot read, without a word
  // (https://github.com/MicrosoftDocs/azure-docs/issues/28370): a named one (`--subscription`) that drew no VM is
  // read itself (the GET the subscription-state check shares), and reported if it cannot be, never taken for empty.
  const named = options.subscriptions?.length && options.source === "graph" ? new Set(subscriptions) : undefined;
  const listed = new Set<string>();
  // --resource-group names not yet known to exist: no VM was in them (yet), no list of them answered.
  const unseenGroups = new Map((options.resourceGroups ?? []).map((name) => [name.toLowerCase(), name]));
  let absentGroups: string[] = [];
  const failed = (subscriptionId: string, reason: string) => {
    const entry = { subscriptionId, reason };
    unevaluated.push(entry);
    options.onUnevaluatedSubscription?.(entry);
  };
  const produce = enumerateFleet(
    arm,
    { source: options.source, subscriptions, resourceGroups: options.resourceGroups, tags: options.tags, where: options.where, signal },
    {
      vms: async (page) => {
        if (named) for (const vm of page) named.delete(parseArmId(vm.id).subscriptionId?.toLowerCase() ?? "");
        if (unseenGroups.size > 0) for (const vm of page) unseenGroups.delete(vm.ref?.resourceGroup.toLowerCase() ?? "");
        const mine = page.filter((vm) => inShard(vm.id, options.shard));
        index.request(mine.flatMap((vm) => (vm.storageName ? [vm.storageName] : [])));
        for (const vm of mine) {
          instanceView.note(vm);
          pending.add(vm.id);
        }
        enumerated += mine.length;
        queue.push(...interleaveByGroup(mine));
        wake();
        while (queue.length - head > highWater && !signal?.aborted) await new Promise<void>((resolve) => wakeProducers.push(resolve));
      },
      failed,
      listed: (ids) => ids.forEach((id) => listed.add(id.toLowerCase())),
      groupFound: (name) => unseenGroups.delete(name.toLowerCase()),
    },
  )
    // Not those enumeration already reported (a refused Graph query): one entry, with its own reason.
    .then(() => {
      const reported = new Set(unevaluated.map((entry) => entry.subscriptionId.toLowerCase()));
      return confirmVisible(
        arm,
        [...(named ?? [])].filter((id) => !reported.has(id)),
        shared,
        failed,
        signal,
      );
    })
    // Only when every subscription answered: a group may be in one that did not.
    .then(async () => {
      if (unevaluated.length === 0 && !signal?.aborted)
        absentGroups = await absentResourceGroups(arm, options.source, subscriptions, [...unseenGroups.values()], signal);
    })
    .finally(() => {
      enumerationDone = true;
      wake();
    });
  let enumerationComplete = false;
  produce.then(
    () => {
      enumerationComplete = true;
      options.onTotal?.(enumerated);
    },
    () => undefined,
  );

  const worker = async (): Promise<void> => {
    for (;;) {
      if (signal?.aborted) return;
      if (head < queue.length) {
        const vm = queue[head];
        queue[head++] = undefined;
        if (head > 10_000 && head * 2 > queue.length) {
          queue = queue.slice(head);
          head = 0;
        }
        if (queue.length - head <= highWater / 2) wakeProducer();
        if (!vm) continue;
        const result = await evaluate(vm);
        // Finished after the interruption: its facts may have been cut off, so it counts as not evaluated.
        if (signal?.aborted) return;
        pending.delete(vm.id);
        if (options.keepResults) results.push(result);
        await options.onResult?.(result);
      } else if (enumerationDone) return;
      else await new Promise<void>((resolve) => wakeWorkers.push(resolve));
    }
  };
  const interrupted = new Promise<void>((resolve) => {
    if (signal?.aborted) resolve();
    signal?.addEventListener("abort", () => resolve(), { once: true });
  });
  const workers = Array.from({ length: Math.max(1, options.concurrency) }, worker);
  const finished = Promise.all([produce, ...workers]);
  finished.catch(() => undefined);
  await Promise.race([finished, interrupted]);

  return {
    results: results.sort(byVmId),
    notEvaluated: [...pending].sort(lowerCompare),
    unevaluatedSubscriptions: unevaluated.sort((a, b) => lowerCompare(a.subscriptionId, b.subscriptionId)),
    enumerationComplete,
    unlistedSubscriptions: enumerationComplete
      ? []
      : subscriptions.filter((id) => !listed.has(id) && !unevaluated.some((entry) => entry.subscriptionId.toLowerCase() === id)),
    absentResourceGroups: enumerationComplete ? absentGroups : [],
  };
}
