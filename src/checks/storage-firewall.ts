import { sh } from "./support/shell.js";
import { storageArgs, vmArgs } from "./support/facts-to-args.js";
import { geographyOf, ruleAdmits } from "./support/serial-console-ips.js";
import { accountEvidence, defineStorageCheck } from "./support/storage.js";

/**
 * A "Forbidden" response … accessing this VM's boot diagnostic storage account (errors doc). A firewalled custom
 * account works only when its IP rules admit the Serial Console IPs of the VM's geography (serial-console-linux.md);
 * even then the 2025 errors doc lists it as a known issue of `az serial-console` (the portal works), so that is a
 * `warn` naming the client, and `fail` is kept for a firewall that blocks every client (docs/contract.md).
 */
export default defineStorageCheck({
  id: "storage-firewall",
  title: "Boot diagnostics storage account firewall",
  evaluate(account, vm) {
    const acls = account.networkAcls;
    const base = {
      ...accountEvidence(account),
      defaultAction: acls?.defaultAction ?? null,
      publicNetworkAccess: account.publicNetworkAccess ?? null,
      bypass: acls?.bypass ?? null,
      ipRules: (acls?.ipRules ?? []).map((rule) => rule.value),
    };
    const documented = { documentedErrorId: "storage-forbidden" as const, fixArgs: { ...vmArgs(vm), ...storageArgs(account) } };
    const managed = sh`az vm boot-diagnostics enable --name ${vm.name} --resource-group ${vm.resourceGroup} --subscription ${vm.subscriptionId}`;

    if (account.publicNetworkAccess?.toLowerCase() === "disabled") {
      return {
        status: "fail",
        reason: "public network access to the storage account is Disabled: no IP rule can admit Serial Console",
        evidence: base,
        ...documented,
        fix: [managed],
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
    if (acls.defaultAction.toLowerCase() !== "deny") {
      return {
        status: "pass",
        reason: "the storage account firewall admits all networks (networkAcls.defaultAction is Allow)",
        evidence: base,
      };
    }
    const geography = geographyOf(vm.location);
    if (!geography) {
      return {
        status: "warn",
        reason: `networkAcls.defaultAction is Deny and region '${vm.location ?? "unknown"}' has no published Serial Console IPs (single-region geographies such as Italy North are not supported with a firewalled account)`,
        evidence: { ...base, geography: null },
        ...documented,
        fix: [managed],
      };
    }
    const missing = geography.ips.filter((ip) => !base.ipRules.some((rule) => ruleAdmits(rule, ip)));
    const evidence = { ...base, geography: geography.name, serialConsoleIps: [...geography.ips], missingIps: missing };
    const addIps = sh`az storage account network-rule add --account-name ${account.name} --resource-group ${account.resourceGroup} --subscription ${account.subscriptionId} --ip-address ${missing}`;
    if (missing.length === geography.ips.length) {
      return {
        status: "fail",
        reason: `networkAcls.defaultAction is Deny and no IP rule admits the Serial Console IPs of the ${geography.name} geography (${missing.join(", ")})`,
        evidence,
        ...documented,
        // Switching to managed boot diagnostics removes the account from the path (the 2019 mitigation: no account firewall).
        fix: [managed, addIps],
      };
    }
    if (missing.length > 0) {
      return {
        status: "warn",
        reason: `networkAcls.defaultAction is Deny and the IP rules miss ${missing.length} of the ${geography.name} Serial Console IPs: add ${missing.join(", ")}`,
        evidence,
        ...documented,
        fix: [addIps],
      };
    }
    return {
      status: "warn",
      reason: `the firewall admits every ${geography.name} Serial Console IP, so the portal works; az serial-console has a known issue with firewalled boot diagnostics accounts`,
      evidence: { ...evidence, affectedClient: "az serial-console" },
      ...documented,
      fix: [managed],
    };
  },
});
