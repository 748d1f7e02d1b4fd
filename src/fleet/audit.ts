/**
 * `sc-doctor audit`: the single-VM checks (not a second implementation) over whole subscriptions. Facts come in
 * bulk — VMs from Resource Graph or the ARM list, instance views per subscription, storage accounts in one query —
 * and everything shared (subscription and console state, storage accounts, RBAC scopes, the network probe per
 * region) is loaded once. Results are handed out as each VM finishes; an interrupted audit reports which VMs it
 * did not evaluate, never silently drops them.
 */
import type { ArmContext } from "../azure/arm.js";
import type { VmFacts } from "../azure/facts.js";
import type { LoaderOptions } from "../azure/loaders.js";
import type { CheckDefinition } from "../checks/define.js";
import { summarise, toVmResult } from "../engine/diagnose.js";
import { runChecks } from "../engine/run.js";
import type { CheckResult, VmResult } from "../types.js";
import type { VmQueryScope } from "./graph.js";
import { instanceViewSource } from "./instance-views.js";
import { fleetLoaders, type FleetContext } from "./loaders.js";
import { enumerateVms, listSubscriptions, type FleetVm, type Source } from "./sources.js";
import { fleetStorageLookup, storageIndex } from "./storage.js";

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
  signal?: AbortSignal;
  /** Called as each VM finishes, in completion order; the audit waits for it (stdout backpressure). */
  onResult?: (result: VmResult) => void | Promise<void>;
  /** Called once the fleet is enumerated. */
  onTotal?: (total: number) => void;
  /** Keep every result (json, csv, …); jsonl streaming doesn't, so memory stays flat. */
  keepResults: boolean;
}

export interface AuditOutcome {
  /** Sorted by VM id (case-insensitive); empty unless `keepResults`. */
  results: VmResult[];
  /** VM ids not evaluated because the audit was interrupted, sorted. */
  notEvaluated: string[];
}

/** A VM whose id could not be read is still accounted for: every check `error` with the reason. */
function unreadable(vm: FleetVm, checks: readonly CheckDefinition[]): VmResult {
  const results: CheckResult[] = checks.map((check) => ({
    id: check.id,
    title: check.title,
    status: "error",
    reason: vm.problem ?? "could not be evaluated",
    durationMs: 0,
    evidence: {},
  }));
  const parts = /\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/.*\/([^/]+)$/i.exec(vm.id);
  return toVmResult(
    { id: vm.id, name: parts?.[3] ?? vm.id, resourceGroup: parts?.[2] ?? "", subscriptionId: (parts?.[1] ?? "").toLowerCase() },
    results,
  );
}

/**
 * The order VMs are evaluated in: round-robin over resource groups. VMs of one group share their first fetches
 * (permissions at the group, a storage lookup there); in id order every worker would queue behind the same fetch,
 * group after group. Interleaved, the workers' first fetches for different groups run side by side.
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

export const byVmId = (a: VmResult, b: VmResult) =>
  a.vm.id.toLowerCase() < b.vm.id.toLowerCase() ? -1 : a.vm.id.toLowerCase() > b.vm.id.toLowerCase() ? 1 : 0;

export async function runAudit(arm: ArmContext, options: AuditOptions): Promise<AuditOutcome> {
  const { signal } = options;
  const shared = new Map<string, Promise<unknown>>();
  const requested = options.subscriptions?.length
    ? options.subscriptions
    : (await listSubscriptions(arm, shared, signal)).map((s) => s.subscriptionId);
  const subscriptions = [...new Set(requested.map((s) => s.toLowerCase()))];
  const vms = subscriptions.length ? interleaveByGroup(await enumerateVms(arm, options.source, subscriptions, options, signal)) : [];
  options.onTotal?.(vms.length);
  // Instance views (per subscription) and storage accounts (one query) are read side by side.
  const instanceView = instanceViewSource(arm, vms, shared, signal);
  instanceView.prefetch();
  const index = await storageIndex(arm, options.source, subscriptions, vms, shared, signal);
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
    storage: fleetStorageLookup(arm, index, shared, signal),
  };

  const evaluate = async (vm: FleetVm): Promise<VmResult> => {
    if (!vm.ref) return unreadable(vm, options.checks);
    const loaders = fleetLoaders(context, vm.ref, vm);
    // As diagnoseVm: note the VM facts when they arrive, never wait for them (a hung read is bounded by the checks' timeout).
    let facts: VmFacts | undefined;
    loaders.vm().then(
      (loaded) => (facts = loaded),
      () => undefined,
    );
    // Checks of one VM run together: their facts are mostly in memory already; VMs are the unit of concurrency.
    const checks = await runChecks(options.checks, loaders, { timeoutMs: options.timeoutMs, concurrency: options.checks.length });
    return toVmResult(summarise(vm.ref, facts), checks);
  };

  // Each VM's row is let go once it is taken: memory shrinks as the audit goes, instead of holding the fleet.
  const ids = vms.map((vm) => vm.id);
  const queue: (FleetVm | undefined)[] = vms;
  const done = new Uint8Array(ids.length);
  const results: VmResult[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (!signal?.aborted && next < queue.length) {
      const position = next++;
      const vm = queue[position];
      queue[position] = undefined;
      if (!vm) continue;
      const result = await evaluate(vm);
      // Finished after the interruption: its facts may have been cut off, so it counts as not evaluated.
      if (signal?.aborted) return;
      done[position] = 1;
      if (options.keepResults) results.push(result);
      await options.onResult?.(result);
    }
  };
  const interrupted = new Promise<void>((resolve) => {
    if (signal?.aborted) resolve();
    signal?.addEventListener("abort", () => resolve(), { once: true });
  });
  const workers = Array.from({ length: Math.min(Math.max(1, options.concurrency), Math.max(1, ids.length)) }, worker);
  await Promise.race([Promise.all(workers), interrupted]);

  return {
    results: results.sort(byVmId),
    notEvaluated: ids.filter((_, i) => done[i] !== 1).sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1)),
  };
}
