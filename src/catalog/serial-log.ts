/**
 * What a guest writes to its serial port, as data: the prompts that mean "the console is usable" and the boot
 * failures Microsoft documents, each with the phrases that identify it, the doc that fixes it and the commands to
 * start with. `judgeSerialLog` (src/checks/support/serial-log.ts) matches them against the latest boot in the boot
 * diagnostics serial log; `sc-doctor explain --log` against a saved log.
 *
 * Phrases are the guest's own words (kernel, systemd, dracut, initramfs-tools, GRUB, e2fsprogs, cloud-init, SAC),
 * matched after ANSI escapes are stripped, case-sensitive unless the pattern says otherwise. Docs:
 * https://learn.microsoft.com/troubleshoot/azure/virtual-machines/linux/serial-console-linux and
 * https://learn.microsoft.com/troubleshoot/azure/virtual-machines/windows/serial-console-windows.
 */

const LINUX_DOCS = "https://learn.microsoft.com/troubleshoot/azure/virtual-machines/linux";
const WINDOWS_DOCS = "https://learn.microsoft.com/troubleshoot/azure/virtual-machines/windows";
const REPAIR = "az vm repair create --name {vm} --resource-group {rg} --subscription {subscription} --verbose";

/**
 * Windows Boot Manager statuses with an Azure article of their own (troubleshoot/azure/virtual-machines/windows/…):
 * the status as the error screen prints it, and the article's page.
 */
const BOOT_MANAGER_STATUSES = [
  ["0xc000000e", "error-code-0xc000000e"],
  ["0xc000000f", "boot-error-0xc000000f"],
  ["0xc0000011", "boot-error-0xc0000011"],
  ["0xc0000034", "boot-error-0xc0000034"],
  ["0xc0000098", "boot-error-0xc0000098"],
  ["0xc00000ba", "boot-error-0xc00000ba"],
  ["0xc0000102", "error-code-0xc0000102-status-file-corrupt"],
  ["0xc000014c", "boot-error-0xc000014c"],
  ["0xc0000221", "boot-error-0xc0000221"],
  ["0xc0000225", "boot-error-status-not-found"],
  ["0xc0000359", "boot-error-0xc0000359"],
  ["0xc0000605", "error-code-0xc0000605"],
] as const;

/**
 * - `prompt`: the guest is waiting for someone to sign in (pass).
 * - `failure`: a boot failure; decisive when it is the last decisive line of the latest boot.
 * - `cause`: names why a later `failure` (emergency mode) happened; reported as the signature when it precedes one.
 * - `sticky`: degrades the console wherever it appears in the latest boot, unless `clearedBy` follows it.
 */
export type SignatureRole = "prompt" | "failure" | "cause" | "sticky";

export interface SerialLogSignature {
  /** Stable id, carried as `evidence.signature` (scripts match on it, not on the reason's words). */
  id: string;
  title: string;
  os: "linux" | "windows";
  role: SignatureRole;
  patterns: readonly RegExp[];
  /**
   * A `cause`: the failures it can be why of (a data disk's fstab timeout is not why dracut found no root), each by
   * id or by id and what the failure's line must say; any when absent.
   */
  explains?: readonly (string | { id: string; when: RegExp })[];
  /**
   * Sub-causes (kernel panic, a Boot Manager status): the one the failure names (the last before its line, else the first after it) is named in
   * evidence; its `doc`, when it has one, is the doc to read instead of the signature's; `effectOf`: causes that, shown
   * just before it, are its root (init dies of an Oops in PID 1).
   */
  causes?: readonly { id: string; title: string; pattern: RegExp; doc?: string; effectOf?: readonly string[] }[];
  clearedBy?: RegExp;
  /** The Microsoft doc that fixes it (public URL). */
  doc?: string;
  /** What to do, in one sentence. */
  mitigation?: string;
  /** Copy-pasteable first steps; `{vm}`, `{rg}`, `{subscription}` are filled with the VM's names. */
  fix?: readonly string[];
  /** True when the phrase is not documented as appearing in the serial log (only in the screenshot or by heuristic). */
  unverified?: boolean;
  /** A `failure` that does not undo an earlier prompt of the same boot: named as a note, the prompt decides. */
  afterPrompt?: "note";
}

