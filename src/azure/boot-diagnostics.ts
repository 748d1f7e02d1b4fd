/**
 * Where a VM's boot diagnostics are written, read from its facts alone (no HTTP: checks import this). Managed boot
 * diagnostics has no `storageUri` (https://learn.microsoft.com/azure/virtual-machines/boot-diagnostics).
 */
import type { VmFacts } from "./facts.js";

/** The boot diagnostics URI: the model's storageUri, or for scale set instances the instance view's blob URI. */
export function bootDiagnosticsUri(vm: VmFacts): string | undefined {
  return (
    vm.bootDiagnostics.storageUri ?? (vm.kind === "vmss-uniform" ? vm.instanceViewBootDiagnostics?.consoleScreenshotBlobUri : undefined)
  );
}
