/**
 * `sc-doctor explain --log`: the serial-log signatures over a log the user saved or pasted. Same judge as the
 * `serial-log` check (the latest boot, the last decisive line); the two views below only word it.
 */
import pc from "picocolors";
import { getEntry } from "../catalog/index.js";
import { GUEST_DOCS } from "../catalog/guest.js";
import { afterRestartingFailure, cannotTell, judgeSerialLog, untold, type SerialLogJudgement } from "../checks/support/serial-log.js";
import { sanitizeLine } from "../report/sanitize.js";
import { stringifyMasked } from "../report/secrets.js";

export interface SerialLogExplanation {
  /** Stable id, as the check's `evidence.signature`: login-prompt, kernel-panic, empty, no-prompt, … */
  signature: string;
  /** `unknown`: as much of the log as is read holds no boot start and nothing decisive, only later output. */
  state: "prompt" | "failure" | "degraded" | "blank" | "unknown";
  title: string;
  /** The line that matched (sanitised, cut to 300 characters). */
  line?: string;
  cause?: { id: string; title: string; line: string; doc?: string };
  /** The state the boot stopped in, when another signature explains it (emergency mode after an fstab timeout). */
  stoppedIn?: { id: string; line: string };
  /** kdump's capture kernel started after the failure: a crash dump was being saved when the log ends. */
  crashDump?: boolean;
  /** The boots before the latest all ended in this failure, this many in a row: the VM restarts into it. */
  bootLoop?: number;
  doc?: string;
  mitigation?: string;
  earlierBoot?: { signature: string; line: string };
  bytesRead: number;
  latestBootLines: number;
}

const BLANK = {
  empty: "Nothing at all: the guest wrote nothing to the serial port in this boot",
  "no-prompt": "Boot output but no login or SAC> prompt",
} as const;

/**
 * The opening of the report the Azure VM agent writes to a Windows VM's serial port when SAC is not enabled
 * (https://github.com/microsoft/azserialconsole/blob/13d213555eb53f320fcfea3f15ad4b93871fe411/Known_Issues/Windows_Health_Info.md).
 */
export const HEALTH_REPORT_START = "Microsoft Azure VM Health Report - Start";

/** What only Windows writes to the serial port: Boot Manager's menu and errors, SAC's banner and prompt, the agent's health report. */
const WINDOWS_OUTPUT = [
  "Windows Boot Manager",
  "Windows Boot Loader",
  "Windows failed to start",
  "SAC started",
  "SAC>",
  HEALTH_REPORT_START,
];

/** Does the log show a Windows guest? Byte searches: the log may be megabytes. */
function showsWindows(log: Uint8Array): boolean {
  const bytes = Buffer.from(log.buffer, log.byteOffset, log.byteLength);
  return WINDOWS_OUTPUT.some((text) => bytes.includes(text));
}

/** `complete`: the log is all there (false when only its end was read). */
export function explainSerialLog(log: Uint8Array, options: { complete?: boolean } = {}): SerialLogExplanation {
  const judgement: SerialLogJudgement = judgeSerialLog(log);
  const { verdict } = judgement;
  const common = {
    bytesRead: log.byteLength,
    latestBootLines: judgement.latestBootLines,
    ...(verdict.earlier ? { earlierBoot: { signature: verdict.earlier.signature, line: verdict.earlier.line } } : {}),
  };
  // Only later output (weeks of kernel messages after the prompt): no evidence of a blank console, nor a lone
  // failure cause of a failed boot.
  if (options.complete === false && cannotTell(judgement, false)) {
    const { lastLine: last, aside: seen } = untold(verdict);
    return {
      signature: "no-boot-start",
      state: "unknown",
      title: `No boot start and no prompt in the log's last ${Math.round(log.byteLength / (1024 * 1024))} MiB, only later output${seen}: whether the latest boot reached a prompt cannot be told from them`,
      ...(last ? { line: last } : {}),
      ...common,
    };
  }
  if (verdict.state === "blank") {
    const entry = getEntry("blank-console");
    const failed = afterRestartingFailure(verdict);
    if (failed)
      return {
        signature: verdict.signature,
        state: "blank",
        title: failed.words.replace(/^t/, "T"),
        ...(verdict.lastLine ? { line: verdict.lastLine } : {}),
        // What to do is that failure's: the serial port showed it, so no getty or EMS is missing.
        doc: failed.signature.doc,
        ...(failed.signature.mitigation ? { mitigation: failed.signature.mitigation } : {}),
        ...common,
      };
    return {
      signature: verdict.signature,
      state: "blank",
      title: verdict.startJob
        ? `As far as the log goes, stuck on a systemd start job, ${verdict.startJob}: systemd writes to the serial port, and the getty starts only once the boot gets past that job — find why it does not finish`
        : verdict.sacStarted
          ? `SAC started ('${verdict.sacStarted}') but has not shown its SAC> prompt: EMS is on — the VM is still starting, or stuck after SAC started (a stop error, updates, a hang): see the screenshot`
          : verdict.bootLoaderOnly
            ? "Only the boot loader's output (GRUB, the kernel's decompressor): the kernel wrote nothing to the serial port after it (console=ttyS0 missing from the kernel command line?)"
            : verdict.restarted
              ? `${BLANK[verdict.signature]}, after ${restartedWords(verdict.restarted, verdict.poweredOff === true)}: see the screenshot)`
              : verdict.earlierPrompt
                ? `${BLANK[verdict.signature]} yet, while an earlier boot in this log reached one ('${verdict.earlierPrompt}'): the serial port works — the VM ${verdict.restartedAfterPrompt ? `restarted ('${verdict.restartedAfterPrompt}')` : "restarted without a word (a panic, a host reset)"} and is still starting or stuck: see the screenshot`
                : BLANK[verdict.signature],
      ...(verdict.lastLine ? { line: verdict.lastLine } : verdict.restarted ? { line: verdict.restarted } : {}),
      // The blank-console doc for a Windows guest (EMS/SAC), as the check gives one whose VM model says Windows.
      doc: showsWindows(log) ? GUEST_DOCS.windows : entry?.docUrl,
      // Enabling a getty or EMS is no way out when the log shows the serial port works: an earlier boot's prompt, the
      // kernel's own restart line, SAC's banner, systemd's status for the start job it waits on.
      ...(verdict.earlierPrompt || verdict.restarted || verdict.sacStarted || verdict.startJob ? {} : { mitigation: entry?.mitigation }),
      ...common,
    };
  }
  const { signature } = verdict;
  return {
    signature: signature.id,
    state: verdict.state === "sticky" ? "degraded" : verdict.state,
    title:
      verdict.state === "failure" && verdict.bootLoop
        ? `${signature.title} in a boot loop: the ${verdict.bootLoop} boots before the latest all ended in it, each restarting into the next`
        : signature.title,
    line: verdict.line,
    ...(verdict.state === "failure" && verdict.cause ? { cause: verdict.cause } : {}),
    ...(verdict.state === "failure" && verdict.decisive.id !== signature.id
      ? { stoppedIn: { id: verdict.decisive.id, line: verdict.decisiveLine } }
      : {}),
    ...(verdict.state === "failure" && verdict.crashDump ? { crashDump: true } : {}),
    ...(verdict.state === "failure" && verdict.bootLoop ? { bootLoop: verdict.bootLoop } : {}),
    doc: (verdict.state === "failure" ? verdict.cause?.doc : undefined) ?? signature.doc,
    ...(verdict.state !== "prompt" && signature.mitigation ? { mitigation: signature.mitigation } : {}),
    ...common,
  };
}

