import { getEntry, renderFix } from "../catalog/index.js";
import { GUEST_DOCS } from "../catalog/guest.js";
import type { SerialLogFacts, VmFacts } from "../azure/facts.js";
import type { Evidence, Finding } from "../types.js";
import { defineCheck } from "./define.js";
import { vmArgs } from "./support/facts-to-args.js";
import { afterRestartingFailure, cannotTell, judgeSerialLog, untold, type SerialLogVerdict } from "./support/serial-log.js";
import { windowsEdition } from "./support/windows-edition.js";
import { NOT_RUNNING, powerStatus } from "./support/power.js";
import { EMS_COMMANDS } from "./guest-login.js";
import { noVmAgentExtensions, offlineRoute, RUN_COMMAND_DOC } from "./support/vm-agent.js";

/** Serial console settings for GRUB and the kernel command line, per distribution. */
const GRUB_DOC = "https://learn.microsoft.com/troubleshoot/azure/virtual-machines/linux/serial-console-grub-proactive-configuration";

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
    "Microsoft.Compute/virtualMachineScaleSets/virtualMachines/retrieveBootDiagnosticsData/action (optional; uniform scale set instances)",
    "storage account firewall admits this machine (custom boot diagnostics storage)",
  ],
  evaluate({ vm, serialLog }) {
    if (vm.bootDiagnostics.enabled !== true || serialLog.kind === "boot-diagnostics-off") {
      return { status: "skip", reason: "boot diagnostics is off: there is no serial log", evidence: {} };
    }
    if (serialLog.kind === "not-read") return { status: "skip", reason: serialLog.reason, evidence: {} };
    if (serialLog.kind === "refused") return refused(serialLog, vm);
    const os = (vm.osType ?? "").toLowerCase() === "windows" ? "windows" : "linux";
    const edition = os === "windows" ? windowsEdition(vm) : undefined;
    if (edition?.edition === "client") {
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
      // The bytes read, not the decoded text re-encoded (an invalid byte reads as a 3-byte U+FFFD).
      bytesJudged: serialLog.bytesRead ?? Math.min(Buffer.byteLength(serialLog.tail), serialLog.totalBytes),
      ...(serialLog.missing ? { logMissing: true } : {}),
      ...(judgement.bootMarkerFound ? {} : { bootStartFound: false }),
    };
    // Only later output, no prompt and no boot start in as much of the log as is read: the prompt may be further
    // back. That is no evidence of a blank console (the VM may have been up for weeks of kernel messages), nor is
    // a lone failure cause there evidence of a failed boot.
    if (cannotTell(judgement, serialLog.complete)) {
      const { verdict } = judgement;
      const { lastLine: last, aside: seen } = untold(verdict);
      return {
        status: "error",
        reason: `the last ${mib(read["bytesJudged"])} of the serial log (${mib(serialLog.totalBytes)}) hold no boot start and no prompt, only later output${seen}: whether the latest boot reached a prompt cannot be told from the log — press Enter at the console, or read the whole log (az vm boot-diagnostics get-boot-log)`,
        evidence: { ...(last ? { lastLine: last } : {}), ...read },
      };
    }
    // An edition not known may be a client one, which has no SAC at all: a silent log is then no EMS setting to fix.
    const editionUnknown = edition?.edition === "unknown" ? edition.basis : undefined;
    return fromLastRun(withoutRunCommand(fromVerdict(judgement.verdict, vm, os, read, editionUnknown), vm, os), vm);
  },
});

/** What a Run Command fix would have done, to do on the repair VM's copy of the OS disk instead, by signature. */
const OFFLINE_CHANGE: Record<string, string> = {
  "sac-cmd-unavailable": "set the sacsvr service to start automatically in its SYSTEM hive (Start = 2)",
  "cloud-init": "read its /var/log/cloud-init.log and fix the custom data or datasource configuration",
};
const OFFLINE_BLANK = {
  linux: "enable serial-getty@ttyS0.service (and put console=ttyS0 on the kernel command line)",
  // Offline, the boot store is named (\boot\bcd; \EFI\Microsoft\Boot\BCD on a UEFI VM), and the port set as online.
  windows:
    'turn EMS on in its boot configuration (bcdedit /store <drive>:\\boot\\bcd /ems "{default}" on, then bcdedit /store <drive>:\\boot\\bcd /emssettings EMSPORT:1 EMSBAUDRATE:115200; <drive>:\\EFI\\Microsoft\\Boot\\BCD on a UEFI VM)',
} as const;

