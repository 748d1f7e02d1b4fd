/**
 * Facts: the normalised, SDK-independent view of what Azure told us. Loaders (src/azure/loaders.ts for one VM,
 * src/fleet/ for an audit) produce them; checks only read them. Every field that Azure may omit is optional, so a
 * check has to decide what "absent" means — and say `error` when it cannot.
 */

export interface InstanceStatus {
  code: string;
  displayStatus?: string;
}

export interface OsDiskFacts {
  /** True when the model has no `storageProfile.osDisk`: nothing below may be read as a finding. */
  missing?: boolean;
  name?: string;
  /** Managed disk (`storageProfile.osDisk.managedDisk` present). */
  managed: boolean;
  /** Unmanaged VHD URI (`storageProfile.osDisk.vhd.uri`). */
  vhdUri?: string;
  /** Ephemeral OS disk (`diffDiskSettings.option == "Local"`). */
  ephemeral: boolean;
  ephemeralPlacement?: string;
  /**
   * Azure Disk Encryption on the OS disk: the model's `osDisk.encryptionSettings.enabled` (dual pass), or an enabled
   * entry in the instance view's `disks[<os disk>].encryptionSettings` (single pass, which leaves the model alone) —
   * as `az vm encryption show` tells them apart (Azure/azure-cli, command_modules/vm/disk_encryption.py).
   */
  adeEnabled: boolean;
  /** Whether an instance view listed the OS disk, so single-pass encryption would have been seen. */
  encryptionStateRead?: boolean;
  /** The Azure Disk Encryption extension (publisher Microsoft.Azure.Security) the VM carries, if any. */
  adeExtension?: string;
  /** Server-side encryption with a customer-managed key (`managedDisk.diskEncryptionSet.id`). */
  diskEncryptionSetId?: string;
  /** Confidential VM OS disk encryption (`managedDisk.securityProfile.securityEncryptionType`). */
  securityEncryptionType?: string;
}

export interface VmFacts {
  id: string;
  name: string;
  resourceGroup: string;
  subscriptionId: string;
  location?: string;
  vmSize?: string;
  osType?: string;
  osName?: string;
  /**
   * The instance view's `hyperVGeneration` ("V1" BIOS, "V2" UEFI;
   * https://learn.microsoft.com/rest/api/compute/virtual-machines/instance-view), when it carries one.
   */
  hyperVGeneration?: string;
  /** "vm" for ordinary and flexible-orchestration VMs, "vmss-uniform" for a uniform scale set instance. */
  kind: "vm" | "vmss-uniform";
  /** Scale set the VM belongs to (uniform: the parent; flexible: `properties.virtualMachineScaleSet.id`). */
  scaleSetId?: string;
  scaleSetName?: string;
  instanceId?: string;
  provisioningState?: string;
  /** Whether an instance view was returned at all (GET with `$expand=instanceView`, or the instanceView GET). */
  hasInstanceView: boolean;
  statuses: InstanceStatus[];
  bootDiagnostics: { enabled?: boolean; storageUri?: string };
  /** `instanceView.bootDiagnostics`; `null` when an instance view has none (absent or null); undefined without an instance view. */
  instanceViewBootDiagnostics?: { consoleScreenshotBlobUri?: string; serialConsoleLogBlobUri?: string; status?: string } | null;
  /** Uniform scale set instances only. */
  latestModelApplied?: boolean;
  securityType?: string;
  secureBootEnabled?: boolean;
  vTpmEnabled?: boolean;
  osDisk: OsDiskFacts;
  tags?: Record<string, string>;
  /** `storageProfile.imageReference.publisher` / `.offer` (e.g. MicrosoftWindowsDesktop / windows-11); absent for custom images. */
  imagePublisher?: string;
  imageOffer?: string;
  /** `properties.licenseType` (`Windows_Client` marks a Windows client edition). */
  licenseType?: string;
  /** `osProfile.linuxConfiguration.disablePasswordAuthentication`; undefined without an osProfile (specialized disk). */
  disablePasswordAuthentication?: boolean;
  /** Whether the model has an `osProfile` at all (absent for VMs created from a specialized disk). */
  hasOsProfile?: boolean;
  /** `osProfile.allowExtensionOperations`: false forbids every extension, VMAccess (`az vm user update`) included. */
  allowExtensionOperations?: boolean;
  /**
   * `osProfile.linuxConfiguration.provisionVMAgent` (or `windowsConfiguration`'s): false when the VM was created without
   * the VM agent, which VMAccess and Run Command need.
   */
  provisionVMAgent?: boolean;
}

