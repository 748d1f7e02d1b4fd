import type { Finding } from "../types.js";
import { sh } from "./support/shell.js";
import { ENABLE_MANAGED_BOOT_DIAGNOSTICS, storageArgs, vmArgs, vmFix } from "./support/facts-to-args.js";
import { lookupGeography, ruleAdmits, SERIAL_CONSOLE_IP_SOURCE } from "./support/serial-console-ips.js";
import { judgePerimeter } from "./support/perimeter.js";
import { accountEvidence, defineStorageCheck } from "./support/storage.js";

/**
 * A "Forbidden" response … accessing this VM's boot diagnostic storage account (errors doc, ms.date 10/16/2025,
 * https://learn.microsoft.com/troubleshoot/azure/virtual-machines/windows/serial-console-errors). A firewalled custom
 * account needs IP rules for the Serial Console IPs of the VM's geography, and such firewalls are unsupported in
 * single-region geographies (https://learn.microsoft.com/troubleshoot/azure/virtual-machines/linux/serial-console-linux);
 * even then the 2025 errors doc lists it as a known issue of `az serial-console` (the portal works), so that is a
 * `warn` naming the client. This check returns the judgement of the connection path (`fail` only when the firewall
 * admits none of the IPs); `onStoragePath` turns it into `warn` on the default, end-2025 path.
 */
