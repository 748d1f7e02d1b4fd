/** `sc-doctor --vm …`: validate everything first (nothing is sent for a bad id), diagnose, print, pick the exit code. */
import { AzureCallError, type ArmContext } from "../azure/arm.js";
import { asObject } from "../azure/json.js";
import { isFlexibleScaleSet } from "../azure/vm-lists.js";
import { loadScaleSet } from "../azure/loaders.js";
import { SERIAL_LOG_NOT_READ } from "../azure/serial-log.js";
import { RunCache } from "../azure/run-cache.js";
import { azureCliDefaultSubscription, findVmSubscription, scaleSetHint } from "../azure/locate.js";
import { isGuid, looksLikeResourceId, parseVmResourceId, vmRefFromParts, type VmRef } from "../azure/resource-id.js";
import { diagnoseVm } from "../engine/diagnose.js";
import { EXIT, exitCodeFor, type ExitCode } from "../engine/exit-code.js";
import { azureStackReason, networkFactFor } from "./network-fact.js";
import { activeCloudHint, openSession, traceToStderr } from "./session.js";
import { retryAfterPolicy } from "../azure/pipeline/retry-after-policy.js";
import { chooseFormat, renderVmOutput } from "./render.js";
import { cutText, sanitizeLine } from "../report/sanitize.js";
import { reportFatal, type FatalError } from "./fatal.js";
import { FLAG_SPELLING, UsageError, rejectFlagAsValue, type CommonOptions } from "./options.js";
import { parseRunOptions } from "./run-options.js";
import { cliIo } from "./io.js";
import type { VmResult } from "../types.js";

