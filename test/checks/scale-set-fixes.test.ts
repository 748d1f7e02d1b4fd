/**
 * A uniform scale set instance (`ss1_0`) is not a VM to `az vm`: every fix for it uses the scale set and the
 * instance id, or is left out when the command has no instance form. Each check's finding goes through
 * toCheckResult, as in a report, so the catalogue's templates are covered as well as the checks' own commands.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { SerialLogFacts } from "../../src/azure/facts.js";
import { renderFix } from "../../src/catalog/index.js";
import bootDiagnosticsUri from "../../src/checks/boot-diagnostics-uri.js";
import type { CheckDefinition } from "../../src/checks/define.js";
import guestLogin from "../../src/checks/guest-login.js";
import provisioningState from "../../src/checks/provisioning-state.js";
import serialLog from "../../src/checks/serial-log.js";
import storageAccount from "../../src/checks/storage-account.js";
import storageFirewall from "../../src/checks/storage-firewall.js";
import storageHns from "../../src/checks/storage-hns.js";
import storageSharedKey from "../../src/checks/storage-shared-key.js";
import { toCheckResult } from "../../src/engine/result.js";
import { SUB, found, scaleSetVm, vm } from "./fixtures.js";

const LOGS = new URL("../azure-sim/logs/", import.meta.url);
const logOf = (name: string): SerialLogFacts => {
  const tail = readFileSync(new URL(name, LOGS), "utf8");
  return { kind: "read", tail, totalBytes: Buffer.byteLength(tail), complete: true, storage: "custom" };
};
const legacy = "legacy" as const;

/** [case, check, facts for an instance]: each a finding with a fix on a plain VM. */
const CASES: [string, CheckDefinition, (instance: typeof vm) => object][] = [
  [
    "firewall: public access disabled",
    storageFirewall,
    (v) => ({ vm: v(), storage: found({ publicNetworkAccess: "Disabled" }), storagePath: legacy }),
  ],
  ["hierarchical namespace", storageHns, (v) => ({ vm: v(), storage: found({ isHnsEnabled: true }), storagePath: legacy })],
  ["shared key off", storageSharedKey, (v) => ({ vm: v(), storage: found({ allowSharedKeyAccess: false }), storagePath: legacy })],
  ["account in another region", storageAccount, (v) => ({ vm: v({ location: "northeurope" }), storage: found(), storagePath: legacy })],
  [
    "storage URI over http",
    bootDiagnosticsUri,
    (v) => ({
      vm: v({ bootDiagnostics: { enabled: true, storageUri: "http://scdiagstore.blob.core.windows.net/" } }),
      storagePath: legacy,
    }),
  ],
  ["provisioning Updating", provisioningState, (v) => ({ vm: v({ provisioningState: "Updating" }) })],
  ["provisioning Creating", provisioningState, (v) => ({ vm: v({ provisioningState: "Creating" }) })],
  ["serial log: empty", serialLog, (v) => ({ vm: v(), serialLog: logOf("empty.log") })],
  ["serial log: cloud-init failed", serialLog, (v) => ({ vm: v(), serialLog: logOf("cloud-init-failed.log") })],
  ["serial log: fstab", serialLog, (v) => ({ vm: v(), serialLog: logOf("emergency-fstab.log") })],
  ["guest: SSH keys only", guestLogin, (v) => ({ vm: v({ disablePasswordAuthentication: true }) })],
];

const fixOf = (check: CheckDefinition, facts: object) => toCheckResult(check, check.evaluate(facts as never), 0).fix ?? [];

