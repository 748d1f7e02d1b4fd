/**
 * Resource Manager's ResourceNotFound names the resource type it could not find — "The Resource
 * 'Microsoft.Storage/storageAccounts/diag01' under resource group 'rg1' was not found." No Serial Console document
 * lists that message, but the type says which documented condition it is: a missing boot diagnostics account is
 * not a missing VM.
 */
import type { DocumentedErrorId } from "../catalog/index.js";

export interface NotFoundSubject {
  /** The documented errors for this resource type, most specific first. */
  entries: readonly DocumentedErrorId[];
  /** One sentence for the user: what was not found, and the usual reason. */
  note: string;
  /** Commands that replace the entries' own fix, when the paste says more than they do (fix templates, names filled). */
  fix?: { templates: readonly string[]; args: Readonly<Record<string, string>> };
}

interface Subject {
  type: string;
  entries: readonly DocumentedErrorId[];
  note: (name: string, resourceGroup: string) => string;
}

const SUBJECTS: readonly Subject[] = [
  {
    type: "microsoft.storage/storageaccounts",
    entries: ["storage-account-not-found", "storage-rg-undetermined"],
    note: (name, rg) =>
      `Resource Manager found no storage account '${name}' in resource group '${rg}'. az serial-console before 0.1.5 ` +
      "looked for the boot diagnostics account in the VM's own resource group (https://github.com/Azure/azure-cli-extensions/issues/5734, " +
      "fixed in 0.1.5: https://github.com/Azure/azure-cli-extensions/blob/main/src/serial-console/HISTORY.rst), so an " +
      "account in another resource group gives this error there; with any version, so does a deleted one.",
  },
  {
    type: "microsoft.compute/virtualmachines",
    entries: ["vm-vm-not-found"],
    note: (name, rg) => `Resource Manager found no VM '${name}' in resource group '${rg}'.`,
  },
];

const QUOTE = "['\u2018\u2019\"]";
const RESOURCE_NOT_FOUND = new RegExp(
  `the resource ${QUOTE}(microsoft\\.[a-z]+/[a-z]+)/([^'\u2018\u2019"/\\s]+)${QUOTE}\\s+under\\s+resource\\s+group\\s+${QUOTE}([^'\u2018\u2019"\\s]+)${QUOTE}\\s+was\\s+not\\s+found`,
  "i",
);

/**
 * Resource Manager's 404s for the scopes above a resource (https://learn.microsoft.com/azure/azure-resource-manager/troubleshooting/common-deployment-errors):
 * "Resource group 'rg1' could not be found." (ResourceGroupNotFound) and "The subscription '…' could not be found."
 * (SubscriptionNotFound), as bodies, az output or the bare code. `--vm` stops on them as it does on a missing VM
 * ("VM not found: … (ResourceGroupNotFound)", exit 3), so they lead to the same entry, saying which part is missing.
 */
const RESOURCE_GROUP_NOT_FOUND = new RegExp(`resource group ${QUOTE}([^'\u2018\u2019"\\s]+)${QUOTE} could not be found`, "i");
const SUBSCRIPTION_NOT_FOUND = new RegExp(`subscription ${QUOTE}?([0-9a-f-]{36})${QUOTE}? (?:could not be|was not) found`, "i");
const SCOPE_CODE = /(?<![a-z])(resourcegroupnotfound|subscriptionnotfound)(?![a-z])/i;
/** sc-doctor's own stderr when the VM GET answers 404 (src/commands/doctor.ts, fatalVmError): the id, then the code. */
const DOCTOR_NOT_FOUND = /vm not found: (\S+) \(([a-z]+)\)/i;
/** sc-doctor's own stderr when `--vm <name> -g <rg>` finds the name nowhere (src/azure/locate.ts). */
const DOCTOR_NAME_NOT_FOUND = new RegExp(
  `no VM ${QUOTE}([^'\u2018\u2019"\\s]+)${QUOTE} in resource group ${QUOTE}([^'\u2018\u2019"\\s]+)${QUOTE}`,
  "i",
);
/**
 * ARM's 404 for a nested resource whose parent is missing, e.g. a scale set instance of a scale set that does not
 * exist: "Can not perform requested operation on nested resource. Parent resource 'web-ss' not found."
 * (ParentResourceNotFound; e.g. https://github.com/Azure/aks-engine/issues/609).
 */
const PARENT_NOT_FOUND = new RegExp(`parent resource ${QUOTE}([^'\u2018\u2019"\\s]+)${QUOTE} not found`, "i");
const PARENT_CODE = /(?<![a-z])parentresourcenotfound(?![a-z])/i;
const ID_PARTS = /\/subscriptions\/([^/\s]+)(?:\/resourcegroups\/([^/\s]+))?/i;
const INSTANCE_ID = /\/virtualmachinescalesets\/([^/\s]+)\/virtualmachines\/([^/\s]+)$/i;

const VM_NOT_FOUND = ["vm-vm-not-found"] as const;

function resourceGroupNote(rg: string | undefined): string {
  const which = rg ? `resource group '${rg}'` : "such resource group";
  return (
    `Resource Manager found no ${which} in the subscription asked: the VM's id names a resource group that does not ` +
    "exist there (mistyped, deleted, or in another subscription), so the VM cannot be found either."
  );
}

