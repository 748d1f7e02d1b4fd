import type { CatalogEntry } from "./types.js";

/**
 * Azure VM management error codes (seed 003, 2017-03-17), one entry per table row, in table order.
 * Ids: `vm-<code in kebab case>`, and `-2`, `-3`, … for repeated codes.
 * (Skeleton: completed by the explain/catalogue work.)
 */
export const VM_ERRORS = [
  {
    id: "vm-vm-not-found",
    sources: ["vm-error-messages"],
    code: "VMNotFound",
    httpStatus: 404,
    message: "The VM '{0}' cannot be found.",
    mitigation: "Check the VM's resource id (subscription, resource group, name) and that your account can read it.",
    checks: [],
  },
] as const satisfies readonly CatalogEntry[];