/**
 * Which VM `rbac-vm` judges: the VM's own facts, or — when Resource Manager refused to let the caller read the VM
 * (403) — what its resource id says, with Azure's refusal in `readRefused`, so a missing role is still named.
 */
export type VmTarget = Pick<
  VmFacts,
  "id" | "name" | "resourceGroup" | "subscriptionId" | "location" | "kind" | "scaleSetId" | "scaleSetName" | "instanceId"
> & { readRefused?: string };

export interface SubscriptionFacts {
  subscriptionId: string;
  displayName?: string;
  tenantId?: string;
  /** Top-level `state`: Enabled, Warned, PastDue, Disabled, Deleted. */
  state?: string;
  /** `managedByTenants[].tenantId`: service providers managing it through Azure Lighthouse; undefined when not said. */
  managedByTenants?: string[];
}

export interface ConsoleServiceFacts {
  subscriptionId: string;
  /** `properties.disabled`; undefined when the service returned no such property. */
  disabled?: boolean;
  /** True when the RP answered 404 SubscriptionNotFound (the subscription is unknown to Microsoft.SerialConsole). */
  notFound?: boolean;
}

export interface StorageNetworkAcls {
  defaultAction?: string;
  bypass?: string;
  ipRules: { value: string; action?: string }[];
  virtualNetworkRules: { id: string }[];
  resourceAccessRules: { resourceId: string; tenantId?: string }[];
}

export interface StorageAccountFacts {
  id: string;
  name: string;
  resourceGroup: string;
  subscriptionId: string;
  location?: string;
  kind?: string;
  skuName?: string;
  provisioningState?: string;
  isHnsEnabled?: boolean;
  /** null/undefined means "allowed" (the documented default). */
  allowSharedKeyAccess?: boolean | null;
  publicNetworkAccess?: string;
  networkAcls?: StorageNetworkAcls;
  blobEndpoint?: string;
}

/** The network security perimeters a storage account is associated with, or why they could not be read. */
export type PerimeterFacts = { associations: PerimeterAssociation[] } | { unreadable: string };

export interface PerimeterAssociation {
  /** The perimeter's name (the last segment of its id). */
  name: string;
  id?: string;
  /** The perimeter profile whose access rules apply. */
  profile?: string;
  /** `Enforced`, `Learning` (the account's own firewall still applies) or `Audit`. */
  accessMode?: string;
  /** The profile's inbound access rules' address prefixes (IPv4 addresses or CIDR ranges). */
  inboundAddressPrefixes: string[];
}

/**
 * The result of finding the boot diagnostics storage account by name. Not-found outcomes are data (the check
 * maps them to documented errors); read failures are thrown instead.
 */
export type StorageLookup =
  | { kind: "not-applicable"; reason: string }
  | { kind: "found"; account: StorageAccountFacts; searchedSubscriptions: string[] }
  | {
      kind: "not-found";
      accountName: string;
      searchedSubscriptions: string[];
      inaccessibleSubscriptions: string[];
      /** Why the first of `inaccessibleSubscriptions` (sorted) could not be listed: Azure's answer or the failure. */
      listFailure?: string;
      /** Why the other subscriptions you can see could not be listed (a 401/403 on the subscription list), if so. */
      subscriptionsUnlisted?: string;
    }
  | { kind: "rg-undetermined"; accountName: string; detail: string };

/** One role-permission block, as returned by the Permissions API or a role definition. */
export interface PermissionBlock {
  actions: string[];
  notActions: string[];
  dataActions?: string[];
  notDataActions?: string[];
}

/** What we know about a principal's permissions at one scope. */
export interface PermissionFacts {
  scope: string;
  /** "caller": Permissions API (exact, includes groups); "principal": role assignments + definitions for --principal. */
  source: "caller" | "principal";
  principalId?: string;
  /** Caller mode: the caller's object id from its token, for suggested fixes (`az role assignment create --assignee`). */
  callerObjectId?: string;
  blocks: PermissionBlock[];
  /** Role names or ids that contributed (principal mode), for evidence. */
  roles?: string[];
  /** What this evaluation cannot see (e.g. group membership, deny assignments). */
  limitations?: string[];
  /**
   * Deny assignments of the scope's subscription (at, above and below it), which no Permissions API answer
   * reflects; `unreadable` says why they could not be listed, and `notOffered` Azure's answer where it does not offer
   * the list (a 4xx but 401/403/408/429: "404 NotFound"), rather than refused it to the caller or failed to answer;
   * `skipped` why some rows could not be read (the others are judged). Absent: not read.
   */
  denyAssignments?: DenyAssignmentList | { unreadable: string; notOffered?: string };
}

