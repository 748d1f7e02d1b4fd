import type { CatalogEntry } from "./types.js";

/**
 * The Serial Console errors of both seed versions (2019-08-20 and 2025-10-16). Where both versions document the
 * same error, it is one entry: the 2025 text as `message`, the 2019 text as a variant.
 */
const ERRORS_DOC = "https://learn.microsoft.com/troubleshoot/azure/virtual-machines/windows/serial-console-errors";
const OVERVIEW_DOC = "https://learn.microsoft.com/troubleshoot/azure/virtual-machines/windows/serial-console-overview";
const BOTH = ["serial-console-errors-2019", "serial-console-errors-2025"] as const;

export const SERIAL_CONSOLE_ERRORS = [
  {
    id: "boot-diagnostics-disabled",
    sources: [...BOTH],
    message:
      "Azure Serial Console requires boot diagnostics to be enabled. Click here to configure boot diagnostics for your virtual machine.",
    variants: [
      "Unable to retrieve boot diagnostics settings for <VMNAME>. To use the serial console, ensure that boot diagnostics is enabled for this VM.",
    ],
    mitigation:
      "Make sure that the virtual machine (VM) or VM scale set has boot diagnostics enabled. If you use the Serial Console on a VM scale set instance, make sure that your instance has the latest model.",
    // Azure PowerShell's Get-AzVMBootDiagnosticsData when the VM has no boot diagnostics profile, or it is not
    // enabled (GetAzureVMBootDiagnosticsDataCommand in https://github.com/Azure/azure-powershell/blob/main/src/Compute/Compute/VirtualMachine/Operation/GetAzureVMBootDiagnosticsDataCommand.cs,
    // reported as https://github.com/MicrosoftDocs/azure-docs/issues/33130).
    aliases: ["no diagnostic profile enabled"],
    fix: ["az vm boot-diagnostics enable --name {vm} --resource-group {rg} --subscription {subscription}"],
    checks: ["boot-diagnostics", "scale-set-model"],
    docUrl: ERRORS_DOC,
  },
  {
    id: "vm-not-running",
    sources: [...BOTH],
    message: "Azure Serial Console requires a virtual machine to be running. Use the Start button to start your virtual machine.",
    variants: ["The VM is in a stopped deallocated state. Start the VM and retry the serial console connection."],
    // Compute's 409 (OperationNotAllowed / Conflict) for an action on a VM that is not running — the console's
    // retrieveBootDiagnosticsData, Run Command, power off — as users paste it:
    // https://github.com/hashicorp/terraform-provider-azurerm/issues/28218 ("… since the VM is either deallocated or
    // marked to be deallocated") and https://github.com/MicrosoftDocs/azure-docs/issues/32404 ("The operation
    // requires the VM to be running (or set to run). (Code: OperationNotAllowed)").
    aliases: ["deallocated or marked to be deallocated", "the operation requires the VM to be running"],
    mitigation:
      "The VM Scale Sets instance must be in a started state to access the Serial Console (your VM must not be stopped or deallocated). Make sure that your VM or VM Scale Sets instance is running, and then try again.",
    fix: ["az vm start --name {vm} --resource-group {rg} --subscription {subscription}"],
    checks: ["power-state"],
    docUrl: ERRORS_DOC,
  },
  {
    id: "console-disabled",
    sources: ["serial-console-errors-2025"],
    message: "Azure Serial Console is not enabled for this subscription, contact your subscription administrator to enable.",
    mitigation:
      "The Azure Serial Console can be disabled at a subscription level. If you're a subscription administrator, you can enable and disable the Azure Serial Console. If you aren't a subscription administrator, contact your subscription administrator for the next steps.",
    fix: [
      "az resource invoke-action --action enableConsole --ids /subscriptions/{subscription}/providers/Microsoft.SerialConsole/consoleServices/default --api-version 2024-07-01",
    ],
    checks: ["console-enabled"],
    docUrl: "https://learn.microsoft.com/troubleshoot/azure/virtual-machines/windows/serial-console-enable-disable",
  },
  {
    id: "storage-forbidden",
    sources: [...BOTH],
    message: 'A "Forbidden" response was encountered when accessing this VM\'s boot diagnostic storage account.',
    mitigation:
      "There's a known issue where Azure Serial Console might fail to connect when a custom boot diagnostics storage account has firewall restrictions when using the az serial-console command. To avoid connectivity issues, use Serial Console in the Azure Portal. (2019: ensure that boot diagnostics doesn't have an account firewall; an accessible boot diagnostic storage account is necessary for the serial console to function.)",
    fix: [
      "az storage account network-rule add --account-name {storageAccount} --resource-group {storageRg} --subscription {storageSubscription} --ip-address {ips}",
    ],
    checks: ["storage-firewall"],
    docUrl: ERRORS_DOC,
  },
  {
    id: "rbac-vm-permissions",
    sources: [...BOTH],
    message:
      "You don't have the required permissions to use this VM with the serial console. Ensure you have at least Virtual Machine Contributor role permissions.",
    variants: [
      "You do not have the required permissions to use this VM with the serial console. Ensure you have at least Virtual Machine Contributor role permissions.",
    ],
    mitigation:
      "Serial console access requires that you have contributor level access on your VM or VM scale set. For more information, see the Azure Serial Console overview page.",
    // ARM's refusal (AuthorizationFailed, 403) of an action on the VM's serial port names it: the console's connect,
    // and the port's read, write and delete (https://github.com/Azure/azure-rest-api-specs/issues/23472, #23475),
    // which Contributor grants. Not consoleServices' actions: enabling the console is the subscription's (console-disabled).
    aliases: [
      "microsoft.serialconsole/serialports/connect/action",
      "microsoft.serialconsole/serialports/read",
      "microsoft.serialconsole/serialports/write",
      "microsoft.serialconsole/serialports/delete",
    ],
    fix: ['az role assignment create --assignee {principal} --role "Virtual Machine Contributor" --scope {vmId}'],
    checks: ["rbac-vm"],
    docUrl: ERRORS_DOC,
  },
  {
    id: "storage-account-not-found",
    sources: [...BOTH],
    message:
      "The storage account '' used for boot diagnostics on this VM couldn't be found. Verify that boot diagnostics is enabled for this VM, this storage account hasn't been deleted, and you have access to this storage account.",
    variants: [
      "The storage account '' used for boot diagnostics on this VM could not be found. Verify that boot diagnostics is enabled for this VM, this storage account has not been deleted, and you have access to this storage account.",
    ],
    mitigation: "Double check that you didn't delete the boot diagnostics storage account for your VM or VM scale set.",
    fix: ["az vm boot-diagnostics enable --name {vm} --resource-group {rg} --subscription {subscription}"],
    checks: ["storage-account"],
    docUrl: ERRORS_DOC,
  },
  {
    id: "bad-request-400",
    sources: ["serial-console-errors-2025"],
    // No code: the document gives only this message, and 'Bad Request' in it is the 400's reason phrase, which every
    // client prints for any 400 (`Operation returned an invalid status 'Bad Request'`, `HTTP/1.1 400 Bad Request`).
    httpStatus: 400,
    message: "The serial console connection to the VM encountered an error: 'Bad Request' (400)",
    mitigation:
      'This error can occur if your boot diagnostics URI is incorrect. For example, "http://" instead of "https://" is used. To fix the URI, run the following command: az vm boot-diagnostics enable --name vmName --resource-group rgName --storage https://<storageAccountUri>.blob.core.windows.net/',
    fix: ["az vm boot-diagnostics enable --name {vm} --resource-group {rg} --subscription {subscription} --storage {storageUri}"],
    checks: ["boot-diagnostics-uri", "storage-account"],
    docUrl: ERRORS_DOC,
  },
  {
    id: "rbac-storage-write",
    sources: [...BOTH],
    message:
      "You don't have the required permissions to write to the boot diagnostics storage account for this VM. Ensure you have at least VM Contributor permissions",
    variants: [
      "You do not have the required permissions to write to the boot diagnostics storage account for this VM. Please ensure you have at least VM Contributor permissions on ''.",
    ],
    mitigation:
      "Serial console access requires contributor level access on the boot diagnostics storage account. For more information, see the Azure Serial Console overview page.",
    // ARM's refusal (AuthorizationFailed, 403) of the key listing the console needs on the account names the action.
    aliases: ["microsoft.storage/storageaccounts/listkeys/action"],
    fix: ['az role assignment create --assignee {principal} --role "Virtual Machine Contributor" --scope {storageAccountId}'],
    checks: ["rbac-storage"],
    docUrl: ERRORS_DOC,
  },
  {
    id: "storage-rg-undetermined",
    sources: [...BOTH],
    message:
      "Unable to determine the resource group for the boot diagnostics storage account <STORAGEACCOUNTNAME>. Verify that boot diagnostics is enabled for this VM and you have access to this storage account.",
    mitigation:
      "Serial console access requires contributor level access on the boot diagnostics storage account. For more information, see the Azure Serial Console overview page.",
    fix: [
      // The name is its own argument (quoted by renderFix), never spliced into a --query string.
      "az resource list --resource-type Microsoft.Storage/storageAccounts --name {storageAccount} --query '[].id' --subscription {subscription}",
    ],
    checks: ["storage-account"],
    docUrl: ERRORS_DOC,
  },
  {
    id: "provisioning-not-done",
    sources: [...BOTH],
    message: "Provisioning for this VM isn't done. Please ensure the VM is fully deployed and retry the serial console connection.",
    variants: [
      "Provisioning for this VM has not yet succeeded. Please ensure the VM is fully deployed and retry the serial console connection.",
    ],
    mitigation: "Your VM or VM scale set might still be provisioning. Wait for some time, and then try again.",
    fix: ["az vm wait --created --name {vm} --resource-group {rg} --subscription {subscription}"],
    checks: ["provisioning-state"],
    docUrl: ERRORS_DOC,
  },
  {
    id: "websocket-closed",
    sources: [...BOTH],
    message: "Web socket is closed or couldn't be opened.",
    variants: ["Web socket is closed or could not be opened."],
    // The 2019 document names the old service domain; pastes of websocket URLs name either. A host is no proof: a
    // session that opened names it too (https://github.com/microsoft/azserialconsole/issues/116 logs "Successfully
    // established WebSocket connection to westcentralus.gateway.serialconsole.azure.com", then the server closing it).
    hints: ["console.azure.com", "serialconsole.azure.com", "serialconsole.azure.us"],
    // A websocket the paste says was opened is not one that "couldn't be opened", and no firewall stopped it.
    contradictedBy: [
      "established web socket connection",
      "web socket connection established",
      "opened web socket connection",
      "web socket connection opened",
    ],
    mitigation:
      "You might have to add firewall access to *.serialconsole.azure.com (the service URL changed from *.console.azure.com). A more detailed but longer approach is to allow firewall access to the Microsoft Azure Datacenter IP ranges. These ranges change regularly.",
    checks: ["network"],
    docUrl: ERRORS_DOC,
  },
  {
    id: "storage-hns-unsupported",
    sources: ["serial-console-errors-2025"],
    message: "Serial console doesn't work with a storage account using Azure Data Lake Storage Gen2 with hierarchical namespaces.",
    mitigation:
      "This issue affects hierarchical namespaces. Make sure that your VM boot diagnostics storage account isn't created by using Azure Data Lake Storage Gen2. This option can be set only during storage account creation. To mitigate this issue, you might have to create a separate boot diagnostics storage account without having Azure Data Lake Storage Gen2 enabled.",
    fix: [
      "az storage account create --name '<newaccount>' --resource-group {rg} --subscription {subscription} --location {location} --sku Standard_LRS --hns false",
      // The account by name, which --storage takes ("Name or URI of a storage account",
      // https://learn.microsoft.com/cli/azure/vm/boot-diagnostics) and az resolves in the VM's subscription, in any
      // cloud: a blob.core.windows.net URI would be wrong for a China or US Government VM.
      "az vm boot-diagnostics enable --name {vm} --resource-group {rg} --subscription {subscription} --storage '<newaccount>'",
    ],
    checks: ["storage-hns"],
    docUrl: ERRORS_DOC,
  },
  {
    id: "subscription-not-enabled",
    sources: ["serial-console-errors-2025"],
    code: "SubscriptionNotEnabled",
    httpStatus: 403,
    message:
      "The serial console connection to the VM encountered an error: 'Forbidden'(SubscriptionNotEnabled) - Subscription name undefined, id <subscription id> is in non-Enabled state undefined",
    mitigation:
      "This issue might occur if the subscription in which a user creates their Cloud Shell storage account is disabled. To mitigate this issue, open the Cloud Shell and perform the necessary steps to reprovision a backing storage account for the Cloud Shell in the current subscription.",
    fix: ["clouddrive unmount"],
    checks: ["subscription-state", "cloud-shell-storage"],
    docUrl: ERRORS_DOC,
  },
  {
    // Not in the errors doc: the public threads https://github.com/microsoft/azserialconsole/issues/12 (the 409 text,
    // from listKeys on a locked account) and https://github.com/microsoft/azserialconsole/issues/115 (maintainer,
    // 2025-06-10: by design, the service writes a connection string to the account; the end-2025 change drops that,
    // serial logs stay affected).
    id: "scope-locked",
    sources: ["azserialconsole-issues"],
    code: "ScopeLocked",
    httpStatus: 409,
    message:
      "Conflict: The scope '<storage account id>' cannot perform write operation because following scope(s) are locked: '<locked scope>'. Please remove the lock and try again. [ScopeLocked]",
    // Only the lock's own words: the console's generic prefix and a bare 409 are shared with other entries.
    variants: ["cannot perform write operation because following scope(s) are locked"],
    mitigation:
      "A ReadOnly management lock on the boot diagnostics storage account, or on a resource group or subscription above it, refuses listKeys and the connection string the console writes there; a ReadOnly lock on the VM or above it refuses POSTs on the VM such as retrieveBootDiagnosticsData. Remove the lock (or make it CanNotDelete), or point boot diagnostics at managed storage or an unlocked account.",
    // --subscription: az lock list reads the resource group, type and name from --resource, not its subscription.
    fix: ["az lock list --resource {vmId} --subscription {subscription} -o table"],
    checks: ["resource-locks"],
    // Microsoft's page on locks ("a read-only lock on a storage account prevents users from listing the account
    // keys"); the console's side is in https://github.com/microsoft/azserialconsole/issues/115.
    docUrl: "https://learn.microsoft.com/azure/azure-resource-manager/management/lock-resources",
  },
  {
    // Not in the Serial Console documents: Resource Manager's refusal when a deny assignment (a deployment stack's
    // deny settings, a managed application's, AKS's node resource group lockdown) blocks an action a role grants —
    // https://learn.microsoft.com/azure/role-based-access-control/deny-assignments. The console's connect action
    // gets it too, as users report it publicly (the portal's "encountered an error: 'DenyAssignmentAuthorizationFailed' (403)").
    id: "deny-assignment",
    sources: ["azure-rbac-deny-assignments"],
    code: "DenyAssignmentAuthorizationFailed",
    httpStatus: 403,
    message:
      "The client '{name}' with object id '{objectId}' has permission to perform action '{action}' on scope '{scope}'; however, the access is denied because of the deny assignment with name '{denyAssignment}' and Id '{id}' at scope '{scope}'.",
    variants: ["the access is denied because of the deny assignment"],
    mitigation:
      "A deny assignment overrides every role assignment: no role, not even Owner, lifts it, so granting one does not help. Only its owner can exclude you (or the action) from it: the deployment stack's deny settings, the managed application's publisher, the service that created it. List the deny assignments that apply to the VM to find it.",
    fix: ["az rest --method get --url {vmId}/providers/Microsoft.Authorization/denyAssignments --uri-parameters api-version=2022-04-01"],
    checks: ["rbac-vm", "rbac-storage"],
    docUrl: "https://learn.microsoft.com/azure/role-based-access-control/deny-assignments",
  },
  {
    id: "service-timeout",
    sources: ["serial-console-errors-2025"],
    message: "Sorry, the serial console was unable to connect to the VM because the service didn't respond in a timely manner.",
    mitigation:
      "In rare circumstances, a communication failure might prevent the Azure node from correctly applying a boot diagnostics configuration. To resolve this issue, try to reapply the VM state in the Azure portal.",
    fix: ["az vm reapply --name {vm} --resource-group {rg} --subscription {subscription}"],
    // A boot diagnostics configuration the node failed to apply shows in the instance view (boot-diagnostics).
    checks: ["boot-diagnostics"],
    docUrl: ERRORS_DOC,
  },
  {
    id: "no-output-after-live-migration",
    sources: ["serial-console-errors-2025"],
    message: "The serial console successfully connects to the VM, but no output is displayed, and user input is unresponsive.",
    mitigation:
      "Serial Console and logs might not be available after you run a live migration for Generation 2 VMs by having Trusted Launch and Secure Boot enabled. To resolve this issue, run a guest OS restart.",
    fix: ["az vm restart --name {vm} --resource-group {rg} --subscription {subscription}"],
    checks: ["trusted-launch"],
    docUrl: ERRORS_DOC,
  },
  {
    id: "another-connection",
    sources: ["serial-console-errors-2025"],
    message: "Another connection is currently in progress to this VM. Please wait and retry the request.",
    mitigation:
      "This message indicates that another user might have Serial Console open in the VM. If this situation isn't true, try to restore Azure Serial Console access by disabling and re-enabling boot diagnostics.",
    fix: [
      "az vm boot-diagnostics disable --name {vm} --resource-group {rg} --subscription {subscription}",
      "az vm boot-diagnostics enable --name {vm} --resource-group {rg} --subscription {subscription}",
    ],
    checks: [],
    docUrl: ERRORS_DOC,
  },
  {
    id: "sac-cmd-unavailable",
    sources: ["serial-console-errors-2025"],
    message:
      "Unable to launch a Command Prompt. The service responsible for launching Command Prompt channels has not yet registered. This may be because the service is not yet started, is disabled by the administrator, is malfunctioning or is unresponsive.",
    mitigation:
      "This may indicate that the service Special Administration Console Helper (sacsvr) service is disabled. Go to windows services and ensure that service's startup is set as Automatic and it starts successfully.",
    fix: [
      'az vm run-command invoke --name {vm} --resource-group {rg} --subscription {subscription} --command-id RunPowerShellScript --scripts "Set-Service sacsvr -StartupType Automatic; Start-Service sacsvr"',
    ],
    // SAC's own event line for the same state, as the serial log shows it (the serial-log check's sticky signature).
    aliases: ["EVENT: The CMD command is unavailable"],
    checks: ["serial-log"],
    docUrl: ERRORS_DOC,
  },
  {
    id: "storage-shared-key-disabled",
    sources: ["serial-console-overview"],
    message:
      "Serial Console is not supported when the boot diagnostics storage account has 'Allow storage account key access' disabled (allowSharedKeyAccess: false).",
    // What Azure Storage answers a key-signed request (the serial log's SAS link) on such an account, as az storage
    // prints it: the code (https://learn.microsoft.com/rest/api/storageservices/blob-service-error-codes; the
    // serial-log check reads it the same way) and its message; the refusal itself:
    // https://learn.microsoft.com/azure/storage/common/shared-key-authorization-prevent.
    aliases: ["KeyBasedAuthenticationNotPermitted", "Key based authentication is not permitted on this storage account"],
    mitigation: "Enable storage account key access on the boot diagnostics storage account, or switch the VM to managed boot diagnostics.",
    fix: [
      "az storage account update --name {storageAccount} --resource-group {storageRg} --subscription {storageSubscription} --allow-shared-key-access true",
      "az vm boot-diagnostics enable --name {vm} --resource-group {rg} --subscription {subscription}",
    ],
    checks: ["storage-shared-key"],
    docUrl: OVERVIEW_DOC,
  },
] as const satisfies readonly CatalogEntry[];
