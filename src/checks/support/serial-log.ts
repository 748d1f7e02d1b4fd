/**
 * Judge a boot diagnostics serial log: normalise it (a guest's output is hostile text), cut it at the latest boot,
 * and find the last decisive line — a prompt, a boot failure — using the signatures in src/catalog/serial-log.ts.
 * Pure; shared by the `serial-log` check and `sc-doctor explain --log`.
 *
 * Rules (boot diagnostics doc, https://learn.microsoft.com/azure/virtual-machines/boot-diagnostics, says the log is
 * circular and spans many boots): the latest boot starts at the last Linux kernel banner (`Linux version …`) or the
 * last `Computer is booting, SAC started and initialized.`; inside it, the last decisive line wins (a prompt after a
 * failure means the VM came up; a rescue shell after a prompt means it went down again).
 */
import {
  SERIAL_LOG_SIGNATURES,
  type BlankSignatureId,
  type SerialLogSignature,
  type SerialLogSignatureId,
} from "../../catalog/serial-log.js";
import { sanitizeLine, TERMINAL_ESCAPE } from "../../report/sanitize.js";

export type SerialLogVerdict =
  | { state: "prompt"; signature: SerialLogSignature; line: string; later?: LaterNote; earlier?: EarlierFailure }
  | {
      state: "failure";
      signature: SerialLogSignature;
      line: string;
      decisive: SerialLogSignature;
      decisiveLine: string;
      /** The sub-cause the boot named (a panic's reason, a Boot Manager status), with its own doc when it has one. */
      cause?: { id: string; title: string; line: string; doc?: string };
      earlier?: EarlierFailure;
      /** kdump's capture kernel started after the failure (it saves a crash dump, then restarts the VM). */
      crashDump?: boolean;
      /**
       * The boots before the latest all ended in this failure (this many in a row) and the latest has shown nothing
       * decisive yet: the VM restarts into the same failure (a panic with `panic=-1`), it does not come up.
       */
      bootLoop?: number;
    }
  | { state: "sticky"; signature: SerialLogSignature; line: string; earlier?: EarlierFailure }
  | {
      state: "blank";
      signature: BlankSignatureId;
      lastLine?: string;
      /** The kernel's restart (or power-off) line the log's previous boot ended with, when nothing came after it but this. */
      restarted?: string;
      /** True when that line is a power-off or halt (the VM was stopped), not a restart. */
      poweredOff?: boolean;
      /** The latest boot shows only the boot loader's output (GRUB, the kernel's decompressor): the kernel wrote nothing. */
      bootLoaderOnly?: boolean;
      /**
       * The log ends at systemd's status line for a start job it still waits on (this unit, or its description):
       * systemd writes to the serial port, and the getty comes only once the boot gets past that job.
       */
      startJob?: string;
      /** A prompt an earlier boot in the log reached (the serial port's getty or SAC works): this boot has not yet. */
      earlierPrompt?: string;
      /** The restart or shutdown line written after that prompt, if any. */
      restartedAfterPrompt?: string;
      /**
       * The boot before the latest ended in a failure after which the VM restarts by itself (a kernel panic, a stop
       * error) and the latest has shown nothing decisive yet: still booting, or about to end in it again.
       */
      restartedAfterFailure?: EarlierFailure;
      /** SAC's banner that starts the latest boot (EMS is on): SAC started and has not shown its prompt yet. */
      sacStarted?: string;
      earlier?: EarlierFailure;
    };

/** A failure after the prompt that does not undo it (cloud-init's final stage): evidence only. */
export interface LaterNote {
  signature: SerialLogSignatureId;
  line: string;
}

/** A failure seen in an earlier boot: evidence only, it does not set the status. */
export interface EarlierFailure {
  signature: SerialLogSignatureId;
  line: string;
}

export interface SerialLogJudgement {
  verdict: SerialLogVerdict;
  /** Lines in the latest boot (after normalising), and whether a boot banner was found to cut at. */
  latestBootLines: number;
  bootMarkerFound: boolean;
}

/**
 * Whether a log read only in part (`complete` false: its last window) cannot tell how the latest boot went: no boot
 * start in what was read, and nothing decisive — no output that counts, or a failure cause with no failure line after
 * it. A VM up for weeks writes such causes at run time (a disk hot-plugged later times out, an ext4 error on a data
 * disk): read as the latest boot's failure, the fix offered would swap the OS disk of a running VM.
 */
export function cannotTell(judgement: SerialLogJudgement, complete: boolean): boolean {
  if (judgement.bootMarkerFound || complete) return false;
  const { verdict } = judgement;
  return verdict.state === "blank" || (verdict.state === "failure" && verdict.decisive.role === "cause");
}

/** For a judgement `cannotTell` holds of: the last line that counted, and a word on the cause it saw, if any. */
export function untold(verdict: SerialLogVerdict): { lastLine?: string; aside: string } {
  if (verdict.state !== "failure")
    return verdict.state === "blank" && verdict.lastLine ? { lastLine: verdict.lastLine, aside: "" } : { aside: "" };
  return { lastLine: verdict.line, aside: ` (the latest is ${verdict.signature.id}, which a running VM also logs)` };
}