function parentNote(parent: string | undefined): string {
  const which = parent ? `'${parent}'` : "the request was nested under";
  return (
    `Resource Manager found no parent resource ${which}: for a scale set instance's id, the scale set does not exist ` +
    "(mistyped, deleted, or in another resource group or subscription), so the instance cannot be found either."
  );
}

function subscriptionNote(subscription: string | undefined): string {
  const which = subscription ? `subscription '${subscription}'` : "such subscription";
  return (
    `Resource Manager knows no ${which} for the signed-in account: a mistyped id, or one of another tenant or cloud ` +
    "than the one signed in to, so the VM cannot be found in it. From Microsoft.Storage or Microsoft.SerialConsole " +
    "the same code can mean only that the subscription is not registered with that provider (https://github.com/Azure/azure-cli/issues/29267)."
  );
}

/** A missing parent, resource group or subscription, from ARM's message, sc-doctor's own stderr line, or the code alone. */
function scopeNotFound(paste: string): NotFoundSubject | undefined {
  const doctor = DOCTOR_NOT_FOUND.exec(paste);
  if (doctor) {
    const [, id = "", code = ""] = doctor;
    const [, subscription, rg] = ID_PARTS.exec(id) ?? [];
    if (code.toLowerCase() === "resourcegroupnotfound") return { entries: VM_NOT_FOUND, note: resourceGroupNote(rg) };
    if (code.toLowerCase() === "subscriptionnotfound") return { entries: VM_NOT_FOUND, note: subscriptionNote(subscription) };
    const instance = INSTANCE_ID.exec(id);
    if (instance && rg) {
      const [, scaleSet, instanceId] = instance;
      return {
        entries: VM_NOT_FOUND,
        note: `Resource Manager found no instance '${instanceId}' of scale set '${scaleSet}' in resource group '${rg}' (${code}).`,
      };
    }
    const vm = /\/virtualmachines\/([^/\s]+)$/i.exec(id)?.[1];
    if (vm && rg) return { entries: VM_NOT_FOUND, note: `Resource Manager found no VM '${vm}' in resource group '${rg}' (${code}).` };
  }
  const named = DOCTOR_NAME_NOT_FOUND.exec(paste);
  if (named) {
    const [, vm, group] = named;
    return { entries: VM_NOT_FOUND, note: `No VM '${vm}' in resource group '${group}' in the subscriptions searched.` };
  }
  const parent = PARENT_NOT_FOUND.exec(paste);
  if (parent || PARENT_CODE.test(paste)) return { entries: VM_NOT_FOUND, note: parentNote(parent?.[1]) };
  const rg = RESOURCE_GROUP_NOT_FOUND.exec(paste);
  if (rg) return { entries: VM_NOT_FOUND, note: resourceGroupNote(rg[1]) };
  const subscription = SUBSCRIPTION_NOT_FOUND.exec(paste);
  if (subscription) return { entries: VM_NOT_FOUND, note: subscriptionNote(subscription[1]) };
  const code = SCOPE_CODE.exec(paste)?.[1]?.toLowerCase();
  if (code === "resourcegroupnotfound") return { entries: VM_NOT_FOUND, note: resourceGroupNote(undefined) };
  if (code === "subscriptionnotfound") return { entries: VM_NOT_FOUND, note: subscriptionNote(undefined) };
  return undefined;
}

/**
 * az serial-console's recommendation when the name it was given is a scale set's, printed after the VM GET's
 * ResourceNotFound (get_region_from_storage_account in
 * https://github.com/Azure/azure-cli-extensions/blob/main/src/serial-console/azext_serialconsole/custom.py).
 */
const SCALE_SET_GIVEN = /we found that you specified a virtual machine scale set and not a vm/i;

function scaleSetGiven(name: string, rg: string): NotFoundSubject {
  return {
    entries: VM_NOT_FOUND,
    note:
      `'${name}' is a scale set, not a VM, as az serial-console says: connect to one of its instances with ` +
      `--instance-id. sc-doctor --vm takes the instance's id, …/resourceGroups/${rg}/providers/Microsoft.Compute/virtualMachineScaleSets/${name}/virtualMachines/<instanceId>.`,
    fix: {
      templates: [
        "az vmss list-instances --name {scaleSet} --resource-group {rg} --subscription {subscription} --query '[].instanceId' -o tsv",
        "az serial-console connect --name {scaleSet} --resource-group {rg} --subscription {subscription} --instance-id {instanceId}",
      ],
      args: { scaleSet: name, rg },
    },
  };
}

/** The documented errors an ARM ResourceNotFound in `paste` points at, or undefined for another resource type. */
export function notFoundSubject(paste: string): NotFoundSubject | undefined {
  const match = RESOURCE_NOT_FOUND.exec(paste);
  if (!match) return scopeNotFound(paste);
  const [, type = "", name = "", rg = ""] = match;
  const subject = SUBJECTS.find((s) => s.type === type.toLowerCase());
  if (subject?.type === "microsoft.compute/virtualmachines" && SCALE_SET_GIVEN.test(paste)) return scaleSetGiven(name, rg);
  return subject ? { entries: subject.entries, note: subject.note(name, rg) } : undefined;
}
