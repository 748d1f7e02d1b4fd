import { entriesForCheck } from "../catalog/index.js";
import { CHECKS } from "../checks/index.js";
import { cliIo } from "./io.js";

/** One check as `sc-doctor checks -o json` lists it. */
export interface CheckListing {
  id: string;
  title: string;
  /** The facts it reads (each loaded once per VM). */
  reads: string[];
  /** Checks whose failure makes this one `skip`. */
  dependsOn: string[];
  /** The Azure permissions the caller needs for what it reads. */
  permissions: string[];
  advisory: boolean;
  /** Catalogue ids of the documented errors it verifies. */
  documentedErrors: string[];
}

/**
 * What `audit` reads besides what the checks do, to find the VMs: the subscriptions, Resource Graph (`--source
 * graph`) or the VM and scale set lists with their instance views (`--source arm`), and role assignments and
 * definitions for its RBAC shortcuts (examples/sc-doctor-reader.role.json grants them all).
 */
export const AUDIT_PERMISSIONS = [
  "Microsoft.Resources/subscriptions/read",
  "Microsoft.ResourceGraph/resources/read",
  // --resource-group: whether a group with no VM exists (Resource Graph's ResourceContainers lists only groups you may read).
  "Microsoft.Resources/subscriptions/resourceGroups/read (--resource-group)",
  "Microsoft.Compute/virtualMachines/read",
  "Microsoft.Compute/virtualMachines/instanceView/read",
  "Microsoft.Compute/virtualMachineScaleSets/read",
  "Microsoft.Compute/virtualMachineScaleSets/virtualMachines/read",
  "Microsoft.Compute/virtualMachineScaleSets/virtualMachines/instanceView/read",
  // Optional: without them the RBAC answers are as exact, from more Permissions API calls (examples/README.md).
  "Microsoft.Authorization/roleAssignments/read (optional: fewer requests for rbac-vm and rbac-storage)",
  "Microsoft.Authorization/roleDefinitions/read (optional: fewer requests for rbac-vm and rbac-storage)",
] as const;

export function checkListings(): CheckListing[] {
  return CHECKS.map((check) => ({
    id: check.id,
    title: check.title,
    // storagePath is the run's --legacy-storage-path choice, not something read from Azure.
    reads: check.needs.filter((fact) => fact !== "storagePath"),
    dependsOn: [...(check.dependsOn ?? [])],
    permissions: [...check.permissions],
    advisory: check.advisory === true,
    documentedErrors: entriesForCheck(check.id).map((entry) => entry.id),
  }));
}

/** `sc-doctor checks` as text: id and title, then what it reads, the permissions it needs and what it verifies. */
export function formatChecksList(output: "table" | "json"): string {
  const checks = checkListings();
  if (output === "json") return `${JSON.stringify({ schemaVersion: 1, checks, audit: { permissions: AUDIT_PERMISSIONS } }, null, 2)}\n`;
  const width = Math.max(...checks.map((c) => c.id.length));
  const pad = "".padEnd(width);
  const lines = checks.flatMap((check) => [
    `${check.id.padEnd(width)}  ${check.title}${check.advisory ? " (advisory)" : ""}`,
    `${pad}  reads: ${check.reads.join(", ")}`,
    `${pad}  needs: ${check.permissions.join(", ")}`,
    ...(check.documentedErrors.length > 0 ? [`${pad}  verifies: ${check.documentedErrors.join(", ")}`] : []),
  ]);
  const audit = ["", "audit, to find the VMs, also needs:", ...AUDIT_PERMISSIONS.map((permission) => `  ${permission}`)];
  return `${[...lines, ...audit].join("\n")}\n`;
}

/** `sc-doctor checks`: id, title, the facts each check reads and the permissions the caller needs for them. */
export async function runChecksList(options: { output?: "table" | "json" }): Promise<number> {
  cliIo().stdout.write(formatChecksList(options.output ?? "table"));
  return 0;
}
