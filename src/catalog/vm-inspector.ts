import type { CatalogEntry } from "./types.js";

/**
 * VM Inspector error codes (seed 002, 2022-06-06), one entry per table row, in table order, then the rows of its
 * "Common errors and solutions" section. Ids: `vmi-<code in kebab case>`, and `-2`, `-3`, … for the second, third,
 * … row with the same code. Messages are kept exactly as documented (placeholders included); the description
 * column's own advice is the mitigation where it gives one.
 *
 * VM Inspector is the fallback when Serial Console fails; only its OS-disk refusals are verifiable beforehand
 * (the `os-disk` check), the rest describe the inspection request itself.
 */
const SRC = ["vm-inspector-errors"] as const;
const DOC = "https://learn.microsoft.com/troubleshoot/azure/virtual-machines/windows/vm-inspector-error-codes";
const ACCESS_DOC =
  "https://learn.microsoft.com/troubleshoot/azure/virtual-machines/windows/vm-inspector-azure-virtual-machines#get-access-to-vm-inspector";
/** A fresh upload SAS for a `.zip` blob, read and write, is the fix for every `uploadSasUri` error. */
const SAS_FIX =
  "az storage blob generate-sas --account-name {storageAccount} --container-name '<container>' --name '<diagnostics>.zip' --permissions rw --expiry '<yyyy-mm-ddThh:mmZ>' --full-uri --auth-mode login --as-user";
const RETRY_SUPPORT = "Retry the inspection in a few minutes; if it keeps failing, open a support request and quote the operation id.";

/** Both documented messages for an unmanaged OS disk: one mitigation, one fix. */
const UNMANAGED_DISK = {
  mitigation: "VM Inspector cannot inspect an unmanaged (VHD) OS disk. Migrate the VM to managed disks (az vm convert).",
  fix: [
    "az vm deallocate --name {vm} --resource-group {rg} --subscription {subscription}",
    "az vm convert --name {vm} --resource-group {rg} --subscription {subscription}",
  ],
};

