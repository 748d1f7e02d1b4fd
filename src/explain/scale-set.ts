/**
 * az serial-console checks its target before connecting (check_resource in
 * https://github.com/Azure/azure-cli-extensions/blob/main/src/serial-console/azext_serialconsole/custom.py) and prints
 * the same documented errors for a VM and for a scale set instance, with a recommendation that tells them apart: for
 * an instance `Use "az vmss start" …` or `Use "az vmss update … virtualMachineProfile.diagnosticsProfile…"`, for a VM
 * `az vm start` or `az vm boot-diagnostics enable`. The documents' fixes are `az vm` commands, which take no scale
 * set instance: a paste of the instance's error gets their scale set forms.
 */
import { forScaleSetInstance } from "../catalog/scale-set-instance.js";
import type { ExplainMatch } from "./match.js";

const SCALE_SET_ADVICE = /\buse\s+["'\u201c]az vmss (?:start|update)\b/i;

const NOTE =
  "az serial-console's recommendation names az vmss: the target is a scale set instance, so the commands take the scale set and the instance id.";

/** Whether `paste` is az serial-console's error about a scale set instance. */
export function isScaleSetInstanceError(paste: string): boolean {
  return SCALE_SET_ADVICE.test(paste);
}

/** `match` with its entry's fix in the scale set instance form, or unchanged when it has a fix of its own or no such form. */
export function withScaleSetFix(match: ExplainMatch): ExplainMatch {
  if (match.fix !== undefined) return match;
  const templates = forScaleSetInstance(match.entry.fix ?? []);
  if (templates.length === 0) return match;
  return { ...match, fix: { templates, args: {} }, ...(match.note === undefined ? { note: NOTE } : {}) };
}