/**
 * Run Command runs through the VM agent (its doc, RUN_COMMAND_DOC): where the VM's model says nothing can run through
 * the agent — as guest-login says of VMAccess, from the same `noVmAgentExtensions` — a Run Command fix cannot work,
 * and the repair VM's offline route replaces it, with the reason saying why.
 */
function withoutRunCommand(finding: Finding, vm: VmFacts, os: "linux" | "windows"): Finding {
  const why = noVmAgentExtensions(vm);
  if (!why) return finding;
  const fix = finding.fix ?? (finding.documentedErrorId ? getEntry(finding.documentedErrorId)?.fix : undefined) ?? [];
  // A uniform scale set instance's fix is already its `az vmss run-command` form.
  if (!fix.some((command) => /\baz vm(?:ss)? run-command\b/.test(command))) return finding;
  const signature = String(finding.evidence?.["signature"] ?? "");
  const route = offlineRoute(vm, OFFLINE_CHANGE[signature] ?? OFFLINE_BLANK[os]);
  const offline = `Run Command cannot run on this VM (it runs through the VM agent, ${RUN_COMMAND_DOC}): ${why}. Make the change offline instead: ${route.how}.`;
  return {
    ...finding,
    reason: `${finding.reason} — ${offline}`,
    evidence: {
      ...finding.evidence,
      ...(vm.allowExtensionOperations === false ? { allowExtensionOperations: false } : {}),
      ...(vm.provisionVMAgent === false ? { provisionVMAgent: false } : {}),
    },
    ...(finding.documentedErrorId ? { mitigation: offline } : {}),
    fix: route.fix,
  };
}

/**
 * A stopped or deallocated VM's log is its last run's (power-state fails it), a starting VM's may be: said in the
 * reason, so a pass does not read as a console that works now.
 */
function fromLastRun(finding: Finding, vm: VmFacts): Finding {
  const power = powerStatus(vm);
  // Starting: its new boot may not have written anything yet, and what the log ends with is the last run's.
  const starting = power?.state === "starting";
  if (!power || (!starting && !NOT_RUNNING.includes(power.state))) return finding;
  return {
    ...finding,
    reason: `${finding.reason} [the VM is ${power.state}: this log ${starting ? "may be" : "is"} from its last run]`,
    evidence: { ...finding.evidence, powerState: power.status.code },
  };
}

/** A byte count as MiB (or KiB under one MiB), for reasons. */
function mib(bytes: unknown): string {
  const n = typeof bytes === "number" ? bytes : 0;
  return n >= 1024 * 1024 ? `${Math.round((n / (1024 * 1024)) * 10) / 10} MiB` : `${Math.round(n / 1024)} KiB`;
}

function refused(log: Extract<SerialLogFacts, { kind: "refused" }>, vm: VmFacts): Finding {
  const evidence = { refusedBy: log.by, statusCode: log.status, code: log.code ?? null };
  if (log.by === "resource-manager") {
    return {
      status: "error",
      reason: `Resource Manager refused retrieveBootDiagnosticsData (${log.status}${log.code ? ` ${log.code}` : ""}): the caller lacks ${log.action ?? "the retrieveBootDiagnosticsData action"} (Reader does not include it)`,
      evidence: { ...evidence, missingAction: log.action ?? null },
    };
  }
  if (log.by === "lock") {
    return {
      status: "error",
      reason: `a ReadOnly lock at or above the VM refuses retrieveBootDiagnosticsData, a POST (${log.status} ${log.code ?? "ScopeLocked"}: ${log.message}): the log cannot be read while the lock stands — make it CanNotDelete or remove it (resource-locks names it)`,
      evidence,
    };
  }
  return {
    status: "error",
    reason: `the storage account refused to serve the serial log to this machine (${log.message}): ${blobRefusal(log.code, vm)}`,
    evidence,
  };
}

