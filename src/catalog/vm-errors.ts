import type { CatalogEntry } from "./types.js";

/**
 * Azure VM management error codes (seed 003, 2017-03-17), one entry per table row, in table order.
 * Ids: `vm-<code in kebab case>`, and `-2`, `-3`, … for repeated codes.
 *
 * The seed's description column says only "test", so each mitigation here is written for this catalogue: one
 * sentence on what to do, from the message's own meaning. None of these stops Serial Console by itself, but they
 * are what people paste when a VM misbehaves and the console is the next thing they reach for.
 */
const SRC = ["vm-error-messages"] as const;
const DOC = "https://learn.microsoft.com/troubleshoot/azure/virtual-machines/windows/error-messages";

export const VM_ERRORS = [
  {
    id: "vm-vhd-size-invalid",
    sources: [...SRC],
    code: "VHDSizeInvalid",
    httpStatus: 400,
    message: "The specified disk size value of {0} for disk '{1}' with blob {2} is invalid. Disk size must be between {3} and {4}.",
    mitigation:
      "Request a disk size (in GiB) within the range the message gives, and make sure the VHD blob is a fixed-size VHD whose size is a whole number of MiB.",
    checks: [],
    docUrl: DOC,
  },
  {
    id: "vm-vm-agent-status-communication-error",
    sources: [...SRC],
    code: "VMAgentStatusCommunicationError",
    message:
      "VM '{0}' has not reported status for VM agent or extensions. Please verify the VM has a running VM agent, and can establish outbound connections to Azure storage.",
    mitigation:
      "Make sure the guest agent (WindowsAzureGuestAgent / walinuxagent) is installed and running and that the VM can reach Azure storage and 168.63.129.16 outbound; the Serial Console is the way in to check.",
    fix: ["az vm get-instance-view --name {vm} --resource-group {rg} --subscription {subscription} --query instanceView.vmAgent"],
    checks: [],
    docUrl: DOC,
  },
  {
    id: "vm-vm-artifact-repository-internal-error",
    sources: [...SRC],
    code: "VMArtifactRepositoryInternalError",
    message: "An error occurred while communicating with the artifact repository to retrieve VM artifact details.",
    mitigation:
      "A transient platform error while fetching VM artifacts (extensions, images): retry the operation, and open a support request if it persists.",
    checks: [],
    docUrl: DOC,
  },
  {
    id: "vm-vm-artifact-repository-internal-error-2",
    sources: [...SRC],
    code: "VMArtifactRepositoryInternalError",
    message: "An internal error occurred while retrieving the VM artifact data from the artifact repository.",
    mitigation:
      "A transient platform error while reading VM artifact data: retry the operation, and open a support request if it persists.",
    checks: [],
    docUrl: DOC,
  },
  {
    id: "vm-vm-extension-handler-non-transient-error",
    sources: [...SRC],
    code: "VMExtensionHandlerNonTransientError",
    message: "Handler '{0}' has reported failure for VM Extension '{1}' with terminal error code '{2}' and error message: '{3}'",
    mitigation:
      "The extension failed in a way retrying won't fix: read its error message and logs in the guest, correct its settings, then remove and re-add the extension.",
    fix: ["az vm extension list --vm-name {vm} --resource-group {rg} --subscription {subscription} -o table"],
    checks: [],
    docUrl: DOC,
  },
  {
    id: "vm-vm-extension-management-internal-error",
    sources: [...SRC],
    code: "VMExtensionManagementInternalError",
    message: "Internal error occurred while processing VM extension '{0}'.",
    mitigation:
      "A platform error while handling the extension: retry the operation (or reapply the VM), and open a support request if it persists.",
    fix: ["az vm reapply --name {vm} --resource-group {rg} --subscription {subscription}"],
    checks: [],
    docUrl: DOC,
  },
  {
    id: "vm-vm-extension-management-internal-error-2",
    sources: [...SRC],
    code: "VMExtensionManagementInternalError",
    message: "Multiple errors occured while preparing the VM extensions. See VM extension instance view for details.",
    mitigation: "Read each extension's status in the VM instance view, fix or remove the failing ones, then retry.",
    fix: ["az vm get-instance-view --name {vm} --resource-group {rg} --subscription {subscription} --query instanceView.extensions"],
    checks: [],
    docUrl: DOC,
  },
  {
    id: "vm-vm-extension-provisioning-error",
    sources: [...SRC],
    code: "VMExtensionProvisioningError",
    message: "VM has reported a failure when processing extension '{0}'. Error message: \"{1}\".",
    mitigation:
      "Read the quoted error and the extension's logs in the guest, correct its settings or script, then remove and re-add the extension.",
    fix: [
      "az vm extension show --vm-name {vm} --resource-group {rg} --subscription {subscription} --name '<extension>' --query instanceView",
    ],
    checks: [],
    docUrl: DOC,
  },
  {
    id: "vm-vm-extension-provisioning-error-2",
    sources: [...SRC],
    code: "VMExtensionProvisioningError",
    message: "Multiple VM extensions failed to be provisioned on the VM. Please see the VM extension instance view for details.",
    mitigation: "Read each extension's status in the VM instance view, fix or remove the failing ones, then retry.",
    fix: ["az vm get-instance-view --name {vm} --resource-group {rg} --subscription {subscription} --query instanceView.extensions"],
    checks: [],
    docUrl: DOC,
  },
  {
    id: "vm-vm-extension-provisioning-timeout",
    sources: [...SRC],
    code: "VMExtensionProvisioningTimeout",
    message:
      "Provisioning of VM extension '{0}' has timed out. Extension installation may be taking too long, or extension status could not be obtained.",
    mitigation:
      "Check that the guest agent is running and can reach Azure, and that the extension's work fits in its time limit; then remove and re-add the extension.",
    checks: [],
    docUrl: DOC,
  },
  {
    id: "vm-vm-marketplace-invalid-input",
    sources: [...SRC],
    code: "VMMarketplaceInvalidInput",
    message:
      "Creating a virtual machine from a non Marketplace image does not need Plan information, please remove the Plan information in the request. OS disk name is {0}.",
    mitigation: "Remove the plan block (name, publisher, product) from the VM request: the image is not a Marketplace image.",
    checks: [],
    docUrl: DOC,
  },
  {
    id: "vm-vm-marketplace-invalid-input-2",
    sources: [...SRC],
    code: "VMMarketplaceInvalidInput",
    message: "The purchase information does not match. Unable to deploy from the Marketplace image. OS disk name is {0}.",
    mitigation:
      "Make the plan's name, publisher and product match the Marketplace image exactly (as shown by az vm image show) and accept its terms.",
    fix: ["az vm image terms show --urn '<publisher>:<offer>:<sku>:<version>' --subscription '<subscription-id>'"],
    checks: [],
    docUrl: DOC,
  },
  {
    id: "vm-vm-marketplace-invalid-input-3",
    sources: [...SRC],
    code: "VMMarketplaceInvalidInput",
    message: "Creating a virtual machine from Marketplace image requires Plan information in the request. OS disk name is {0}.",
    mitigation: "Add the image's plan (name, publisher, product) to the VM request and accept the Marketplace terms for the subscription.",
    fix: ["az vm image terms accept --urn '<publisher>:<offer>:<sku>:<version>' --subscription '<subscription-id>'"],
    checks: [],
    docUrl: DOC,
  },
  {
    id: "vm-vm-not-found",
    sources: [...SRC],
    code: "VMNotFound",
    httpStatus: 404,
    message: "The VM '{0}' cannot be found.",
    mitigation: "Check the VM's resource id (subscription, resource group, name) and that your account can read it.",
    // The name is its own argument (quoted by renderFix), never spliced into a --query string.
    fix: [
      "az resource list --resource-type Microsoft.Compute/virtualMachines --name {vm} --subscription {subscription} --query '[].id' -o tsv",
    ],
    checks: [],
    detectedBy: 'The run reads the VM before any check: a VM it cannot find stops it with "VM not found" and exit code 3.',
    docUrl: DOC,
  },
  {
    id: "vm-vm-redeployment-failed",
    sources: [...SRC],
    code: "VMRedeploymentFailed",
    message: "VM '{0}' redeployment failed due to an internal error. Please retry later.",
    mitigation:
      "Retry the redeployment later; if the VM stays unreachable, use Serial Console to check the guest and open a support request.",
    fix: ["az vm redeploy --name {vm} --resource-group {rg} --subscription {subscription}"],
    checks: [],
    docUrl: DOC,
  },
  {
    id: "vm-vm-redeployment-timed-out",
    sources: [...SRC],
    code: "VMRedeploymentTimedOut",
    message:
      "Redeployment of VM '{0}' didn't finish in the allotted time. It might finish successfully in sometime. Else, you can retry the request.",
    mitigation: "Wait and check the VM's provisioning and power state; retry the redeployment only if it did not complete.",
    fix: ['az vm get-instance-view --name {vm} --resource-group {rg} --subscription {subscription} --query "instanceView.statuses[].code"'],
    checks: ["provisioning-state", "power-state"],
    docUrl: DOC,
  },
  {
    id: "vm-vm-start-timed-out",
    sources: [...SRC],
    code: "VMStartTimedOut",
    message: "VM '{0}' did not start in the allotted time. The VM may still start successfully. Please check the power state later.",
    mitigation:
      "Check the power state again in a few minutes; if the VM does not reach running, watch its boot in Serial Console or the boot diagnostics screenshot.",
    fix: ['az vm get-instance-view --name {vm} --resource-group {rg} --subscription {subscription} --query "instanceView.statuses[].code"'],
    checks: ["power-state"],
    docUrl: DOC,
  },
] as const satisfies readonly CatalogEntry[];
