import type { CatalogEntry } from "./types.js";

/**
 * What the console shows once it connects, from the guest's side: the two states the `guest-login` and
 * `serial-log` checks name when no boot failure explains them. Wording from the Serial Console docs for Linux and
 * Windows (known issues, custom images, SAC).
 */
const LINUX_DOC = "https://learn.microsoft.com/troubleshoot/azure/virtual-machines/linux/serial-console-linux";
const WINDOWS_DOC = "https://learn.microsoft.com/troubleshoot/azure/virtual-machines/windows/serial-console-windows";

export const GUEST_ERRORS = [
  {
    id: "blank-console",
    sources: ["serial-console-linux", "serial-console-windows"],
    message: "Pressing Enter after the connection banner does not cause a sign-in prompt to be displayed.",
    // How people describe it in threads (microsoft/azserialconsole): a blank console, no prompt after Enter.
    aliases: [
      "console=ttyS0",
      "serial-getty@ttyS0",
      "console is blank",
      "blank console",
      "blank screen",
      "no login prompt",
      "no sign-in prompt",
    ],
    mitigation:
      'The guest writes nothing, or no prompt, to its serial port. Linux: put console=ttyS0 on the kernel command line (GRUB_CMDLINE_LINUX) and run a getty on ttyS0 (systemctl enable --now serial-getty@ttyS0.service); regenerate the GRUB configuration. Windows Server: enable EMS/SAC (Run Command EnableEMS, or bcdedit /ems "{current}" on and bcdedit /emssettings EMSPORT:1 EMSBAUDRATE:115200) and restart. Pressing Enter at the console may also just redraw a prompt that is there.',
    fix: [
      'az vm run-command invoke --name {vm} --resource-group {rg} --subscription {subscription} --command-id RunShellScript --scripts "systemctl enable --now serial-getty@ttyS0.service"',
    ],
    checks: ["serial-log"],
    docUrl: LINUX_DOC,
  },
  {
    id: "guest-no-login",
    sources: ["serial-console-linux", "serial-console-windows"],
    message:
      "The serial console connects, but nobody can sign in: the Linux VM has no password-based user, or the Windows edition has no Special Administration Console (SAC).",
    // Thread wording (microsoft/azserialconsole #4, #60, #63, #64): SSH keys only, no password, no SAC prompt.
    aliases: ["only has ssh key", "ssh key only", "no password", "no sac prompt", "cannot log in", "cannot sign in", "login incorrect"],
    mitigation:
      "Linux: the console needs a user with a password (VMs created with SSH keys only have none); add one or set a password with the VMAccess extension (az vm user update). Windows client editions (Windows 10/11) have no SAC: use RDP or Run Command. Windows Server must keep SAC/EMS enabled.",
    fix: ["az vm user update --name {vm} --resource-group {rg} --subscription {subscription} --username {user} --password {password}"],
    checks: ["guest-login"],
    docUrl: LINUX_DOC,
  },
] as const satisfies readonly CatalogEntry[];

export const GUEST_DOCS = { linux: LINUX_DOC, windows: WINDOWS_DOC };