export const VM_INSPECTOR_ERRORS = [
  {
    id: "vmi-incorrect-pattern-upload-sas-uri",
    sources: [...SRC],
    code: "IncorrectPatternUploadSASUri",
    httpStatus: 400,
    message:
      "The uploadSasUri input parameter doesn't have a .zip file name extension. Use a shared access signature uniform resource identifier (URI) reference to a *.zip blob.",
    mitigation: "Point uploadSasUri at a blob whose name ends in .zip (for example diagnostics.zip), with a SAS for that blob.",
    fix: [SAS_FIX],
    checks: [],
    docUrl: DOC,
  },
  {
    id: "vmi-incorrect-permission-upload-sas-uri",
    sources: [...SRC],
    code: "IncorrectPermissionUploadSasUri",
    httpStatus: 400,
    message:
      "The uploadSasUri input parameter doesn't have the required permissions. Generate a shared access signature URI with read and write permissions (sp='rw').",
    mitigation: "Generate a new SAS URI for the blob with read and write permissions (sp=rw) and pass it as uploadSasUri.",
    fix: [SAS_FIX],
    checks: [],
    docUrl: DOC,
  },
  {
    id: "vmi-incorrect-sas-uri-format",
    sources: [...SRC],
    code: "IncorrectSasUriFormat",
    httpStatus: 400,
    message: "The uploadSasUri input parameter isn't in the expected format. Send a shared access signature URI to a Blob resource.",
    mitigation:
      "Send a complete blob SAS URI (https://<account>.blob.core.windows.net/<container>/<name>.zip?sv=…&sig=…), not a container, account or file-share URI.",
    fix: [SAS_FIX],
    checks: [],
    docUrl: DOC,
  },
  {
    id: "vmi-incorrect-signed-resource-value-for-upload-sas-uri",
    sources: [...SRC],
    code: "IncorrectSignedResourceValueForUploadSasUri",
    httpStatus: 400,
    message:
      "The uploadSasUri input parameter isn't generated for the Blob resource. Check the value of the storage resource parameter (sr). Send a shared access signature URI to a Blob resource.",
    mitigation: "Generate the SAS for the blob itself (signed resource sr=b), not for its container (sr=c).",
    fix: [SAS_FIX],
    checks: [],
    docUrl: DOC,
  },
  {
    id: "vmi-invalid-blob-upload-sas-uri",
    sources: [...SRC],
    code: "InvalidBlobUploadSASUri",
    httpStatus: 400,
    message:
      "Input parameter 'uploadSasUri' does not have a file extension '.zip' in it. Please use a SAS URI reference to a '*.zip' blob.",
    mitigation: "Point uploadSasUri at a blob whose name ends in .zip, with a SAS for that blob.",
    fix: [SAS_FIX],
    checks: [],
    docUrl: DOC,
  },
  {
    id: "vmi-invalid-blob-upload-sas-uri-2",
    sources: [...SRC],
    code: "InvalidBlobUploadSASUri",
    httpStatus: 400,
    message:
      "Input parameter 'uploadSasUri' does not have the required permissions. Please generate a SAS URI with read and write permissions (sp='rw').",
    mitigation: "Generate a new SAS URI for the blob with read and write permissions (sp=rw).",
    fix: [SAS_FIX],
    checks: [],
    docUrl: DOC,
  },
  {
    id: "vmi-invalid-blob-upload-sas-uri-3",
    sources: [...SRC],
    code: "InvalidBlobUploadSASUri",
    httpStatus: 400,
    message: "Input parameter 'uploadSasUri' is expired. Value of 'se' claim = {0}.",
    mitigation: "The SAS expiry time (se) is in the past: generate a new SAS URI that is valid for the length of the inspection.",
    fix: [SAS_FIX],
    checks: [],
    docUrl: DOC,
  },
  {
    id: "vmi-invalid-blob-upload-sas-uri-4",
    sources: [...SRC],
    code: "InvalidBlobUploadSASUri",
    httpStatus: 400,
    message: "Input parameter 'uploadSasUri' is not in the expected format. Please send a SAS Uri to a 'Blob' resource.",
    mitigation: "Send a complete blob SAS URI (https://<account>.blob.core.windows.net/<container>/<name>.zip?sv=…&sig=…).",
    fix: [SAS_FIX],
    checks: [],
    docUrl: DOC,
  },
  {
    id: "vmi-invalid-blob-upload-sas-uri-5",
    sources: [...SRC],
    code: "InvalidBlobUploadSASUri",
    httpStatus: 400,
    message:
      "Input parameter 'uploadSasUri' is not generated for resource: Blob. The Uri has claim 'sr'= {0}. Please send a SAS Uri to a 'Blob' resource.",
    mitigation: "Generate the SAS for the blob itself (signed resource sr=b), not for its container or account.",
    fix: [SAS_FIX],
    checks: [],
    docUrl: DOC,
  },
  {
    id: "vmi-invalid-blob-upload-sas-uri-6",
    sources: [...SRC],
    code: "InvalidBlobUploadSASUri",
    httpStatus: 400,
    message: "Input parameter 'uploadSasUri' is not valid. The server returned the following error when retrieving data from the blob: {0}",
    mitigation:
      "The storage service rejected the SAS: read the quoted storage error, check the account's firewall and that the SAS is not revoked, then generate a new one.",
    fix: [SAS_FIX],
    checks: [],
    docUrl: DOC,
  },
  {
    id: "vmi-invalid-parameter",
    sources: [...SRC],
    code: "InvalidParameter",
    httpStatus: 400,
    message: "The input parameter is invalid. Check the parameters and try again.",
    mitigation: "Check the parameters of the inspection request (VM id, location, uploadSasUri) and try again.",
    checks: [],
    docUrl: DOC,
  },
  {
    id: "vmi-invalid-parameter-2",
    sources: [...SRC],
    code: "InvalidParameter",
    httpStatus: 400,
    message: "The input parameter '{parameterName}' is invalid.",
    mitigation: "Correct the named parameter of the inspection request and try again.",
    checks: [],
    docUrl: DOC,
  },
  {
    id: "vmi-invalid-upload-sas-uri",
    sources: [...SRC],
    code: "InvalidUploadSasUri",
    httpStatus: 400,
    message: "The uploadSasUri input parameter isn't valid. The server returned an error while it retrieved data from the blob.",
    mitigation:
      "The storage service rejected the SAS: check the account's firewall and that the SAS is not revoked, then generate a new one.",
    fix: [SAS_FIX],
    checks: [],
    docUrl: DOC,
  },
  {
    id: "vmi-upload-sas-uri-expired",
    sources: [...SRC],
    code: "UploadSasUriExpired",
    httpStatus: 400,
    message: "The uploadSasUri input parameter is expired. Check the value of the expiration time parameter (se).",
    mitigation: "The SAS expiry time (se) is in the past: generate a new SAS URI that is valid for the length of the inspection.",
    fix: [SAS_FIX],
    checks: [],
    docUrl: DOC,
  },
  {
    id: "vmi-disk-inspect-forbidden-error",
    sources: [...SRC],
    code: "DiskInspectForbiddenError",
    httpStatus: 403,
    message: "The disk doesn't have the correct access granted to execute disk inspection. Grant the correct access and try again.",
    mitigation:
      "Grant the access VM Inspector needs on the OS disk (the Disk Backup Reader role for the Compute Recommendation Service, given at onboarding) and try again.",
    checks: [],
    docUrl: ACCESS_DOC,
  },
  {
    id: "vmi-diagnostic-operation-not-found",
    sources: [...SRC],
    code: "DiagnosticOperationNotFound",
    httpStatus: 404,
    message:
      "Diagnostic operation with operationId: {operationId} is not found in location: {location} for subscription: {subscriptionId}. Please check subscription and location values and try again.",
    mitigation:
      "Query the operation in the same subscription and region where the inspection was started, with the operation id it returned.",
    checks: [],
    docUrl: DOC,
  },
  {
    id: "vmi-diagnostics-metadata-not-found",
    sources: [...SRC],
    code: "DiagnosticsMetadataNotFound",
    httpStatus: 404,
    message: "Unable to get Diagnostics metadata.",
    mitigation: "The diagnostics metadata for this region could not be read: retry later, and open a support request if it persists.",
    checks: [],
    docUrl: DOC,
  },
  {
    id: "vmi-disk-inspection-metadata-not-found",
    sources: [...SRC],
    code: "DiskInspectionMetadataNotFound",
    httpStatus: 404,
    message: "Unable to get Disk Inspection metadata.",
    mitigation: "The disk inspection metadata for this region could not be read: retry later, and open a support request if it persists.",
    checks: [],
    docUrl: DOC,
  },
  {
    id: "vmi-storage-account-not-found-in-arm",
    sources: [...SRC],
    code: "StorageAccountNotFoundInARM",
    httpStatus: 404,
    message: "Storage Account '{0}' is not found. Please choose another storage account and try again.",
    mitigation: "Choose a storage account that exists in the subscription and that you can read, then try again.",
    fix: ['az storage account list --subscription {subscription} --query "[].{name:name, resourceGroup:resourceGroup}" -o table'],
    checks: [],
    docUrl: DOC,
  },
  {
    id: "vmi-storage-configuration-not-found",
    sources: [...SRC],
    code: "StorageConfigurationNotFound",
    httpStatus: 404,
    message:
      "Unable to find a storage configuration for given subscriptionId: '{0}', location: '{1}'. Please check value of subscriptionId and try again or invoke \"registerStorageConfiguration\" to add a new storage configuration.",
    mitigation:
      "Register a storage configuration for this subscription and region (the registerStorageConfiguration action, done by the portal's VM Inspector onboarding) before running an inspection.",
    checks: [],
    docUrl: DOC,
  },
  {
    id: "vmi-virtual-machine-not-found-in-arm",
    sources: [...SRC],
    code: "VirtualMachineNotFoundInARM",
    httpStatus: 404,
    message: "Virtual machine '{0}' is not found. Please choose another virtual machine and try again.",
    mitigation: "Check the VM's resource id (subscription, resource group, name) and that your account can read it.",
    fix: ["az vm show --name {vm} --resource-group {rg} --subscription {subscription} --query id"],
    checks: [],
    detectedBy: 'The run reads the VM before any check: a VM it cannot find stops it with "VM not found" and exit code 3.',
    docUrl: DOC,
  },
  {
    id: "vmi-encrypted-disk-not-supported",
    sources: [...SRC],
    code: "EncryptedDiskNotSupported",
    httpStatus: 405,
    message: "Disk inspection isn't supported for the specified VM and encrypted operating system disk.",
    mitigation:
      "VM Inspector cannot inspect an encrypted OS disk. Use Serial Console or attach a copy of the disk to a repair VM (az vm repair).",
    fix: ["az vm repair create --name {vm} --resource-group {rg} --subscription {subscription} --verbose"],
    checks: ["os-disk"],
    docUrl: DOC,
  },
  {
    id: "vmi-forbidden-error",
    sources: [...SRC],
    code: "ForbiddenError",
    httpStatus: 405,
    message:
      "Caller does not have access to perform action(s): '{0}' on storage account: '{1}'. Please check the full set of required permissions.",
    mitigation:
      "You don't have enough permissions to run VM Inspector on the virtual machine or storage account; a Service Administrator or Classic Administrator role (even inherited from the subscription) is not enough. Get the permissions listed in 'Get access to VM Inspector'.",
    checks: [],
    docUrl: ACCESS_DOC,
  },
  {
    id: "vmi-invalid-disk-status",
    sources: [...SRC],
    code: "InvalidDiskStatus",
    httpStatus: 405,
    message: "Disk inspection isn't supported for the specified operating system disk and provisioning state.",
    mitigation: "Wait until the OS disk's provisioning state is Succeeded (or repair the VM if it is Failed) and try again.",
    fix: ["az disk show --ids {osDiskId} --query provisioningState"],
    checks: [],
    docUrl: DOC,
  },
  {
    id: "vmi-resource-not-supported",
    sources: [...SRC],
    code: "ResourceNotSupported",
    httpStatus: 405,
    message: "A specified resource isn't supported.",
    mitigation:
      "VM Inspector supports Azure Resource Manager VMs with managed, unencrypted, non-ephemeral OS disks: use Serial Console or a repair VM for others.",
    checks: ["os-disk"],
    docUrl: DOC,
  },
  {
    id: "vmi-resource-not-supported-2",
    sources: [...SRC],
    code: "ResourceNotSupported",
    httpStatus: 405,
    message: "Disk inspection is not supported for VM '{0}' with encrypted OS disk '{1}'.",
    mitigation:
      "VM Inspector cannot inspect an encrypted OS disk. Use Serial Console or attach a copy of the disk to a repair VM (az vm repair).",
    fix: ["az vm repair create --name {vm} --resource-group {rg} --subscription {subscription} --verbose"],
    checks: ["os-disk"],
    docUrl: DOC,
  },
  {
    id: "vmi-resource-not-supported-3",
    sources: [...SRC],
    code: "ResourceNotSupported",
    httpStatus: 405,
    message: "Disk inspection is not supported for VM '{0}' with ephemeral OS disk '{1}'.",
    mitigation: "VM Inspector cannot inspect an ephemeral OS disk. Serial Console is the remaining way in: keep it working.",
    checks: ["os-disk"],
    docUrl: DOC,
  },
  {
    id: "vmi-resource-not-supported-4",
    sources: [...SRC],
    code: "ResourceNotSupported",
    httpStatus: 405,
    message: "Disk inspection is not supported for the OS disk '{0}' with provisioning state '{1}'.",
    mitigation: "Wait until the OS disk's provisioning state is Succeeded (or repair the VM if it is Failed) and try again.",
    checks: [],
    docUrl: DOC,
  },
  {
    id: "vmi-resource-not-supported-5",
    sources: [...SRC],
    code: "ResourceNotSupported",
    httpStatus: 405,
    message: "Disk inspection is not supported for VM '{0}' with unmanaged OS disk.",
    ...UNMANAGED_DISK,
    checks: ["os-disk"],
    docUrl: DOC,
  },
  {
    id: "vmi-unable-to-check-access",
    sources: [...SRC],
    code: "UnableToCheckAccess",
    httpStatus: 405,
    message: "Unable to determine permissions for clientObjectId: '{0}' on resourceId: '{1}' for actions: '{2}'.",
    mitigation:
      "VM Inspector could not read the caller's permissions on the resource: check the role assignments for those actions (see 'Get access to VM Inspector') and retry.",
    fix: ["az role assignment list --assignee {principal} --scope {vmId} --include-inherited -o table"],
    checks: [],
    docUrl: ACCESS_DOC,
  },
  {
    id: "vmi-unmanaged-disk-not-supported",
    sources: [...SRC],
    code: "UnmanagedDiskNotSupported",
    httpStatus: 405,
    message: "Disk inspection isn't supported for the specified VM and unmanaged operating system disk.",
    ...UNMANAGED_DISK,
    checks: ["os-disk"],
    docUrl: DOC,
  },
  {
    id: "vmi-too-many-requests-error",
    sources: [...SRC],
    code: "TooManyRequestsError",
    httpStatus: 429,
    message:
      "Unable to determine permissions for clientObjectId: '{0}' on resourceId: '{1}' for actions: '{2}'. This is caused due to downstream API throttling. Please retry the request after some time.",
    mitigation:
      "The permission check was throttled downstream: wait a few minutes and retry the request; avoid starting many inspections at once.",
    checks: [],
    docUrl: DOC,
  },
  {
    id: "vmi-disk-inspect-internal-server-error",
    sources: [...SRC],
    code: "DiskInspectInternalServerError",
    httpStatus: 500,
    message: "An unexpected internal server error occurred during disk inspection. Try again later.",
    mitigation: RETRY_SUPPORT,
    checks: [],
    docUrl: DOC,
  },
  {
    id: "vmi-internal-server-error",
    sources: [...SRC],
    code: "InternalServerError",
    httpStatus: 500,
    message: "An unexpected internal server error occurred while running disk inspection.",
    mitigation: RETRY_SUPPORT,
    checks: [],
    docUrl: DOC,
  },
  {
    id: "vmi-internal-server-error-2",
    sources: [...SRC],
    code: "InternalServerError",
    httpStatus: 500,
    message: "Failed to register storage account. Please try again. If problem still persists, create a support request.",
    mitigation: "Registering the storage configuration failed on the service side: retry, and open a support request if it persists.",
    checks: [],
    docUrl: DOC,
  },
  {
    id: "vmi-internal-server-error-3",
    sources: [...SRC],
    code: "InternalServerError",
    httpStatus: 500,
    message: "Failed to update storage account. Please try again. If problem still persists, create a support request.",
    mitigation: "Updating the storage configuration failed on the service side: retry, and open a support request if it persists.",
    checks: [],
    docUrl: DOC,
  },
  {
    id: "vmi-internal-server-error-4",
    sources: [...SRC],
    code: "InternalServerError",
    httpStatus: 500,
    message: "Failed to validate if a storage configuration exists. Please try again. If problem still persists, create a support request.",
    mitigation: "Validating the storage configuration failed on the service side: retry, and open a support request if it persists.",
    checks: [],
    docUrl: DOC,
  },
  {
    id: "vmi-internal-server-error-5",
    sources: [...SRC],
    code: "InternalServerError",
    httpStatus: 500,
    message: "An unexpected internal server error has occurred. If problem still persists, create a support request.",
    mitigation: RETRY_SUPPORT,
    checks: [],
    docUrl: DOC,
  },
  {
    id: "vmi-internal-server-error-6",
    sources: [...SRC],
    code: "InternalServerError",
    httpStatus: 500,
    message: "VM '{0}' metadata are invalid. Please ensure that VM was provisioned successfully and not deleted.",
    mitigation:
      "Make sure the VM exists and its provisioning state is Succeeded (redeploy or reapply it if it is Failed), then retry the inspection.",
    fix: ["az vm show --name {vm} --resource-group {rg} --subscription {subscription} --query provisioningState"],
    checks: ["provisioning-state"],
    docUrl: DOC,
  },
  // "Common errors and solutions" section. Its 405 "Caller does not have access…" item is the ForbiddenError row
  // above (same message): that entry carries the section's solution as its mitigation.
  {
    id: "vmi-no-role-assignment",
    sources: [...SRC],
    message: "You don't have a role assignment that can run diagnostics",
    mitigation:
      "On first use, VM Inspector asks for consent to grant the Disk Backup Reader role to the Compute Recommendation Service app; adding that role assignment needs Owner-level permissions, so ask an Owner to complete the onboarding.",
    checks: [],
    docUrl: ACCESS_DOC,
  },
  {
    id: "vmi-authorization-failed",
    sources: [...SRC],
    // Not ARM's code AuthorizationFailed: the document quotes this message, for one action, and every refused
    // action carries that code (the console's own is rbac-vm-permissions). The action names it.
    aliases: ["microsoft.compute/locations/diagnostics/validatestorageconfiguration/action"],
    httpStatus: 403,
    message:
      "The client 'name' with object id 'value' does not have authorization to perform action 'Microsoft.Compute/locations/diagnostics/validateStorageConfiguration/action' over scope '/subscriptions/{0}' or the scope is invalid. If access was recently granted, please refresh your credentials",
    variants: [
      "The client '{name}' with object id '{value}' does not have authorization to perform action 'Microsoft.Compute/locations/diagnostics/validateStorageConfiguration/action' over scope '{scope}' or the scope is invalid. If access was recently granted, please refresh your credentials",
    ],
    mitigation:
      "You don't have enough permissions to invoke the API at the subscription level: the closest built-in role is Contributor at the subscription scope.",
    fix: ['az role assignment create --assignee {principal} --role "Contributor" --scope /subscriptions/{subscription}'],
    checks: [],
    docUrl: DOC,
  },
] as const satisfies readonly CatalogEntry[];