/**
 * What a refusal of the blob read means, by the Blob service's error code
 * (https://learn.microsoft.com/rest/api/storageservices/blob-service-error-codes): a network rule answers
 * AuthorizationFailure, an account that allows no shared key refuses a key-signed SAS with
 * KeyBasedAuthenticationNotPermitted, a SAS out of date or badly signed gets AuthenticationFailed. A managed account
 * has no firewall of the user's.
 */
function blobRefusal(code: string | undefined, vm: VmFacts): string {
  const custom = Boolean(vm.bootDiagnostics.storageUri);
  switch (code?.toLowerCase()) {
    case "keybasedauthenticationnotpermitted":
      return "it allows no shared key access (allowSharedKeyAccess false), so it refuses the key-signed link Azure hands out";
    case "authenticationfailed":
      return "the link Azure handed out was refused (expired, or this machine's clock is off); run sc-doctor again";
    case "authorizationfailure":
      if (custom) return "its firewall must admit this machine's IP address (or run sc-doctor from a network it allows)";
  }
  return custom
    ? "check its firewall (it must admit this machine's IP address) and its shared key access"
    : "the account is Azure's managed boot diagnostics storage, which has no firewall of yours: try again, or read the log in the portal";
}

export function fromVerdict(
  verdict: SerialLogVerdict,
  vm: VmFacts,
  os: "linux" | "windows",
  read: Evidence,
  editionUnknown?: string,
): Finding {
  const earlier = verdict.earlier ? { earlierBootSignature: verdict.earlier.signature, earlierBootLine: verdict.earlier.line } : {};
  switch (verdict.state) {
    case "prompt": {
      const later = verdict.later;
      return {
        status: "pass",
        reason: `the latest boot ends at a prompt (${verdict.signature.title}): the guest side of the console works${later ? ` (after it: ${later.signature}, see evidence.laterLine)` : ""}`,
        evidence: {
          signature: verdict.signature.id,
          line: verdict.line,
          ...(later ? { laterSignature: later.signature, laterLine: later.line } : {}),
          ...earlier,
          ...read,
        },
      };
    }
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
      const doc = cause?.doc ?? signature.doc;
      const state = decisive.id !== signature.id ? ` (the boot stopped in ${decisive.title})` : "";
      const why = cause ? `: ${cause.title}` : "";
      const dump = verdict.crashDump
        ? " kdump's capture kernel was saving a crash dump when the log ends: the VM restarts once it is done (the dump lands in /var/crash)."
        : "";
      const failed = verdict.bootLoop
        ? `boot loop: the ${verdict.bootLoop} boots before the latest all ended in ${signature.title}${why}, each restarting into the next (the latest is still under way)`
        : `the latest boot failed: ${signature.title}${why}${state}`;
      return {
        status: "warn",
        reason: `${failed}${signature.unverified ? " (possible: matched by name, prefer the boot screenshot)" : ""}.${dump} ${signature.mitigation ?? ""} See ${doc ?? ""}`,
        evidence: {
          signature: signature.id,
          line: verdict.line,
          ...(decisive.id !== signature.id ? { state: decisive.id, stateLine: verdict.decisiveLine } : {}),
          ...(cause ? { cause: cause.id, causeLine: cause.line } : {}),
          ...(verdict.crashDump ? { crashDump: true } : {}),
          ...(verdict.bootLoop ? { bootLoop: verdict.bootLoop } : {}),
          doc: doc ?? null,
          ...earlier,
          ...read,
        },
        fix: renderFix(signature.fix ?? [], vmArgs(vm)).map((command) =>
          isGeneration2(vm) ? command.replace("grubfix", "efifix") : command,
        ),
      };
    }
    case "blank": {
      // Arm64 guests may use another serial port than ttyS0 (PL011 ttyAMA0 is reported, unverified): say so, and
      // give no ttyS0 fix to a VM where it may be wrong.
      const arm64 = os === "linux" && isArm64Size(vm.vmSize);
      const port = arm64 ? "the serial console (on Arm64 maybe not ttyS0)" : "ttyS0";
      // After a restart, or after an earlier boot's prompt, nothing says the serial port is misconfigured: no ttyS0
      // or EMS fix either. After the boot loader alone, a getty is not what is missing (the kernel's console is).
      // SAC's banner in this boot: EMS is on, so enabling it fixes nothing either.
      // After a failure that restarted the VM by itself, the port showed that failure: fix the failure, not the port.
      const serialPortWorks =
        verdict.restarted || verdict.earlierPrompt || verdict.restartedAfterFailure || (os === "windows" && verdict.sacStarted);
      // Waiting on a start job, systemd writes to the port: the getty comes once the boot gets past the job.
      const fix = arm64 || serialPortWorks || verdict.bootLoaderOnly || verdict.startJob ? [] : renderFix(BLANK_FIX[os], vmArgs(vm));
      const clientMaybe =
        editionUnknown !== undefined && !serialPortWorks
          ? ` — unless this is a Windows client edition (Windows 10/11), which has no SAC to write at all: its edition is unknown (${editionUnknown})`
          : "";
      const reason = `${blankReason(verdict, os, port, read["logMissing"] === true, arm64)}${clientMaybe}`;
      return {
        status: "warn",
        reason,
        evidence: {
          signature: verdict.signature,
          ...(verdict.lastLine ? { lastLine: verdict.lastLine } : {}),
          ...(verdict.restarted ? { restarted: verdict.restarted } : {}),
          ...(verdict.bootLoaderOnly ? { bootLoaderOnly: true } : {}),
          ...(verdict.startJob ? { startJob: verdict.startJob } : {}),
          ...(verdict.earlierPrompt ? { earlierPrompt: verdict.earlierPrompt } : {}),
          ...(verdict.restartedAfterFailure ? { restartedAfterFailure: verdict.restartedAfterFailure.signature } : {}),
          ...(os === "windows" && verdict.sacStarted ? { sacStarted: verdict.sacStarted } : {}),
          ...(arm64 ? { arm64: true } : {}),
          ...(editionUnknown !== undefined ? { edition: "unknown" } : {}),
          doc: GUEST_DOCS[os],
          ...earlier,
          ...read,
        },
        documentedErrorId: "blank-console",
        fix,
      };
    }
  }
}

