/**
 * What each suggested fix command does, in a few words, for the table view: a command alone does not say that
 * `az vm boot-diagnostics enable` without `--storage` switches the VM to managed boot diagnostics (Azure CLI
 * reference: https://learn.microsoft.com/cli/azure/vm/boot-diagnostics). First match wins; `undefined` when none
 * does (the command is then shown without a label).
 */
const LABELS: readonly (readonly [RegExp, string])[] = [
  [/^az vm boot-diagnostics enable\b(?!.*\s--storage\b)/, "switch to managed boot diagnostics (no storage account of yours)"],
  [/^az vm boot-diagnostics enable\b/, "enable boot diagnostics with the storage account named"],
  [/^az vm boot-diagnostics disable\b/, "turn boot diagnostics off"],
  [/^az storage account network-rule add\b/, "let the Serial Console IPs through the storage account firewall"],
  [/^az storage account update\b.*--allow-shared-key-access\s+true/, "allow storage account key access"],
  [/^az storage account update\b/, "change the storage account setting named above"],
  [/^az storage account create\b/, "create a new storage account for boot diagnostics"],
  [/^az role assignment create\b/, "grant the role Serial Console needs"],
  [/^az resource invoke-action --action enableConsole\b/, "enable Serial Console for the subscription"],
  [/^az vm start\b/, "start the VM"],
  [/^az vmss start\b/, "start the scale set instance"],
  [/^az vmss update\b.*diagnosticsProfile/, "set boot diagnostics in the scale set's model (then apply it to the instance)"],
  [/^az vmss update-instances\b/, "apply the scale set's latest model to this instance"],
  [/^az vm reapply\b/, "reapply the VM's state (re-runs provisioning)"],
  [/^az vm redeploy\b/, "redeploy the VM to another host (it restarts)"],
  [/^az vm restart\b/, "restart the VM"],
  [/^az vm deallocate\b/, "deallocate the VM (it stops)"],
  [/^az vm convert\b/, "convert the VM to managed disks"],
  [/^az vm repair create\b/, "create a repair VM with a copy of the OS disk"],
  [/^az vm repair restore\b/, "swap the repaired OS disk back onto the VM"],
  [/^az vmss reimage\b/, "reimage the scale set instance from its model (replaces its OS disk)"],
  [/^az vm image terms accept\b/, "accept the image's Marketplace terms"],
  [/^az vm(ss)? wait\b.*\s--created\b/, "wait until it exists (read-only)"],
  [/^az vm(ss)? wait\b/, "wait until the operation in progress finishes (read-only)"],
  [
    /^az (vm show|vm get-instance-view|vm list|vm extension (list|show)|disk show|resource list|role assignment list|vm image terms show)\b/,
    "look (read-only)",
  ],
  [/^Set-Service sacsvr\b/, "in the guest (PowerShell): start SAC now and at every boot"],
];

export function fixLabel(command: string): string | undefined {
  const trimmed = command.trim();
  return LABELS.find(([pattern]) => pattern.test(trimmed))?.[1];
}
