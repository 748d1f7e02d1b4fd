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
      `Resource Manager found no storage account '${name}' in resource group '${rg}'. az serial-console looks for the ` +
      "boot diagnostics account in the VM's own resource group (https://github.com/Azure/azure-cli-extensions/issues/5734): " +
      "an account in another resource group or subscription gives this error, as does a deleted one.",
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

/** The documented errors an ARM ResourceNotFound in `paste` points at, or undefined for another resource type. */
export function notFoundSubject(paste: string): NotFoundSubject | undefined {
  const match = RESOURCE_NOT_FOUND.exec(paste);
  if (!match) return undefined;
  const [, type = "", name = "", rg = ""] = match;
  const subject = SUBJECTS.find((s) => s.type === type.toLowerCase());
  return subject ? { entries: subject.entries, note: subject.note(name, rg) } : undefined;
}