export default defineStorageCheck({
  id: "storage-firewall",
  title: "Boot diagnostics storage account firewall",
  permissions: [
    "Microsoft.Storage/storageAccounts/networkSecurityPerimeterConfigurations/read (an account SecuredByPerimeter only; without it the perimeter is not named)",
  ],
  needs: ["perimeter"],
  evaluate(account, vm, { perimeter }) {
    const acls = account.networkAcls;
    const base = {
      ...accountEvidence(account),
      defaultAction: acls?.defaultAction ?? null,
      publicNetworkAccess: account.publicNetworkAccess ?? null,
      bypass: acls?.bypass ?? null,
      ipRules: (acls?.ipRules ?? []).map((rule) => rule.value),
      ipTable: `${SERIAL_CONSOLE_IP_SOURCE.url} (${SERIAL_CONSOLE_IP_SOURCE.date})`,
    };
    // Built only by the findings that carry them (most VMs pass).
    const documented = () => ({ documentedErrorId: "storage-forbidden" as const, fixArgs: { ...vmArgs(vm), ...storageArgs(account) } });
    const managed = () => vmFix(vm, [ENABLE_MANAGED_BOOT_DIAGNOSTICS]);
    const publicAccess = account.publicNetworkAccess?.toLowerCase();

    if (publicAccess === "disabled") {
      return {
        status: "fail",
        reason: "public network access to the storage account is Disabled: no IP rule can admit Serial Console",
        evidence: base,
        ...documented(),
        fix: managed(),
      };
    }
    // The storage REST spec's PublicNetworkAccess: "Allow, disallow, or let Network Security Perimeter configuration to
    // evaluate public network access" (https://github.com/Azure/azure-rest-api-specs/tree/main/specification/storage/resource-manager).
    // Whatever networkAcls say: never a pass (support/perimeter.ts names what the perimeter's configuration shows).
    if (publicAccess === "securedbyperimeter") {
      const { reason, evidence } = judgePerimeter(perimeter, vm.location);
      return { status: "warn", reason, evidence: { ...base, ...evidence }, ...documented(), fix: managed() };
    }
    // PublicNetworkAccess is Enabled, Disabled or SecuredByPerimeter (absent: networkAcls decide); another value is
    // not one this check can judge.
    if (publicAccess !== undefined && publicAccess !== "enabled") {
      return {
        status: "error",
        reason: `publicNetworkAccess is '${account.publicNetworkAccess ?? ""}', none of Enabled, Disabled and SecuredByPerimeter, so access to the account cannot be judged`,
        evidence: base,
      };
    }
    // No rule set at all is the storage spec's default (all networks allowed), as `allowSharedKeyAccess` absent
    // means allowed. A rule set without defaultAction (required inside NetworkRuleSet) is malformed: no `pass`.
    if (!acls) {
      return { status: "pass", reason: "the storage account has no network rules (the default: all networks allowed)", evidence: base };
    }
    if (!acls.defaultAction) {
      return {
        status: "error",
        reason: "the storage account response has no networkAcls.defaultAction, so its firewall cannot be judged",
        evidence: base,
      };
    }
    const action = acls.defaultAction.toLowerCase();
    // DefaultAction is Allow or Deny (storage spec); another value is not one this check can judge.
    if (action !== "allow" && action !== "deny") {
      return {
        status: "error",
        reason: `networkAcls.defaultAction is '${acls.defaultAction}', neither Allow nor Deny, so the firewall cannot be judged`,
        evidence: base,
      };
    }
    if (action === "allow") {
      return {
        status: "pass",
        reason: "the storage account firewall admits all networks (networkAcls.defaultAction is Allow)",
        evidence: base,
      };
    }
    // Past the firewall, the platform writes the serial log and screenshots through the trusted-services exception
    // ("Allow trusted Azure services", https://learn.microsoft.com/azure/virtual-machines/boot-diagnostics): what
    // the console still reads from the account after the end-2025 change. Absent, bypass is AzureServices (the spec's default).
    const bypass = (acls.bypass ?? "AzureServices")
      .split(",")
      .map((value) => value.trim())
      .filter((value) => value && value.toLowerCase() !== "none");
    const trustedServices = bypass.some((value) => value.toLowerCase() === "azureservices");
    const deny = (finding: Finding): Finding =>
      trustedServices
        ? finding
        : {
            ...finding,
            reason: `${finding.reason}; and networkAcls.bypass (${acls.bypass}) leaves out AzureServices, through which the platform writes the serial log and screenshots`,
            evidence: { ...finding.evidence, trustedServicesBypass: false },
            fix: [
              ...(finding.fix ?? []),
              sh`az storage account update --name ${account.name} --resource-group ${account.resourceGroup} --subscription ${account.subscriptionId} --bypass ${["AzureServices", ...bypass]}`,
            ],
          };
    const geography = lookupGeography(vm.location);
    if (geography.kind === "single-region") {
      return deny({
        status: "fail",
        reason: `networkAcls.defaultAction is Deny and ${geography.region} is a single-region geography, where Microsoft does not support a firewalled boot diagnostics account for Serial Console`,
        evidence: { ...base, geography: null, singleRegionGeography: true },
        ...documented(),
        fix: managed(),
      });
    }
    if (geography.kind === "unlisted") {
      return deny({
        status: "warn",
        reason: `networkAcls.defaultAction is Deny and region '${geography.region}' is not in the published Serial Console IP table, so which IPs to admit cannot be said`,
        evidence: { ...base, geography: null },
        ...documented(),
        fix: managed(),
      });
    }
    const missing = geography.ips.filter((ip) => !base.ipRules.some((rule) => ruleAdmits(rule, ip)));
    const inferred = geography.inferred ? ` (${geography.inferred})` : "";
    const evidence = {
      ...base,
      geography: geography.name,
      geographyInferred: geography.inferred ?? null,
      serialConsoleIps: [...geography.ips],
      missingIps: missing,
    };
    const addIps = () =>
      sh`az storage account network-rule add --account-name ${account.name} --resource-group ${account.resourceGroup} --subscription ${account.subscriptionId} --ip-address ${missing}`;
    if (missing.length === geography.ips.length) {
      return deny({
        // An inferred geography's IPs are a guess (the region is in no published row): a warning, never a failure.
        status: geography.inferred ? "warn" : "fail",
        // The count, not the addresses (up to 31): they are in the evidence and the fix, and the reason stays one table row.
        reason: `networkAcls.defaultAction is Deny and the IP rules admit none of the ${missing.length} Serial Console IPs of the ${geography.name} geography${inferred} (the fix adds them; -o json lists them)`,
        evidence,
        ...documented(),
        // Switching to managed boot diagnostics removes the account from the path (the 2019 mitigation: no account firewall).
        fix: [...managed(), addIps()],
      });
    }
    if (missing.length > 0) {
      return deny({
        status: "warn",
        reason: `networkAcls.defaultAction is Deny and the IP rules miss ${missing.length} of the ${geography.ips.length} ${geography.name} Serial Console IPs${inferred}: add ${missing.join(", ")}`,
        evidence,
        ...documented(),
        fix: [addIps()],
      });
    }
    return deny({
      status: "warn",
      reason: `the firewall admits every ${geography.name} Serial Console IP${inferred}, so the portal works; az serial-console has a known issue with firewalled boot diagnostics accounts`,
      evidence: { ...evidence, affectedClient: "az serial-console" },
      ...documented(),
      fix: managed(),
    });
  },
});