/** How the previous boot ended, and what may have happened since (an open parenthesis the caller closes). */
function restartedWords(line: string, poweredOff: boolean): string {
  if (/The SAC will become unavailable soon/.test(line))
    return "Windows shut down or restarted (the VM is stopped, still starting, or stuck before SAC starts";
  return poweredOff
    ? "the guest shut down (the VM is stopped, still starting, or stuck before the kernel"
    : "the guest restarted (it may still be starting, or be stuck before the kernel";
}

/** 0 when the latest boot reached a prompt, 1 when the log shows a failure or a blank console, 3 when it cannot tell. */
export function explainSerialLogExitCode(explanation: SerialLogExplanation): 0 | 1 | 3 {
  if (explanation.state === "unknown") return 3;
  return explanation.state === "prompt" ? 0 : 1;
}

export function formatSerialLogExplanation(
  explanation: SerialLogExplanation,
  options: { output: "table" | "json"; color: boolean },
): string {
  // Versioned like every other JSON output (`explain -o json`, `--vm`, `audit`).
  if (options.output === "json") return `${stringifyMasked({ schemaVersion: 1, ...explanation }, 2)}\n`;
  const c = options.color ? pc : pc.createColors(false);
  const headline =
    explanation.state === "prompt"
      ? c.green("ready")
      : c.yellow(explanation.state === "blank" ? "blank console" : explanation.state === "unknown" ? "cannot tell" : explanation.state);
  const lines = [
    `${c.bold("Latest boot")}: ${headline} — ${explanation.title} (${c.dim(explanation.signature)})`,
    ...(explanation.line ? [`  line:      ${sanitizeLine(explanation.line)}`] : []),
    ...(explanation.cause ? [`  cause:     ${explanation.cause.title}: ${sanitizeLine(explanation.cause.line)}`] : []),
    ...(explanation.stoppedIn ? [`  stopped:   ${explanation.stoppedIn.id}: ${sanitizeLine(explanation.stoppedIn.line)}`] : []),
    ...(explanation.crashDump
      ? ["  kdump:     its capture kernel was saving a crash dump when the log ends; the VM restarts once it is done (/var/crash)"]
      : []),
    ...(explanation.mitigation ? [`  do:        ${explanation.mitigation}`] : []),
    ...(explanation.doc ? [`  doc:       ${explanation.doc}`] : []),
    ...(explanation.earlierBoot
      ? [`  earlier:   an earlier boot showed ${explanation.earlierBoot.signature}: ${sanitizeLine(explanation.earlierBoot.line)}`]
      : []),
    c.dim(
      explanation.bytesRead === 0
        ? "  (the log is empty)"
        : explanation.state === "unknown"
          ? `  (${explanation.bytesRead} bytes read; no boot start in them)`
          : `  (${explanation.bytesRead} bytes read; the latest boot has ${explanation.latestBootLines} line${explanation.latestBootLines === 1 ? "" : "s"})`,
    ),
  ];
  return `${lines.join("\n")}\n`;
}