/** A subscription's deny assignments: those read, and why each row that could not be was skipped. */
export interface DenyAssignmentList {
  listed: DenyAssignmentFacts[];
  skipped?: string[];
}

/**
 * One deny assignment (https://learn.microsoft.com/azure/role-based-access-control/deny-assignments): the actions
 * it denies (`actions` minus `notActions` of a block), to whom (`principals`; the all-zero id is Everyone) and
 * whom not (`excludePrincipals`), at its scope and, unless `doNotApplyToChildScopes`, below it.
 */
export interface DenyAssignmentFacts {
  name: string;
  scope: string;
  doNotApplyToChildScopes: boolean;
  principals: { id: string; type: string }[];
  excludePrincipals: { id: string; type: string }[];
  blocks: Pick<PermissionBlock, "actions" | "notActions">[];
  /** A condition limits which resources it applies to (not evaluated here). */
  conditional: boolean;
}

/** One management lock (`Microsoft.Authorization/locks`), with the scope it was placed on. */
export interface LockFacts {
  id: string;
  name: string;
  /** `CanNotDelete` | `ReadOnly` (or `NotSpecified`). */
  level: string;
  /** Where the lock sits: its id up to `/providers/Microsoft.Authorization/locks/` (where a fix is made). */
  scope: string;
  notes?: string;
}

/** The locks that constrain the VM and its boot diagnostics account (each read at or above its scope). */
export interface LocksFacts {
  /** Locks at or above the VM (a uniform scale set instance: its scale set), its resource group and subscription. */
  vm: LockFacts[];
  /** Locks at or above the custom boot diagnostics account; null when there is no custom account to read. */
  account: LockFacts[] | null;
  /** Why the account's locks could not be read (its lookup failed), when that is so. */
  accountUnknown?: string;
}

/**
 * How a problem of the custom boot diagnostics account is judged. The Serial Console overview (ms.date 10/16/2025,
 * https://learn.microsoft.com/troubleshoot/azure/virtual-machines/windows/serial-console-overview) says that by the
 * end of 2025 the console no longer uses that account to connect, while serial logs and screenshots still do:
 * "end-2025" (the default) judges the account as the log and screenshot store; "legacy" (`--legacy-storage-path`)
 * as the console's connection path, as before the change.
 */
export type StoragePath = "end-2025" | "legacy";
/**
 * The boot diagnostics serial log (`retrieveBootDiagnosticsData`, then a ranged GET of the SAS blob). Refusals are
 * data, so the check can say exactly who refused; other failures are thrown. The SAS link itself is never kept.
 */
export type SerialLogFacts =
  | { kind: "not-read"; reason: string }
  | { kind: "boot-diagnostics-off" }
  | { kind: "refused"; by: "resource-manager" | "lock" | "storage"; status: number; code?: string; message: string; action?: string }
  | {
      kind: "read";
      /** The end of the log (`SERIAL_LOG_TAIL_BYTES`, more when that holds no boot start: up to `SERIAL_LOG_MAX_BYTES`), lossy UTF-8. */
      tail: string;
      /** Size of the whole blob in bytes (from `Content-Range`), and whether `tail` is all of it. */
      totalBytes: number;
      /** Bytes read for `tail` (its text may be longer: each invalid byte decodes to U+FFFD). */
      bytesRead?: number;
      complete: boolean;
      storage: "managed" | "custom";
      /** No log blob yet (404, or no link): nothing written since boot diagnostics was enabled. */
      missing?: boolean;
    };

/**
 * The signed-in caller's Cloud Shell settings (`GET /providers/Microsoft.Portal/userSettings/cloudconsole`) and the
 * state of the subscription that holds its storage account.
 */
export type CloudShellFacts =
  | { kind: "principal" }
  | { kind: "no-settings"; status: number }
  | { kind: "no-storage"; sessionType?: string }
  | { kind: "found"; storageAccountId: string; subscriptionId: string; state?: string; displayName?: string; unreadable?: string };

/** Facts the network probe produces (src/net/); defined there and re-exported for checks. */
export type { NetworkFacts } from "../net/types.js";
