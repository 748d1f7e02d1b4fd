import type { CatalogEntry } from "./types.js";

/**
 * VM Inspector error codes (seed 002, 2022-06-06), one entry per table row, in table order.
 * Ids: `vmi-<code in kebab case>`, and `-2`, `-3`, … for the second, third, … row with the same code.
 * (Skeleton: the rows the os-disk check maps to; the explain/catalogue work completes the table.)
 */
export const VM_INSPECTOR_ERRORS = [
  {
    id: "vmi-encrypted-disk-not-supported",
    sources: ["vm-inspector-errors"],
    code: "EncryptedDiskNotSupported",
    httpStatus: 405,
    message: "Disk inspection isn't supported for the specified VM and encrypted operating system disk.",
    mitigation: "VM Inspector cannot inspect an encrypted OS disk. Use Serial Console or attach a copy of the disk to a repair VM (az vm repair).",
    checks: ["os-disk"],
  },
  {
    id: "vmi-resource-not-supported-3",
    sources: ["vm-inspector-errors"],
    code: "ResourceNotSupported",
    httpStatus: 405,
    message: "Disk inspection is not supported for VM '{0}' with ephemeral OS disk '{1}'.",
    mitigation: "VM Inspector cannot inspect an ephemeral OS disk. Serial Console is the remaining way in: keep it working.",
    checks: ["os-disk"],
  },
  {
    id: "vmi-unmanaged-disk-not-supported",
    sources: ["vm-inspector-errors"],
    code: "UnmanagedDiskNotSupported",
    httpStatus: 405,
    message: "Disk inspection isn't supported for the specified VM and unmanaged operating system disk.",
    mitigation: "VM Inspector cannot inspect an unmanaged (VHD) OS disk. Migrate the VM to managed disks (az vm convert).",
    checks: ["os-disk"],
  },
] as const satisfies readonly CatalogEntry[];
