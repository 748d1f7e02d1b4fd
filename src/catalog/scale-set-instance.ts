/**
 * A uniform scale set instance is not a VM to `az vm`: its name (`ss1_0`) finds nothing. Its commands take the scale
 * set and the instance id instead (`az vmss restart --instance-ids`, `az vmss run-command invoke --instance-id`,
 * https://learn.microsoft.com/cli/azure/vmss), and boot diagnostics is a setting of the scale set's model, applied to
 * the instance by `az vmss update-instances`. Managed boot diagnostics is a model without `storageUri`
 * (https://learn.microsoft.com/rest/api/compute/virtual-machine-scale-sets/create-or-update#bootdiagnostics): `az vm
 * boot-diagnostics enable` without `--storage` drops the URI (https://github.com/Azure/azure-cli/pull/15145), so its
 * scale set form sets the whole `diagnosticsProfile` (`--set` reads values as JSON and creates only the last missing
 * level of a path, azure-cli's `set_properties` in src/azure-cli-core/azure/cli/core/commands/arm.py: a model with
 * no `diagnosticsProfile` at all has no `bootDiagnostics` to set `enabled` in) — `enabled=true` alone would leave a
 * set on the account that failed; the account's URI, when one is named, is set after it. A fix with any `az vm`
 * command that has no such form is dropped as a whole: half a sequence (re-enabling without first disabling) would
 * be worse than the mitigation alone.
 */
const DIAGNOSTICS = "virtualMachineProfile.diagnosticsProfile";
const ENABLED = `${DIAGNOSTICS}='{"bootDiagnostics":{"enabled":true}}'`;
const SCOPE = "(--resource-group \\{rg\\} --subscription \\{subscription\\})";

const INSTANCE_FORMS: readonly (readonly [RegExp, (...groups: string[]) => string[]])[] = [
  [
    // `az vmss reapply --instance-ids` too (https://learn.microsoft.com/cli/azure/vmss#az-vmss-reapply).
    /^az vm (restart|start|deallocate|redeploy|reapply) --name \{vm\} (.*)$/,
    (verb, rest) => [`az vmss ${verb} --name {scaleSet} ${rest} --instance-ids {instanceId}`],
  ],
  [
    /^az vm (get-instance-view|show) --name \{vm\} (.*)$/,
    (verb, rest) => [`az vmss ${verb} --name {scaleSet} --instance-id {instanceId} ${rest}`],
  ],
  [
    /^az vm run-command invoke --name \{vm\} (.*)$/,
    (rest) => [`az vmss run-command invoke --name {scaleSet} --instance-id {instanceId} ${rest}`],
  ],
  [
    /^az vm wait (--[a-z]+) --name \{vm\} (.*)$/,
    (condition, rest) => [`az vmss wait ${condition} --name {scaleSet} --instance-id {instanceId} ${rest}`],
  ],
  [
    new RegExp(`^az vm boot-diagnostics enable --name \\{vm\\} ${SCOPE}( --storage \\{storageUri\\})?$`),
    (scope, storage) => [
      `az vmss update --name {scaleSet} ${scope} --set ${ENABLED}${storage ? ` ${DIAGNOSTICS}.bootDiagnostics.storageUri={storageUri}` : ""}`,
      `az vmss update-instances --name {scaleSet} ${scope} --instance-ids {instanceId}`,
    ],
  ],
];

/** `templates` for a uniform scale set instance (placeholders `{scaleSet}`, `{instanceId}`); [] when one has no such form. */
export function forScaleSetInstance(templates: readonly string[]): string[] {
  const out: string[] = [];
  for (const template of templates) {
    if (!template.includes("{vm}")) {
      out.push(template);
      continue;
    }
    const form = INSTANCE_FORMS.find(([pattern]) => pattern.test(template));
    if (!form) return [];
    const [, ...groups] = form[0].exec(template) ?? [];
    out.push(...form[1](...groups.map((group) => group ?? "")));
  }
  return out;
}
