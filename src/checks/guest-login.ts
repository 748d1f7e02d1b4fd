import { renderFix } from "../catalog/index.js";
import { GUEST_DOCS } from "../catalog/guest.js";
import { defineCheck } from "./define.js";
import { vmArgs } from "./support/facts-to-args.js";
import { noVmAgentExtensions, offlineRoute } from "./support/vm-agent.js";
import { windowsEdition } from "./support/windows-edition.js";

/**
 * Keep SAC/EMS on in a Windows Server guest (serial-console-windows, "Enable the serial console in custom or older
 * images": https://learn.microsoft.com/troubleshoot/azure/virtual-machines/windows/serial-console-windows). `{current}`
 * is quoted: unquoted, PowerShell reads it as a script block and bcdedit gets no identifier (the doc gives
 * `'{current}'` for PowerShell, bare `{current}` for cmd). Double quotes work in both — PowerShell takes them as a
 * string, and cmd.exe (SAC's cmd channel) leaves them to bcdedit's argument parser, which drops them.
 */
export const EMS_COMMANDS = ['bcdedit /ems "{current}" on', "bcdedit /emssettings EMSPORT:1 EMSBAUDRATE:115200"];

/**
 * Without SAC, RDP is the way in (the console cannot help a client edition): Run Command allows Remote Desktop in
 * the guest and its firewall (`fDenyTSConnections`, https://learn.microsoft.com/windows-hardware/customize/desktop/unattend/microsoft-windows-terminalservices-localsessionmanager-fdenytsconnections).
 */
const WINDOWS_CLIENT_FIX =
  "az vm run-command invoke --name {vm} --resource-group {rg} --subscription {subscription} --command-id RunPowerShellScript --scripts " +
  // Single-quoted for the shell (the registry path's backslashes stay as they are), double quotes for PowerShell.
  `'Set-ItemProperty -Path "HKLM:\\System\\CurrentControlSet\\Control\\Terminal Server" -Name fDenyTSConnections -Value 0; Enable-NetFirewallRule -DisplayGroup "Remote Desktop"'`;
/**
 * Resetting a password without the VM agent or extensions: a repair VM with a copy of the OS disk, `passwd <user>`
 * in its chroot (and `touch /.autorelabel` where SELinux enforces), then the disk swapped back — the "repair VM"
 * method of https://learn.microsoft.com/troubleshoot/azure/virtual-machines/linux/reset-password. `az vm repair
 * create` asks for the repair VM's own user and password.
 */
const RESET_PASSWORD_DOC = "https://learn.microsoft.com/troubleshoot/azure/virtual-machines/linux/reset-password";

/** The user to add and its password are the reader's to choose: quoted, an unedited paste fails in az, not in the shell. */
const READER_CHOOSES = { user: "<user>", password: "<password>" };

/**
 * Advisory: someone must be able to sign in at the console once it connects. Linux needs a password-based user
 * (`osProfile.linuxConfiguration.disablePasswordAuthentication: true` means none was made at creation; one may
 * have been added since, which ARM cannot see); Windows needs SAC, which client editions do not have.
 * https://learn.microsoft.com/troubleshoot/azure/virtual-machines/linux/serial-console-linux,
 * https://learn.microsoft.com/troubleshoot/azure/virtual-machines/windows/serial-console-windows
 */
export default defineCheck({
  id: "guest-login",
  title: "A user can sign in at the console (password user / SAC)",
  needs: ["vm"],
  advisory: true,
  permissions: ["Microsoft.Compute/virtualMachines/read"],
  evaluate({ vm }) {
    const os = (vm.osType ?? "").toLowerCase();
    if (os === "linux") {
      const evidence = { osType: "Linux", disablePasswordAuthentication: vm.disablePasswordAuthentication ?? null };
      const offline = vm.disablePasswordAuthentication === true ? noVmAgentExtensions(vm) : undefined;
      if (offline) {
        const route = offlineRoute(vm, "set a user's password (passwd <user> in a chroot; touch /.autorelabel where SELinux enforces)");
        return {
          status: "warn",
          reason: `the VM was created with SSH keys only (disablePasswordAuthentication: true): unless a password user was added since, nobody can sign in at the console — and az vm user update (the VMAccess extension) cannot set a password here: ${offline}. Reset it offline: ${route.how} (${RESET_PASSWORD_DOC})`,
          evidence: {
            ...evidence,
            ...(vm.allowExtensionOperations === false ? { allowExtensionOperations: false } : {}),
            ...(vm.provisionVMAgent === false ? { provisionVMAgent: false } : {}),
            doc: RESET_PASSWORD_DOC,
          },
          documentedErrorId: "guest-no-login",
          mitigation: `Reset a user's password offline (VMAccess cannot run here: ${offline}): ${route.how}.`,
          fix: route.fix,
        };
      }
      if (vm.disablePasswordAuthentication === true) {
        return {
          status: "warn",
          reason:
            "the VM was created with SSH keys only (disablePasswordAuthentication: true): unless a password user was added since, nobody can sign in at the console",
          evidence,
          documentedErrorId: "guest-no-login",
          fixArgs: { ...vmArgs(vm), ...READER_CHOOSES },
        };
      }
      if (vm.disablePasswordAuthentication === false)
        return { status: "pass", reason: "the VM was created with a password-based user", evidence };
      return {
        status: "skip",
        reason:
          vm.hasOsProfile === false
            ? "the VM model has no osProfile (created from a specialized disk): whether a password user exists cannot be told from Azure"
            : "the VM model does not say whether password sign-in was disabled",
        evidence,
      };
    }
    if (os === "windows") {
      const edition = windowsEdition(vm);
      const evidence = { osType: "Windows", edition: edition.edition, basis: edition.basis };
      if (edition.edition === "client") {
        // Run Command (the fix that turns RDP on) runs through the agent: not where the model says nothing can.
        const noAgent = noVmAgentExtensions(vm);
        return {
          status: "warn",
          reason: `Windows client edition (${edition.basis}): it has no Special Administration Console (SAC), so the console shows no prompt — ${noAgent ? `use RDP instead (Run Command cannot run here: ${noAgent})` : "use RDP or Run Command instead"}`,
          // The documented error covers both OSes (its doc is Linux's): this finding's doc is Windows'.
          evidence: { ...evidence, doc: GUEST_DOCS.windows },
          documentedErrorId: "guest-no-login",
          fix: noAgent ? [] : renderFix([WINDOWS_CLIENT_FIX], vmArgs(vm)),
        };
      }
      if (edition.edition === "server") {
        return {
          status: "pass",
          reason: `Windows Server (${edition.basis}) has SAC; keep SAC/EMS enabled in the guest (${EMS_COMMANDS.join("; ")})`,
          evidence: { ...evidence, keepEnabled: EMS_COMMANDS },
        };
      }
      return { status: "skip", reason: `the Windows edition is unknown (${edition.basis}): SAC exists only on Server editions`, evidence };
    }
    return { status: "skip", reason: "the VM model does not give its OS type", evidence: { osType: vm.osType ?? null } };
  },
});
