// The serial-log check's states: one scenario per realistic log in ../logs/ (serial-<name>), plus a 3 MB log,
// hostile bytes, no blob yet, and the two refusals (403 on the POST, 403 from the blob's storage account).
import { readdirSync } from "node:fs";
import { serialLogFile } from "../blobs.mjs";
import { makeVm } from "../world/builders.mjs";
import { BOOT_URI, SUB1 } from "../world/base.mjs";

const WINDOWS_LOGS = new Set([
  "healthy-windows-sac.log",
  "sac-cmd-unavailable.log",
  "bugcheck.log",
  "windows-update-loop.log",
  "windows-no-sac.log",
  "windows-boot-loop.log",
  "windows-boot-manager.log",
  "windows-bitlocker.log",
]);

function windowsServer(w) {
  Object.assign(w.vm, makeVm({ subscriptionId: SUB1, resourceGroup: "rg1", name: "vm1", osType: "Windows", storageUri: BOOT_URI }));
}

/** serial-<log name> → the VM's serial log is that file (a Windows Server VM for the Windows logs). */
export const LOG_SCENARIOS = Object.fromEntries(
  readdirSync(new URL("../logs/", import.meta.url))
    .filter((file) => file.endsWith(".log"))
    .map((file) => [
      `serial-${file.replace(/\.log$/, "")}`,
      (w) => {
        if (WINDOWS_LOGS.has(file)) windowsServer(w);
        w.vm.serialLog = serialLogFile(file);
      },
    ]),
);

export const SERIAL_SCENARIOS = {
  ...LOG_SCENARIOS,
  // Many boots of chatter (3 MB), the latest one panicking: only the tail is read, and it decides.
  "serial-3mb": (w) => {
    const noise = Buffer.from("[   12.000000] hv_netvsc 000d3a1b-2c3d-4e5f-6a7b-8c9d0e1f2a3b eth0: VF slot 1 added\n".repeat(36_000));
    w.vm.serialLog = Buffer.concat([serialLogFile("healthy-ubuntu.log"), noise, serialLogFile("kernel-panic.log")]);
  },
  // Weeks of uptime: 600 KiB of firewall log lines (the kernel's, to the console) after a healthy boot's prompt. The
  // tail holds no boot start, so more of the log is read: the prompt decides.
  "serial-long-uptime": (w) => {
    w.vm.serialLog = Buffer.concat([serialLogFile("healthy-ubuntu.log"), firewallLines(600 * 1024)]);
  },
  // 3 MiB of them: the log's last 2 MiB hold no boot start and no prompt.
  "serial-only-later-output": (w) => {
    w.vm.serialLog = Buffer.concat([serialLogFile("healthy-ubuntu.log"), firewallLines(3 * 1024 * 1024)]);
  },
  // A guest's output is hostile text: escapes, OSC 8 links, bidi overrides, invalid UTF-8, NULs, a SAS-looking string.
  "serial-hostile": (w) => {
    w.vm.serialLog = Buffer.concat([
      serialLogFile("healthy-ubuntu.log"),
      Buffer.from(
        "\u001b]8;;https://evil.example/\u0007click\u001b]8;;\u0007 \u202eKernel panic - not syncing: \u001b[2J<img src=x onerror=alert(1)> sig=GUESTSIG123 \u0000",
      ),
      Buffer.from([0xff, 0xfe, 0xc3, 0x28]),
      Buffer.from("\n"),
    ]);
  },
  // Boot diagnostics was just enabled: no log blob yet.
  "serial-no-blob": (w) => {
    w.vm.serialLog = null;
  },
  // Reader-like caller: Resource Manager refuses retrieveBootDiagnosticsData (403 AuthorizationFailed naming the action).
  "serial-post-403": (w) => {
    w.faults.push({ match: { path: "/retrieveBootDiagnosticsData", method: "POST" }, kind: "403" });
  },
  // The boot diagnostics account's firewall refuses this machine: the blob answers 403 AuthorizationFailure.
  "serial-blob-403": (w) => {
    w.vm.serialLogRefused = true;
  },
  // A proxy or captive portal answers the blob read in the storage account's place: a sign-in page, a redirect.
  "serial-blob-html": (w) => {
    w.vm.blobAnswer = "html-page";
  },
  "serial-blob-redirect": (w) => {
    w.vm.blobAnswer = "redirect";
  },
  // The SAS links point where nothing listens (port 1): the read gets no answer at all.
  "serial-blob-unreachable": (w) => {
    w.vm.blobOrigin = "https://127.0.0.1:1";
  },
  // An endpoint that ignores the Range header and sends a 12 MiB log whole, a kernel panic at its end: its end is kept.
  // A lenient endpoint answering every range with the whole log as a 206 (120 KiB of driver lines, then a panic).
  "serial-whole-206": (w) => {
    w.vm.blobAnswer = "whole-206";
    w.vm.serialLog = Buffer.concat([
      Buffer.from("[   12.000000] hv_netvsc 000d3a1b eth0: VF slot 1 added\n".repeat(2200)),
      serialLogFile("kernel-panic.log"),
    ]);
  },
  // A proxy that drops Content-Range from the 206: a log longer than the first read (healthy boot, then a panic),
  // whose size cannot be known; and a short one, which the first read holds whole.
  "serial-no-content-range": (w) => {
    w.vm.blobAnswer = "no-content-range";
    w.vm.serialLog = Buffer.concat([serialLogFile("healthy-ubuntu.log"), firewallLines(200 * 1024), serialLogFile("kernel-panic.log")]);
  },
  "serial-no-content-range-short": (w) => {
    w.vm.blobAnswer = "no-content-range";
  },
  "serial-range-ignored": (w) => {
    w.vm.blobAnswer = "ignore-range";
    w.vm.serialLog = Buffer.concat([
      serialLogFile("healthy-ubuntu.log"),
      firewallLines(12 * 1024 * 1024),
      serialLogFile("kernel-panic.log"),
    ]);
  },
};

/** About `bytes` of UFW's kernel log lines (iptables LOG, KERN_WARNING: they reach the console), seconds apart. */
function firewallLines(bytes) {
  const lines = [];
  let total = 0;
  for (let t = 3600; total < bytes; t += 7) {
    const line = `[${t.toFixed(6).padStart(14)}] [UFW BLOCK] IN=eth0 OUT= MAC=00:0d:3a:1b:2c:3d:12:34:56:78:9a:bc:08:00 SRC=198.51.100.${t % 250} DST=10.0.0.4 LEN=44 TOS=0x00 PREC=0x00 TTL=241 ID=${t % 65536} PROTO=TCP SPT=${40000 + (t % 20000)} DPT=23 WINDOW=1024 RES=0x00 SYN URGP=0\n`;
    lines.push(line);
    total += line.length;
  }
  return Buffer.from(lines.join(""));
}