/** One pair of quotes around a pasted id (from JSON, a Windows shell, a chat: straight or curly) is not part of it. */
function unquoted(value: string): string {
  const text = value.trim();
  const pair = /^(["'\u2018\u201c])(.*)(["'\u2019\u201d])$/s.exec(text);
  return pair && pair[2] !== undefined ? pair[2].trim() : text;
}

export function resolveVmRef(options: CommonOptions): VmRef {
  if (options.vm === undefined)
    throw new UsageError("missing --vm <resource id> (or --vm <name> -g <resource group>); see sc-doctor --help");
  rejectFlagAsValue("--vm", options.vm, "a VM");
  rejectFlagAsValue("-g/--resource-group", options.resourceGroup, "a resource group", FLAG_SPELLING);
  rejectFlagAsValue("--subscription", options.subscription, "a subscription id");
  const vm = unquoted(options.vm);
  // `--vm "$VM_ID"` with the variable unset or blank: say that, not "give its resource group".
  if (vm === "") throw new UsageError("--vm is empty: give a VM resource id, a portal URL, or a VM name with -g <resource group>");
  if (looksLikeResourceId(vm)) {
    if (options.resourceGroup) throw new UsageError("-g/--resource-group goes with --vm <name>, not with a full resource id");
    const ref = parseVmResourceId(vm);
    if (options.subscription !== undefined && options.subscription.trim().toLowerCase() !== ref.subscriptionId.toLowerCase())
      throw new UsageError(
        `--subscription ${options.subscription} contradicts the subscription in the resource id (${ref.subscriptionId})`,
      );
    return ref;
  }
  // Not a VM name either: say which part is wrong rather than asking for -g.
  const echoed = cutText(vm, 200);
  if (/^subscriptions\//i.test(vm))
    throw new UsageError(`--vm '${echoed}' is not a resource id: one starts with '/subscriptions/' (the leading '/' is missing)`);
  // A stray quote or bracket pasted with it, or a shell's path rewrite (Git Bash: C:/Program Files/Git/subscriptions/…).
  const embedded = /\/subscriptions\//i.exec(vm);
  if (embedded && embedded.index > 0)
    throw new UsageError(
      `--vm '${echoed}' is not a resource id: it has ${JSON.stringify(sanitizeLine(vm.slice(0, embedded.index), 60))} before '/subscriptions/' (a stray character pasted with it, or a shell's path rewrite: with Git Bash, set MSYS_NO_PATHCONV=1)`,
    );
  if (!options.resourceGroup)
    throw new UsageError(`--vm '${echoed}' is not a resource id: give its resource group with -g <resource-group>`);
  const fromEnv = options.subscription === undefined ? process.env["AZURE_SUBSCRIPTION_ID"] : undefined;
  // Name where the bad value came from: the user typed no --subscription.
  if (fromEnv && !isGuid(fromEnv))
    throw new UsageError(
      `AZURE_SUBSCRIPTION_ID '${sanitizeLine(fromEnv, 100)}' is not a subscription id (a GUID): correct or unset it, or pass --subscription <id>`,
    );
  const subscription =
    options.subscription ?? (fromEnv || azureCliDefaultSubscription(customEndpoint(options) ? undefined : options.cloud));
  // No subscription anywhere: validate the name and group now (against a stand-in subscription the message must
  // not show), and search for the VM once signed in.
  try {
    return vmRefFromParts(vm, options.resourceGroup, subscription ?? UNKNOWN_SUBSCRIPTION);
  } catch (error) {
    if (subscription !== undefined || !(error instanceof Error)) throw error;
    throw new UsageError(error.message.replace(` --subscription ${UNKNOWN_SUBSCRIPTION}`, ""));
  }
}

/**
 * `--vm <name> -g <rg>` in a default subscription (AZURE_SUBSCRIPTION_ID, the Azure CLI's): tried first, and when
 * the VM is not there, every visible subscription is searched, as without a default.
 */
function inDefaultSubscription(options: CommonOptions, ref: VmRef): boolean {
  return ref.kind === "vm" && !options.subscription && Boolean(options.resourceGroup) && ref.subscriptionId !== UNKNOWN_SUBSCRIPTION;
}

/** --arm-endpoint or SC_DOCTOR_ARM_ENDPOINT: a cloud the Azure CLI knows by the name it was registered under. */
const customEndpoint = (options: CommonOptions) => Boolean(options.armEndpoint ?? process.env["SC_DOCTOR_ARM_ENDPOINT"]);

/** Placeholder while the subscription of `--vm <name> -g <rg>` is still to be found (never sent to Azure). */
const UNKNOWN_SUBSCRIPTION = "00000000-0000-0000-0000-000000000000";

/** Every option validated before any request is sent. */
export function validateDoctorOptions(options: CommonOptions) {
  let ref: VmRef;
  try {
    ref = resolveVmRef(options);
  } catch (error) {
    if (error instanceof Error && error.name === "ResourceIdError") throw new UsageError(error.message);
    throw error;
  }
  return {
    ref,
    ...parseRunOptions(options, 16),
  };
}

/**
 * Flexible scale set members are ordinary VMs; scale-set-VM calls are not supported on Flexible sets
 * (https://learn.microsoft.com/azure/virtual-machine-scale-sets/virtual-machine-scale-sets-orchestration-modes).
 * Read only after such a call failed, so a uniform instance costs nothing extra.
 */
async function isInFlexibleScaleSet(arm: ArmContext, ref: VmRef): Promise<boolean> {
  try {
    return isFlexibleScaleSet(asObject(await loadScaleSet(arm, ref), "the scale set response"));
  } catch {
    return false; // the original error stands
  }
}

export async function runDoctor(options: CommonOptions, version: string): Promise<ExitCode> {
  const valid = validateDoctorOptions(options);
  // Created first so the probe's code loads while the credential and token are fetched; not at all when the
  // network check is not selected (--only/--skip), since its loader is then never called.
  const probe = options.network && valid.checks.some((check) => check.id === "network");
  let azureStack = false; // known once signed in
  const network = networkFactFor({
    enabled: probe,
    cloud: options.cloud,
    consoleEndpoint: valid.consoleEndpoint,
    resolve: valid.resolve,
    timeoutMs: valid.timeoutMs,
    noDocumentedEndpoint: () => (azureStack ? azureStackReason(valid.armEndpoint) : undefined),
  });
  const output = chooseFormat(options);
  const session = await openSession({
    cloud: options.cloud,
    armEndpoint: valid.armEndpoint,
    timeoutMs: valid.timeoutMs,
    verbose: options.verbose,
    principal: valid.principal,
    // A wait Azure asks for (429/503 Retry-After) longer than what is left of --timeout ends that read at once,
    // named as throttling, as in the audit (whose own throttle does this and more).
    policies: [retryAfterPolicy({ timeoutMs: valid.timeoutMs, trace: options.verbose ? traceToStderr : undefined })],
    // The error on stdout where the format has one (json, jsonl, junit), as `audit` does.
    output,
    version,
    waitForClients: false,
  });
  if (!session) return EXIT.unevaluated;
  const { arm } = session;
  const wrongCloud = () => activeCloudHint(options.cloud);
  azureStack = session.azureStack === true;

  /**
   * The subscription of `--vm <name> -g <rg>`. Found nowhere: the result of the default subscription's VM
   * (`unfound`, when there is one) as for a full id, else — no id to carry a result — the JSON error object; the
   * message keeps the default subscription's `refusal` (403/409), when that was why it was left; a 403 (the VM may
   * well be there, unreadable) shows that result in every format, the table too.
   */
  const located = async (name: string, rg: string, unfound?: VmResult, refusal?: AzureCallError): Promise<VmRef | ExitCode> => {
    const preferred = unfound && refusal ? unfound.vm.subscriptionId : undefined;
    const found = await findVmSubscription(arm, name, rg, valid.timeoutMs, preferred).catch((error: unknown) => ({
      problem: "unsearched" as const,
      message: `could not search your subscriptions for the VM: ${error instanceof AzureCallError ? error.describe() : String(error)}`,
    }));
    if ("subscriptionId" in found) {
      // Not in the default subscription (AZURE_SUBSCRIPTION_ID, the Azure CLI's): the one found elsewhere is used, said
      // even with --quiet (which VM was diagnosed is part of the result; a namesake must not pass unnoticed).
      const elsewhere = unfound !== undefined && unfound.vm.subscriptionId.toLowerCase() !== found.subscriptionId.toLowerCase();
      if (elsewhere && found.unsearched === undefined)
        cliIo().stderr.write(
          `sc-doctor: ${sanitizeLine(
            `VM '${name}' in resource group '${rg}' is not in your default subscription /subscriptions/${unfound.vm.subscriptionId}: diagnosing the one in /subscriptions/${found.subscriptionId}`,
            1000,
          )}\n`,
        );
      if (found.unsearched !== undefined) cliIo().stderr.write(`sc-doctor: ${sanitizeLine(found.unsearched, 1000)}\n`);
      return vmRefFromParts(name, rg, found.subscriptionId);
    }
    if (found.problem === "ambiguous") {
      cliIo().stderr.write(`sc-doctor: ${sanitizeLine(found.message, 1000)}\n`);
      return EXIT.usage;
    }
    if (found.problem === "uncertain") {
      // Not a silent pick of a namesake: the default subscription refused, and the VM meant is most likely there.
      // Its result in every format, as when the search finds nothing.
      if (unfound) await renderVmOutput(unfound, options, version);
      cliIo().stderr.write(`sc-doctor: ${sanitizeLine(found.message, 1000)}\n`);
      return EXIT.unevaluated;
    }
    // Cut: the search's own answer follows it and must not be cut off.
    const refused = refusal ? sanitizeLine(refusal.describe(), 300) : "";
    if (unfound && refusal?.status === 403) {
      // Refused, not missing: the VM is most likely there. Its result (every check naming the refusal) in every
      // format, as for a full id, and the search said as an afterthought.
      await renderVmOutput(unfound, options, version);
      const message = `the default subscription /subscriptions/${unfound.vm.subscriptionId} refused to read the VM (${refused}), and the other subscriptions searched do not hold it: ${found.message}`;
      cliIo().stderr.write(`sc-doctor: ${sanitizeLine(message, 1000)}\n`);
      // The exit code a full id gets for the same result (rbac-vm's finding is 1, as there).
      return exitCodeFor(unfound.checks, { failOn: options.failOn, exitZero: options.exitZero === true });
    }
    // A 409 (Microsoft.Compute not registered there) means no VMs there: not found, and why the default was left.
    const answered =
      unfound && refusal ? `; the default subscription /subscriptions/${unfound.vm.subscriptionId} answered: ${refused}` : "";
    // Not searched at all (the subscription list failed): not "not found", which the search never got to say.
    const message = `${found.problem === "unsearched" ? "" : "VM not found: "}${found.message}${answered}`;
    if (!unfound) await reportFatal({ code: "VmNotFound", message }, { output, version, details: wrongCloud() });
    else {
      if (chooseFormat(options) !== "table") await renderVmOutput(unfound, options, version);
      cliIo().stderr.write(`sc-doctor: ${sanitizeLine(message, 1000)}\n`);
      for (const hint of wrongCloud()) cliIo().stderr.write(`${hint}\n`);
    }
    return EXIT.unevaluated;
  };
  // One run's shared reads (a role definition both RBAC checks need, the Cloud Shell settings): read once, also when
  // a VM name first looked for in the default subscription is diagnosed again where it was found.
  const shared = new RunCache();
  const diagnose = (at: VmRef) =>
    diagnoseVm(arm, at, {
      shared,
      checks: valid.checks,
      timeoutMs: valid.timeoutMs,
      concurrency: valid.concurrency,
      principal: valid.principal,
      callerObjectId: session.callerObjectId,
      network,
      skipSerialLog: options.serialLog === false ? SERIAL_LOG_NOT_READ.vm : undefined,
      storagePath: valid.storagePath,
      ready: session.clientsLoaded,
    });

  let ref = valid.ref;
  if (ref.subscriptionId === UNKNOWN_SUBSCRIPTION) {
    const found = await located(ref.name, ref.resourceGroup);
    if (typeof found === "number") return found;
    ref = found;
  }
  let { result, vmError, vmUnanswered } = await diagnose(ref);
  // Not there (404), not readable there (403) or no Microsoft.Compute there (409): the VM may be in another one.
  if (inDefaultSubscription(options, ref) && vmError instanceof AzureCallError && [403, 404, 409].includes(vmError.status ?? 0)) {
    const found = await located(ref.name, ref.resourceGroup, result, vmError.status === 404 ? undefined : vmError);
    if (typeof found === "number") return found;
    ref = found;
    // What the first diagnosis read is reused; what failed or was cancelled when it ended is asked again.
    shared.forgetFailed();
    ({ result, vmError, vmUnanswered } = await diagnose(ref));
  }

  if (ref.kind === "vmss-uniform" && vmError instanceof AzureCallError && [400, 404, 409].includes(vmError.status ?? 0)) {
    const flexible = await isInFlexibleScaleSet(arm, ref);
    if (flexible) {
      // As every fatal error: the error on stdout where the format has one (json, jsonl, junit), not an empty stdout.
      await reportFatal(
        {
          code: "FlexibleScaleSetInstance",
          message: `${ref.scaleSet} is a Flexible scale set: its members are ordinary VMs, addressed by their own VM id (/subscriptions/${ref.subscriptionId}/resourceGroups/${ref.resourceGroup}/providers/Microsoft.Compute/virtualMachines/<member name>), not by a scale set instance id. List them with: az vm list --resource-group ${ref.resourceGroup} --subscription ${ref.subscriptionId} --query "[?virtualMachineScaleSet.id!=null].id" -o tsv`,
        },
        { output, version },
      );
      return EXIT.unevaluated;
    }
  }
  if (vmUnanswered)
    cliIo().stderr.write(
      `sc-doctor: the VM GET did not answer within --timeout (${valid.timeoutMs} ms): whether ${sanitizeLine(ref.name)} exists was not confirmed; the checks that ran judged only what they read\n`,
    );
  const fatal = vmError instanceof AzureCallError ? fatalVmError(vmError, ref, session.arm.endpoint) : undefined;
  // A scale set's name given as a VM's (`--vm <set> -g <rg> --subscription <id>`, or in a VM id): say how to address it.
  if (fatal?.code === "VmNotFound" && ref.kind === "vm") {
    const scaleSet = await scaleSetHint(arm, ref.name, ref.resourceGroup, [ref.subscriptionId], valid.timeoutMs);
    if (scaleSet) fatal.message = `${fatal.message} ${scaleSet}`;
  }
  // The table would be a dozen identical ERROR rows: one line says it. Machine formats keep the full (valid) report.
  if (!fatal || chooseFormat(options) !== "table") await renderVmOutput(result, options, version);
  if (fatal) {
    cliIo().stderr.write(`sc-doctor: ${sanitizeLine(fatal.message, 1000)}\n`);
    // A 401 or 404 from the public cloud's Resource Manager for a VM of another cloud: say which, when az knows.
    if (fatal.code !== "ResourceManagerUnreachable") for (const hint of wrongCloud()) cliIo().stderr.write(`${hint}\n`);
    return EXIT.unevaluated;
  }
  return exitCodeFor(result.checks, { failOn: options.failOn, exitZero: options.exitZero === true });
}

/** Node's codes for "the request never reached a server" (DNS, refused, reset, unreachable, TLS trust). */
// Not ECONNRESET: a connection reset after it was made says Resource Manager was reached (other reads may well answer).
const UNREACHABLE =
  /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|CERT_HAS_EXPIRED|ERR_TLS_CERT_ALTNAME_INVALID)$/;

/**
 * The VM GET's failure, when it makes every other check moot: a 404, a token Resource Manager rejects (401: of
 * another tenant, for another cloud, expired — https://learn.microsoft.com/azure/azure-resource-manager/troubleshooting/common-deployment-errors),
 * or Resource Manager not reachable at all.
 */
export function fatalVmError(error: AzureCallError, ref: VmRef, endpoint: string): FatalError | undefined {
  if (error.status === 404)
    return {
      code: "VmNotFound",
      message: `VM not found: ${ref.id} (${error.code ?? "404"}). Check the id, the subscription and that you can read it.`,
    };
  if (error.status === 401)
    return {
      code: "AuthenticationFailed",
      message: `authentication failed: Resource Manager at ${endpoint} rejected the token (401 ${error.code ?? ""}${error.message ? ` — ${error.message.replace(/\.$/, "")}` : ""}). Sign in to the tenant of /subscriptions/${ref.subscriptionId} (AZURE_TENANT_ID, az login --tenant) and the cloud it is in (--cloud).`,
    };
  if (error.status === undefined && error.code !== undefined && UNREACHABLE.test(error.code))
    return {
      code: "ResourceManagerUnreachable",
      message: `cannot reach Resource Manager at ${endpoint}: ${error.code} — ${error.message}`,
    };
  return undefined;
}
