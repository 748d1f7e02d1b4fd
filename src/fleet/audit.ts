/**
 * `sc-doctor audit`: the single-VM checks (not a second implementation) over whole subscriptions. Facts come in
 * bulk (Resource Graph or the ARM list APIs); everything shared — subscription state, console state, storage
 * accounts, RBAC per resource group and per storage account, the network probe per region — is loaded once.
 */
import pLimit from "p-limit";
import type { ArmContext } from "../azure/arm.js";
import { sharedMemo } from "../azure/api.js";
import type { PermissionFacts, StorageLookup } from "../azure/facts.js";
import { createVmLoaders, type FactLoaders, type LoaderOptions } from "../azure/loaders.js";
import { mapStorageAccount, storageAccountNameFromUri } from "../azure/map-storage.js";
import { listPermissions } from "../azure/permissions.js";
import { rbacScopeForVm } from "../azure/loaders.js";
import { findStorageAccount, bootDiagnosticsUri } from "../azure/storage-lookup.js";
import type { CheckDefinition } from "../checks/define.js";
import { missingActions } from "../checks/support/permissions.js";
import { VM_ACTIONS } from "../checks/rbac-vm.js";
import { summarise, toVmResult } from "../engine/diagnose.js";
import { runChecks } from "../engine/run.js";
import type { CheckResult, VmResult } from "../types.js";
import { enumerateVms, listSubscriptions, storageIndex, type FleetVm, type Source } from "./sources.js";
import type { VmQueryScope } from "./graph.js";

export interface AuditOptions extends VmQueryScope {
  source: Source;
  subscriptions?: string[];
  checks: readonly CheckDefinition[];
  timeoutMs: number;
  /** VMs evaluated at once. */
  concurrency: number;
  principal?: string;
  network: LoaderOptions["network"];
  signal?: AbortSignal;
  /** Called as each VM finishes (jsonl streaming, progress). */
  onResult?: (result: VmResult) => void;
  /** Called once the fleet is enumerated. */
  onTotal?: (total: number) => void;
  /** Keep every result in memory (json, csv, …); jsonl streaming doesn't, so memory stays flat. */
  keepResults: boolean;
}

export interface AuditOutcome {
  results: VmResult[];
  /** VM ids not evaluated because the audit was interrupted. */
  notEvaluated: string[];
  subscriptions: string[];
}

/** A VM whose facts could not be read is still accounted for: every check `error` with the reason. */
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
  return toVmResult({ id: vm.id, name: parts?.[3] ?? vm.id, resourceGroup: parts?.[2] ?? "", subscriptionId: parts?.[1] ?? "" }, results);
}

function fleetLoaders(arm: ArmContext, vm: Required<Pick<FleetVm, "ref" | "facts">>, index: Map<string, unknown>, shared: Map<string, Promise<unknown>>, options: AuditOptions): FactLoaders {
  const base = createVmLoaders(arm, vm.ref, { principal: options.principal, network: options.network, signal: options.signal, shared });
  const facts = vm.facts;
  const vmLoader = async () => facts;

  const storage = async (): Promise<StorageLookup> => {
    const uri = bootDiagnosticsUri(facts);
    const name = uri ? storageAccountNameFromUri(uri) : undefined;
    const row = name ? index.get(name) : undefined;
    if (row && facts.bootDiagnostics.enabled === true) {
      const account = mapStorageAccount(row);
      return { kind: "found", account, searchedSubscriptions: [account.subscriptionId] };
    }
    // Not in the bulk index (or not applicable): the single-VM lookup decides, with the same shared lists.
    return sharedMemo(shared, `lookup:${(uri ?? "").toLowerCase()}:${facts.resourceGroup.toLowerCase()}:${facts.bootDiagnostics.enabled}`, () => findStorageAccount(arm, facts, { signal: options.signal, shared }));
  };

  // Caller's RBAC: the Permissions API once per resource group; only when the resource group doesn't grant
  // everything (a role assigned on the VM itself would not show there) is the VM asked directly — exact, not a guess.
  const vmPermissions = async (): Promise<PermissionFacts> => {
    if (options.principal) return base.vmPermissions();
    const scope = rbacScopeForVm(vm.ref);
    const rgScope = `/subscriptions/${vm.ref.subscriptionId}/resourceGroups/${vm.ref.resourceGroup}`;
    const atGroup = await sharedMemo(shared, `perm:${rgScope.toLowerCase()}`, () => listPermissions(arm, rgScope, options.signal));
    if (missingActions(atGroup.blocks, VM_ACTIONS).length === 0) return { ...atGroup, scope };
    return listPermissions(arm, scope, options.signal);
  };

  const storagePermissions = async (): Promise<PermissionFacts | null> => {
    const lookup = await storage();
    if (lookup.kind !== "found") return base.storagePermissions();
    const id = lookup.account.id;
    return sharedMemo(shared, `perm:${id.toLowerCase()}`, () => listPermissions(arm, id, options.signal));
  };

  return { ...base, vm: vmLoader, storage, vmPermissions, storagePermissions };
}

export async function runAudit(arm: ArmContext, options: AuditOptions): Promise<AuditOutcome> {
  const subscriptions = (options.subscriptions?.length ? options.subscriptions : await listSubscriptions(arm, options.signal)).map((s) => s.toLowerCase());
  const shared = new Map<string, Promise<unknown>>();
  const vms = await enumerateVms(arm, options.source, subscriptions, options, options.signal);
  options.onTotal?.(vms.length);
  const index = await storageIndex(arm, options.source, subscriptions, vms, shared, options.signal);

  const limit = pLimit(Math.max(1, options.concurrency));
  const done = new Set<string>();
  const results: VmResult[] = [];
  const evaluate = async (vm: FleetVm): Promise<void> => {
    if (options.signal?.aborted) return;
    let result: VmResult;
    if (!vm.ref || !vm.facts) result = unreadable(vm, options.checks);
    else {
      const loaders = fleetLoaders(arm, { ref: vm.ref, facts: vm.facts }, index, shared, options);
      const checks = await runChecks(options.checks, loaders, { timeoutMs: options.timeoutMs, concurrency: options.checks.length });
      result = toVmResult(summarise(vm.ref, vm.facts), checks);
    }
    if (options.signal?.aborted) return;
    done.add(vm.id);
    if (options.keepResults) results.push(result);
    options.onResult?.(result);
  };

  const abandoned = new Promise<void>((resolve) => options.signal?.addEventListener("abort", () => resolve(), { once: true }));
  await Promise.race([Promise.all(vms.map((vm) => limit(() => evaluate(vm)))), abandoned]);
  limit.clearQueue();
  results.sort((a, b) => a.vm.id.localeCompare(b.vm.id));
  return { results, notEvaluated: vms.filter((vm) => !done.has(vm.id)).map((vm) => vm.id), subscriptions };
}
