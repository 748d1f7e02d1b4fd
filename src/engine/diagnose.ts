/**
 * One VM, end to end: build its memoised fact loaders, run the chosen checks, and summarise.
 * Used by `sc-doctor --vm` and, per VM, by `sc-doctor audit --source arm`.
 */
import type { ArmContext } from "../azure/arm.js";
import type { VmFacts } from "../azure/facts.js";
import { createVmLoaders, type LoaderOptions } from "../azure/loaders.js";
import { parseArmId, type VmRef } from "../azure/resource-id.js";
import type { CheckDefinition, FactName } from "../checks/define.js";
import { CHECK_IDS, verdictOf, type CheckId, type CheckResult, type VmResult, type VmSummary } from "../types.js";
import { runChecks, type RunOptions } from "./run.js";

export interface DiagnoseOptions extends RunOptions, LoaderOptions {
  checks: readonly CheckDefinition[];
  /**
   * Settles when the checks may start their clocks (`--vm`: once the Azure client packages have loaded). Meanwhile
   * the facts the checks need are already requested, each as soon as its package is in, so the VM GET travels
   * while the other packages load and no check's `--timeout` counts an import.
   */
  ready?: Promise<unknown>;
}

export function summarise(
  ref: Pick<VmRef, "id" | "name" | "resourceGroup" | "subscriptionId" | "scaleSet" | "instanceId">,
  vm?: VmFacts,
): VmSummary {
  if (!vm) return { id: ref.id, name: ref.name, resourceGroup: ref.resourceGroup, subscriptionId: ref.subscriptionId };
  const boot = vm.bootDiagnostics.enabled === true ? (vm.bootDiagnostics.storageUri ? "custom" : "managed") : "disabled";
  const summary: VmSummary = {
    id: ref.id,
    name: vm.name,
    resourceGroup: vm.resourceGroup,
    subscriptionId: vm.subscriptionId,
    location: vm.location,
    osType: vm.osType,
    vmSize: vm.vmSize,
    securityType: vm.securityType ?? "Standard",
    bootDiagnostics: boot,
  };
  if (vm.scaleSetName) summary.scaleSet = vm.scaleSetName;
  if (vm.instanceId) summary.instanceId = vm.instanceId;
  return summary;
}

/**
 * A VM's result. `partial` when --only/--skip left checks out — but for `unjudged` checks, which the run does not
 * judge anyway (an audit's `serial-log` without `--serial-log`: leaving it out makes nothing partial).
 */
export function toVmResult(
  summary: VmSummary,
  checks: CheckResult[],
  correlationIds?: string[],
  unjudged: readonly CheckId[] = [],
): VmResult {
  const result: VmResult = { vm: summary, verdict: verdictOf(checks), checks };
  // --only/--skip left checks out: the verdict is about the checks that ran, and says so.
  const expected = CHECK_IDS.length - unjudged.filter((id) => !checks.some((check) => check.id === id)).length;
  if (checks.length < expected) result.partial = true;
  if (correlationIds && correlationIds.length > 0) result.correlationIds = correlationIds;
  return result;
}

export interface Diagnosis {
  result: VmResult;
  /** Why the VM itself could not be read, if it couldn't (undefined while a hung GET is still pending). */
  vmError?: unknown;
  /** The VM GET had not answered when the run's --timeout was up: whether the VM exists was never confirmed. */
  vmUnanswered?: true;
}

export async function diagnoseVm(arm: ArmContext, ref: VmRef, options: DiagnoseOptions): Promise<Diagnosis> {
  // Ended once the checks are done: a fact fetched ahead for a check that was then skipped (its dependency failed)
  // is not left in flight behind the diagnosis.
  // (Combined by hand: AbortSignal.any needs Node 20.3, and keeps its inputs alive while a long-lived signal is.)
  const done = new AbortController();
  const caller = options.signal;
  const callerAborted = () => done.abort(caller?.reason);
  if (caller?.aborted) callerAborted();
  else caller?.addEventListener("abort", callerAborted, { once: true });
  const loaders = createVmLoaders(arm, ref, { ...options, signal: done.signal });
  // Note the VM facts if and when they arrive; never wait for them here (the GET may be the call that hung).
  let vm: VmFacts | undefined;
  let vmError: unknown;
  loaders.vm().then(
    (facts) => (vm = facts),
    (error: unknown) => (vmError = error),
  );
  if (options.ready) {
    // What runChecks does as each check starts, moved earlier; `--concurrency 1` stays one call after another. Not
    // the network probe: its budget is its check's `--timeout`, whose clock starts at `ready`.
    const prefetch = (fact: FactName) => {
      try {
        loaders[fact]().catch(() => undefined);
      } catch {
        // A loader that throws at once throws again for the check that needs it: that check's error.
      }
    };
    if (options.concurrency > 1) {
      // The serial log's POST beside the VM GET: the two heads of the critical path (the storage account and the
      // log's blob wait on them) take the first connections; the other reads follow a turn later.
      const needed = new Set(options.checks.flatMap((check) => check.needs).filter((fact) => fact !== "network"));
      if (needed.has("serialLog")) prefetch("serialLog");
      await new Promise((resolve) => setImmediate(resolve));
      for (const fact of needed) prefetch(fact);
    }
    await options.ready;
  }
  const started = performance.now();
  const checks = await runChecks(options.checks, loaders, options);
  // Checks that never read the VM (`--only subscription-state`) may finish before its GET answers: the outcome (VM
  // not found, another subscription, a Flexible scale set) hangs on it, so wait for it — within the run's --timeout.
  if (vm === undefined && vmError === undefined) await settledWithin(loaders.vm(), options.timeoutMs - (performance.now() - started));
  await new Promise((resolve) => setImmediate(resolve));
  caller?.removeEventListener("abort", callerAborted);
  done.abort();
  const result = toVmResult(asAzureSpellsIt(summarise(ref, vm), vm), checks, arm.correlation.list());
  return vm === undefined && vmError === undefined ? { result, vmUnanswered: true } : { result, vmError };
}

/** Wait until `promise` settles or `ms` pass, whichever is first; never rejects, leaves no timer behind. */
async function settledWithin(promise: Promise<unknown>, ms: number): Promise<void> {
  if (ms <= 0) return;
  let timer: NodeJS.Timeout | undefined;
  const elapsed = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  await Promise.race([promise.then(noop, noop), elapsed]);
  clearTimeout(timer);
}

const noop = () => undefined;

/**
 * `--vm`: the id and resource group as Azure spells them (the VM GET's id, where `name` comes from too), not as
 * typed — when that id names the same VM; a body whose id names another keeps the id asked for.
 */
function asAzureSpellsIt(summary: VmSummary, vm: VmFacts | undefined): VmSummary {
  if (!vm || vm.id.toLowerCase() !== summary.id.toLowerCase()) return summary;
  return { ...summary, id: vm.id, resourceGroup: parseArmId(vm.id).resourceGroup ?? summary.resourceGroup };
}