// Escape sequences (TERMINAL_ESCAPE); then the copies pasted into docs that lost their ESC byte (`[1;31m`, `[K`).
const LOST_ESC = /\[(?:\d{1,3}(?:;\d{1,3})*)?[mK]/g;
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
const SAC_STARTED = /Computer is booting, SAC started and initialized\./;
/**
 * SAC's message as Windows shuts down or restarts (sacmsg.mc SAC_SHUTDOWN, written from SAC's shutdown IRP): the
 * boot that printed it is over. What follows is the next boot's, whose SAC announces itself with SAC_STARTED; a
 * `SAC>` before that is the dying SAC's (SAC: https://learn.microsoft.com/troubleshoot/azure/virtual-machines/windows/serial-console-windows).
 */
const SAC_SHUTDOWN = /The SAC will become unavailable soon\.\s+The computer is shutting down\./;
// The kernel's banner at the start of its line (a timestamp and a caller id before it at most), or right after a
// prompt that was waiting when the VM was reset (`vm1 login: [    0.000000] Linux version …`).
const BOOT_MARKERS = [
  /^(?:\S+ login:\s*|Password:\s*)?(?:<\d>)?(?:\[\s*\d+\.\d+\]\s*)?(?:\[\s*[TC]\d+\]\s*)?Linux version \d/,
  SAC_STARTED,
];
/**
 * The title of Windows Boot Manager's menu or error screen, which an EMS-enabled boot manager (bcdedit /bootems)
 * writes to the serial port before Windows starts
 * (https://learn.microsoft.com/windows-hardware/drivers/devtest/bcdedit--bootems): a new Windows boot, even after a
 * host reset that left no SAC shutdown message. Its title bar may come as block characters
 * (`████Windows Boot Manager████`, as https://learn.microsoft.com/troubleshoot/azure/virtual-machines/windows/boot-error-status-not-found
 * prints the screen); newer boot managers title the same failure "Recovery", then "Your PC/Device needs to be repaired"
 * (that article's note).
 */
/** The newer screens' title alone: words a command in a SAC channel can print too (`echo`, `type`). */
const REPAIRED_SCREEN = /^\s*Your PC\/Device needs to be repaired\s*$/;
const WINDOWS_BOOT_MANAGER = new RegExp(`^[\\s\\u2588]*Windows Boot Manager[\\s\\u2588]*$|${REPAIRED_SCREEN.source}`);
/**
 * A command channel's prompt (cmd.exe's default `$P$G`, `C:\Windows\system32>`,
 * https://learn.microsoft.com/windows-server/administration/windows-commands/prompt; PowerShell's `PS C:\…>`): Windows
 * is up and someone runs commands at its console, so what follows in the same boot is their output until the boot
 * ends. Not SAC's own `SAC>`: its commands print no text of the user's, and a host reset after it goes straight
 * into the boot manager's screens (https://learn.microsoft.com/troubleshoot/azure/virtual-machines/windows/serial-console-cmd-ps-commands).
 */
const SESSION_PROMPT = /^(?:PS )?[A-Za-z]:\\[^>]{0,260}>/;
/**
 * Signatures of screens the boot manager shows before Windows (and so SAC) starts: after a command channel's prompt
 * of the same boot their words are a command's output (`echo …`, `type notes.txt`), not the screen.
 */
const PRE_WINDOWS_SCREENS: ReadonlySet<string> = new Set(["bitlocker", "boot-manager"]);
/** What may stand between that title and the previous boot's end: blank lines, the dying SAC's prompt, "Recovery". */
const BEFORE_BOOT_MANAGER = /^\s*(?:SAC>|Recovery)?\s*$/;
/**
 * The kernel's last words before a reset or a power-off (kernel/reboot.c, pr_fmt "reboot: ": `Restarting system`,
 * `Restarting system with command '…'`, `Power down` — what a VM stopped or deallocated from Azure writes last —
 * and `System halted`; x86 adds `reboot: machine restart`; https://github.com/torvalds/linux/blob/master/kernel/reboot.c):
 * whatever follows is the next boot's, even without its banner — GRUB's or the firmware's output, or nothing at all
 * when the VM is stuck before the kernel (GRUB rescue's prompt is not in the log, only in the screenshot).
 */
const RESTART =
  /^(?:<\d>)?(?:\[\s*\d+\.\d+\]\s*)?reboot: (?:Restarting system(?: with command '[^']{0,200}')?|machine restart|Power down|System halted)\s*$/;
/** A power-off or halt, not a restart: the next boot begins only when the VM is started again. */
const POWER_OFF = /reboot: (?:Power down|System halted)\s*$/;
/**
 * What runs before the kernel writes its banner, at the start of a boot: GRUB's menu header (`GNU GRUB  version
 * 2.06`, grub-core/normal/main.c), the entry it boots (`  Booting \`Ubuntu'`, grub-core/normal/menu.c), the echo
 * lines grub-mkconfig's 10_linux puts in an entry (`Loading Linux 6.1.0-18-cloud-amd64 ...`, `Loading initial
 * ramdisk ...`; https://git.savannah.gnu.org/cgit/grub.git/tree/util/grub.d/10_linux.in), the EFI stub's and the x86
 * decompressor's words (`EFI stub: Booting Linux Kernel...`, `Decompressing Linux... Parsing ELF... done.`,
 * `Booting the kernel.`; arch/x86/boot/compressed/misc.c). After the last of them a new boot has begun, even
 * without a restart line before it (a reset by the host) and before any banner of its own: a kernel without
 * `console=ttyS0` writes nothing after them
 * (https://learn.microsoft.com/troubleshoot/azure/virtual-machines/linux/serial-console-grub-proactive-configuration).
 */
const BOOT_LOADER = [
  /GNU GRUB {1,2}version \d/,
  /^\s*Booting `[^']{0,200}'\s*$/,
  /^\s*Loading Linux \S{1,200} \.\.\.\s*$/,
  /^\s*Loading initial ramdisk \.\.\.\s*$/,
  /^EFI stub: /,
  /^Decompressing Linux\.\.\./,
  /^Booting the kernel\b/,
];
const isBootLoaderLine = (line: string) => BOOT_LOADER.some((pattern) => pattern.test(line));
/** Output of the kernel or of the init system: a printk timestamp, a systemd status tag or unit line, its welcome. */
const KERNEL_OR_INIT = /^(?:<\d>)?\[\s*\d+\.\d+\]|\[\s*(?:OK|FAILED|DEPEND|TIME)\s*\]|\bsystemd\[\d+\]|^Welcome to /;
/** A shell prompt with a command that prints the kernel's banner again (`dmesg`, `cat /proc/version`). */
const REPLAYS_BANNER = /[$#>]\s*(?:sudo\s+)?(?:dmesg|journalctl|cat|less|more|head|tail|grep)\b/;
/**
 * What arm64 logs before the banner, so the first line `dmesg` prints there: the boot CPU, from
 * smp_setup_processor_id (`Booting Linux on physical CPU 0x0000000000 [0x413fd0c1]`,
 * https://github.com/torvalds/linux/blob/master/arch/arm64/kernel/setup.c), which start_kernel calls first.
 */
const BEFORE_BANNER = /^(?:<\d>)?(?:\[\s*\d+\.\d+\]\s*)?(?:\[\s*[TC]\d+\]\s*)?Booting Linux on physical CPU 0x[0-9a-f]+\b/;
/**
 * What may stand between that command and the banner it prints: sudo's and login's password prompts, blank lines,
 * arm64's line before the banner. Trimmed first: `^\s*(…)?\s*$` backtracks in time quadratic in a guest's line of
 * spaces ending in something else.
 */
function beforeOutput(line: string): boolean {
  const text = line.trim();
  return text === "" || text === "Password:" || /^\[sudo\] password for [^:]*:$/.test(text) || BEFORE_BANNER.test(text);
}

/**
 * Does a boot start at `lines[i]`? Its banner, unless the command that printed it is just before (the banner is
 * the first line `dmesg` and `cat /proc/version` print, after sudo's password prompt and arm64's boot CPU line at
 * most; a reset after some other command, or after that command's other output, is a boot).
 */
function bootStartsAt(lines: readonly string[], i: number): boolean {
  if (!BOOT_MARKERS.some((marker) => marker.test(lines[i] ?? "")) || isCaptureKernel(lines, i)) return false;
  let j = i - 1;
  while (j >= 0 && beforeOutput(lines[j] ?? "")) j--;
  return j < 0 || !REPLAYS_BANNER.test(lines[j] ?? "");
}
// kdump's capture kernel, booted by a panic to save the crash dump: its command line carries the dump's address
// (https://docs.kernel.org/admin-guide/kdump/kdump.html, `elfcorehdr=`). Not a boot of the VM: the panic stands
// until kdump restarts it. x86 prints the command line right after the banner, `Kernel command line:` a little later.
// arm64 passes the dump's address in the device tree, not the command line: kdump's own `reset_devices` tells it there
// (RHEL's KDUMP_COMMANDLINE_APPEND, SUSE's KDUMP_COMMANDLINE), and arm64 prints the command line some 50 lines on.
const CAPTURE_KERNEL = /[Cc]ommand line:.*\b(?:elfcorehdr=|reset_devices\b)/;
const CAPTURE_KERNEL_LOOKAHEAD = 200;
/** systemd leaving the initramfs for the real root (`systemd[1]: Switching root.`). */
const SWITCHING_ROOT = /Switching root\./;
/**
 * dracut starting its emergency shell (not a passing initqueue timeout warning, after which the boot may go on), or
 * systemd in the initrd giving up on the root device, which starts emergency mode next.
 */
const DRACUT_SHELL =
  /Dracut Emergency Shell|Entering emergency mode\. Exit the shell to continue\.|^dracut:\/#|Dependency failed for Initrd Root (?:Device|File System)\./;

function isCaptureKernel(lines: readonly string[], banner: number): boolean {
  const end = Math.min(lines.length, banner + CAPTURE_KERNEL_LOOKAHEAD);
  for (let i = banner + 1; i < end; i++) {
    const line = lines[i] ?? "";
    if (CAPTURE_KERNEL.test(line)) return true;
    if (BOOT_MARKERS.some((marker) => marker.test(line))) return false; // the next kernel's banner: its own line
  }
  return false;
}

/**
 * systemd waiting, with no time limit, for a disk an fstab line names (`A start job is running for
 * /dev/disk/by-uuid/… (1min 3s / no limit)`; not the temp disk's /dev/disk/cloud/ link, which waagent's udev rules
 * make): when the log stops there, the boot is stuck on fstab.
 */
const FSTAB_START_JOB = /A start job is running for (?:\/dev\/disk\/(?!cloud\/)|dev-disk-(?!cloud-))\S+ \(.{0,40}\/ no limit\)/;
/**
 * systemd's status line for a start job it waits on, in either of the forms it alternates between: `A start job is
 * running for <description> (37min 1s / no limit)` (the description may be cut, `for…work Manager`) and
 * `Job ignition-fetch.service/start running (37min 3s / no limit)`
 * (https://github.com/flatcar/Flatcar/issues/1297). Group 1 or 2 names the job.
 */
const START_JOB = /(?:A start job is running for ?(.+) \(|\bJob (\S+)\/start running \()/;
/** The serial getty itself failed in this boot: then it, not a start job, is why no prompt comes. */
const SERIAL_GETTY_FAILED = /(?:Dependency failed for|Failed to start) Serial Getty on /;
const FSTAB_TIMEOUT = SERIAL_LOG_SIGNATURES.find((signature) => signature.id === "fstab-timeout") as SerialLogSignature;
/** Lines of evidence are cut to this many characters. */
const EVIDENCE_CHARS = 300;
/**
 * Lines are judged on their first this many characters: a serial console line is a few hundred at most, and a
 * guest's (or an attacker's) megabyte-long line must not cost a pattern time to the square of its length.
 */
const MAX_LINE_CHARS = 1024;

/**
 * Bytes → text lines: lossy UTF-8, NULs dropped, CRLF → LF, escapes and other controls stripped. NULs go first:
 * UTF-16 text read as UTF-8 ends its lines `\r\0\n\0`, which is one line end once they are gone, two before.
 */
export function normaliseSerialLog(input: string | Uint8Array): string[] {
  const text = typeof input === "string" ? input : new TextDecoder("utf-8", { fatal: false }).decode(input);
  return text
    .replace(/\0/g, "")
    .replace(/\r\n?/g, "\n")
    .replace(TERMINAL_ESCAPE, "")
    .replace(LOST_ESC, "")
    .replace(CONTROLS, "")
    .split("\n")
    .flatMap(afterPrompt)
    .map((line) => (line.length > MAX_LINE_CHARS ? line.trim().slice(0, MAX_LINE_CHARS) : line.trimEnd()));
}

/**
 * getty writes no newline after its prompt (`vm1 login: `): what comes next — a kernel message, even a panic — lands
 * on the prompt's line. Split there, so that it is judged as the line after the prompt it is, not hidden in it.
 * (`Last login: …` is login's own line.)
 */
function afterPrompt(line: string): string[] {
  const prompt = /^(\S+ login:)\s+(\S.*)$/.exec(line);
  if (!prompt || prompt[1] === "Last login:") return [line];
  return [prompt[1] ?? "", prompt[2] ?? ""];
}

interface Hit {
  signature: SerialLogSignature;
  index: number;
}

const SIGNATURES = SERIAL_LOG_SIGNATURES as readonly SerialLogSignature[];
/**
 * One pass per line instead of one per pattern: most of a log is ordinary boot chatter, and a 256 KiB tail has
 * thousands of lines. Two unions (case-sensitive and not) tell whether a line can match any signature at all.
 */
const UNIONS = [false, true].map((ignoreCase) => {
  const sources = SIGNATURES.flatMap((s) => s.patterns.filter((p) => p.flags.includes("i") === ignoreCase).map((p) => `(?:${p.source})`));
  return new RegExp(sources.join("|"), ignoreCase ? "i" : "");
});

/** The signature a line shows, if any (first in catalogue order wins). */
function signatureOf(line: string): SerialLogSignature | undefined {
  if (!UNIONS.some((union) => union.test(line))) return undefined;
  return SIGNATURES.find((signature) => signature.patterns.some((pattern) => pattern.test(line)));
}

function evidenceLine(line: string): string {
  return sanitizeLine(line.trim(), EVIDENCE_CHARS);
}

/** How far before a cause that is another's effect (`effectOf`) its root may be: one crash's report. */
const CRASH_REPORT_LINES = 100;

/**
 * The failure's named cause, with its line as evidence: the last one `lines` show from `from` (after the prompt the VM
 * was last up at) up to the failure's own line `at` — the one the panic names, not an Oops of hours before — else the
 * first after it (Boot Manager writes its status below its title); catalogue order only between causes of one line.
 * A cause that is another's effect (`effectOf`) gives way to that one when the same crash report shows it: an Oops in
 * PID 1 (`kernel BUG at …`) is why "Attempted to kill init!" follows it (https://bugzilla.kernel.org/show_bug.cgi?id=210449).
 */
function causeIn(
  failure: SerialLogSignature,
  lines: readonly string[],
  from: number,
  at: number,
): { id: string; title: string; line: string; doc?: string } | undefined {
  const causes = failure.causes ?? [];
  const causeAt = (i: number) => causes.find((cause) => cause.pattern.test(lines[i] ?? ""));
  let found: { cause: (typeof causes)[number]; index: number } | undefined;
  for (let i = Math.min(at, lines.length - 1); i >= from && !found; i--) {
    const cause = causeAt(i);
    if (cause) found = { cause, index: i };
  }
  for (let i = at + 1; i < lines.length && !found; i++) {
    const cause = causeAt(i);
    if (cause) found = { cause, index: i };
  }
  if (!found) return undefined;
  const { effectOf } = found.cause;
  if (effectOf)
    for (let i = found.index - 1; i >= Math.max(from, found.index - CRASH_REPORT_LINES); i--) {
      const root = causeAt(i);
      if (root && effectOf.includes(root.id)) {
        found = { cause: root, index: i };
        break;
      }
    }
  const { cause, index } = found;
  return { id: cause.id, title: cause.title, line: evidenceLine(lines[index] ?? ""), ...(cause.doc ? { doc: cause.doc } : {}) };
}

/**
 * Where the latest boot starts: the index of its first line (-1 when the lines hold no boot start), and the line of
 * the restart or shutdown it followed (-1 when it starts at its own banner).
 */
/**
 * `bcdedit /enum` in a SAC command channel prints "Windows Boot Manager" too, as a heading underlined with dashes
 * (https://learn.microsoft.com/windows-hardware/manufacture/desktop/bcdedit-command-line-options): that is a
 * running Windows' output, not a new boot.
 */
function isSectionHeading(lines: readonly string[], i: number): boolean {
  return /^\s*-{3,}\s*$/.test(lines[i + 1] ?? "");
}

/** A restart, power-off or SAC shutdown line: the boot that wrote it is over. */
const endsBoot = (line: string) => RESTART.test(line) || SAC_SHUTDOWN.test(line);

/**
 * For each line, whether it is a command channel's prompt or a command's output there (a session at Windows' console):
 * one pass forward, so a guest writing the same line 50,000 times costs one pass. A boot's start or end (a Boot
 * Manager title, SAC's shutdown message) closes the session.
 */
function inSession(lines: readonly string[]): (index: number) => boolean {
  let open: boolean[] | undefined;
  return (index) => {
    if (!open) {
      open = [];
      let session = false;
      for (let i = 0; i < lines.length; i++) {
        const line = lines[i] ?? "";
        const bootManager = WINDOWS_BOOT_MANAGER.test(line) && !REPAIRED_SCREEN.test(line) && !isSectionHeading(lines, i);
        if (bootManager || endsBoot(line) || bootStartsAt(lines, i)) session = false;
        // A prompt with a command typed at it opens the command's output (its own line too: `echo …`); a prompt left
        // waiting closes it — what comes after one is no command's (a hard reset into BitLocker's screen writes no
        // shutdown line).
        const prompt = SESSION_PROMPT.exec(line);
        if (prompt) {
          session = line.slice(prompt[0].length).trim() !== "";
          open.push(true);
          continue;
        }
        open.push(session);
      }
    }
    return open[index] ?? false;
  };
}

function latestBootStart(lines: readonly string[]): { start: number; restartLine: number; bootLoader?: boolean } {
  const session = inSession(lines);
  for (let i = lines.length - 1; i >= 0; i--) {
    if (bootStartsAt(lines, i)) return { start: i, restartLine: -1 };
    if (endsBoot(lines[i] ?? "")) return { start: i + 1, restartLine: i };
    // `echo Your PC/Device needs to be repaired` in a SAC channel prints the newer screen's title: no new boot.
    const echoed = REPAIRED_SCREEN.test(lines[i] ?? "") && session(i);
    if (WINDOWS_BOOT_MANAGER.test(lines[i] ?? "") && !isSectionHeading(lines, i) && !echoed) {
      // After SAC's shutdown message (blank lines and the dying SAC's prompt between), that is how the previous boot ended.
      let j = i - 1;
      while (j >= 0 && BEFORE_BOOT_MANAGER.test(lines[j] ?? "")) j--;
      return { start: i, restartLine: j >= 0 && endsBoot(lines[j] ?? "") ? j : -1 };
    }
    if (isBootLoaderLine(lines[i] ?? "")) {
      // The boot starts at the first of the boot loader's lines in a row (blank lines between them).
      let first = i;
      for (let j = i - 1; j >= 0; j--) {
        const line = lines[j] ?? "";
        if (isBootLoaderLine(line)) first = j;
        else if (line.trim() !== "") break;
      }
      return { start: first, restartLine: -1, bootLoader: true };
    }
  }
  return { start: -1, restartLine: -1 };
}

/**
 * Does this end of a log show where its latest boot starts? When it does not, everything in it is the latest boot's
 * later output (kernel messages, a firewall's log lines for weeks of uptime) and its prompt, if any, is further back:
 * the log's reader reads more of it (src/azure/serial-log.ts, `explain --log`).
 */
export function showsLatestBootStart(input: string | Uint8Array): boolean {
  return latestBootStart(normaliseSerialLog(input)).start >= 0;
}

/**
 * A user's shell prompt (`azureuser@vm1:~$`, RHEL's `[azureuser@vm1 ~]$`, SUSE's `azureuser@vm1:~>`, root's `#`,
 * SUSE root's `vm1:~ #`, from its /etc/bash.bashrc `\h:\w # `; Azure Linux's `root@vm1 [ ~ ]#`, from its /etc/profile
 * `\u@\h [ \w ]# `, https://github.com/microsoft/azurelinux/blob/3.0/SPECS/filesystem/filesystem.spec; Flatcar's and
 * Fedora CoreOS's `core@vm1 ~ $`, `\u@\h \w \$ `; Alpine's `vm1:~#`, `\h:\w\$ `, under ~ only: dracut's `dracut:/#`
 * is a failure, not a session), with or without the command typed after it: the distributions' default PS1 forms, as
 * a console session shows them.
 */
const SHELL_PROMPT =
  /^(?:[a-z_][\w.-]{0,31}@[\w.-]+:\S*[$#>]|\[[a-z_][\w.-]{0,31}@[\w.-]+ [^\]]*\][$#]|[a-z_][\w.-]{0,31}@[\w.-]+ \[ [^\]]* \][$#]|[a-z_][\w.-]{0,31}@[\w.-]+ [~/]\S* [$#]|[\w.-]+:[~/]\S* #|[\w.-]+:~\S*[$#])(?:\s|$)/;
/** A journal or syslog line (`Nov 29 10:00:01 vm1 kernel: …`, `2025-11-29T10:00:01+0000 vm1 …`): read from a file, not the boot writing. */
const SYSLOG_LINE = /^(?:[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\S*) \S+ /;

/**
 * What systemd's emergency and rescue modes write as they start a root shell (sulogin's prompt): the system going
 * down into a rescue shell now, not a line of some file a command printed.
 */
const SULOGIN = /Give root password for maintenance|Press Enter for maintenance|\(or press Control-D to continue\)/;

/**
 * `hits` without what a console session printed: after someone logged in (a login prompt, then a shell prompt), a
 * failure between two shell prompts is a command's output (`journalctl -k -b -1`, `sudo -u syslog cat …`, `find … -exec
 * grep …`): the shell came back, the VM is up — unless it is sulogin's prompt, which only a system entering emergency
 * or rescue mode writes (`systemctl isolate emergency.target`, then its root shell). A journal or syslog line after
 * the login is printed wherever it is (the kernel writes no such prefix to the console, only a reader of the
 * journal does). After the last shell prompt only those are taken as printed: what the kernel writes there (a panic
 * under `dmesg -w`) counts.
 */
function withoutSessionOutput(hits: readonly Hit[], latest: readonly string[]): Hit[] {
  const login = hits.find((hit) => hit.signature.id === "login-prompt");
  if (!login) return [...hits];
  let first = -1;
  let last = -1;
  for (let i = login.index + 1; i < latest.length; i++)
    if (SHELL_PROMPT.test(latest[i] ?? "")) {
      if (first < 0) first = i;
      last = i;
    }
  const printed = (hit: Hit) => {
    const line = latest[hit.index] ?? "";
    if (hit.index > login.index && SYSLOG_LINE.test(line)) return true;
    if (first < 0 || hit.index <= first) return false;
    return hit.index < last && !SULOGIN.test(line);
  };
  return hits.filter((hit) => hit.signature.role === "prompt" || !printed(hit));
}

/** Judge the latest boot of a serial log. */
export function judgeSerialLog(input: string | Uint8Array): SerialLogJudgement {
  const lines = normaliseSerialLog(input);
  const { start, restartLine, bootLoader } = latestBootStart(lines);
  const latest = start >= 0 ? lines.slice(start) : lines;
  const afterSacShutdown = restartLine >= 0 && SAC_SHUTDOWN.test(lines[restartLine] ?? "");
  const earlier = start > 0 ? lastEarlierFailure(lines.slice(0, start)) : undefined;
  const session = inSession(lines);
  const found: Hit[] = [];
  latest.forEach((line, index) => {
    // The banner line starts the boot: a prompt the reset cut short on the same line is the previous boot's.
    if (index === 0 && start >= 0 && BOOT_MARKERS.some((marker) => marker.test(line))) return;
    const signature = signatureOf(line);
    // After SAC's shutdown message and before a new SAC_STARTED, no SAC is up: its prompt there is the old one's.
    if (!signature || (signature.id === "sac-prompt" && afterSacShutdown)) return;
    // Boot Manager's error screen is a boot of its own, under its title: a `Status: 0x…` a command printed in a SAC
    // channel is not one.
    if (signature.id === "boot-manager" && !(start >= 0 && WINDOWS_BOOT_MANAGER.test(latest[0] ?? ""))) return;
    // Nor are BitLocker's words after a command channel's prompt of this boot: its screen comes before Windows and SAC start.
    if (PRE_WINDOWS_SCREENS.has(signature.id) && session(start >= 0 ? start + index : index)) return;
    found.push({ signature, index });
  });
  const hits = withoutSessionOutput(found, latest);
  const result = (verdict: SerialLogVerdict): SerialLogJudgement => ({
    verdict: earlier ? { ...verdict, earlier } : verdict,
    latestBootLines: latest.length,
    bootMarkerFound: start >= 0,
  });

  // The last prompt or failure decides; a failure that does not undo a prompt before it is only a note.
  let decisive: Hit | undefined;
  let later: Hit | undefined;
  const firstPrompt = hits.findIndex((h) => h.signature.role === "prompt");
  for (let i = hits.length - 1; i >= 0 && !decisive; i--) {
    const hit = hits[i] as Hit;
    if (hit.signature.role !== "prompt" && hit.signature.role !== "failure") continue;
    const undoesNoPrompt = hit.signature.afterPrompt === "note" && firstPrompt >= 0 && firstPrompt < i;
    if (undoesNoPrompt) later ??= hit;
    else decisive = hit;
  }
  const lineAt = (index: number) => evidenceLine(latest[index] ?? "");

  // dracut's emergency shell asks for the root password as systemd's emergency mode does (sulogin: SUSE, dracut-ng):
  // after dracut said it was starting its shell, the failure is dracut's (the root file system was not found).
  // Not a shell the boot left (`rd.break`, or a root fixed by hand): the initramfs ends at systemd's "Switching root".
  if (decisive?.signature.id === "emergency-mode") {
    const emergency = decisive;
    let switched = -1;
    for (let i = emergency.index - 1; i >= 0 && switched < 0; i--) if (SWITCHING_ROOT.test(latest[i] ?? "")) switched = i;
    const dracut = hits
      .slice(0, hits.indexOf(emergency))
      .reverse()
      .find((hit) => hit.index > switched && hit.signature.id === "dracut-timeout" && DRACUT_SHELL.test(latest[hit.index] ?? ""));
    if (dracut) decisive = dracut;
  }
  if (decisive?.signature.role === "failure") {
    // Name why emergency mode (or a panic) happened when the boot said so before it, after any prompt (what came
    // before the VM was last up is not why it went down). The first cause line is the root: the first device that
    // timed out, not the dependencies that failed after it.
    let lastPrompt = -1;
    hits.forEach((hit, i) => {
      if (hit.signature.role === "prompt" && hit.index < (decisive as Hit).index) lastPrompt = i;
    });
    const failure = decisive;
    const explains = (cause: SerialLogSignature) =>
      cause.explains === undefined ||
      cause.explains.some((entry) =>
        typeof entry === "string"
          ? entry === failure.signature.id
          : entry.id === failure.signature.id && entry.when.test(latest[failure.index] ?? ""),
      );
    const firstCause = hits.find(
      (hit, i) => i > lastPrompt && hit.signature.role === "cause" && hit.index <= failure.index && explains(hit.signature),
    );
    const named = firstCause ?? decisive;
    const cause = causeIn(decisive.signature, latest, lastPrompt >= 0 ? (hits[lastPrompt] as Hit).index + 1 : 0, decisive.index);
    const crashDump = latest.some((line, i) => i > decisive.index && BOOT_MARKERS.some((m) => m.test(line)) && isCaptureKernel(latest, i));
    return result({
      state: "failure",
      signature: named.signature,
      line: lineAt(named.index),
      decisive: decisive.signature,
      decisiveLine: lineAt(decisive.index),
      ...(cause ? { cause } : {}),
      ...(crashDump ? { crashDump: true } : {}),
    });
  }
  // Sticky problems (SAC without cmd) degrade the console even after a prompt, unless cleared later — or unless
  // Windows then shut down: sacsvr unregisters (SAC says "The CMD command is unavailable") at every shutdown.
  const clearedAt = lastClearing(latest);
  const sticky = hits.find((hit) => hit.signature.role === "sticky" && clearedAt(hit.signature) <= hit.index);
  if (sticky) return result({ state: "sticky", signature: sticky.signature, line: lineAt(sticky.index) });
  if (decisive) {
    const note = later ? { later: { signature: later.signature.id as SerialLogSignatureId, line: lineAt(later.index) } } : {};
    return result({ state: "prompt", signature: decisive.signature, line: lineAt(decisive.index), ...note });
  }
  // The log stops while systemd still waits for an fstab disk.
  let lastIndex = latest.length - 1;
  while (lastIndex >= 0 && (latest[lastIndex] ?? "").trim() === "") lastIndex--;
  if (lastIndex >= 0 && FSTAB_START_JOB.test(latest[lastIndex] ?? "")) {
    const line = lineAt(lastIndex);
    return result({ state: "failure", signature: FSTAB_TIMEOUT, line, decisive: FSTAB_TIMEOUT, decisiveLine: line });
  }
  // A failure cause without a decisive line after it (e.g. the log stops at an fstab timeout).
  const cause = [...hits].reverse().find((hit) => hit.signature.role === "cause");
  if (cause) {
    return result({
      state: "failure",
      signature: cause.signature,
      line: lineAt(cause.index),
      decisive: cause.signature,
      decisiveLine: lineAt(cause.index),
    });
  }
  const loop = windowsBootLoop(lines, start);
  if (loop) return result({ state: "failure", signature: loop, line: lineAt(0), decisive: loop, decisiveLine: lineAt(0) });
  const repeated = failureLoop(lines, start);
  if (repeated) return result(repeated);
  const printable = latest.filter((line) => line.trim() !== "" && !(afterSacShutdown && signatureOf(line)?.id === "sac-prompt"));
  const restarted =
    restartLine >= 0
      ? {
          restarted: evidenceLine(lines[restartLine] ?? ""),
          ...(POWER_OFF.test(lines[restartLine] ?? "") ? { poweredOff: true } : {}),
        }
      : {};
  const prompted = restartLine < 0 && start > 0 ? earlierPromptIn(lines.slice(0, start)) : {};
  // The boot before ended in a failure that restarts the VM by itself (one: two or more are `failureLoop`'s).
  const failedBefore = restartLine < 0 && start > 0 ? failedBootsBefore(lines, start) : undefined;
  const restartedAfterFailure = failedBefore
    ? {
        restartedAfterFailure: {
          signature: failedBefore.hit.signature.id as SerialLogSignatureId,
          line: evidenceLine(failedBefore.boot[failedBefore.hit.index] ?? ""),
        },
      }
    : {};
  const sac = start >= 0 && SAC_STARTED.test(lines[start] ?? "") ? { sacStarted: evidenceLine(lines[start] ?? "") } : {};
  if (printable.length === 0)
    return result({ state: "blank", signature: "empty", ...restarted, ...prompted, ...restartedAfterFailure, ...sac });
  const loaderOnly = bootLoader === true && !printable.some((line) => KERNEL_OR_INIT.test(line)) ? { bootLoaderOnly: true } : {};
  const job = START_JOB.exec(printable.at(-1) ?? "");
  const startJob =
    job && !latest.some((line) => SERIAL_GETTY_FAILED.test(line)) ? { startJob: sanitizeLine(job[1] ?? job[2] ?? "", 120) } : {};
  return result({
    state: "blank",
    signature: "no-prompt",
    lastLine: evidenceLine(printable.at(-1) ?? ""),
    ...restarted,
    ...loaderOnly,
    ...startJob,
    ...prompted,
    ...restartedAfterFailure,
    ...sac,
  });
}

/**
 * The last prompt of the boots before the latest: the getty or SAC on the serial port worked then, so the latest
 * boot's silence is not their absence. With the restart or shutdown line written after it, if any (else the VM
 * restarted without a word: a panic with `panic=-1`, a host reset).
 */
function earlierPromptIn(lines: string[]): { earlierPrompt?: string; restartedAfterPrompt?: string } {
  let restart: string | undefined;
  // Only the boot just before the latest can have ended with the restart into it: a restart line further back
  // (past that boot's own start) ended another boot.
  let pastPreviousBoot = false;
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i] ?? "";
    if (signatureOf(line)?.role === "prompt")
      return { earlierPrompt: evidenceLine(line), ...(restart ? { restartedAfterPrompt: evidenceLine(restart) } : {}) };
    if (restart === undefined && !pastPreviousBoot && endsBoot(line)) restart = line;
    if (bootStartsAt(lines, i)) pastPreviousBoot = true;
  }
  return {};
}

/**
 * For a sticky signature, the index of the last of `lines` that clears it (its `clearedBy`, or SAC's message as
 * Windows shuts down), or -1: found once per signature, so a guest writing the same sticky line 50,000 times costs
 * one pass, not one per line.
 */
function lastClearing(lines: readonly string[]): (signature: SerialLogSignature) => number {
  const found = new Map<SerialLogSignature, number>();
  return (signature) => {
    let at = found.get(signature);
    if (at === undefined) {
      at = lines.length - 1;
      while (at >= 0 && !(signature.clearedBy?.test(lines[at] ?? "") === true || SAC_SHUTDOWN.test(lines[at] ?? ""))) at--;
      found.set(signature, at);
    }
    return at;
  };
}

function lastEarlierFailure(lines: string[]): EarlierFailure | undefined {
  const clearedAt = lastClearing(lines);
  for (let i = lines.length - 1; i >= 0; i--) {
    const signature = signatureOf(lines[i] ?? "");
    if (!signature || signature.role === "prompt") continue;
    // As in the latest boot: a sticky problem cleared later, or said by SAC as Windows shut down, is none.
    const cleared = signature.role === "sticky" && clearedAt(signature) > i;
    if (!cleared) return { signature: signature.id as SerialLogSignatureId, line: evidenceLine(lines[i] ?? "") };
  }
  return undefined;
}

const BOOT_LOOP = SIGNATURES.find((signature) => signature.id === "windows-boot-loop");

/**
 * Windows restarting before it is up: the latest boot and the one before it both started SAC and neither showed
 * its prompt (a heuristic, unverified: the stop error itself is in the screenshot). `start` is the latest boot's.
 */
function windowsBootLoop(lines: string[], start: number): SerialLogSignature | undefined {
  if (start <= 0 || !SAC_STARTED.test(lines[start] ?? "")) return undefined;
  let previous = start - 1;
  while (previous >= 0 && !bootStartsAt(lines, previous)) previous--;
  if (previous < 0 || !SAC_STARTED.test(lines[previous] ?? "")) return undefined;
  const prompted = lines.slice(previous, start).some((line) => signatureOf(line)?.role === "prompt");
  return prompted ? undefined : BOOT_LOOP;
}

/**
 * The latest boot's silence after the boot before ended in a failure that restarts the VM by itself, in words (the
 * check's reason and `explain --log`'s title), with that failure's signature (its doc and mitigation are what to do).
 */
export function afterRestartingFailure(
  verdict: Extract<SerialLogVerdict, { state: "blank" }>,
): { words: string; signature: SerialLogSignature } | undefined {
  const failed = verdict.restartedAfterFailure;
  const signature = failed && SIGNATURES.find((candidate) => candidate.id === failed.signature);
  if (!failed || !signature) return undefined;
  const prompted = verdict.earlierPrompt ? ` (an earlier boot reached its prompt, '${verdict.earlierPrompt}': the serial port works)` : "";
  return {
    signature,
    words:
      `the boot before the latest ended in ${signature.title} ('${failed.line}') and the VM restarted by itself${prompted}; ` +
      `the latest boot has written ${verdict.signature === "empty" ? "nothing" : "no prompt"} yet: it is still starting, or ` +
      "will end in the same failure (a boot loop: read the log again in a minute)",
  };
}

/** Boots in a row that must end in the same failure, before a latest boot that shows nothing decisive, to be a loop. */
const LOOP_BOOTS = 2;

/**
 * A boot loop: the boots before the latest (at least `LOOP_BOOTS`) all ended in the same failure, one that restarts
 * on its own (`failureOfBoot`), and the latest shows nothing decisive yet. A kernel booted with `panic=N` restarts N seconds after a panic, at once with
 * `panic=-1` (Azure's Ubuntu images), without the kernel's restart line
 * (https://docs.kernel.org/admin-guide/kernel-parameters.html, `panic=`): the log is that panic again and again,
 * ending part-way through the next boot, which is no blank console. `start` is the latest boot's.
 */
function failureLoop(lines: readonly string[], start: number): SerialLogVerdict | undefined {
  const failed = failedBootsBefore(lines, start);
  if (!failed || failed.boots < LOOP_BOOTS) return undefined;
  const { boot, hit, boots } = failed;
  const line = evidenceLine(boot[hit.index] ?? "");
  const cause = causeIn(hit.signature, boot, 0, hit.index);
  return {
    state: "failure",
    signature: hit.signature,
    line,
    decisive: hit.signature,
    decisiveLine: line,
    ...(cause ? { cause } : {}),
    bootLoop: boots,
  };
}

/**
 * The boots right before the one starting at `start` that all ended in the same failure that restarts on its own
 * (`failureOfBoot`): how many in a row, and the one just before `start` with its failure. Undefined when that boot
 * ended otherwise.
 */
function failedBootsBefore(lines: readonly string[], start: number): { boots: number; boot: readonly string[]; hit: Hit } | undefined {
  let end = start;
  let boots = 0;
  let first: { boot: readonly string[]; hit: Hit } | undefined;
  while (end > 0) {
    let begin = end - 1;
    while (begin > 0 && !bootStartsAt(lines, begin)) begin--;
    const boot = lines.slice(begin, end);
    const hit = failureOfBoot(boot);
    if (!hit || (first && hit.signature !== first.hit.signature)) break;
    first ??= { boot, hit };
    boots++;
    end = begin;
  }
  return first && { ...first, boots };
}

/**
 * Failures after which the VM restarts by itself: a kernel panic, under `panic=N` (N > 0, or -1 at once; Azure's
 * Ubuntu images boot with `panic=-1`; https://docs.kernel.org/admin-guide/kernel-parameters.html, `panic=`), and a
 * Windows stop error ("Your PC ran into a problem and needs to restart": Windows restarts automatically by default,
 * https://learn.microsoft.com/troubleshoot/windows-client/performance/stop-error-or-blue-screen-error-troubleshooting).
 * Emergency mode, dracut's and initramfs' shells, fsck's and GRUB's prompts wait for someone at the console: they never
 * restart on their own, so boots in a row that ended in them were restarted on purpose (from the portal, `systemctl reboot`).
 */
const RESTARTS_ON_ITS_OWN: ReadonlySet<string> = new Set(["kernel-panic", "bugcheck"]);

/**
 * A crash someone asked for: SysRq's `c` (`echo c > /proc/sysrq-trigger`, the console's SysRq menu) and an NMI sent
 * from the serial console to a kernel set to panic on it (https://learn.microsoft.com/troubleshoot/azure/virtual-machines/linux/serial-console-nmi-sysrq;
 * https://docs.kernel.org/admin-guide/sysrq.html). It does not repeat on its own, and there is nothing to repair.
 */
const DELIBERATE_CRASH = /sysrq: Trigger a crash|not syncing: sysrq triggered crash|not syncing: NMI: Not continuing/;

/**
 * The failure a whole boot ended in, when it is one that restarts on its own and nothing else ended the boot after
 * it (and was not a crash someone asked for, `DELIBERATE_CRASH`): not the kernel's restart line (a panic's own restart writes none, `emergency_restart`;
 * https://github.com/torvalds/linux/blob/master/kernel/panic.c) and not a shell prompt (someone worked in the boot).
 */
function failureOfBoot(boot: readonly string[]): Hit | undefined {
  const found: Hit[] = [];
  boot.forEach((line, index) => {
    const signature = signatureOf(line);
    if (signature) found.push({ signature, index });
  });
  const hits = withoutSessionOutput(found, boot);
  for (let i = hits.length - 1; i >= 0; i--) {
    const hit = hits[i] as Hit;
    if (hit.signature.role === "prompt") return undefined;
    if (hit.signature.role !== "failure" || hit.signature.afterPrompt === "note") continue;
    if (!RESTARTS_ON_ITS_OWN.has(hit.signature.id)) return undefined;
    if (boot.slice(0, hit.index + 1).some((line) => DELIBERATE_CRASH.test(line))) return undefined;
    const after = boot.slice(hit.index + 1);
    return after.some((line) => endsBoot(line) || SHELL_PROMPT.test(line)) ? undefined : hit;
  }
  return undefined;
}