/** Why the console of a blank latest boot shows nothing (or no prompt), most specific first. */
function blankReason(
  verdict: Extract<SerialLogVerdict, { state: "blank" }>,
  os: "linux" | "windows",
  port: string,
  logMissing: boolean,
  arm64: boolean,
): string {
  const failed = afterRestartingFailure(verdict);
  if (failed) return `${failed.words} — fix that failure first (${failed.signature.doc})`;
  if (verdict.startJob)
    return `as far as the log goes, the latest boot is stuck on a systemd start job, ${verdict.startJob} (last: '${verdict.lastLine ?? ""}'): systemd writes to ${port}, so its console is set, and the getty starts only once the boot gets past that job — find why ${verdict.startJob} does not finish (its journal, from a repair VM's copy of the OS disk if it never does)`;
  if (verdict.bootLoaderOnly)
    return `the latest boot shows only the boot loader's output (last: '${verdict.lastLine ?? ""}'): the kernel wrote nothing to ${port} after it — ${arm64 ? "its console= setting" : "console=ttyS0"} is probably missing from the kernel command line (GRUB_CMDLINE_LINUX, then regenerate the GRUB configuration: ${GRUB_DOC}), or the kernel hangs before its console starts (the boot diagnostics screenshot shows which)`;
  if (verdict.sacStarted && os === "windows")
    return `SAC started in the latest boot ('${verdict.sacStarted}') but has not shown its SAC> prompt: EMS is on — the VM is still starting, or stuck after SAC started (a stop error, updates, a hang); the boot diagnostics screenshot shows which`;
  if (verdict.earlierPrompt && os === "windows")
    return `the latest boot wrote ${verdict.signature === "empty" ? "nothing" : "output"} but no SAC> prompt yet, while an earlier boot in this log reached it ('${verdict.earlierPrompt}'): EMS is on — the VM is still starting, or stuck before SAC starts (Boot Manager, a stop error, BitLocker recovery); the boot diagnostics screenshot shows which`;
  if (verdict.earlierPrompt)
    return `the latest boot wrote ${verdict.signature === "empty" ? "nothing" : "output"} but no login prompt yet, while an earlier boot in this log reached one ('${verdict.earlierPrompt}'): ${port} has a getty — the VM ${verdict.restartedAfterPrompt ? `restarted ('${verdict.restartedAfterPrompt}')` : "restarted without a word (a panic, a host reset)"} and is still booting or stuck; the boot diagnostics screenshot shows which`;
  if (verdict.restarted && os === "windows")
    return `Windows shut down or restarted ('${verdict.restarted}') and has written ${verdict.signature === "empty" ? "nothing" : "no SAC> prompt"} since: the VM is stopped, still starting, or stuck before SAC starts (Boot Manager, a stop error, BitLocker recovery) — the boot diagnostics screenshot shows which`;
  if (verdict.restarted)
    return verdict.poweredOff
      ? `the guest shut down ('${verdict.restarted}') and has written ${verdict.signature === "empty" ? "nothing" : "no prompt"} since: the VM is stopped, still starting, or stuck before the kernel (GRUB, firmware) — the boot diagnostics screenshot shows which`
      : `the guest restarted ('${verdict.restarted}') and has written ${verdict.signature === "empty" ? "nothing" : "no prompt"} since: it may still be starting, or be stuck before the kernel (GRUB, firmware) — the boot diagnostics screenshot shows which`;
  if (logMissing)
    return `there is no serial log yet (its blob does not exist): the VM has not booted since boot diagnostics was enabled, or has never written to ${os === "windows" ? "the serial port (EMS/SAC off?)" : port}`;
  if (verdict.signature === "empty")
    return os === "windows"
      ? `the serial log of the latest boot is empty: EMS/SAC is probably off (${EMS_COMMANDS.join("; ")}), or the VM has not booted since boot diagnostics was enabled`
      : `the serial log of the latest boot is empty: the kernel does not write to ${port} (${arm64 ? "console= missing on the kernel command line" : "console=ttyS0 missing"}), or the VM has not booted since boot diagnostics was enabled`;
  return os === "windows"
    ? "the latest boot wrote output but no SAC> prompt: EMS/SAC may be off"
    : `the latest boot wrote output but no login prompt: no getty runs on ${port} (or the prompt was not redrawn — press Enter at the console)`;
}

/**
 * A Generation 2 (UEFI) VM: the instance view's `hyperVGeneration` "V2", or, without it, Trusted Launch and
 * confidential VMs, which are Generation 2 only (https://learn.microsoft.com/azure/virtual-machines/trusted-launch).
 * ALAR repairs their GRUB with `efifix`, not `grubfix`
 * (https://learn.microsoft.com/troubleshoot/azure/virtual-machines/linux/repair-linux-vm-using-alar).
 */
function isGeneration2(vm: VmFacts): boolean {
  if (vm.hyperVGeneration) return vm.hyperVGeneration.toUpperCase() === "V2";
  return /^(?:TrustedLaunch|ConfidentialVM)$/i.test(vm.securityType ?? "");
}

/**
 * An Arm64 size: `p` among the lowercase additive features after the vCPU count (Standard_D2ps_v5, B2pts_v2,
 * E4pds_v6; https://learn.microsoft.com/azure/virtual-machines/vm-naming-conventions — "p = ARM Cpu").
 */
export function isArm64Size(size: string | undefined): boolean {
  const features = /_[A-Z]+\d+(?:-\d+)?([a-z]+)_v\d+$/.exec(size ?? "")?.[1];
  return features?.includes("p") ?? false;
}
