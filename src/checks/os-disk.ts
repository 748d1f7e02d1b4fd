import { defineCheck } from "./define.js";

/**
 * Advisory: when Serial Console fails, VM Inspector (disk inspection) is the fallback — but it refuses encrypted,
 * ephemeral and unmanaged OS disks (VM Inspector error codes: EncryptedDiskNotSupported, ResourceNotSupported,
 * UnmanagedDiskNotSupported). Knowing that before an outage tells you how much depends on the console.
 */
export default defineCheck({
  id: "os-disk",
  title: "OS disk supports the VM Inspector fallback",
  needs: ["vm"],
  advisory: true,
  permissions: ["Microsoft.Compute/virtualMachines/read"],
  evaluate({ vm }) {
    const disk = vm.osDisk;
    const evidence = {
      osDisk: disk.name ?? null,
      managed: disk.managed,
      ephemeral: disk.ephemeral,
      azureDiskEncryption: disk.adeEnabled,
      azureDiskEncryptionExtension: disk.adeExtension ?? null,
      encryptionStateRead: disk.encryptionStateRead === true,
      securityEncryptionType: disk.securityEncryptionType ?? null,
      diskEncryptionSetId: disk.diskEncryptionSetId ?? null,
    };
    if (disk.missing) {
      return { status: "error", reason: "the VM response has no storageProfile.osDisk, so the OS disk kind is unknown", evidence };
    }
    const fallback = "VM Inspector cannot inspect this OS disk, so Serial Console is the remaining way in";
    const warn = (
      what: string,
      documentedErrorId: "vmi-encrypted-disk-not-supported" | "vmi-resource-not-supported-3" | "vmi-unmanaged-disk-not-supported",
    ) => ({
      status: "warn" as const,
      reason: `${what}: ${fallback}`,
      evidence,
      documentedErrorId,
      // The documented fixes (a repair VM, a conversion with downtime) are for when VM Inspector refuses the disk
      // in an outage, not for a healthy VM: the advisory carries the mitigation only.
      fix: [],
    });
    if (disk.adeEnabled) return warn("the OS disk is encrypted with Azure Disk Encryption", "vmi-encrypted-disk-not-supported");
    // Single-pass encryption shows only in the instance view's disks: unread (an audit's list), its extension speaks.
    if (disk.adeExtension !== undefined && disk.encryptionStateRead !== true)
      return warn(
        `Azure Disk Encryption's extension ${disk.adeExtension} is installed and the OS disk's encryption state was not read; if it encrypts the OS disk`,
        "vmi-encrypted-disk-not-supported",
      );
    if (disk.securityEncryptionType?.toLowerCase() === "diskwithvmgueststate")
      return warn("the OS disk uses confidential disk encryption", "vmi-encrypted-disk-not-supported");
    if (disk.ephemeral) return warn(`the OS disk is ephemeral (${disk.ephemeralPlacement ?? "local"})`, "vmi-resource-not-supported-3");
    if (!disk.managed) return warn("the OS disk is unmanaged (a VHD in a storage account)", "vmi-unmanaged-disk-not-supported");
    const unencrypted = disk.encryptionStateRead === true ? "unencrypted OS disk" : "OS disk without Azure Disk Encryption in its model";
    return { status: "pass", reason: `managed, ${unencrypted}: VM Inspector can inspect it if the console fails`, evidence };
  },
});
