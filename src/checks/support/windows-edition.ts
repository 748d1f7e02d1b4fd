/**
 * Telling a Windows client edition (no SAC on Azure) from a Server edition, from the VM model and instance view:
 * image publisher `MicrosoftWindowsDesktop` (offers windows-10 / windows-11), `licenseType` (`Windows_Client`,
 * `Windows_Server`), or the agent's `osName`. Azure documents SAC only for Server images
 * (https://learn.microsoft.com/troubleshoot/azure/virtual-machines/windows/serial-console-windows).
 */
import type { VmFacts } from "../../azure/facts.js";

export type WindowsEdition = { edition: "client" | "server"; basis: string } | { edition: "unknown"; basis: string };

export function windowsEdition(vm: Pick<VmFacts, "imagePublisher" | "imageOffer" | "licenseType" | "osName">): WindowsEdition {
  const publisher = (vm.imagePublisher ?? "").toLowerCase();
  if (publisher === "microsoftwindowsdesktop") return { edition: "client", basis: `image publisher ${vm.imagePublisher}` };
  if ((vm.licenseType ?? "").toLowerCase() === "windows_client") return { edition: "client", basis: "licenseType Windows_Client" };
  if (/\bwindows (?:7|8(?:\.1)?|10|11)\b/i.test(vm.osName ?? "")) return { edition: "client", basis: `osName '${vm.osName}'` };
  if (publisher === "microsoftwindowsserver") return { edition: "server", basis: `image publisher ${vm.imagePublisher}` };
  if (/windows server/i.test(vm.osName ?? "")) return { edition: "server", basis: `osName '${vm.osName}'` };
  // Azure Hybrid Benefit for Windows Server is for Server editions only (licenseType Windows_Server,
  // https://learn.microsoft.com/azure/virtual-machines/windows/hybrid-use-benefit-licensing).
  if ((vm.licenseType ?? "").toLowerCase() === "windows_server") return { edition: "server", basis: "licenseType Windows_Server" };
  return { edition: "unknown", basis: "no marketplace image publisher, licenseType or guest-reported osName tells the edition" };
}
