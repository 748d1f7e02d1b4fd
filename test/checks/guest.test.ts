/** Tables for the guest-side checks: serial-log (over the simulator's realistic logs and inline texts), guest-login, cloud-shell-storage. */
import { readFileSync, readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { isInertCommand } from "../fixtures/shell.js";
import type { SerialLogFacts } from "../../src/azure/facts.js";
import { SERIAL_LOG_SIGNATURES } from "../../src/catalog/serial-log.js";
import { getEntry } from "../../src/catalog/index.js";
import cloudShellStorage from "../../src/checks/cloud-shell-storage.js";
import guestLogin from "../../src/checks/guest-login.js";
import serialLog, { isArm64Size } from "../../src/checks/serial-log.js";
import { judgeSerialLog, normaliseSerialLog } from "../../src/checks/support/serial-log.js";
import { explainSerialLog } from "../../src/explain/serial-log.js";
import { toCheckResult } from "../../src/engine/result.js";
import { SUB, scaleSetVm, vm } from "./fixtures.js";

const LOGS = new URL("../azure-sim/logs/", import.meta.url);
const log = (name: string) => readFileSync(new URL(name, LOGS));
const read = (tail: string | Buffer, extra: Partial<Extract<SerialLogFacts, { kind: "read" }>> = {}): SerialLogFacts => ({
  kind: "read",
  tail: typeof tail === "string" ? tail : tail.toString("utf8"),
  totalBytes: Buffer.byteLength(tail),
  complete: true,
  storage: "custom",
  ...extra,
});
const windows = vm({ osType: "Windows", imagePublisher: "MicrosoftWindowsServer" });

describe("serial-log over realistic logs (one per signature)", () => {
  it.each([
    ["healthy-ubuntu.log", "pass", "login-prompt", undefined],
    ["kernel-panic.log", "warn", "kernel-panic", "no-initramfs"],
    ["latest-panic-init.log", "warn", "kernel-panic", "init-died"],
    ["emergency-fstab.log", "warn", "fstab-timeout", undefined],
    // RHEL 9 with vfat disabled by hardening (and its every-boot selinux-autorelabel-mark.service, no relabel).
    ["emergency-efi.log", "warn", "efi-mount", undefined],
    ["emergency-root-locked.log", "warn", "emergency-mode", undefined],
    ["fsck.log", "warn", "fsck", undefined],
    ["dracut-timeout.log", "warn", "dracut-timeout", undefined],
    ["initramfs-shell.log", "warn", "initramfs-shell", undefined],
    ["grub-rescue.log", "warn", "grub-rescue", undefined],
    ["selinux-relabel.log", "warn", "selinux", undefined],
    ["cloud-init-failed.log", "warn", "cloud-init", undefined],
    ["no-prompt.log", "warn", "no-prompt", undefined],
    ["empty.log", "warn", "empty", undefined],
    ["earlier-panic-latest-healthy.log", "pass", "login-prompt", undefined],
    ["failure-then-prompt.log", "pass", "login-prompt", undefined],
  ])("%s → %s (%s)", (file, status, signature, cause) => {
    const finding = serialLog.evaluate({ vm: vm(), serialLog: read(log(file)) });
    expect(finding.status).toBe(status);
    expect(finding.evidence?.["signature"]).toBe(signature);
    expect(finding.evidence?.["cause"]).toBe(cause);
    if (status === "warn") expect(finding.fix?.length ?? finding.documentedErrorId).toBeTruthy();
  });

  it.each([
    ["healthy-windows-sac.log", "pass", "sac-prompt"],
    ["sac-cmd-unavailable.log", "warn", "sac-cmd-unavailable"],
    ["bugcheck.log", "warn", "bugcheck"],
    ["windows-update-loop.log", "warn", "windows-update-loop"],
    ["windows-no-sac.log", "warn", "no-prompt"],
    ["windows-boot-loop.log", "warn", "windows-boot-loop"],
    ["windows-boot-manager.log", "warn", "boot-manager"],
    ["windows-bitlocker.log", "warn", "bitlocker"],
    ["empty.log", "warn", "empty"],
  ])("Windows Server: %s → %s (%s)", (file, status, signature) => {
    const finding = serialLog.evaluate({ vm: windows, serialLog: read(log(file)) });
    expect(finding.status).toBe(status);
    expect(finding.evidence?.["signature"]).toBe(signature);
  });

  it("every signature in the catalogue has a realistic log that produces it, and every log is in a table", () => {
    const produced = new Set(
      readdirSync(LOGS)
        .filter((f) => f.endsWith(".log"))
        .map((f) => {
          const { verdict } = judgeSerialLog(log(f));
          return typeof verdict.signature === "string" ? verdict.signature : verdict.signature.id;
        }),
    );
    for (const signature of SERIAL_LOG_SIGNATURES) expect(produced, signature.id).toContain(signature.id);
  });

  it("every failure signature names the Microsoft doc that fixes it", () => {
    for (const signature of SERIAL_LOG_SIGNATURES) expect(signature.doc, signature.id).toMatch(/^https:\/\/learn\.microsoft\.com\//);
  });

  it("a stop error after SAC> (!SAC's prompt, SAC's BLUESCREEN XML) is the bug check, not the SAC> before it", () => {
    const up = "Computer is booting, SAC started and initialized.\r\n\r\nSAC>\r\nEVENT: The CMD command is now available.\r\nSAC>\r\n";
    for (const crash of ['<?xml version="1.0"?>\r\n<INSTANCE CLASSNAME="BLUESCREEN">\r\n', "\r\n!SAC>\r\n"]) {
      const finding = serialLog.evaluate({ vm: windows, serialLog: read(`${up}${crash}`) });
      expect(finding.status, crash).toBe("warn");
      expect(finding.evidence?.["signature"], crash).toBe("bugcheck");
    }
  });

  it("a Status line a command printed in a SAC channel is no Boot Manager failure: only its screen, under its title, is", () => {
    const up = "Computer is booting, SAC started and initialized.\r\n\r\nSAC>\r\nEVENT: The CMD command is now available.\r\nSAC>\r\n";
    const channel = "SAC>ch -si 1\r\nC:\\Windows\\system32>type boot.txt\r\n    Status: 0xC0000034\r\nC:\\Windows\\system32>\r\n";
    expect(serialLog.evaluate({ vm: windows, serialLog: read(`${up}${channel}`) }).status).toBe("pass");
  });

  describe("BitLocker's and the Recovery screen's words printed in a SAC cmd channel are session output, not a boot failure", () => {
    const session = (command: string, output = "") =>
      `${log("healthy-windows-sac.log")}\r\nSAC>ch -si 1\r\nC:\\Windows\\system32>${command}\r\n${output}C:\\Windows\\system32>\r\n`;
    it.each([
      ["echo Enter the password to unlock this drive", "Enter the password to unlock this drive\r\n"],
      ["type notes.txt", "Enter your recovery key to get going again\r\nPlug in the USB driver that has the BitLocker key\r\n"],
      ["echo Your PC/Device needs to be repaired", "Your PC/Device needs to be repaired\r\n"],
    ])("%s: the SAC prompt before it decides (pass), no BitLocker or Boot Manager failure", (command, output) => {
      const finding = serialLog.evaluate({ vm: windows, serialLog: read(session(command, output)) });
      expect(finding.status, finding.reason).toBe("pass");
      expect(finding.evidence?.["signature"]).toBe("sac-prompt");
      expect(judgeSerialLog(session(command, output)).bootMarkerFound).toBe(true);
    });
    it("a command channel left at its prompt, then a hard reset (no shutdown line) into BitLocker's screen: the failure", () => {
      // What follows a prompt waiting for input is no command's output.
      const reset = `${log("healthy-windows-sac.log")}\r\nSAC>ch -si 1\r\nC:\\Windows\\system32>dir\r\nC:\\Windows\\system32>\r\n\r\nPlug in the USB driver that has the BitLocker key\r\n`;
      expect(serialLog.evaluate({ vm: windows, serialLog: read(reset) }).evidence?.["signature"]).toBe("bitlocker");
    });
    it("the real screens, after SAC said Windows is shutting down, are still the failures", () => {
      expect(serialLog.evaluate({ vm: windows, serialLog: read(log("windows-bitlocker.log")) }).evidence?.["signature"]).toBe("bitlocker");
      const repaired = `${log("healthy-windows-sac.log")}\r\nThe SAC will become unavailable soon.  The computer is shutting down.\r\n\r\nSAC>\r\nRecovery\r\n\r\nYour PC/Device needs to be repaired\r\n\r\nError code: 0xc0000225\r\n`;
      expect(serialLog.evaluate({ vm: windows, serialLog: read(repaired) }).evidence).toMatchObject({
        signature: "boot-manager",
        cause: "0xc0000225",
      });
    });
  });

  it("SAC's banner without its prompt: EMS is on, so no EMS fix and no 'EMS may be off' — still starting or stuck", () => {
    const banner =
      'Computer is booting, SAC started and initialized.\r\n\r\nUse the "ch -?" command for information about using channels.\r\n';
    const finding = serialLog.evaluate({ vm: windows, serialLog: read(banner) });
    expect(finding.status).toBe("warn");
    expect(finding.reason).toContain("EMS is on");
    expect(finding.reason).not.toContain("may be off");
    expect(finding.evidence).toMatchObject({ signature: "no-prompt", sacStarted: "Computer is booting, SAC started and initialized." });
    expect(finding.fix ?? []).toEqual([]);
  });

  it("a Windows VM of unknown edition with a silent log: the reason says it may be a client edition, which has no SAC", () => {
    const unknown = vm({ osType: "Windows", imagePublisher: undefined, osName: undefined, licenseType: undefined });
    const finding = serialLog.evaluate({ vm: unknown, serialLog: read("") });
    expect(finding.status).toBe("warn");
    expect(finding.reason).toContain("unless this is a Windows client edition");
    expect(finding.evidence).toMatchObject({
      edition: "unknown",
      doc: "https://learn.microsoft.com/troubleshoot/azure/virtual-machines/windows/serial-console-windows",
    });
    // A Server edition: no such doubt.
    expect(serialLog.evaluate({ vm: windows, serialLog: read("") }).reason).not.toContain("client edition");
  });

  it("a failure in an earlier boot is evidence only; the latest boot sets the status", () => {
    const finding = serialLog.evaluate({ vm: vm(), serialLog: read(log("earlier-panic-latest-healthy.log")) });
    expect(finding.status).toBe("pass");
    expect(finding.evidence?.["earlierBootSignature"]).toBe("kernel-panic");
  });

  it("a deallocated VM's log is its last run's: the reason says so (power-state fails it), a running VM's does not", () => {
    const deallocated = vm({
      statuses: [
        { code: "ProvisioningState/succeeded", displayStatus: "Provisioning succeeded" },
        { code: "PowerState/deallocated", displayStatus: "VM deallocated" },
      ],
    });
    const stale = serialLog.evaluate({ vm: deallocated, serialLog: read(log("earlier-panic-latest-healthy.log")) });
    expect(stale.status).toBe("pass");
    expect(stale.reason).toMatch(/\[the VM is deallocated: this log is from its last run\]$/);
    expect(stale.evidence?.["powerState"]).toBe("PowerState/deallocated");
    const running = serialLog.evaluate({ vm: vm(), serialLog: read(log("earlier-panic-latest-healthy.log")) });
    expect(running.reason).not.toContain("last run");
    // Starting: the new boot may not have written yet, so the prompt may be the last run's.
    const starting = vm({ statuses: [{ code: "PowerState/starting", displayStatus: "VM starting" }] });
    expect(serialLog.evaluate({ vm: starting, serialLog: read(log("earlier-panic-latest-healthy.log")) }).reason).toMatch(
      /\[the VM is starting: this log may be from its last run\]$/,
    );
  });

  it("a new boot after one that reached its prompt, cut off before its own: no 'no getty' claim, no getty/EMS fix", () => {
    // A panic with panic=-1 (no `reboot:` line), then the next boot's first lines.
    const linux = serialLog.evaluate({
      vm: vm(),
      serialLog: read(
        `${log("healthy-ubuntu.log")}\n[ 7000.1] sysrq: Trigger a crash\n[ 7000.2] Kernel panic - not syncing: sysrq triggered crash\n[    0.000000] Linux version 6.5.0-1025-azure #26\n[    1.2] systemd[1]: Starting Journal Service...`,
      ),
    });
    expect(linux.status).toBe("warn");
    // A crash someone asked for (SysRq c) is nothing to fix: the prompt it had reached says the port works.
    expect(linux.reason).toMatch(/no login prompt yet, while an earlier boot in this log reached one \('\S+ login:'\)/);
    expect(linux.evidence?.["restartedAfterFailure"]).toBeUndefined();
    expect(linux.reason).not.toContain("no getty runs");
    expect(linux.fix ?? []).toEqual([]);
    expect(linux.evidence?.["earlierPrompt"]).toMatch(/login:$/);
    // A panic nobody asked for after that prompt: that panic, and the prompt it had reached.
    const crashed = serialLog.evaluate({
      vm: vm(),
      serialLog: read(
        `${log("healthy-ubuntu.log")}\n[ 7000.2] Kernel panic - not syncing: Fatal exception\n[    0.000000] Linux version 6.5.0-1025-azure #26\n[    1.2] systemd[1]: Starting Journal Service...`,
      ),
    });
    expect(crashed.reason).toMatch(/ended in Linux kernel panic .*restarted by itself/);
    expect(crashed.reason).toMatch(/an earlier boot reached its prompt, '\S+ login:': the serial port works/);
    expect(crashed.fix ?? []).toEqual([]);
    // An orderly restart before the new banner: named, not "without a word".
    const rebooted = serialLog.evaluate({
      vm: vm(),
      serialLog: read(
        "[    0.000000] Linux version 5.15.0 (x)\nvm1 login:\n[   50.1] reboot: Restarting system\n[    0.000000] Linux version 5.15.0 (x)\n[    1.0] random: crng init done",
      ),
    });
    expect(rebooted.reason).toMatch(/the VM restarted \('\[ {3}50\.1\] reboot: Restarting system'\) and is still booting/);
    expect(rebooted.reason).not.toContain("without a word");
    // That restart ended an older boot; the boot before the latest ended silently.
    const three = serialLog.evaluate({
      vm: vm(),
      serialLog: read(
        "[    0.000000] Linux version 5.15.0 (x)\nvm1 login:\n[  100.000000] reboot: Restarting system\n[    0.000000] Linux version 5.15.0 (x)\n[    5.0] systemd[1]: Started Journal Service.\n[    0.000000] Linux version 5.15.0 (x)\n[    1.0] random: crng init done",
      ),
    });
    expect(three.reason).toContain("restarted without a word");
    // Windows: SAC> before, then a new boot that wrote nothing yet (a host reset): EMS is on — no EnableEMS fix.
    const stuck = serialLog.evaluate({
      vm: windows,
      serialLog: read(`${log("healthy-windows-sac.log")}\nWindows Boot Manager\nChoose an operating system to start:\n`),
    });
    expect(stuck.reason).toMatch(/no SAC> prompt yet, while an earlier boot in this log reached it \('SAC>'\): EMS is on/);
    expect(stuck.fix ?? []).toEqual([]);
    // Boot Manager's error screen after it: that failure, with the offline repair (Run Command cannot reach it).
    const failed = serialLog.evaluate({
      vm: windows,
      serialLog: read(
        `${log("healthy-windows-sac.log")}\nWindows Boot Manager\nWindows failed to start. A recent hardware or software change might be the cause.\nStatus: 0xc000000e`,
      ),
    });
    expect(failed.evidence).toMatchObject({ signature: "boot-manager", cause: "0xc000000e" });
    expect(failed.fix?.join("\n")).toContain("az vm repair create");
  });

  describe("a kernel-panic boot loop (panic=-1 restarts at once, with no restart line): the panic, not a blank console", () => {
    // Azure's Ubuntu images boot with `panic=-1`: each boot panics and the next starts at once, so the log ends
    // part-way through a boot that is still under way.
    const panicked = (i: number) =>
      `[    0.000000] Linux version 6.8.0-1015-azure (buildd@lcy02) #16-Ubuntu SMP\n[    0.000000] Command line: BOOT_IMAGE=/vmlinuz-6.8.0-1015-azure root=PARTUUID=1 ro console=tty1 console=ttyS0 earlyprintk=ttyS0 panic=-1\n[    1.9${i}] Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)\n[    1.9${i}] CPU: 0 PID: 1 Comm: swapper/0 Not tainted 6.8.0-1015-azure #16-Ubuntu`;
    const loop = Array.from({ length: 60 }, (_, i) => panicked(i)).join("\n");
    const underWay =
      "[    0.000000] Linux version 6.8.0-1015-azure (buildd@lcy02) #16-Ubuntu SMP\n[    0.000000] Hypervisor detected: Microsoft Hyper-V";
    it.each([
      ["alone", `${loop}\n${underWay}`],
      ["after a healthy boot", `${log("healthy-ubuntu.log")}\n${loop}\n${underWay}`],
    ])("%s: kernel-panic with its cause and the repair VM, no getty or console fix", (_, text) => {
      const finding = serialLog.evaluate({ vm: vm(), serialLog: read(text) });
      expect(finding).toMatchObject({ status: "warn", evidence: { signature: "kernel-panic", cause: "no-initramfs", bootLoop: 60 } });
      expect(finding.reason).toMatch(/boot loop/);
      expect(finding.reason).not.toMatch(/getty|console=ttyS0/);
      expect(finding.fix?.join("\n")).toContain("az vm repair create");
      expect(finding.fix?.join("\n")).not.toContain("run-command");
    });
    it.each([
      [
        "emergency mode left by `systemctl reboot` (the kernel's restart line)",
        `${log("emergency-fstab.log")}\nroot@vm1:~# vi /etc/fstab\nroot@vm1:~# systemctl reboot\n[  120.1] reboot: Restarting system\n`,
      ],
      ["emergency mode, no restart line (a restart from the portal)", `${log("emergency-fstab.log")}\n`],
      ["a panic, then the kernel's restart line", `${panicked(0)}\n[    7.2] reboot: Restarting system\n`],
      ["a panic, then a shell (the boot went on)", `${panicked(0)}\nroot@vm1:~# reboot\n`],
    ])("%s, twice, then a boot still under way: no boot loop (only a failure that restarts on its own loops)", (_, boot) => {
      const text = `${boot}${boot}${log("healthy-ubuntu.log").toString("utf8").split("\n").slice(0, 20).join("\n")}`;
      const finding = serialLog.evaluate({ vm: vm(), serialLog: read(text) });
      expect(finding.evidence?.["bootLoop"], finding.reason).toBeUndefined();
      expect(finding.reason).not.toMatch(/boot loop/);
    });
    it("a Windows stop error in a loop (Windows restarts after it by default): the stop error, with the loop's count", () => {
      const crashed =
        "Computer is booting, SAC started and initialized.\r\n\r\nSAC>\r\nYour PC ran into a problem and needs to restart.\r\nStop code: CRITICAL_PROCESS_DIED\r\n";
      const text = `${crashed.repeat(3)}Computer is booting, SAC started and initialized.\r\n\r\n`;
      const finding = serialLog.evaluate({ vm: windows, serialLog: read(text) });
      expect(finding.evidence).toMatchObject({ signature: "bugcheck", bootLoop: 3 });
    });
    it("a single panic, then a boot still under way: that panic is what to fix, with no getty or console fix", () => {
      const finding = serialLog.evaluate({ vm: vm(), serialLog: read(`${panicked(0)}\n${underWay}`) });
      expect(finding).toMatchObject({ status: "warn", evidence: { signature: "no-prompt", restartedAfterFailure: "kernel-panic" } });
      expect(finding.evidence?.["bootLoop"]).toBeUndefined();
      expect(finding.reason).toMatch(/the boot before the latest ended in Linux kernel panic .* restarted by itself/);
      expect(finding.reason).toContain("linux-kernel-panic-troubleshooting");
      expect(finding.reason).not.toMatch(/getty|console=ttyS0/);
      expect(finding.fix ?? []).toEqual([]);
      // explain --log says the same, with the panic's doc and what to do about it.
      const explained = explainSerialLog(Buffer.from(`${panicked(0)}\n${underWay}`));
      expect(explained).toMatchObject({ state: "blank", signature: "no-prompt", doc: expect.stringContaining("kernel-panic") });
      expect(explained.title).toMatch(/^The boot before the latest ended in Linux kernel panic/);
      expect(explained.mitigation).not.toMatch(/getty|ttyS0/);
      // A restart on purpose after it (the kernel's restart line) is no failure that restarted by itself.
      const rebooted = serialLog.evaluate({
        vm: vm(),
        serialLog: read(`${panicked(0)}\n[    7.2] reboot: Restarting system\n${underWay}`),
      });
      expect(rebooted.evidence?.["restartedAfterFailure"]).toBeUndefined();
    });
    it("a single earlier panic followed by a healthy boot still passes", () => {
      const finding = serialLog.evaluate({ vm: vm(), serialLog: read(`${panicked(0)}\n${log("healthy-ubuntu.log")}`) });
      expect(finding).toMatchObject({ status: "pass", evidence: { signature: "login-prompt" } });
    });
  });

  it("a panic written on the login prompt's line (getty writes no newline after it) is the panic, not a prompt", () => {
    const finding = serialLog.evaluate({
      vm: vm(),
      serialLog: read(
        "[    0.000000] Linux version 6.5.0-1025-azure #26\nUbuntu 22.04.4 LTS vm1 ttyS0\n\nvm1 login: [ 5012.345678] Kernel panic - not syncing: Fatal exception\n[ 5012.345700] CPU: 1 PID: 1 Comm: systemd",
      ),
    });
    expect(finding.status).toBe("warn");
    expect(finding.evidence?.["signature"]).toBe("kernel-panic");
    // Boot output after the prompt on its line is still a prompt reached.
    const chatter = serialLog.evaluate({
      vm: vm(),
      serialLog: read(
        "[    0.000000] Linux version 6.5.0-1025-azure #26\nvm1 login: [   12.345678] hv_balloon: Max. dynamic memory size: 8192 MB",
      ),
    });
    expect(chatter.status).toBe("pass");
  });

  it("a log that ends with the kernel restarting is judged by the boot after it: nothing yet, not the prompt before", () => {
    const ending =
      "[    0.000000] Linux version 6.5.0-1025-azure #26\nvm1 login: \n[  OK  ] Reached target System Reboot.\n[  123.456] reboot: Restarting system";
    for (const [text, signature] of [
      [ending, "empty"],
      [`${ending}\nerror: file '/boot/grub/locale/en.mo.gz' not found.`, "no-prompt"],
    ] as const) {
      const finding = serialLog.evaluate({ vm: vm(), serialLog: read(text) });
      expect(finding.status, text).toBe("warn");
      expect(finding.evidence?.["signature"], text).toBe(signature);
      expect(finding.evidence?.["restarted"]).toBe("[  123.456] reboot: Restarting system");
      expect(finding.reason).toContain("the guest restarted ('[  123.456] reboot: Restarting system')");
      expect(finding.fix ?? []).toEqual([]);
    }
    // x86 adds `reboot: machine restart` after it: still the restart, nothing since.
    const x86 = serialLog.evaluate({ vm: vm(), serialLog: read(`${ending}\n[  123.457] reboot: machine restart`) });
    expect(x86.evidence).toMatchObject({ signature: "empty", restarted: "[  123.457] reboot: machine restart" });
    // A boot after the restart decides as usual.
    const rebooted = serialLog.evaluate({ vm: vm(), serialLog: read(`${ending}\n[    0.000000] Linux version 6.5.0\nvm1 login: `) });
    expect(rebooted.status).toBe("pass");
  });

  it("a log that ends with the kernel powering off (a VM stopped or deallocated from Azure) is judged by the boot after it, not the prompt before", () => {
    const up = "[    0.000000] Linux version 5.15.0-1057-azure #65-Ubuntu SMP\nUbuntu 22.04.4 LTS vm1 ttyS0\n\nvm1 login: \n";
    for (const last of [
      "[  300.123] reboot: Power down",
      "[  300.123] reboot: System halted",
      "[  300.123] reboot: Restarting system with command 'rescue'",
    ]) {
      const finding = serialLog.evaluate({ vm: vm(), serialLog: read(`${up}[  OK  ] Reached target System Power Off.\n${last}\n`) });
      expect(finding.status, last).toBe("warn");
      expect(finding.evidence, last).toMatchObject({ signature: "empty", restarted: last });
      expect(finding.fix ?? []).toEqual([]);
    }
    const stopped = serialLog.evaluate({ vm: vm(), serialLog: read(`${up}[  300.123] reboot: Power down\n`) });
    expect(stopped.reason).toContain("the guest shut down ('[  300.123] reboot: Power down') and has written nothing since");
    // Started again and booted: the new boot decides as usual.
    const again = serialLog.evaluate({ vm: vm(), serialLog: read(`${up}[  300.123] reboot: Power down\n${up}`) });
    expect(again.status).toBe("pass");
  });

  it("a Windows log that ends with SAC's shutdown message is judged by the boot after it, not the SAC> before it", () => {
    const up = "Computer is booting, SAC started and initialized.\r\n\r\nEVENT: The CMD command is now available.\r\nSAC>\r\n";
    const down = "\r\nThe SAC will become unavailable soon.  The computer is shutting down.\r\n\r\nSAC>\r\n";
    for (const [after, signature] of [
      ["", "empty"],
      // The next boot in Boot Manager's menu (bootems on), before any SAC.
      ["Windows Boot Manager\r\nChoose an operating system to start, or press TAB to select a tool:\r\n", "no-prompt"],
    ] as const) {
      const finding = serialLog.evaluate({ vm: windows, serialLog: read(`${up}${down}${after}`) });
      expect(finding.status, after).toBe("warn");
      expect(finding.evidence, after).toMatchObject({
        signature,
        restarted: "The SAC will become unavailable soon.  The computer is shutting down.",
      });
      expect(finding.reason).toContain("Windows shut down or restarted");
      expect(finding.fix ?? []).toEqual([]);
    }
    // Its next boot's SAC decides as usual.
    expect(serialLog.evaluate({ vm: windows, serialLog: read(`${up}${down}${up}`) }).status).toBe("pass");
  });

  it("Windows Boot Manager's screen starts a boot: after a host reset (no SAC shutdown message) the old SAC> no longer passes", () => {
    const up = "Computer is booting, SAC started and initialized.\r\n\r\nSAC>\r\nEVENT: The CMD command is now available.\r\nSAC>\r\n";
    const stuck =
      "Windows Boot Manager\r\n\r\nWindows failed to start. A recent hardware or software change might be the cause.\r\nStatus: 0xc000000f\r\n";
    const finding = serialLog.evaluate({ vm: windows, serialLog: read(`${up}${stuck}`) });
    expect(finding.status).toBe("warn");
    // Its error screen names the failure, and the status the article that fixes it (not "EMS may be off").
    expect(finding.evidence).toMatchObject({
      signature: "boot-manager",
      cause: "0xc000000f",
      doc: "https://learn.microsoft.com/troubleshoot/azure/virtual-machines/windows/boot-error-0xc000000f",
    });
    expect(finding.reason).toContain("boot-error-0xc000000f");
    expect(finding.fix?.join("\n")).toContain("az vm repair create");
    expect(finding.fix?.join("\n")).not.toContain("EnableEMS");
    // A healthy boot through Boot Manager's menu (bootems on) reaches SAC as before.
    const menu = "Windows Boot Manager\r\nChoose an operating system to start, or press TAB to select a tool:\r\n";
    expect(serialLog.evaluate({ vm: windows, serialLog: read(`${up}${menu}${up}`) }).status).toBe("pass");
    // bcdedit /enum in a SAC command channel prints the same words as an underlined heading: no new boot.
    const bcdedit =
      "SAC>ch -si 1\r\nC:\\Windows\\system32>bcdedit /enum\r\n\r\nWindows Boot Manager\r\n--------------------\r\nidentifier              {bootmgr}\r\n\r\nWindows Boot Loader\r\n-------------------\r\nems                     Yes\r\n\r\nC:\\Windows\\system32>";
    expect(serialLog.evaluate({ vm: windows, serialLog: read(`${up}${bcdedit}`) }).status).toBe("pass");
  });

  describe("Windows stuck before it starts (Boot Manager's screens, BitLocker recovery): that failure, not 'EMS/SAC may be off'", () => {
    // A boot that reached SAC>, then a host reset (no SAC shutdown message) into the screen.
    const up = "Computer is booting, SAC started and initialized.\r\n\r\nSAC>\r\nEVENT: The CMD command is now available.\r\nSAC>\r\n";
    const docs = "https://learn.microsoft.com/troubleshoot/azure/virtual-machines/windows";
    // The title bar as boot-error-status-not-found prints it.
    const blockTitle = `${"\u2588".repeat(28)}Windows Boot Manager${"\u2588".repeat(32)}\r\n\r\n`;
    const failed = "Windows failed to start. A recent hardware or software change might be the\r\ncause. To fix the problem:\r\n\r\n";
    it.each([
      [
        "title in block characters, no file",
        `${blockTitle}${failed}    Status: 0xc0000225\r\n\r\n`,
        "0xc0000225",
        "boot-error-status-not-found",
      ],
      [
        "Recovery screen, 'Error code:' (boot-error-status-not-found's note)",
        "Recovery\r\n\r\nYour PC/Device needs to be repaired\r\n\r\nThe operating system couldn't be loaded because the system registry file is missing or contains errors.\r\n\r\nFile: \\Windows\\system32\\config\\system\r\nError code: 0xc0000225\r\n",
        "0xc0000225",
        "boot-error-status-not-found",
      ],
      [
        "Recovery screen, 'Error Code:' (boot-error-0xc0000034)",
        "Recovery\r\n\r\nYour PC/Device needs to be repaired\r\n\r\nFile: \\Boot\\BCD\r\nError Code: 0xc0000034\r\n",
        "0xc0000034",
        "boot-error-0xc0000034",
      ],
    ])("Boot Manager, %s: boot-manager with its status's article", (_, screen, cause, page) => {
      for (const before of [up, `${up}\r\nThe SAC will become unavailable soon.  The computer is shutting down.\r\n\r\nSAC>\r\n`]) {
        const finding = serialLog.evaluate({ vm: windows, serialLog: read(`${before}${screen}`) });
        expect(finding.status).toBe("warn");
        expect(finding.evidence).toMatchObject({ signature: "boot-manager", cause, doc: `${docs}/${page}` });
        expect(finding.reason).not.toContain("may be off");
        expect(finding.fix?.join("\n")).toContain("az vm repair create");
        expect(finding.fix?.join("\n")).not.toContain("EnableEMS");
      }
    });

    it.each([
      "Plug in the USB driver that has the BitLocker key",
      "You\u2019re locked out! Enter the recovery key to get going again (Keyboard Layout: US)",
      "Enter the password to unlock this drive [ ] Press the Insert Key to see the password as you type.",
      "Enter your recovery key\r\nLoad your recovery key from a USB device.",
    ])("BitLocker recovery (%s): bitlocker, its article, deallocate and start — no EMS fix, no restart", (screen) => {
      const finding = serialLog.evaluate({ vm: windows, serialLog: read(`${up}${screen}\r\n`) });
      expect(finding.status).toBe("warn");
      expect(finding.evidence).toMatchObject({ signature: "bitlocker", doc: `${docs}/troubleshoot-bitlocker-boot-error` });
      const fix = finding.fix?.join("\n") ?? "";
      expect(fix).toContain("az vm deallocate");
      expect(fix).toContain("az vm start");
      expect(fix).not.toMatch(/EnableEMS|az vm restart/);
    });

    it("a healthy SAC session that printed bcdedit /enum stays ready", () => {
      const bcdedit =
        "SAC>cmd\r\nSAC>ch -si 1\r\nC:\\Windows\\system32>bcdedit /enum\r\n\r\nWindows Boot Manager\r\n--------------------\r\nidentifier              {bootmgr}\r\ndescription             Windows Boot Manager\r\n\r\nC:\\Windows\\system32>";
      expect(serialLog.evaluate({ vm: windows, serialLog: read(`${up}${bcdedit}`) }).status).toBe("pass");
    });
  });

  it("the end of a long log with no boot start: a failure cause there is no failed boot (a running VM logs it too) — cannot tell", () => {
    const firewall = "[123456.7] [UFW BLOCK] IN=eth0 OUT= SRC=203.0.113.9 DST=10.0.0.4 PROTO=TCP SPT=4444 DPT=23\n".repeat(50);
    const hotPlug = "[234567.2] systemd[1]: Timed out waiting for device /dev/disk/azure/scsi1/lun0.\n";
    const part = { complete: false, totalBytes: 40 * 1024 * 1024 };
    const finding = serialLog.evaluate({ vm: vm(), serialLog: read(`${firewall}${hotPlug}${firewall}`, part) });
    expect(finding.status).toBe("error");
    expect(finding.reason).toMatch(
      /hold no boot start and no prompt, only later output \(the latest is fstab-timeout, which a running VM also logs\)/,
    );
    expect(finding.evidence).toMatchObject({ bootStartFound: false, lastLine: expect.stringContaining("Timed out waiting for device") });
    // The whole log, or a decisive failure line (emergency mode) in its end: judged as before.
    expect(serialLog.evaluate({ vm: vm(), serialLog: read(`${firewall}${hotPlug}`) }).status).toBe("warn");
    const emergency = `${hotPlug}You are in emergency mode. After logging in, type "journalctl -xb" to view system logs\n`;
    expect(serialLog.evaluate({ vm: vm(), serialLog: read(`${firewall}${emergency}`, part) }).evidence).toMatchObject({
      signature: "fstab-timeout",
    });
  });

  it("a boot that shows only the boot loader's output (GRUB, the decompressor) starts a boot: the kernel wrote nothing to ttyS0", () => {
    const up =
      "[    0.000000] Linux version 6.1.0-18-cloud-amd64 (debian-kernel@lists.debian.org) #1 SMP\nDebian GNU/Linux 12 vm1 ttyS0\n\nvm1 login: \n";
    const debianGrub = "  Booting `Debian GNU/Linux'\n\nLoading Linux 6.1.0-18-cloud-amd64 ...\nLoading initial ramdisk ...\n";
    const rhelMenu =
      "\u001b[0m\u001b[H\u001b[J                             GNU GRUB  version 2.06\n\n Red Hat Enterprise Linux (5.14.0-427.13.1.el9_4.x86_64) 9.4 (Plow)\n      Use the ^ and v keys to change the selection.\n   The selected entry will be started automatically in 1s.\n";
    for (const [name, text] of [
      ["reset by the host (no restart line), then GRUB", `${up}${debianGrub}`],
      [
        "powered off, then the kernel's decompressor",
        `${up}[  300.1] reboot: Power down\nDecompressing Linux... Parsing ELF... done.\nBooting the kernel.\n`,
      ],
      ["the first boot: RHEL's GRUB menu and nothing after it", rhelMenu],
    ] as const) {
      const finding = serialLog.evaluate({ vm: vm(), serialLog: read(text) });
      expect(finding.status, name).toBe("warn");
      expect(finding.evidence, name).toMatchObject({ signature: "no-prompt", bootLoaderOnly: true });
      expect(finding.reason, name).toMatch(
        /only the boot loader's output .* console=ttyS0 is probably missing from the kernel command line/,
      );
      // A getty is not what is missing.
      expect(finding.fix ?? [], name).toEqual([]);
    }
    // GRUB, then a kernel without its banner (quiet) that reaches a prompt: GRUB started that boot, its prompt decides.
    const quiet = serialLog.evaluate({
      vm: vm(),
      serialLog: read(`${up}${debianGrub}[  OK  ] Reached target Multi-User System.\n\nvm1 login: \n`),
    });
    expect(quiet.status).toBe("pass");
    // GRUB's lines before a banner are that boot's start, no finding.
    expect(serialLog.evaluate({ vm: vm(), serialLog: read(`${debianGrub}${up}`) }).status).toBe("pass");
  });

  it("a boot that stops on a systemd start job names that job, with no getty or console fix (systemd writes to ttyS0)", () => {
    // https://github.com/flatcar/Flatcar/issues/1297: systemd alternates "Job <unit>/start running" and "A start job is running for <description>".
    const flatcar =
      "[   ***] Job ignition-fetch.service/start running (37min 1s / no limit)\n\n[     *] Job ignition-fetch.service/start running (37min 2s / no limit)\n\n[  *** ] Job ignition-fetch.service/start running (37min 3s / no limit)\n";
    const finding = serialLog.evaluate({ vm: vm(), serialLog: read(flatcar) });
    expect(finding).toMatchObject({ status: "warn", evidence: { signature: "no-prompt", startJob: "ignition-fetch.service" } });
    expect(finding.reason).toMatch(/stuck on a systemd start job, ignition-fetch\.service/);
    expect(finding.reason).not.toMatch(/no getty runs/);
    expect(finding.fix ?? []).toEqual([]);
    const description = serialLog.evaluate({
      vm: vm(),
      serialLog: read(
        "[    0.000000] Linux version 6.1.0 #1 SMP\n[  *** ] A start job is running for Ignition (fetch) (37min 1s / no limit)\n",
      ),
    });
    expect(description.evidence?.["startJob"]).toBe("Ignition (fetch)");
    // The serial getty itself failed (its /dev/ttyS0 never came, https://github.com/systemd/systemd/issues/31180): that
    // is why no prompt comes, whatever start job the log ends at.
    const noGetty = serialLog.evaluate({
      vm: vm(),
      serialLog: read(
        "[DEPEND] Dependency failed for Serial Getty on ttyS0.\n\n[**    ] (2 of 4) A start job is running for…work Manager (2min\n",
      ),
    });
    expect(noGetty.evidence?.["startJob"]).toBeUndefined();
    expect(noGetty.reason).toMatch(/no getty runs on ttyS0/);
  });

  it("GRUB rescue's repair is ALAR's efifix on a Generation 2 VM (instance view V2, or Trusted Launch without one), grubfix otherwise", () => {
    const text = "error: file '/boot/grub2/i386-pc/normal.mod' not found.\nEntering rescue mode...\ngrub rescue> ";
    const fixOf = (securityType?: string) => serialLog.evaluate({ vm: vm({ securityType }), serialLog: read(text) }).fix?.join("\n") ?? "";
    expect(fixOf("TrustedLaunch")).toContain("--button-command efifix");
    expect(fixOf("TrustedLaunch")).not.toContain("grubfix");
    expect(fixOf("Standard")).toContain("--button-command grubfix");
    // The instance view's generation decides when it is there (most marketplace images are Gen2, Standard security).
    const fixFor = (hyperVGeneration: string) =>
      serialLog.evaluate({ vm: vm({ securityType: "Standard", hyperVGeneration }), serialLog: read(text) }).fix?.join("\n") ?? "";
    expect(fixFor("V2")).toContain("--button-command efifix");
    expect(fixFor("V1")).toContain("--button-command grubfix");
  });

  it("GRUB's command line with nothing typed at it (no grub.cfg found) is grub-rescue, not 'console=ttyS0 missing'", () => {
    const shell =
      "    GNU GRUB  version 2.06\n\n   Minimal BASH-like line editing is supported. For the first word, TAB\n   lists possible command completions.\n\ngrub> \n";
    expect(serialLog.evaluate({ vm: vm(), serialLog: read(shell) }).evidence?.["signature"]).toBe("grub-rescue");
    // Booted from there by hand: the boot's own prompt decides.
    const booted = `${shell}grub> boot\n[    0.000000] Linux version 6.5.0 #1 SMP\nvm1 login: \n`;
    expect(serialLog.evaluate({ vm: vm(), serialLog: read(booted) }).status).toBe("pass");
  });

  it("GRUB's own error lines, which open the name with a backtick, are grub-rescue even alone (no rescue prompt in the log)", () => {
    for (const line of [
      // N_("file `%s' not found"), grub-core/fs/fshelp.c: GRUB's core image without its normal module.
      "error: file `/boot/grub/i386-pc/normal.mod' not found.",
      // N_("symbol `%s' not found"), grub-core/kern/dl.c; https://github.com/geckolinux/geckolinux-project/issues/141
      "Welcome to GRUB!\n\nerror: symbol `grub_calloc' not found.",
    ]) {
      const finding = serialLog.evaluate({ vm: vm(), serialLog: read(line) });
      expect(finding.evidence, line).toMatchObject({ signature: "grub-rescue" });
      expect(finding.fix?.join(" "), line).toContain("--button-command grubfix");
      expect(finding.fix?.join(" "), line).not.toContain("serial-getty");
    }
  });

  it("GRUB without its translation or font files is no failure, not even an earlier boot's", () => {
    for (const file of ["'/boot/grub/locale/en.mo.gz'", "'/boot/grub/fonts/unicode.pf2'", "`/boot/grub/locale/en.mo.gz'"]) {
      const text = `error: file ${file} not found.\n[    0.000000] Linux version 6.5.0-1025-azure #26\nvm1 login: `;
      const finding = serialLog.evaluate({ vm: vm(), serialLog: read(text) });
      expect(finding.status).toBe("pass");
      expect(finding.evidence?.["earlierBootSignature"], file).toBeUndefined();
    }
  });

  it("the kernel panic's matched line is the evidence, with its cause", () => {
    const finding = serialLog.evaluate({ vm: vm(), serialLog: read(log("kernel-panic.log")) });
    expect(finding.evidence?.["line"]).toContain("Kernel panic - not syncing");
    expect(finding.reason).toContain(
      "https://learn.microsoft.com/troubleshoot/azure/virtual-machines/linux/linux-kernel-panic-troubleshooting",
    );
    expect(finding.fix?.[0]).toContain("az vm repair create --name vm1");
  });

  it("a kernel panic's cause is the one it names, not a harmless Oops of hours before", () => {
    const text = [
      "[    0.000000] Linux version 6.8.0-1015-azure (buildd@lcy02) #16-Ubuntu SMP",
      "vm1 login: ",
      "[ 3600.1] BUG: unable to handle page fault for address: ffffa0c4c0000000",
      "[ 3600.2] Oops: 0000 [#1] SMP PTI",
      "[ 3600.3] CPU: 1 PID: 4242 Comm: kworker/1:2 Not tainted 6.8.0-1015-azure #16-Ubuntu",
      "[86401.0] Kernel panic - not syncing: Out of memory and no killable processes...",
    ].join("\n");
    expect(serialLog.evaluate({ vm: vm(), serialLog: read(text) }).evidence).toMatchObject({
      cause: "out-of-memory",
      causeLine: expect.stringContaining("Out of memory"),
    });
  });

  it("a kernel panic's cause is the Oops that killed init when its crash report shows one, not 'init died'", () => {
    // https://bugzilla.kernel.org/show_bug.cgi?id=210449 (an Azure Generation 2 VM), shortened.
    const oops = [
      "[    0.000000] Linux version 5.10.0-rc6-next-20201201 (root@sgx-kernel-build) #7 SMP Wed Dec 2 09:18:07 UTC 2020",
      "[    0.533991] detected buffer overflow in strcpy",
      "[    0.535704] kernel BUG at lib/string.c:1149!",
      "[    0.536784] invalid opcode: 0000 [#1] SMP PTI",
      "[    0.539286] CPU: 0 PID: 1 Comm: swapper/0 Not tainted 5.10.0-rc6-next-20201201 #7",
      "[    0.567006] Kernel panic - not syncing: Attempted to kill init! exitcode=0x0000000b",
      "[    0.567700] ---[ end Kernel panic - not syncing: Attempted to kill init! exitcode=0x0000000b ]---",
    ].join("\n");
    const finding = serialLog.evaluate({ vm: vm(), serialLog: read(oops) });
    expect(finding.evidence).toMatchObject({
      signature: "kernel-panic",
      cause: "kernel-bug",
      causeLine: expect.stringContaining("kernel BUG at"),
    });
    expect(explainSerialLog(Buffer.from(oops)).cause?.id).toBe("kernel-bug");
    // An Oops before the VM came up (its prompt) is not why a later lockup panic happened.
    const later = `${oops.split("\n").slice(0, 4).join("\n")}\nvm1 login: \n[ 9000.1] Kernel panic - not syncing: softlockup: hung tasks`;
    expect(serialLog.evaluate({ vm: vm(), serialLog: read(later) }).evidence?.["cause"]).toBe("lockup");
  });

  it("fstab timeout ending in emergency mode names both, with the fstab doc and ALAR fix", () => {
    const finding = serialLog.evaluate({ vm: vm(), serialLog: read(log("emergency-fstab.log")) });
    expect(finding.evidence).toMatchObject({ signature: "fstab-timeout", state: "emergency-mode" });
    expect(finding.evidence?.["line"]).toBe(
      "[ TIME ] Timed out waiting for device /dev/disk/by-uuid/6a1f2c3d-9b8e-4f7a-a1b2-c3d4e5f60718.",
    );
    expect(finding.fix?.[0]).toContain("--button-command fstab");
  });
});

describe("serial-log: causes that are no failure's cause", () => {
  const judge = (text: string) => serialLog.evaluate({ vm: vm(), serialLog: read(text) });
  const RHEL = "[    0.000000] Linux version 4.18.0-513.5.1.el8_9.x86_64 (mockbuild@x86-vm-08) #1 SMP Fri Sep 29 05:21:10 EDT 2023";

  it("the initrd timing out on the root device is dracut's failure (root=, LVM), not an fstab one", () => {
    const text = log("dracut-timeout.log")
      .toString("utf8")
      .replace(
        "[  OK  ] Reached target Basic System.\n",
        "[  OK  ] Reached target Basic System.\n[ TIME ] Timed out waiting for device dev-mapper-rootvg\\x2drootlv.device.\n[DEPEND] Dependency failed for Initrd Root Device.\n[DEPEND] Dependency failed for /sysroot.\n",
      );
    expect(text).toContain("Initrd Root Device");
    const finding = judge(text);
    expect(finding.evidence).toMatchObject({ signature: "dracut-timeout", line: "dracut:/#" });
    expect(finding.fix?.join(" ")).not.toContain("--button-command fstab");
  });

  it("a device timeout that is not an fstab disk is no fstab failure: the serial getty's /dev/ttyS0, the initrd's root", () => {
    // https://github.com/systemd/systemd/issues/31180: ttyS0 never appeared, so no getty runs on it (a blank console).
    const ttyS0 = judge(
      "[  715.382787] systemd[1]: Timed out waiting for device /dev/ttyS0.\n[ TIME ] Timed out waiting for device /dev/ttyS0.\n[DEPEND] Dependency failed for Serial Getty on ttyS0.\n",
    );
    expect(ttyS0.evidence?.["signature"]).toBe("no-prompt");
    expect(ttyS0.fix?.join(" ")).not.toContain("--button-command fstab");
    // https://github.com/systemd/systemd/issues/38842: systemd's initrd found no root (the log ends there).
    const gptAutoRoot = judge(
      "[ TIME ] Timed out waiting for device /dev/gpt-auto-root.\nsystemd[1]: Timed out waiting for device /dev/gpt-auto-root.\n[DEPEND] Dependency failed for Root Partition.\n[DEPEND] Dependency failed for Initrd Root File System.\n[DEPEND] Dependency failed for Mountpoints Configured in the Real Root.\n[ OK ] Stopped target Basic System.\n[ OK ] Reached target Initrd File Systems.\n",
    );
    expect(gptAutoRoot.evidence).toMatchObject({ signature: "dracut-timeout", doc: expect.stringContaining("/linux-no-boot-dracut") });
    expect(gptAutoRoot.fix?.join(" ")).not.toContain("--button-command fstab");
    // The root named by UUID in a systemd initrd, then its emergency mode: still the root, not an fstab line.
    const rootByUuid = judge(
      `${RHEL}\n[ TIME ] Timed out waiting for device /dev/disk/by-uuid/6a1f2c3d-9b8e-4f7a-a1b2-c3d4e5f60718.\n[DEPEND] Dependency failed for Initrd Root Device.\nYou are in emergency mode. After logging in, type "journalctl -xb" to view system logs.\nGive root password for maintenance`,
    );
    expect(rootByUuid.evidence?.["signature"]).toBe("dracut-timeout");
    expect(rootByUuid.fix?.join(" ")).not.toContain("--button-command fstab");
    // An fstab disk by its path or its unit is still fstab's.
    for (const device of ["/dev/disk/by-uuid/6a1f2c3d", "/dev/sdc1", "/dev/datavg/datalv", "dev-mapper-datavg\\x2ddatalv.device"])
      expect(judge(`${RHEL}\n[ TIME ] Timed out waiting for device ${device}.\n`).evidence?.["signature"], device).toBe("fstab-timeout");
  });

  it("an ext4 journal replayed after an unclean stop is no corruption", () => {
    const replay = `${RHEL}\n[    3.1] EXT4-fs (sda1): INFO: recovery required on readonly filesystem\n[    3.2] EXT4-fs (sda1): recovery complete\n`;
    const upNoPrompt = judge(`${replay}[  OK  ] Reached target Multi-User System.`);
    expect(upNoPrompt.evidence?.["signature"]).toBe("no-prompt");
    const dataDisk = judge(
      `${replay}[ TIME ] Timed out waiting for device dev-disk-by\\x2duuid-6a1f2c3d.device.\n[DEPEND] Dependency failed for Local File Systems.\nYou are in emergency mode. After logging in, type "journalctl -xb" to view system logs.`,
    );
    expect(dataDisk.evidence).toMatchObject({ signature: "fstab-timeout", state: "emergency-mode" });
  });

  it("file system errors before a kernel panic (ext4 errors=panic) name fsck", () => {
    const finding = judge(
      `${RHEL}\n[   12.1] EXT4-fs error (device sda1): ext4_lookup:1855: inode #2: comm systemd: deleted inode referenced: 131073\n[   12.2] Kernel panic - not syncing: EXT4-fs (device sda1): panic forced after error`,
    );
    expect(finding.evidence).toMatchObject({ signature: "fsck", state: "kernel-panic" });
  });

  it("an ext4 error on a data disk earlier is not why a later, unrelated panic happened (out of memory)", () => {
    const finding = judge(
      `${RHEL}\n[    8.1] EXT4-fs error (device sdc1): ext4_lookup:1855: inode #2: comm systemd: deleted inode referenced: 12\n[  OK  ] Reached target Multi-User System.\n[ 1903.0] Kernel panic - not syncing: Out of memory and no killable processes...`,
    );
    expect(finding.evidence?.["signature"]).toBe("kernel-panic");
  });

  it("dracut's emergency shell asking for the root password (SUSE, dracut-ng: sulogin) is dracut's failure, not emergency mode's", () => {
    const finding = judge(
      `${RHEL}\n[ TIME ] Timed out waiting for device dev-mapper-rootvg\\x2drootlv.device.\n[DEPEND] Dependency failed for Initrd Root File System.\n         Starting Dracut Emergency Shell...\nEntering emergency mode. Exit the shell to continue.\nGive root password for maintenance\n(or press Control-D to continue):`,
    );
    expect(finding.evidence?.["signature"]).toBe("dracut-timeout");
    expect(finding.fix?.join(" ")).not.toContain("--button-command fstab");
  });

  it("a dracut shell the boot left (rd.break, exit), then emergency mode for a data disk: fstab, not dracut", () => {
    const finding = judge(
      `${RHEL}\nEntering emergency mode. Exit the shell to continue.\nswitch_root:/# exit\n[   60.0] systemd[1]: Switching root.\nWelcome to Red Hat Enterprise Linux 9.4 (Plow)!\n[ TIME ] Timed out waiting for device dev-disk-by\\x2duuid-6a1f2c3d.device.\n[DEPEND] Dependency failed for Local File Systems.\nYou are in emergency mode. After logging in, type "journalctl -xb" to view system logs.\nGive root password for maintenance`,
    );
    expect(finding.evidence).toMatchObject({ signature: "fstab-timeout", state: "emergency-mode" });
  });

  it("RHEL 9's dracut wording ('dracut-initqueue: starting timeout scripts') is dracut's timeout", () => {
    const finding = judge(`${RHEL}\n[  202.142466] dracut-initqueue[351]: Warning: dracut-initqueue: starting timeout scripts`);
    expect(finding.evidence?.["signature"]).toBe("dracut-timeout");
  });

  it("a capture kernel whose command line comes late (arm64) or carries reset_devices without elfcorehdr is still no new boot", () => {
    const filler = Array.from({ length: 60 }, (_, i) => `[    0.${String(i).padStart(6, "0")}] early boot line ${i}`).join("\n");
    const finding = judge(
      `${RHEL}\nvm1 login: \n[ 5000.2] Kernel panic - not syncing: sysrq triggered crash\n[    0.000000] Linux version 5.14.0-427.el9.aarch64 #1 SMP\n${filler}\n[    0.000000] Kernel command line: BOOT_IMAGE=/vmlinuz irqpoll nr_cpus=1 reset_devices cgroup_disable=memory\n[    2.0] kdump[412]: saving vmcore`,
    );
    expect(finding.evidence?.["signature"]).toBe("kernel-panic");
  });

  it("the temp disk's nofail timeout is not named as the cause of a later emergency mode", () => {
    const finding = judge(
      `${RHEL}\n[ TIME ] Timed out waiting for device dev-disk-cloud-azure_resource\\x2dpart1.device.\n[ TIME ] Timed out waiting for device dev-disk-by\\x2duuid-6a1f2c3d.device.\n[DEPEND] Dependency failed for Local File Systems.\nYou are in emergency mode. After logging in, type "journalctl -xb" to view system logs.`,
    );
    expect(finding.evidence?.["signature"]).toBe("fstab-timeout");
    expect(finding.evidence?.["line"]).toContain("6a1f2c3d");
  });

  it("a panic followed by the kdump capture kernel is the panic (the crash dump is being saved), not a new boot", () => {
    const finding = judge(
      `${RHEL}\nvm1 login: \n[ 5000.2] Kernel panic - not syncing: sysrq triggered crash\n[    0.000000] Linux version 5.14.0-427.el9.x86_64 (mockbuild@x86-64-01) #1 SMP\n[    0.000000] Command line: BOOT_IMAGE=(hd0,gpt2)/vmlinuz irqpoll nr_cpus=1 reset_devices cgroup_disable=memory elfcorehdr=0x7f000000\n[    2.0] kdump[412]: saving vmcore-dmesg.txt to /var/crash\n[    3.0] kdump[415]: saving vmcore`,
    );
    // The latest boot failed (warn, as any failed boot: the console itself works).
    expect(finding.status).toBe("warn");
    expect(finding.evidence?.["signature"]).toBe("kernel-panic");
    expect(finding.evidence?.["earlierBootSignature"]).toBeUndefined();
    expect(finding.evidence?.["crashDump"]).toBe(true);
    expect(finding.reason).toContain("kdump's capture kernel was saving a crash dump when the log ends");
  });

  it("a Windows restart's routine 'CMD command is unavailable' is no earlier boot's failure", () => {
    const boot = log("healthy-windows-sac.log").toString("utf8");
    const text = `${boot}\nEVENT: The CMD command is unavailable.\nThe SAC will become unavailable soon.  The computer is shutting down.\n${boot}`;
    const finding = serialLog.evaluate({ vm: vm({ osType: "Windows" }), serialLog: read(text) });
    expect(finding.status).toBe("pass");
    expect(finding.evidence?.["earlierBootSignature"]).toBeUndefined();
  });
});

describe("serial-log: inline texts", () => {
  const judge = (text: string) => serialLog.evaluate({ vm: vm(), serialLog: read(text) });

  it("emergency mode entered during a console session (`systemctl isolate emergency.target`), its root shell after it: the latest state is a failure", () => {
    const finding = judge(
      '[    0.000000] Linux version 5.14.0 (x) #1 SMP\n[  OK  ] Reached target Multi-User System.\nvm1 login: azureuser\nPassword: \nLast login: Sat Nov 29 09:00:00 on ttyS0\n[azureuser@vm1 ~]$ sudo systemctl isolate emergency.target\n[  OK  ] Stopped target Multi-User System.\nYou are in emergency mode. After logging in, type "journalctl -xb" to view system logs\nGive root password for maintenance\n(or press Control-D to continue): \n[root@vm1 ~]# ',
    );
    expect(finding).toMatchObject({ status: "warn", evidence: { signature: "emergency-mode" } });
  });

  it("a panic the kernel writes while `dmesg -w` follows the ring buffer (no prompt after it) is the latest boot's failure", () => {
    const finding = judge(
      "[    0.000000] Linux version 5.15.0-1051-azure (buildd@lcy02) #59-Ubuntu SMP\nvm1 login: azureuser\nPassword: \nazureuser@vm1:~$ sudo dmesg -w\n[  812.345678] hv_balloon: Max. dynamic memory size: 8192 MB\n[  900.112233] Kernel panic - not syncing: Out of memory and no killable processes...",
    );
    expect(finding).toMatchObject({ status: "warn", evidence: { signature: "kernel-panic" } });
  });

  it.each([
    [
      "sudo -u syslog cat /var/log/boot.log",
      '[FAILED] Failed to mount /boot/efi.\nYou are in emergency mode. After logging in, type "journalctl -xb" to view system logs',
    ],
    [
      'find /var/log -name "kern.log*" -exec grep -H "Kernel panic" {} +',
      "/var/log/kern.log.1:[ 12.3] Kernel panic - not syncing: VFS: Unable to mount root fs",
    ],
  ])("an old failure printed by `%s`, the shell back after it: the VM is up", (command, output) => {
    const finding = judge(`vm1 login: azureuser\nPassword: \nazureuser@vm1:~$ ${command}\n${output}\nazureuser@vm1:~$ `);
    expect(finding).toMatchObject({ status: "pass", evidence: { signature: "login-prompt" } });
  });

  it.each([
    ["Azure Linux root (/etc/profile's `\\u@\\h [ \\w ]# `)", "root@vm1 [ ~ ]# "],
    ["Azure Linux user", "azureuser@vm1 [ /var/crash ]$ "],
    ["RHEL root", "[root@vm1 ~]# "],
  ])("a saved panic printed at the %s prompt, the shell back after it: the VM is up", (_, prompt) => {
    const finding = judge(
      `[    0.000000] Linux version 6.6.47.1-1.azl3 (root@azurelinux) #1 SMP\nvm1 login: root\nPassword: \n${prompt}tail -3 /var/crash/127.0.0.1-2025-11-29-10:00:01/vmcore-dmesg.txt\n[ 5012.345678] Kernel panic - not syncing: sysrq triggered crash\n[ 5012.345700] CPU: 1 PID: 1 Comm: bash\n${prompt}`,
    );
    expect(finding).toMatchObject({ status: "pass", evidence: { signature: "login-prompt" } });
  });

  it("a panic the kernel writes during a console session (after the last shell prompt) is the latest boot's failure", () => {
    const finding = judge(
      "vm1 login: azureuser\nPassword: \nazureuser@vm1:~$ echo c | sudo tee /proc/sysrq-trigger\n[  812.345678] sysrq: Trigger a crash\n[  812.345700] Kernel panic - not syncing: sysrq triggered crash",
    );
    expect(finding).toMatchObject({ status: "warn", evidence: { signature: "kernel-panic" } });
  });

  it.each([
    ["a prompt alone", "vm1 login: ", "pass", "login-prompt"],
    [
      "a prompt with cloud-init output on the same line",
      "vm1 login: [   9.81] cloud-init[812]: Cloud-init v. 24.3 finished",
      "pass",
      "login-prompt",
    ],
    // Someone signed in (or is signing in) at the console: a getty ran there.
    ["a prompt the user typed at", "vm1 login: azureuser", "pass", "login-prompt"],
    ["a sign-in under way", "deb12 login: azureuser\nPassword: ", "pass", "login-prompt"],
    ["getty's autologin and a shell", "vm1 login: root (automatic login)\n\nroot@vm1:~# ", "pass", "login-prompt"],
    ["signed in: login's Last login line", "Last login: Mon Nov 30 10:02:11 on ttyS0\nazureuser@vm1:~$ ", "pass", "login-prompt"],
    [
      "systemd status on the prompt's line",
      "rhel86 login: [  OK  ] Finished cloud-final.service - Execute cloud user/final scripts.",
      "pass",
      "login-prompt",
    ],
    ["FreeBSD's bare login prompt", "FreeBSD/amd64 (fbsd14) (ttyu0)\n\nlogin: ", "pass", "login-prompt"],
    // getty writes its prompt without a newline: whatever systemd or the kernel prints next lands on its line.
    [
      "systemd's indented job line on the prompt's line",
      "vm1 login:          Starting waagent.service - Azure Linux Agent...",
      "pass",
      "login-prompt",
    ],
    ["a failed unit on the prompt's line", "vm1 login: [FAILED] Failed to start cloud-final.service.", "pass", "login-prompt"],
    ["a dependency on the prompt's line", "vm1 login: [DEPEND] Dependency failed for /mnt.", "pass", "login-prompt"],
    [
      "a start job on the prompt's line",
      "vm1 login: [  *** ] A start job is running for /dev/disk/by-uuid/1234 (10s / 1min 30s)",
      "pass",
      "login-prompt",
    ],
    [
      "a kernel driver line (no timestamp) on the prompt's line",
      "vm1 login: hv_vmbus: registering driver hv_netvsc",
      "pass",
      "login-prompt",
    ],

    [
      "Ubuntu: cloud-init's host keys (syslog) on the prompt's line, after a harmless temp-disk timeout",
      "[    0.000000] Linux version 6.5.0-1025-azure #26~22.04.1-Ubuntu SMP\n[ TIME ] Timed out waiting for device /dev/disk/cloud/azure_resource-part1.\n[DEPEND] Dependency failed for /mnt.\nUbuntu 22.04.4 LTS vm1 ttyS0\n\nvm1 login: <14>Mar 17 10:22:13 ec2: #############################################################\n<14>Mar 17 10:22:13 ec2: -----BEGIN SSH HOST KEY FINGERPRINTS-----",
      "pass",
      "login-prompt",
    ],
    [
      "cloud-init's ci-info table on the prompt's line",
      "vm1 login: ci-info: ++++++++++++++++Net device info+++++++++++++++",
      "pass",
      "login-prompt",
    ],
    [
      "a cloud-init line on the prompt's line",
      "vm1 login: cloud-init[1021]: Cloud-init v. 23.1 running 'modules:final'",
      "pass",
      "login-prompt",
    ],
    [
      // SUSE's prompt ends in `>` (its bash.bashrc): `vmadmin@SLES15:~> cat /proc/version`.
      "SUSE: a user's `cat /proc/version` at the console starts no boot",
      "Welcome to SUSE Linux Enterprise Server 15 SP5  (x86_64) - Kernel 5.14.21-150500.33.60-azure (ttyS0).\n\nSLES15 login: vmadmin\nPassword: \nvmadmin@SLES15:~> cat /proc/version\nLinux version 5.14.21-150500.33.60-azure (geeko@buildhost) (gcc (SUSE Linux) 7.5.0) #1 SMP\nvmadmin@SLES15:~> ",
      "pass",
      "login-prompt",
    ],
    [
      "a user's `cat /proc/version` or `dmesg` at the console starts no boot",
      "[    0.000000] Linux version 6.5.0-1025-azure #26~22.04.1-Ubuntu SMP\nvm1 login: azureuser\nPassword: \nazureuser@vm1:~$ cat /proc/version\nLinux version 6.5.0-1025-azure (buildd@lcy02) #26~22.04.1-Ubuntu SMP\nazureuser@vm1:~$ sudo dmesg | head -3\n[    0.000000] Linux version 6.5.0-1025-azure #26~22.04.1-Ubuntu SMP\n[    0.000000] Command line: BOOT_IMAGE=/vmlinuz console=ttyS0",
      "pass",
      "login-prompt",
    ],
    [
      "GRUB without its translation file boots on",
      "error: file '/boot/grub/locale/en.mo.gz' not found.\n[    0.000000] Linux version 6.5.0-1025-azure #26\nvm1 login: ",
      "pass",
      "login-prompt",
    ],
    [
      "an old boot's panic read back at the console (`journalctl -k -b -1`), the shell back after it",
      "vm1 login: azureuser\nPassword: \nLast login: Sat Nov 29 09:58:01 UTC 2025 on ttyS0\nazureuser@vm1:~$ journalctl -k -b -1 | tail -1\nNov 29 10:00:01 vm1 kernel: Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000100\nazureuser@vm1:~$ ",
      "pass",
      "login-prompt",
    ],
    [
      "SUSE: root's prompt (`host:~ #`) after an old boot's panic read back at the console",
      "Welcome to SUSE Linux Enterprise Server 15 SP5 (x86_64) - Kernel 5.14.21 (ttyS0).\n\nvm1 login: root\nPassword:\nLast login: Tue Dec  2 10:00:00 on ttyS0\nvm1:~ # journalctl -k -b -1 | grep -i panic\nDec 02 09:58:01 vm1 kernel: Kernel panic - not syncing: Fatal exception\nvm1:~ # ",
      "pass",
      "login-prompt",
    ],
    [
      // Flatcar's and Fedora CoreOS's PS1 (`\u@\h \w \$ `), `dmesg` output (printk lines, not a journal's) after it.
      "Flatcar: `core@vm1 ~ $ dmesg | grep -i panic` prints an old message, no failure of this boot",
      "This is localhost (Linux x86_64 6.6.60-flatcar) 09:00:00\n\nvm1 login: core\nPassword:\ncore@vm1 ~ $ sudo dmesg | grep -i 'blocked for more'\n[  250.1] INFO: task kworker/0:1:12 blocked for more than 120 seconds.\n[  250.2] Kernel panic - not syncing: hung_task: blocked tasks\ncore@vm1 ~ $ ",
      "pass",
      "login-prompt",
    ],
    [
      // Alpine's PS1 (`\h:\w\$ `): no space before root's `#`.
      "Alpine: `vm1:~# dmesg | tail` at the console, no failure of this boot",
      "Welcome to Alpine Linux 3.20\nKernel 6.6.58-0-virt on an x86_64 (/dev/ttyS0)\n\nvm1 login: root\nvm1:~# dmesg | tail -1\n[  310.5] Kernel panic - not syncing: Fatal exception\nvm1:~# ",
      "pass",
      "login-prompt",
    ],
    [
      "a journal line after a login is a command's output even where the shell's prompt is not recognised",
      "vm1 login: admin\nPassword:\nvm1 /home/admin % journalctl -b -1 | tail -1\nDec 02 09:58:01 vm1 kernel: Kernel panic - not syncing: Fatal exception",
      "pass",
      "login-prompt",
    ],
    [
      "SUSE root's prompt, then a panic the kernel writes itself: the VM is down",
      "vm1 login: root\nPassword:\nvm1:~ # echo c > /proc/sysrq-trigger\n[  120.1] sysrq: Trigger a crash\n[  120.2] Kernel panic - not syncing: sysrq triggered crash",
      "warn",
      "kernel-panic",
    ],
    [
      "RHEL: an old boot's emergency mode grepped from a log file, the last thing on the console",
      'rhel9 login: azureuser\nPassword: \n[azureuser@rhel9 ~]$ sudo grep -h emergency /var/log/messages-20251123\nNov 22 10:00:01 rhel9 systemd[1]: You are in emergency mode. After logging in, type "journalctl -xb" to view system logs',
      "pass",
      "login-prompt",
    ],
    ["words that only look like a prompt", "sshd[812]: vm1 login: failed for azureuser", "warn", "no-prompt"],
    [
      "cloud-init failing after the prompt (its final stage runs after getty): the VM came up",
      "vm1 login: \n[ 25.2] cloud-init[900]: 2024-01-01 - util.py[WARNING]: Running module scripts-user failed",
      "pass",
      "login-prompt",
    ],
    [
      "a panic after a prompt: an earlier boot-time cause line does not rename it",
      "[ 3.1] EXT4-fs error (device sdb1): ext4_journal_check_start:83: Detected aborted journal\n\nvm1 login: \n[ 7201.0] Kernel panic - not syncing: Out of memory and no killable processes...",
      "warn",
      "kernel-panic",
    ],
    [
      "RHEL 9's selinux-autorelabel-mark.service is no relabel",
      "[  OK  ] Finished selinux-autorelabel-mark.service - Mark the need to relabel after reboot.\nKernel panic - not syncing: Attempted to kill init!",
      "warn",
      "kernel-panic",
    ],
    [
      "a stop code the list does not name",
      "SAC>\r\nYour device ran into a problem and needs to restart.\r\nStop code: WHEA_UNCORRECTABLE_ERROR\r\n",
      "warn",
      "bugcheck",
    ],
    [
      "ANSI escapes lost in a pasted copy",
      "[[1;31m TIME [0m] Timed out waiting for device dev-sdc1.device.\nvm1 login:",
      "pass",
      "login-prompt",
    ],
    ["ANSI escapes lost, no prompt", "[[1;31m TIME [0m] Timed out waiting for device dev-sdc1.device.", "warn", "fstab-timeout"],
    [
      "a boot that stops waiting on an fstab device with no time limit",
      "[  OK  ] Reached target Basic System.\n[ ***  ] A start job is running for /dev/disk/by-uuid/0b1c2d3e-0000-4f5a-8b9c-1234567890ab (1min 3s / no limit)",
      "warn",
      "fstab-timeout",
    ],
    [
      "SAC's 'CMD unavailable' as Windows shuts down (sacsvr unregisters at every shutdown) is no sacsvr problem",
      "Computer is booting, SAC started and initialized.\r\nEVENT: The CMD command is now available.\r\nSAC>\r\nEVENT: The CMD command is unavailable.\r\nThe SAC will become unavailable soon.  The computer is shutting down.\r\n\r\nComputer is booting, SAC started and initialized.\r\nEVENT: The CMD command is now available.\r\nSAC>\r\n",
      "pass",
      "sac-prompt",
    ],
    [
      "a reset at a waiting login prompt starts a boot on its line (stuck on fstab)",
      "[    0.000000] Linux version 5.15.0-1057-azure (buildd@lcy02) (gcc 11) #62-Ubuntu SMP\n[    2.1] systemd[1]: Started foo.\nUbuntu 22.04.4 LTS vm1 ttyS0\n\nvm1 login: [    0.000000] Linux version 5.15.0-1058-azure (buildd@lcy02) (gcc 11) #63-Ubuntu SMP\n[    1.2] EXT4-fs (sda1): mounted\n[  *** ] A start job is running for /dev/disk/by-uuid/1234-abcd (1min 3s / no limit)\n",
      "warn",
      "fstab-timeout",
    ],
    [
      "a reset at a waiting login prompt starts a boot on its line (no getty since)",
      "[    0.000000] Linux version 5.15.0-1057-azure (buildd@lcy02) (gcc 11) #62-Ubuntu SMP\n[    2.1] systemd[1]: Started foo.\nUbuntu 22.04.4 LTS vm1 ttyS0\n\nvm1 login: [    0.000000] Linux version 5.15.0-1058-azure (buildd@lcy02) (gcc 11) #63-Ubuntu SMP\n[    1.2] EXT4-fs (sda1): mounted\n[    3.3] systemd[1]: Reached target Multi-User System.\n",
      "warn",
      "no-prompt",
    ],
    [
      "a SysRq reset after a command at the console: the banner after it is a boot",
      "[    0.000000] Linux version 5.15.0-1057-azure (buildd@lcy02) (gcc 11) #62-Ubuntu SMP\n[    2.1] systemd[1]: Started foo.\nUbuntu 22.04.4 LTS vm1 ttyS0\n\nvm1 login: root\nPassword:\nroot@vm1:~# cat /proc/sys/kernel/sysrq\n176\nroot@vm1:~# [   55.123456] sysrq: Resetting\n[    0.000000] Linux version 5.15.0-1058-azure (buildd@lcy02) (gcc 11) #63-Ubuntu SMP\n[    1.2] EXT4-fs (sda1): mounted\n[    3.3] systemd[1]: Reached target Multi-User System.\n",
      "warn",
      "no-prompt",
    ],
    [
      "a reset at login's Password: prompt starts a boot on its line",
      "[    0.000000] Linux version 5.15.0-1057-azure (buildd@lcy02) (gcc 11) #62-Ubuntu SMP\nUbuntu 22.04.4 LTS vm1 ttyS0\n\nvm1 login: root\nPassword: [    0.000000] Linux version 5.15.0-1058-azure (buildd@lcy02) (gcc 11) #63-Ubuntu SMP\n[    1.2] EXT4-fs (sda1): mounted\n[  *** ] A start job is running for /dev/disk/by-uuid/1234-abcd (1min 3s / no limit)\n",
      "warn",
      "fstab-timeout",
    ],
    [
      "a start job that finished is no cause of a later panic",
      "[    0.000000] Linux version 5.15.0-1058-azure (buildd@lcy02) (gcc 11) #63-Ubuntu SMP\n[  *** ] A start job is running for /dev/disk/by-uuid/1234-abcd (3s / no limit)\n[  OK  ] Found device /dev/disk/by-uuid/1234-abcd.\n[  OK  ] Mounted /datadrive.\n[   55.1] Out of memory: Killed process 1 (systemd)\n[   55.2] Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000009\n",
      "warn",
      "kernel-panic",
    ],
    [
      "the temp disk's start job (waagent's /dev/disk/cloud link) is no fstab failure",
      "[  OK  ] Reached target Basic System.\n[ ***  ] A start job is running for /dev/disk/cloud/azure_resource-part1 (1min 3s / no limit)",
      "warn",
      "no-prompt",
    ],
    [
      "`sudo dmesg` at the console (its password prompt before the replayed banner) starts no boot",
      "[    0.000000] Linux version 5.15.0-1057-azure (buildd@lcy02) #65-Ubuntu SMP\n[  OK  ] Reached target Multi-User System.\nvm1 login: azureuser\nPassword:\nazureuser@vm1:~$ sudo dmesg | head -2\n[sudo] password for azureuser:\n[    0.000000] Linux version 5.15.0-1057-azure (buildd@lcy02) #65-Ubuntu SMP\n[    0.000000] Command line: BOOT_IMAGE=/vmlinuz\nazureuser@vm1:~$ ",
      "pass",
      "login-prompt",
    ],
    [
      // arm64 logs the boot CPU (arch/arm64/kernel/setup.c) before the banner: the first line dmesg prints.
      "`sudo dmesg | head -3` on Arm64 (the boot CPU's line before the replayed banner) starts no boot",
      "[    0.000000] Booting Linux on physical CPU 0x0000000000 [0x413fd0c1]\n[    0.000000] Linux version 6.8.0-1015-azure (buildd@bos02-arm64-001) #16-Ubuntu SMP\nvm1 login: azureuser\nPassword:\nazureuser@vm1:~$ sudo dmesg | head -3\n[    0.000000] Booting Linux on physical CPU 0x0000000000 [0x413fd0c1]\n[    0.000000] Linux version 6.8.0-1015-azure (buildd@bos02-arm64-001) #16-Ubuntu SMP\n[    0.000000] KASLR enabled",
      "pass",
      "login-prompt",
    ],
    [
      "a reset at a login prompt, the banner with a caller id: no prompt since",
      "[    0.000000] Linux version 6.8.0 (x) #1\nvm1 login: [    0.000000] [    T0] Linux version 6.8.0 (x) #1\n[    2.0] [    T1] hv_vmbus: registering driver hyperv_drm",
      "warn",
      "no-prompt",
    ],
    [
      "a reset at a login prompt, the banner with a log level: no prompt since",
      "[    0.000000] Linux version 6.8.0 (x) #1\nvm1 login: <5>[    0.000000] Linux version 6.8.0 (x) #1\n[    2.0] hv_vmbus: registering driver hyperv_drm",
      "warn",
      "no-prompt",
    ],
    ["CRLF and NULs", "\u0000\u0000Kernel panic - not syncing: Attempted to kill init!\r\n", "warn", "kernel-panic"],
    ["only whitespace and NULs", "\u0000\r\n  \n\u0000", "warn", "empty"],
    [
      "a rescue shell after a prompt (the VM went down again)",
      "vm1 login:\n[ 99.1] reboot: Restarting system\ndracut:/#",
      "warn",
      "dracut-timeout",
    ],
    ["kernel panic after OOM", "Kernel panic - not syncing: Out of memory and no killable processes...", "warn", "kernel-panic"],
    ["XFS corruption", "XFS (dm-0): Metadata CRC error detected at xfs_agi_read_verify+0xcb/0xf0 [xfs], xfs_agi block 0x2", "warn", "fsck"],
    ["GRUB missing grub.cfg module", "error: file '/boot/grub/x86_64-efi/normal.mod' not found.", "warn", "grub-rescue"],
    [
      "STOP code in hex",
      "*** STOP: 0x0000007B (0xFFFFF880009A97E8,0xFFFFFFFFC0000034,0x0000000000000000,0x0000000000000000)",
      "warn",
      "bugcheck",
    ],
    ["Preparing to configure Windows", "Preparing to configure Windows. Do not turn off your computer.", "warn", "windows-update-loop"],
  ])("%s → %s (%s)", (_name, text, status, signature) => {
    const finding = judge(text);
    expect(finding.status).toBe(status);
    expect(finding.evidence?.["signature"]).toBe(signature);
  });

  it("hostile bytes in the log never reach the evidence: escapes, OSC 8 links, bidi overrides, invalid UTF-8", () => {
    const hostile = Buffer.concat([
      Buffer.from(
        "\u001b]8;;https://evil.example/\u0007click\u001b]8;;\u0007 \u202eKernel panic - not syncing: \u001b[2Jboom \u001b[31mred",
      ),
      Buffer.from([0xff, 0xfe, 0xc3]),
    ]);
    const finding = judge(hostile.toString("latin1"));
    const text = JSON.stringify(finding);
    expect(finding.evidence?.["signature"]).toBe("kernel-panic");
    expect(text).not.toMatch(/\\u001b|\u001b|\u202e|\\u202e|\u0007/);
    expect(normaliseSerialLog(hostile).join("\n")).not.toMatch(/[\u0000-\u0008\u001b\u007f]/);
  });

  it("UTF-16 text read as UTF-8 (NULs between its bytes) ends each line once: bcdedit's underlined heading is no new boot", () => {
    // A healthy SAC session that printed `bcdedit /enum`, saved as UTF-16LE: `\r\0\n\0` is one line end, not two.
    const session =
      "Computer is booting, SAC started and initialized.\r\n\r\nSAC>\r\nEVENT: The CMD command is now available.\r\nSAC>cmd\r\n" +
      "SAC>ch -si 1\r\nC:\\Windows\\system32>bcdedit /enum\r\n\r\nWindows Boot Manager\r\n--------------------\r\n" +
      "identifier              {bootmgr}\r\n\r\nC:\\Windows\\system32>";
    const utf16 = Buffer.from(session, "utf16le");
    expect(normaliseSerialLog(utf16)).toEqual(normaliseSerialLog(session));
    expect(judgeSerialLog(utf16).verdict).toMatchObject({ state: "prompt", signature: { id: "sac-prompt" } });
  });

  it("every ECMA-48 escape is cut, not only CSI and OSC: ESC ( B, ESC 7, ESC =, ESC c before a line's text", () => {
    // nF (ESC, intermediates 0x20-0x2F, a final byte) and Fp/Fs escapes (ESC 0x30-0x3F, 0x60-0x7E) are what a
    // terminal library writes around a prompt; left in, "(Bdracut:/#" no longer starts with what the patterns know.
    for (const escape of ["\u001b(B", "\u001b7", "\u001b8", "\u001b=", "\u001b>", "\u001bc", "\u001b%G"]) {
      const finding = judge(`[    0.000000] Linux version 5.14.0\n${escape}dracut:/# `);
      expect(finding.evidence?.["signature"], JSON.stringify(escape)).toBe("dracut-timeout");
      expect(normaliseSerialLog(`${escape}vm1 login:`)).toEqual(["vm1 login:"]);
    }
  });

  it("cloud-init failing after the prompt is a note in the evidence, not the verdict", () => {
    const finding = judge("vm1 login: \n[ 25.2] cloud-init[900]: util.py[WARNING]: Running module scripts-user failed");
    expect(finding).toMatchObject({ status: "pass", evidence: { signature: "login-prompt", laterSignature: "cloud-init" } });
    expect(finding.reason).toMatch(/after it: cloud-init/);
  });

  it("a megabyte-long hostile line is judged at once (patterns see its first KiB), not in minutes", () => {
    for (const line of ["SELinux ".repeat(130_000), `cloud-init[1]: ${"x ".repeat(500_000)}`, `${" ".repeat(1_000_000)}x`]) {
      expect(judge(line).evidence?.["signature"]).toBe("no-prompt");
    }
  });

  it("a very long matched line is cut", () => {
    const finding = judge(`Kernel panic - not syncing: ${"A".repeat(10_000)}`);
    expect(String(finding.evidence?.["line"]).length).toBeLessThanOrEqual(300);
  });

  it("a 3 MB log is judged in well under a second and by its latest boot", () => {
    const big = `${log("kernel-panic.log").toString().repeat(1)}${"[  1.0] noise line of a chatty driver\n".repeat(80_000)}${log("healthy-ubuntu.log")}`;
    expect(Buffer.byteLength(big)).toBeGreaterThan(3_000_000);
    expect(judge(big).evidence?.["signature"]).toBe("login-prompt");
  });
});

describe("serial-log: skips and errors", () => {
  it("boot diagnostics off → skip", () => {
    const finding = serialLog.evaluate({ vm: vm({ bootDiagnostics: { enabled: false } }), serialLog: { kind: "boot-diagnostics-off" } });
    expect(finding.status).toBe("skip");
  });
  it("--no-serial-log → skip with its reason", () => {
    const finding = serialLog.evaluate({
      vm: vm(),
      serialLog: { kind: "not-read", reason: "--no-serial-log: the serial log was not read" },
    });
    expect(finding).toMatchObject({ status: "skip", reason: "--no-serial-log: the serial log was not read" });
  });
  it("a 403 from Resource Manager → error naming the missing action", () => {
    const finding = serialLog.evaluate({
      vm: vm(),
      serialLog: {
        kind: "refused",
        by: "resource-manager",
        status: 403,
        code: "AuthorizationFailed",
        message: "…",
        action: "Microsoft.Compute/virtualMachines/retrieveBootDiagnosticsData/action",
      },
    });
    expect(finding.status).toBe("error");
    expect(finding.reason).toContain("Microsoft.Compute/virtualMachines/retrieveBootDiagnosticsData/action");
  });
  it("a 403 from the blob → error saying the storage account refused this machine", () => {
    const finding = serialLog.evaluate({
      vm: vm(),
      serialLog: { kind: "refused", by: "storage", status: 403, code: "AuthorizationFailure", message: "HTTP 403 AuthorizationFailure" },
    });
    expect(finding.status).toBe("error");
    expect(finding.reason).toMatch(/storage account refused .* this machine/);
  });
  it.each([
    // [storage error code, custom storage?, what the reason must say]
    ["AuthorizationFailure", true, /its firewall must admit this machine's IP address/],
    ["KeyBasedAuthenticationNotPermitted", true, /allows no shared key access/],
    ["AuthenticationFailed", true, /link Azure handed out was refused/],
    ["AuthorizationFailure", false, /managed boot diagnostics storage, which has no firewall of yours/],
    [undefined, false, /managed boot diagnostics storage/],
  ])("a 403 %s from the blob (custom storage: %s) names what refused, not always a firewall", (code, custom, says) => {
    const finding = serialLog.evaluate({
      vm: vm({ bootDiagnostics: custom ? { enabled: true, storageUri: "https://scdiagstore.blob.core.windows.net/" } : { enabled: true } }),
      serialLog: { kind: "refused", by: "storage", status: 403, code, message: `HTTP 403 ${code ?? ""}` },
    });
    expect(finding.status).toBe("error");
    expect(finding.reason).toMatch(/storage account refused .* this machine/);
    expect(finding.reason).toMatch(says);
    if (!custom || code !== "AuthorizationFailure") expect(finding.reason).not.toMatch(/must admit this machine/);
  });
  it("a blank console on an Arm64 size: no ttyS0 demanded, no ttyS0 fix (its port may be another)", () => {
    const arm = toCheckResult(serialLog, serialLog.evaluate({ vm: vm({ vmSize: "Standard_D2ps_v5" }), serialLog: read("") }), 1);
    expect(arm).toMatchObject({ status: "warn", evidence: { signature: "empty", arm64: true } });
    expect(arm.reason).toMatch(/Arm64/);
    expect(arm.reason).not.toMatch(/console=ttyS0/);
    expect(arm.fix).toBeUndefined();
    const x64 = toCheckResult(serialLog, serialLog.evaluate({ vm: vm({ vmSize: "Standard_D2s_v5" }), serialLog: read("") }), 1);
    expect(x64.reason).toMatch(/console=ttyS0 missing/);
    expect(x64.fix?.join("\n")).toContain("serial-getty@ttyS0");
  });
  it.each([
    ["Standard_D2ps_v5", true],
    ["Standard_B2pts_v2", true],
    ["Standard_E4pds_v6", true],
    ["Standard_D4plds_v5", true],
    ["Standard_D2s_v5", false],
    ["Standard_D2as_v5", false],
    ["Standard_E4-2ds_v5", false],
    ["Standard_NP10s", false],
    [undefined, false],
  ])("isArm64Size(%j) → %s", (size, arm) => {
    expect(isArm64Size(size)).toBe(arm);
  });
  it("a Windows client edition → skip (no SAC to write)", () => {
    const finding = serialLog.evaluate({ vm: vm({ osType: "Windows", imagePublisher: "MicrosoftWindowsDesktop" }), serialLog: read("") });
    expect(finding.status).toBe("skip");
  });
  it("the blank console maps to the catalogue's blank-console entry", () => {
    const finding = serialLog.evaluate({ vm: vm(), serialLog: read("") });
    expect(finding.documentedErrorId).toBe("blank-console");
    expect(toCheckResult(serialLog, finding, 1).documentedError?.id).toBe("blank-console");
  });
});

describe("guest-login", () => {
  it.each([
    [{ osType: "Linux", disablePasswordAuthentication: true }, "warn"],
    [{ osType: "Linux", disablePasswordAuthentication: false }, "pass"],
    [{ osType: "Linux", hasOsProfile: false }, "skip"],
    [{ osType: "Windows", imagePublisher: "MicrosoftWindowsDesktop", imageOffer: "windows-11" }, "warn"],
    [{ osType: "Windows", licenseType: "Windows_Client" }, "warn"],
    // Hybrid Benefit for Windows Server: a custom image, deallocated (no osName), is still a Server.
    [{ osType: "Windows", licenseType: "Windows_Server" }, "pass"],
    [{ osType: "Windows", osName: "Windows 10 Enterprise" }, "warn"],
    [{ osType: "Windows", imagePublisher: "MicrosoftWindowsServer" }, "pass"],
    [{ osType: "Windows", osName: "Windows Server 2022 Datacenter" }, "pass"],
    [{ osType: "Windows" }, "skip"],
    [{ osType: undefined }, "skip"],
  ])("%j → %s", (overrides, status) => {
    const finding = guestLogin.evaluate({ vm: vm(overrides) });
    expect(finding.status).toBe(status);
    if (status === "warn") expect(finding.documentedErrorId).toBe("guest-no-login");
  });
  it("Linux without a password user: the fix is az vm user update (VMAccess) with the VM's names", () => {
    const result = toCheckResult(guestLogin, guestLogin.evaluate({ vm: vm({ disablePasswordAuthentication: true }) }), 1);
    expect(result.fix?.[0]).toBe(
      "az vm user update --name vm1 --resource-group rg1 --subscription " + SUB + " --username '<user>' --password '<password>'",
    );
  });
  it.each([
    ["extension operations disallowed", { allowExtensionOperations: false }, /allowExtensionOperations: false/],
    ["no VM agent", { provisionVMAgent: false }, /provisionVMAgent: false/],
  ])(
    "Linux without a password user and %s: no az vm user update (VMAccess cannot run), the repair VM's offline reset instead",
    (_, model, why) => {
      const finding = guestLogin.evaluate({ vm: vm({ disablePasswordAuthentication: true, ...model }) });
      const result = toCheckResult(guestLogin, finding, 1);
      expect(result.status).toBe("warn");
      expect(result.reason).toMatch(why);
      expect(result.reason).toContain("https://learn.microsoft.com/troubleshoot/azure/virtual-machines/linux/reset-password");
      expect(`${result.fix?.join("\n")} ${result.mitigation}`).not.toContain("az vm user update");
      expect(result.fix).toEqual([
        `az vm repair create --name vm1 --resource-group rg1 --subscription ${SUB} --verbose`,
        `az vm repair restore --name vm1 --resource-group rg1 --subscription ${SUB} --verbose`,
      ]);
      // Extensions and the agent on (or not said): VMAccess, as before.
      const on = guestLogin.evaluate({
        vm: vm({ disablePasswordAuthentication: true, allowExtensionOperations: true, provisionVMAgent: true }),
      });
      expect(toCheckResult(guestLogin, on, 1).fix?.[0]).toMatch(/^az vm user update /);
    },
  );
  describe("serial-log on a VM that cannot run extensions (as guest-login says): no Run Command fix, the repair VM instead", () => {
    const server = { osType: "Windows", imagePublisher: "MicrosoftWindowsServer" };
    it.each([
      ["a blank Linux console", {}, "empty.log"],
      ["a blank Windows console (EnableEMS)", server, "empty.log"],
      ["SAC without cmd (sacsvr)", server, "sac-cmd-unavailable.log"],
      ["cloud-init failed", {}, "cloud-init-failed.log"],
    ])("%s", (_, model, file) => {
      for (const [off, why] of [
        [{ allowExtensionOperations: false }, /allowExtensionOperations: false/],
        [{ provisionVMAgent: false }, /provisionVMAgent: false/],
      ] as const) {
        const finding = serialLog.evaluate({ vm: vm({ ...model, ...off }), serialLog: read(log(file)) });
        const result = toCheckResult(serialLog, finding, 1);
        expect(result.status).toBe("warn");
        expect(`${result.fix?.join("\n")} ${result.mitigation ?? ""}`).not.toMatch(/az vm run-command|Run Command EnableEMS/);
        expect(result.fix).toEqual([
          `az vm repair create --name vm1 --resource-group rg1 --subscription ${SUB} --verbose`,
          `az vm repair restore --name vm1 --resource-group rg1 --subscription ${SUB} --verbose`,
        ]);
        expect(result.reason).toMatch(why);
        expect(result.reason).toContain("https://learn.microsoft.com/azure/virtual-machines/linux/run-command");
        // Both checks agree on the same model: guest-login's reason for VMAccess is serial-log's for Run Command.
        if (model !== server) {
          const login = guestLogin.evaluate({ vm: vm({ ...model, ...off, disablePasswordAuthentication: true }) });
          expect(login.reason).toMatch(why);
        }
      }
      // Extensions and the agent on: Run Command, as before.
      const on = serialLog.evaluate({ vm: vm({ ...model, allowExtensionOperations: true }), serialLog: read(log(file)) });
      expect(toCheckResult(serialLog, on, 1).fix?.join("\n")).toContain("az vm run-command invoke");
    });
  });

  describe("no agent on a uniform scale set instance: az vm repair does not take one, so the model and a reimage", () => {
    const server = { osType: "Windows", imagePublisher: "MicrosoftWindowsServer" };
    const reimage = `az vmss reimage --name ss1 --resource-group rg1 --subscription ${SUB} --instance-ids 0`;
    it.each([
      [
        "serial-log, a blank Linux console",
        () => serialLog.evaluate({ vm: scaleSetVm({ allowExtensionOperations: false }), serialLog: read(log("empty.log")) }),
      ],
      [
        "serial-log, SAC without cmd",
        () =>
          serialLog.evaluate({ vm: scaleSetVm({ ...server, provisionVMAgent: false }), serialLog: read(log("sac-cmd-unavailable.log")) }),
      ],
      [
        "guest-login, SSH keys only",
        () => guestLogin.evaluate({ vm: scaleSetVm({ disablePasswordAuthentication: true, provisionVMAgent: false }) }),
      ],
    ])("%s", (_, evaluate) => {
      const finding = evaluate();
      const result = toCheckResult(finding.documentedErrorId === "guest-no-login" ? guestLogin : serialLog, finding, 1);
      expect(result.fix).toEqual([reimage]);
      expect(result.reason).toMatch(/az vm repair does not take a scale set instance: .* in the scale set's model/);
      expect(`${result.fix?.join("\n")} ${result.mitigation ?? ""}`).not.toMatch(/az vm(?:ss)? run-command|az vm repair create/);
    });
  });
  it("a blank Windows console without the agent: the offline EMS change names the boot store and the port, as online", () => {
    const finding = serialLog.evaluate({
      vm: vm({ osType: "Windows", imagePublisher: "MicrosoftWindowsServer", allowExtensionOperations: false }),
      serialLog: read(log("empty.log")),
    });
    expect(finding.reason).toContain('bcdedit /store <drive>:\\boot\\bcd /ems "{default}" on');
    expect(finding.reason).toContain("/emssettings EMSPORT:1 EMSBAUDRATE:115200");
  });
  it("a Windows client edition without the agent: RDP, no Run Command fix", () => {
    const finding = guestLogin.evaluate({ vm: vm({ osType: "Windows", licenseType: "Windows_Client", allowExtensionOperations: false }) });
    expect(finding.reason).toMatch(/use RDP instead \(Run Command cannot run here: extension operations are disallowed/);
    expect(finding.fix).toEqual([]);
  });
  it("Windows client edition: the fix allows RDP through Run Command, a whole script", () => {
    const client = vm({ osType: "Windows", licenseType: "Windows_Client" });
    const [fix] = toCheckResult(guestLogin, guestLogin.evaluate({ vm: client }), 1).fix ?? [];
    expect(fix).toContain(`--command-id RunPowerShellScript --scripts 'Set-ItemProperty -Path "HKLM:\\System\\CurrentControlSet`);
    expect(fix).toContain("fDenyTSConnections -Value 0");
    expect(isInertCommand(fix ?? "")).toBe(true);
  });
  it("Windows Server passes, saying SAC/EMS must stay enabled (bcdedit)", () => {
    const finding = guestLogin.evaluate({ vm: vm({ osType: "Windows", imagePublisher: "MicrosoftWindowsServer" }) });
    expect(finding.reason).toContain('bcdedit /ems "{current}" on');
  });
  it("bcdedit's {current} is quoted wherever it is shown: unquoted, PowerShell reads it as a script block", () => {
    const server = vm({ osType: "Windows", imagePublisher: "MicrosoftWindowsServer" });
    const kept = guestLogin.evaluate({ vm: server });
    const empty = serialLog.evaluate({ vm: server, serialLog: read("") });
    expect(empty.reason).toContain("EMS/SAC is probably off");
    const shown = [kept.reason, JSON.stringify(kept.evidence), empty.reason, getEntry("blank-console")?.mitigation ?? ""];
    for (const text of shown) {
      expect(text).toMatch(/bcdedit \/ems \\?"\{current\}\\?" on/);
      expect(text).not.toMatch(/[^"\\]\{current\}/);
    }
  });
});

describe("cloud-shell-storage", () => {
  const STORAGE = `/subscriptions/${SUB}/resourceGroups/cloud-shell-storage-westeurope/providers/Microsoft.Storage/storageAccounts/cs1`;
  it.each([
    [{ kind: "principal" }, "skip"],
    [{ kind: "no-settings", status: 404 }, "skip"],
    [{ kind: "no-storage", sessionType: "Ephemeral" }, "pass"],
    [{ kind: "found", storageAccountId: STORAGE, subscriptionId: SUB, state: "Enabled" }, "pass"],
    [{ kind: "found", storageAccountId: STORAGE, subscriptionId: SUB, state: "Disabled" }, "fail"],
    [{ kind: "found", storageAccountId: STORAGE, subscriptionId: SUB, state: "Deleted" }, "fail"],
    // "… is in non-Enabled state": the console refuses for any state but Enabled (unlike the VM's own subscription).
    [{ kind: "found", storageAccountId: STORAGE, subscriptionId: SUB, state: "Warned" }, "fail"],
    [{ kind: "found", storageAccountId: STORAGE, subscriptionId: SUB, state: "PastDue" }, "fail"],
    [{ kind: "found", storageAccountId: STORAGE, subscriptionId: SUB }, "error"],
    [{ kind: "found", storageAccountId: STORAGE, subscriptionId: SUB, state: "Unknown" }, "error"],
    [{ kind: "found", storageAccountId: STORAGE, subscriptionId: SUB, unreadable: "could not read the subscription: 404" }, "error"],
  ] as const)("%j → %s", (cloudShell, status) => {
    const finding = cloudShellStorage.evaluate({ cloudShell });
    expect(finding.status).toBe(status);
    if (status === "fail") {
      expect(finding.documentedErrorId).toBe("subscription-not-enabled");
      expect(getEntry("subscription-not-enabled")?.checks).toContain("cloud-shell-storage");
    }
  });
});
