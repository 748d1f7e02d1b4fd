import { defineCheck } from "./define.js";
import { ENABLE_MANAGED_BOOT_DIAGNOSTICS, vmArgs, vmFix } from "./support/facts-to-args.js";

/**
 * "Azure Serial Console requires boot diagnostics to be enabled" (errors doc). Managed boot diagnostics is
 * `enabled: true` without a `storageUri`. For a uniform scale set instance the az CLI looks at the instance view
 * instead: `bootDiagnostics: null` there blocks it even when the model says enabled.
 */
export default defineCheck({
  id: "boot-diagnostics",
  title: "Boot diagnostics enabled",
  needs: ["vm"],
  permissions: ["Microsoft.Compute/virtualMachines/read"],
  evaluate({ vm }) {
    const { enabled, storageUri } = vm.bootDiagnostics;
    const mode = enabled === true ? (storageUri ? "custom" : "managed") : "disabled";
    const evidence = { enabled: enabled ?? null, mode, storageUri: storageUri ?? null };
    const scaleSet = vm.kind === "vmss-uniform";
    // A uniform instance is enabled through its scale set's model (renderFix's az vmss form); a VM takes the
    // catalogue's fix with its storage URI.
    const fix = scaleSet ? vmFix(vm, [ENABLE_MANAGED_BOOT_DIAGNOSTICS]) : undefined;
    if (enabled !== true) {
      return {
        status: "fail",
        reason: "boot diagnostics is not enabled on this VM",
        evidence,
        documentedErrorId: "boot-diagnostics-disabled",
        fixArgs: vmArgs(vm),
        fix,
      };
    }
    if (scaleSet && vm.instanceViewBootDiagnostics === null) {
      return {
        status: "warn",
        reason:
          "the instance's model enables boot diagnostics but its instance view has none: the az serial-console CLI refuses this instance",
        evidence: { ...evidence, instanceViewBootDiagnostics: null, affectedClient: "az serial-console" },
        documentedErrorId: "boot-diagnostics-disabled",
        fixArgs: vmArgs(vm),
        fix,
      };
    }
    const problem = vm.instanceViewBootDiagnostics?.status;
    if (problem) {
      return {
        status: "warn",
        reason: `boot diagnostics is enabled but Azure reports a problem applying it: ${problem}`,
        evidence: { ...evidence, status: problem },
        documentedErrorId: "service-timeout",
        fixArgs: vmArgs(vm),
      };
    }
    return { status: "pass", reason: `boot diagnostics is enabled (${mode} storage)`, evidence };
  },
});
