import { renderFix } from "../catalog/index.js";
import type { SerialLogFacts, VmFacts } from "../azure/facts.js";
import type { Evidence, Finding } from "../types.js";
import { defineCheck } from "./define.js";
import { vmArgs } from "./support/facts-to-args.js";
import { judgeSerialLog, type SerialLogVerdict } from "./support/serial-log.js";
import { windowsEdition } from "./support/windows-edition.js";
import { EMS_COMMANDS } from "./guest-login.js";

/** Blank-console fixes per OS (serial-console-linux "Custom Linux images"; serial-console-windows EMS). */
const BLANK_FIX = {
  linux: [
    'az vm run-command invoke --name {vm} --resource-group {rg} --subscription {subscription} --command-id RunShellScript --scripts "systemctl enable --now serial-getty@ttyS0.service"',
  ],
  windows: [
    "az vm run-command invoke --name {vm} --resource-group {rg} --subscription {subscription} --command-id EnableEMS",
    "az vm restart --name {vm} --resource-group {rg} --subscription {subscription}",
  ],
} as const;

/**
 * What the guest last wrote to its serial port (the boot diagnostics serial log, latest boot): a login or `SAC>`
 * prompt passes; nothing, or output without a prompt, warns with the blank-console fixes; a known boot failure
 * warns naming it, with the Microsoft doc that fixes it. Never `fail`: the console works, and it is the tool to
 * repair what the log shows.
 */
export default defineCheck({
  id: "serial-log",
  title: "What the guest last wrote to the serial port (boot diagnostics serial log)",
  needs: ["vm", "serialLog"],
  dependsOn: ["boot-diagnostics"],
  advisory: true,
  permissions: [
    "Microsoft.Compute/virtualMachines/retrieveBootDiagnosticsData/action (optional)",
    "storage account firewall admits this machine (custom boot diagnostics storage)",
  ],
  evaluate({ vm, serialLog }) {
    if (vm.bootDiagnostics.enabled !== true || serialLog.kind === "boot-diagnostics-off") {
      return { status: "skip", reason: "boot diagnostics is off: there is no serial log", evidence: {} };
    }
    if (serialLog.kind === "not-read") return { status: "skip", reason: serialLog.reason, evidence: {} };
    if (serialLog.kind === "refused") return refused(serialLog);
    const os = (vm.osType ?? "").toLowerCase() === "windows" ? "windows" : "linux";
    if (os === "windows" && windowsEdition(vm).edition === "client") {
      return {
        status: "skip",
        reason: "Windows client edition: it has no SAC to write to the serial port (see guest-login)",
        evidence: {},
      };
    }
    const judgement = judgeSerialLog(serialLog.tail);
    const read: Evidence = {
      storage: serialLog.storage,
      logBytes: serialLog.totalBytes,
      bytesJudged: Buffer.byteLength(serialLog.tail),
      ...(serialLog.missing ? { logMissing: true } : {}),
      ...(judgement.bootMarkerFound ? {} : { bootStartFound: false }),
    };
    return fromVerdict(judgement.verdict, vm, os, read);
  },
});

function refused(log: Extract<SerialLogFacts, { kind: "refused" }>): Finding {
  const evidence = { refusedBy: log.by, statusCode: log.status, code: log.code ?? null };
  if (log.by === "resource-manager") {
    return {
      status: "error",
      reason: `Resource Manager refused retrieveBootDiagnosticsData (${log.status}${log.code ? ` ${log.code}` : ""}): the caller lacks ${log.action ?? "the retrieveBootDiagnosticsData action"} (Reader does not include it)`,
      evidence: { ...evidence, missingAction: log.action ?? null },
    };
  }
  return {
    status: "error",
    reason: `the storage account refused to serve the serial log to this machine (${log.message}): its firewall must admit this machine's IP address (or run sc-doctor from a network it allows)`,
    evidence,
  };
}

export function fromVerdict(verdict: SerialLogVerdict, vm: VmFacts, os: "linux" | "windows", read: Evidence): Finding {
  const earlier = verdict.earlier ? { earlierBootSignature: verdict.earlier.signature, earlierBootLine: verdict.earlier.line } : {};
  switch (verdict.state) {
    case "prompt":
      return {
        status: "pass",
        reason: `the latest boot ends at a prompt (${verdict.signature.title}): the guest side of the console works`,
        evidence: { signature: verdict.signature.id, line: verdict.line, ...earlier, ...read },
      };
    case "sticky":
      return {
        status: "warn",
        reason: `${verdict.signature.title} — ${verdict.signature.mitigation ?? ""} (${verdict.signature.doc ?? ""})`,
        evidence: { signature: verdict.signature.id, line: verdict.line, doc: verdict.signature.doc ?? null, ...earlier, ...read },
        documentedErrorId: verdict.signature.id === "sac-cmd-unavailable" ? "sac-cmd-unavailable" : undefined,
        fixArgs: vmArgs(vm),
      };
    case "failure": {
      const { signature, decisive, cause } = verdict;
      const state = decisive.id !== signature.id ? ` (the boot stopped in ${decisive.title})` : "";
      const why = cause ? `: ${cause.title}` : "";
      return {
        status: "warn",
        reason: `the latest boot failed: ${signature.title}${why}${state}${signature.unverified ? " (possible: matched by name, prefer the boot screenshot)" : ""}. ${signature.mitigation ?? ""} See ${signature.doc ?? ""}`,
        evidence: {
          signature: signature.id,
          line: verdict.line,
          ...(decisive.id !== signature.id ? { state: decisive.id, stateLine: verdict.decisiveLine } : {}),
          ...(cause ? { cause: cause.id, causeLine: cause.line } : {}),
          doc: signature.doc ?? null,
          ...earlier,
          ...read,
        },
        fix: renderFix(signature.fix ?? [], vmArgs(vm)),
      };
    }
    case "blank": {
      const fix = renderFix(BLANK_FIX[os], vmArgs(vm));
      const reason =
        verdict.signature === "empty"
          ? os === "windows"
            ? `the serial log of the latest boot is empty: EMS/SAC is probably off (${EMS_COMMANDS.join("; ")}), or the VM has not booted since boot diagnostics was enabled`
            : "the serial log of the latest boot is empty: the kernel does not write to ttyS0 (console=ttyS0 missing), or the VM has not booted since boot diagnostics was enabled"
          : os === "windows"
            ? "the latest boot wrote output but no SAC> prompt: EMS/SAC may be off"
            : "the latest boot wrote output but no login prompt: no getty runs on ttyS0 (or the prompt was not redrawn — press Enter at the console)";
      return {
        status: "warn",
        reason,
        evidence: { signature: verdict.signature, ...(verdict.lastLine ? { lastLine: verdict.lastLine } : {}), ...earlier, ...read },
        documentedErrorId: "blank-console",
        fix,
      };
    }
  }
}