export const SERIAL_LOG_SIGNATURES = [
  {
    id: "login-prompt",
    title: "Linux login prompt",
    os: "linux",
    role: "prompt",
    // agetty's prompt, `<hostname> login:` (FreeBSD's: `login:` alone), as written, typed at (a user name, then
    // login's `Password:`), with getty's autologin, or with boot output that landed on its line (getty writes no
    // newline after it): a kernel timestamp or driver line (`hv_vmbus: …`), cloud-init — its `ci-info:` tables, a
    // `cloud-init[pid]:` line, the host keys it logs as syslog `<14>Mar 17 10:22:13 ec2: ###…` — a systemd status
    // (`[  OK  ]`, `[FAILED]`, `[DEPEND]`, `[ TIME ]`, a start job's `[  *** ]`) or job line (`   Starting x.service`);
    // and login's own `Last login:` once someone signed in. Any of them shows a getty on the serial port: the
    // console's guest side works.
    patterns: [
      /^\S+ login:(?:\s*$|\s+\[\s*\d+\.\d+\](?!\s*Linux version)|\s+\[\s*(?:OK|FAILED|DEPEND|TIME|INFO|WARN|\*+)\s*\]|\s{2,}[A-Z][a-z]+ \S+\.(?:service|target|mount|socket|timer|path|slice|scope|device|swap)\b|\s+[a-z][a-z0-9_]{1,31}: \S|\s+Cloud-init v\. |\s+<\d{1,3}>|\s+ci-info: |\s+[\w.@-]+\[\d+\]: |\s+[a-z_][a-z0-9_.-]{0,31}(?: \(automatic login\))?\s*$)/m,
      /^login:\s*$/m,
      /^Last login: \S/m,
    ],
    doc: `${LINUX_DOCS}/serial-console-linux`,
  },
  {
    id: "sac-prompt",
    title: "Windows Special Administration Console (SAC) prompt",
    os: "windows",
    role: "prompt",
    patterns: [/^SAC>/m, /EVENT: The CMD command is now available\./],
    doc: `${WINDOWS_DOCS}/serial-console-windows`,
  },
  {
    id: "sac-cmd-unavailable",
    title: "SAC cannot start a Command Prompt (sacsvr not running)",
    os: "windows",
    role: "sticky",
    patterns: [/EVENT: The CMD command is unavailable\./, /Unable to launch a Command Prompt/],
    clearedBy: /EVENT: The CMD command is now available\./,
    doc: `${WINDOWS_DOCS}/serial-console-errors`,
    mitigation: "Set the Special Administration Console Helper service (sacsvr) to Automatic and start it.",
    fix: [
      'az vm run-command invoke --name {vm} --resource-group {rg} --subscription {subscription} --command-id RunPowerShellScript --scripts "Set-Service sacsvr -StartupType Automatic; Start-Service sacsvr"',
    ],
  },
  {
    id: "kernel-panic",
    title: "Linux kernel panic",
    os: "linux",
    role: "failure",
    patterns: [/Kernel panic - not syncing/],
    causes: [
      { id: "no-initramfs", title: "no initramfs for the kernel", pattern: /VFS: Unable to mount root fs on unknown-block/ },
      {
        id: "init-died",
        title: "init died (missing files or libraries, permissions, SELinux)",
        pattern: /Attempted to kill init!/,
        // An Oops in PID 1 just before kills init too: that Oops is the cause.
        effectOf: ["kernel-bug"],
      },
      { id: "out-of-memory", title: "out of memory", pattern: /Out of memory and no killable processes/ },
      { id: "lockup", title: "soft or hard lockup", pattern: /softlockup: hung tasks|Watchdog detected hard LOCKUP/ },
      { id: "kernel-bug", title: "kernel bug (Oops)", pattern: /kernel BUG at|\bOops:/ },
    ],
    doc: `${LINUX_DOCS}/linux-kernel-panic-troubleshooting`,
    mitigation:
      "Boot the previous kernel from the GRUB menu at the console, or repair offline (regenerate the initramfs, fix the cause the panic names).",
    fix: [REPAIR],
  },
  {
    id: "efi-mount",
    title: "/boot/efi (VFAT) could not be mounted",
    os: "linux",
    role: "cause",
    // Before fstab-timeout: the same emergency mode, another repair ('nofail' on the EFI partition is not one).
    patterns: [/Failed to mount \/boot\/efi/],
    explains: ["emergency-mode"],
    doc: `${LINUX_DOCS}/vfat-disabled-boot-issues`,
    mitigation:
      "The EFI system partition is VFAT: make sure hardening did not disable the vfat module (/etc/modprobe.d), then rebuild the initramfs (offline from a rescue VM if needed).",
    fix: [REPAIR],
  },
  {
    id: "fstab-timeout",
    title: "fstab: a device never appeared or a mount failed",
    os: "linux",
    role: "cause",
    // Also a log that stops at systemd's "A start job is running for /dev/disk/… (… / no limit)" (judged in
    // src/checks/support/serial-log.ts: that line is a cause only when nothing follows it).
    // Only a disk an fstab line can name (`/dev/disk/by-uuid/…`, `/dev/mapper/…`, `/dev/<vg>/<lv>`, `/dev/sdc1`, or
    // its unit, `dev-disk-by\x2duuid-….device`): not /dev/ttyS0, whose timeout fails the serial getty
    // (https://github.com/systemd/systemd/issues/31180), nor systemd's /dev/gpt-auto-root, the root in the initrd
    // (https://github.com/systemd/systemd/issues/38842). Not the temp disk's /dev/disk/cloud/ link (mounted nofail:
    // its timeout stops no boot). In the initrd a device that times out is the root (dracut-timeout's cause, not
    // fstab's): emergency mode only.
    patterns: [
      /Timed out waiting for device (?:\/dev\/(?!disk\/cloud\/)[\w.:+-]+\/\S|\/dev\/(?:sd[a-z]|nvme\d|x?vd[a-z]|md\d)|dev-(?:disk-(?!cloud-)|mapper-|sd[a-z]|nvme\d|x?vd[a-z]|md\d))/,
      /Dependency failed for Local File Systems/,
    ],
    explains: ["emergency-mode"],
    doc: `${LINUX_DOCS}/linux-virtual-machine-cannot-start-fstab-errors`,
    mitigation: "Fix /etc/fstab: use UUIDs and add 'nofail' to data disks (from emergency mode at the console, or offline with ALAR).",
    fix: ["az vm repair repair-button --button-command fstab --name {vm} --resource-group {rg} --subscription {subscription}"],
  },
  {
    id: "fsck",
    title: "file system corruption: fsck / xfs_repair needed",
    os: "linux",
    role: "cause",
    patterns: [
      /UNEXPECTED INCONSISTENCY; RUN fsck MANUALLY/,
      /EXT4-fs error \(device/,
      /Marking fs in need of filesystem check/,
      /Metadata CRC error detected/,
      /Unmount and run xfs_repair/,
      /VFS: Can't find ext4 filesystem/,
    ],
    // Not "recovery required on readonly filesystem": ext4 replaying its journal after an unclean stop, then "recovery complete".
    // A kernel panic only when the panic names the file system (ext4's errors=panic): an error on a data disk earlier
    // is no reason for an out-of-memory panic later.
    explains: ["emergency-mode", "dracut-timeout", "initramfs-shell", { id: "kernel-panic", when: /EXT4-fs|XFS|panic forced after error/ }],
    doc: `${LINUX_DOCS}/linux-recovery-cannot-start-file-system-errors`,
    mitigation: "Run fsck (ext4) or xfs_repair (XFS) on the device the log names, from emergency mode or from a rescue VM.",
    fix: [REPAIR],
  },
  {
    id: "selinux",
    title: "SELinux relabel (loops when the relabel cannot finish)",
    os: "linux",
    role: "cause",
    // Not selinux-autorelabel-mark.service, which every boot of RHEL 9 runs.
    patterns: [/SELinux .{0,200}relabel is required/i, /Relabeling could take a very long time/, /selinux-autorelabel(?!-mark)/],
    doc: `${LINUX_DOCS}/linux-selinux-troubleshooting`,
    mitigation:
      "Let one relabel finish; if it loops, boot with 'selinux=0' (or 'enforcing=0') from the GRUB menu at the console and fix the policy or /.autorelabel.",
    fix: [REPAIR],
  },
  {
    id: "emergency-mode",
    title: "systemd emergency mode",
    os: "linux",
    role: "failure",
    patterns: [
      /Welcome to emergency mode!/,
      /You are in emergency mode\./,
      /Give root password for maintenance/,
      /Cannot open access to console, the root account is locked\./,
    ],
    doc: `${LINUX_DOCS}/linux-virtual-machine-cannot-start-fstab-errors`,
    mitigation:
      "A unit the boot requires failed (the lines before the banner name it): sign in as root at the console if root has a password, else use single-user mode.",
    fix: [REPAIR],
  },
  {
    id: "dracut-timeout",
    title: "the initramfs did not find the root file system (dracut or systemd in the initrd gave up waiting for it)",
    os: "linux",
    role: "failure",
    patterns: [
      // systemd in the initrd giving up on the root (initrd-root-device.target, initrd-root-fs.target), on its way to
      // the emergency shell: https://www.freedesktop.org/software/systemd/man/latest/bootup.html
      /Dependency failed for Initrd Root (?:Device|File System)\./,
      // "dracut-initqueue timeout - starting timeout scripts" (RHEL 7/8), "dracut-initqueue: starting timeout scripts" (RHEL 9).
      /dracut-initqueue:? (?:timeout|starting timeout scripts)/,
      /Starting Dracut Emergency Shell/,
      /^dracut:\/#/m,
      /Entering emergency mode\. Exit the shell to continue\./,
    ],
    doc: `${LINUX_DOCS}/linux-no-boot-dracut`,
    mitigation: "Check root=, the LVM paths and rd.break on the kernel line (GRUB menu at the console), or rebuild the initramfs offline.",
    fix: [REPAIR],
  },
  {
    id: "initramfs-shell",
    title: "initramfs BusyBox shell: the root file system was not found",
    os: "linux",
    role: "failure",
    patterns: [/Gave up waiting for root (?:file system )?device/, /does not exist\. {1,2}Dropping to a shell!/, /^\(initramfs\)/m],
    doc: `${LINUX_DOCS}/linux-no-boot-dracut`,
    mitigation: "Check root= on the kernel line and that the initramfs has the Hyper-V storage drivers; rebuild it offline if needed.",
    fix: [REPAIR],
  },
  {
    id: "grub-rescue",
    title: "GRUB rescue: grub.cfg or GRUB modules missing",
    os: "linux",
    role: "failure",
    patterns: [
      /^grub rescue>/m,
      // Its command line with nothing typed at it, where GRUB drops when it finds no grub.cfg to load (its banner,
      // "Minimal BASH-like line editing is supported", is also what pressing `c` at the menu shows).
      /^grub>\s*$/m,
      /Entering rescue mode\.\.\./,
      // GRUB opens a name with a backtick, N_("file `%s' not found") (grub-core/fs/fshelp.c), N_("symbol `%s' not
      // found") (grub-core/kern/dl.c): https://git.savannah.gnu.org/cgit/grub.git/tree/grub-core; straight quotes too.
      // Not a missing translation or font (`locale/en.mo.gz`, `fonts/unicode.pf2`): GRUB goes on booting without them.
      /error: file [`']\/boot\/grub2?\/(?!locale\/|fonts\/)[^']{0,200}' not found/,
      /error: unknown filesystem\./,
      /error: no such partition\./,
      /Error 15: File not found/,
      /error: symbol [`']grub_[a-z_]+' not found/,
    ],
    doc: `${LINUX_DOCS}/troubleshoot-vm-boot-error`,
    mitigation: "Reinstall GRUB and regenerate grub.cfg offline (ALAR: grubfix for Generation 1, efifix for Generation 2).",
    fix: ["az vm repair repair-button --button-command grubfix --name {vm} --resource-group {rg} --subscription {subscription}"],
  },
  {
    id: "cloud-init",
    title: "cloud-init failed",
    os: "linux",
    role: "failure",
    // Its final stage runs after getty (a custom-data script's failure lands after the login prompt): the VM came up.
    afterPrompt: "note",
    patterns: [
      /Failed to start (?:Initial cloud-init job|Apply the settings specified in cloud-config|Execute cloud user\/final scripts)/,
      /cloud-init\[\d+\]: .{0,300}(?:Traceback \(most recent call last\)|\bFAIL\b|failed)/,
    ],
    // MicrosoftDocs/azure-compute-docs articles/virtual-machines/linux/cloud-init-troubleshooting.md
    doc: "https://learn.microsoft.com/azure/virtual-machines/linux/cloud-init-troubleshooting",
    mitigation: "Read /var/log/cloud-init.log at the console; fix the custom data or the image's datasource configuration.",
    fix: [
      'az vm run-command invoke --name {vm} --resource-group {rg} --subscription {subscription} --command-id RunShellScript --scripts "cloud-init status --long"',
    ],
  },
  {
    id: "bugcheck",
    title: "Windows stop error (blue screen)",
    os: "windows",
    role: "failure",
    patterns: [
      /\b(INACCESSIBLE_BOOT_DEVICE|CRITICAL_PROCESS_DIED|CRITICAL_SERVICE_FAILED|UNMOUNTABLE_BOOT_VOLUME|SYSTEM_THREAD_EXCEPTION_NOT_HANDLED|KMODE_EXCEPTION_NOT_HANDLED|PAGE_FAULT_IN_NONPAGED_AREA|IRQL_NOT_LESS_OR_EQUAL|DRIVER_IRQL_NOT_LESS_OR_EQUAL|BAD_SYSTEM_CONFIG_INFO|SYSTEM_SERVICE_EXCEPTION|NTFS_FILE_SYSTEM|MEMORY_MANAGEMENT|DPC_WATCHDOG_VIOLATION)\b/,
      /Your (?:PC|device) ran into a problem and needs to restart/,
      /\bStop code: [A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/,
      /\bSTOP: 0x[0-9A-Fa-f]{8}\b/,
      // After a stop error EMS hands the port to !SAC, whose prompt is `!SAC>`
      // (https://learn.microsoft.com/previous-versions/windows/it-pro/windows-server-2003/cc759741(v=ws.10)), and SAC
      // announces the bug check as in-band XML, a BLUESCREEN instance.
      /^!SAC>/,
      /<INSTANCE CLASSNAME="BLUESCREEN">/,
    ],
    doc: `${WINDOWS_DOCS}/troubleshoot-common-blue-screen-error`,
    mitigation: "Collect a memory dump (EMS and dump collection on) and follow the doc for the stop code; repair offline from a rescue VM.",
    fix: [REPAIR],
    unverified: true,
  },
  {
    id: "boot-manager",
    title: "Windows Boot Manager could not start Windows",
    os: "windows",
    role: "failure",
    // Boot Manager's error screen ("Windows failed to start. A recent hardware or software change might be the
    // cause." then File:, Status:, Info:), which an EMS-enabled boot manager (bcdedit /bootems) writes to the serial
    // port as to the screen; Microsoft documents it from the boot screenshot, one article per status.
    // The screen wraps its sentence at 80 columns: matched on its start. Status is an NTSTATUS error (0xC000xxxx).
    // Newer boot managers show the same failure as a "Recovery" screen, "Your PC/Device needs to be repaired", with
    // "Error code: 0xc0000225" for Status (boot-error-status-not-found's note; "Error Code:" in boot-error-0xc0000034).
    patterns: [
      /^\s*Windows failed to start\. A recent/,
      /^\s*Status:\s*0x[cC]000[0-9A-Fa-f]{4}\s*$/,
      /^\s*Your PC\/Device needs to be repaired\s*$/,
      /^\s*Error code:\s*0xc000[0-9a-f]{4}\s*$/i,
    ],
    causes: BOOT_MANAGER_STATUSES.map(([status, page]) => ({
      id: status,
      title: `status ${status}`,
      pattern: new RegExp(`(?:Status|Error code):\\s*${status}\\b`, "i"),
      doc: `${WINDOWS_DOCS}/${page}`,
    })),
    doc: `${WINDOWS_DOCS}/troubleshoot-recovery-disks-windows`,
    mitigation:
      "Repair the Boot Configuration Data (or the file the screen names) offline from a rescue VM, as the doc for its status says; Run Command cannot reach a VM that never started Windows.",
    fix: [REPAIR],
    unverified: true,
  },
  {
    id: "bitlocker",
    title: "BitLocker asks for the OS disk's key: Windows cannot start",
    os: "windows",
    role: "failure",
    // The screens troubleshoot-bitlocker-boot-error documents from the boot screenshot (its words, "driver" included),
    // which the boot manager shows before Windows starts: no SAC, so no EMS setting or Run Command reaches it.
    patterns: [
      /Plug in the USB driver that has the BitLocker key/,
      /Enter the recovery key to get going again/,
      /Enter the password to unlock this drive/,
      /^\s*Enter your recovery key\b/,
    ],
    doc: `${WINDOWS_DOCS}/troubleshoot-bitlocker-boot-error`,
    mitigation:
      "The VM cannot find its BitLocker key (BEK) file: stop (deallocate) and start the VM, which fetches the BEK from Key Vault again; if it still asks, unlock the OS disk with the BEK from a repair VM (manage-bde -unlock), as the doc shows.",
    fix: [
      "az vm deallocate --name {vm} --resource-group {rg} --subscription {subscription}",
      "az vm start --name {vm} --resource-group {rg} --subscription {subscription}",
    ],
    unverified: true,
  },
  {
    id: "windows-boot-loop",
    title: "Windows restarts before SAC is ready (boot loop)",
    os: "windows",
    role: "failure",
    // Found by the judge, not by a phrase: two boots in a row that started SAC and never showed its prompt.
    patterns: [],
    doc: `${WINDOWS_DOCS}/troubleshoot-common-blue-screen-error`,
    mitigation:
      "The VM restarts before it is up, often on a stop error: look at the boot screenshot for a stop code, collect a memory dump, repair offline from a rescue VM.",
    fix: [REPAIR],
    unverified: true,
  },
  {
    id: "windows-update-loop",
    title: "Windows is stuck applying updates",
    os: "windows",
    role: "failure",
    patterns: [
      /Preparing to configure Windows/i,
      /Working on updates/i,
      /Undoing changes made to your computer/i,
      /Getting Windows ready/i,
    ],
    doc: `${WINDOWS_DOCS}/troubleshoot-stuck-updating-boot-error`,
    mitigation: "Wait for the update to finish; if the VM loops, remove the pending update offline from a rescue VM (DISM).",
    fix: [REPAIR],
    unverified: true,
  },
] as const satisfies readonly SerialLogSignature[];

export type SerialLogSignatureId = (typeof SERIAL_LOG_SIGNATURES)[number]["id"];

/** The blank-console states (no failure named): also stable `evidence.signature` ids. */
export type BlankSignatureId = "empty" | "no-prompt";
