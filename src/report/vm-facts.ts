import type { VmResult } from "../types.js";

/** The VM's facts a person reads first in a report, as `[label, value]` pairs; empty values are left out. */
export function vmFactRows(result: VmResult): [string, string][] {
  const vm = result.vm;
  const scaleSet =
    vm.scaleSet !== undefined ? `${vm.scaleSet}${vm.instanceId !== undefined ? ` (instance ${vm.instanceId})` : ""}` : undefined;
  const rows: [string, string | undefined][] = [
    ["Name", vm.name],
    ["Resource id", vm.id],
    ["Resource group", vm.resourceGroup],
    ["Subscription", vm.subscriptionId],
    ["Region", vm.location],
    ["Size", vm.vmSize],
    ["OS", vm.osType],
    ["Security type", vm.securityType],
    ["Boot diagnostics", vm.bootDiagnostics],
    ["Scale set", scaleSet],
  ];
  return rows.filter((row): row is [string, string] => row[1] !== undefined && row[1] !== "");
}