describe("fixes for a uniform scale set instance", () => {
  it.each(CASES)("%s: no az vm command, the scale set's where there is one", (_case, check, facts) => {
    expect(
      fixOf(check, facts(vm)).some((line) => line.startsWith("az vm ")),
      "a plain VM gets az vm",
    ).toBe(true);
    const fix = fixOf(check, facts(scaleSetVm));
    for (const line of fix) {
      expect(line).not.toMatch(/^az vm /);
      expect(line).not.toContain("ss1_0");
      // Each names the scale set; all but the update of its model (`az vmss update`), the instance too.
      if (line.startsWith("az vmss"))
        expect(line).toMatch(line.startsWith("az vmss update ") ? /--name ss1 / : /--name ss1 .*--instance-ids? 0\b/);
    }
  });

  it("maps each command to its az vmss form, and drops a fix with a command that has none", () => {
    const args = {
      vm: "ss1_0",
      rg: "rg1",
      subscription: SUB,
      scaleSet: "ss1",
      instanceId: "0",
      storageUri: "https://a.blob.core.windows.net/",
    };
    const scope = `--resource-group rg1 --subscription ${SUB}`;
    expect(renderFix(["az vm restart --name {vm} --resource-group {rg} --subscription {subscription}"], args)).toEqual([
      `az vmss restart --name ss1 ${scope} --instance-ids 0`,
    ]);
    expect(
      renderFix(["az vm run-command invoke --name {vm} --resource-group {rg} --subscription {subscription} --command-id EnableEMS"], args),
    ).toEqual([`az vmss run-command invoke --name ss1 --instance-id 0 ${scope} --command-id EnableEMS`]);
    expect(renderFix(["az vm reapply --name {vm} --resource-group {rg} --subscription {subscription}"], args)).toEqual([
      `az vmss reapply --name ss1 ${scope} --instance-ids 0`,
    ]);
    expect(renderFix(["az vm wait --updated --name {vm} --resource-group {rg} --subscription {subscription}"], args)).toEqual([
      `az vmss wait --updated --name ss1 --instance-id 0 ${scope}`,
    ]);
    expect(
      renderFix(
        ["az vm boot-diagnostics enable --name {vm} --resource-group {rg} --subscription {subscription} --storage {storageUri}"],
        args,
      ),
    ).toEqual([
      `az vmss update --name ss1 ${scope} --set virtualMachineProfile.diagnosticsProfile='{"bootDiagnostics":{"enabled":true}}' virtualMachineProfile.diagnosticsProfile.bootDiagnostics.storageUri=https://a.blob.core.windows.net/`,
      `az vmss update-instances --name ss1 ${scope} --instance-ids 0`,
    ]);
    // Managed boot diagnostics: the whole profile set (a model without one has no bootDiagnostics to set `enabled` in),
    // so no storageUri is left pointing at the account that failed.
    expect(renderFix(["az vm boot-diagnostics enable --name {vm} --resource-group {rg} --subscription {subscription}"], args)).toEqual([
      `az vmss update --name ss1 ${scope} --set virtualMachineProfile.diagnosticsProfile='{"bootDiagnostics":{"enabled":true}}'`,
      `az vmss update-instances --name ss1 ${scope} --instance-ids 0`,
    ]);
    // Disable, then enable: without an instance form for the first, neither is given.
    const reenable = ["disable", "enable"].map(
      (verb) => `az vm boot-diagnostics ${verb} --name {vm} --resource-group {rg} --subscription {subscription}`,
    );
    expect(renderFix(reenable, args)).toEqual([]);
    // Commands that do not name the VM stay as they are.
    expect(renderFix(["az storage account update --name {storageUri}"], args)).toEqual([
      "az storage account update --name https://a.blob.core.windows.net/",
    ]);
  });

  it("a flexible scale set VM is a VM: az vm", () => {
    const flexible = vm({
      scaleSetName: "flex1",
      scaleSetId: `/subscriptions/${SUB}/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachineScaleSets/flex1`,
    });
    expect(fixOf(provisioningState, { vm: { ...flexible, provisioningState: "Updating" } })).toEqual([
      `az vm wait --updated --name vm1 --resource-group rg1 --subscription ${SUB}`,
    ]);
  });
});
