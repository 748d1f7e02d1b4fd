/**
 * Every named scenario: a function that changes the healthy base world (world/base.mjs). One file per scenario,
 * whose first line names the documented error it reproduces. Add a file and a line here to add one.
 */
import { healthyWorld } from "../world/base.mjs";
import allBroken from "./all-broken.mjs";
import bootDiagnosticsOff from "./boot-diagnostics-off.mjs";
import bootdiagHttp from "./bootdiag-http.mjs";
import cloudShellDisabled from "./cloud-shell-disabled.mjs";
import cloudShellNone from "./cloud-shell-none.mjs";
import console404 from "./console-404.mjs";
import consoleDisabled from "./console-disabled.mjs";
import consoleNoProperty from "./console-no-property.mjs";
import deallocated from "./deallocated.mjs";
import guestSshKeysOnly from "./guest-ssh-keys-only.mjs";
import guestWindowsClient from "./guest-windows-client.mjs";
import healthyManaged from "./healthy-managed.mjs";
import healthyWindows from "./healthy-windows.mjs";
import healthy from "./healthy.mjs";
import hostile from "./hostile.mjs";
import osDiskEncrypted from "./os-disk-encrypted.mjs";
import osDiskEncryptedSinglePass from "./os-disk-encrypted-single-pass.mjs";
import osDiskEphemeral from "./os-disk-ephemeral.mjs";
import osDiskUnmanaged from "./os-disk-unmanaged.mjs";
import principalGroup from "./principal-group.mjs";
import provisioningFailed from "./provisioning-failed.mjs";
import provisioningUpdating from "./provisioning-updating.mjs";
import denyAssignment from "./deny-assignment.mjs";
import denyAssignmentScaleSet from "./deny-assignment-scale-set.mjs";
import principalForeignGroup from "./principal-foreign-group.mjs";
import rbacLighthouse from "./rbac-lighthouse.mjs";
import rbacNoStorage from "./rbac-no-storage.mjs";
import rbacNoVmRead from "./rbac-no-vm-read.mjs";
import rbacReader from "./rbac-reader.mjs";
import { SERIAL_SCENARIOS } from "./serial-logs.mjs";
import starting from "./starting.mjs";
import stopped from "./stopped.mjs";
import storageFirewallDeny from "./storage-firewall-deny.mjs";
import storageFirewallOk from "./storage-firewall-ok.mjs";
import storageFirewallPartial from "./storage-firewall-partial.mjs";
import storageHns from "./storage-hns.mjs";
import storageMissing from "./storage-missing.mjs";
import storageOtherRg from "./storage-other-rg.mjs";
import storageOtherSubscription from "./storage-other-subscription.mjs";
import storagePublicAccessDisabled from "./storage-public-access-disabled.mjs";
import storageRgUndetermined from "./storage-rg-undetermined.mjs";
import storageSharedKeyOff from "./storage-shared-key-off.mjs";
import subscriptionDisabled from "./subscription-disabled.mjs";
import subscriptionWarned from "./subscription-warned.mjs";
import trustedLaunch from "./trusted-launch.mjs";
import resourceLockReadonly from "./resource-lock-readonly.mjs";
import storageDnsZone from "./storage-dns-zone.mjs";
import storageUriWrongHost from "./storage-uri-wrong-host.mjs";
import windowsCustomImageFleet from "./windows-custom-image-fleet.mjs";
import storageSecuredByPerimeter from "./storage-secured-by-perimeter.mjs";
import principalManagementGroup from "./principal-management-group.mjs";
import storageUnregisteredSubscription from "./storage-unregistered-subscription.mjs";
import storageOtherRegion from "./storage-other-region.mjs";
import storagePremium from "./storage-premium.mjs";
import azureStack from "./azure-stack.mjs";
import apiVersionsLagging from "./api-versions-lagging.mjs";
import apiVersionsLaggingEverywhere from "./api-versions-lagging-everywhere.mjs";
import graphWithoutInstances from "./graph-without-instances.mjs";
import vmssFlex from "./vmss-flex.mjs";
import vmssOutdatedModel from "./vmss-outdated-model.mjs";
import vmssUniform from "./vmss-uniform.mjs";

/** @type {Record<string, (world: import("../world/base.mjs").BaseWorld) => void>} */
export const SCENARIOS = {
  "all-broken": allBroken,
  "boot-diagnostics-off": bootDiagnosticsOff,
  "bootdiag-http": bootdiagHttp,
  "cloud-shell-disabled": cloudShellDisabled,
  "cloud-shell-none": cloudShellNone,
  "guest-ssh-keys-only": guestSshKeysOnly,
  "guest-windows-client": guestWindowsClient,
  "console-404": console404,
  "console-disabled": consoleDisabled,
  "console-no-property": consoleNoProperty,
  deallocated: deallocated,
  "healthy-managed": healthyManaged,
  "healthy-windows": healthyWindows,
  healthy: healthy,
  hostile: hostile,
  "os-disk-encrypted": osDiskEncrypted,
  "os-disk-encrypted-single-pass": osDiskEncryptedSinglePass,
  "os-disk-ephemeral": osDiskEphemeral,
  "os-disk-unmanaged": osDiskUnmanaged,
  "principal-group": principalGroup,
  "principal-foreign-group": principalForeignGroup,
  "provisioning-failed": provisioningFailed,
  "provisioning-updating": provisioningUpdating,
  "deny-assignment": denyAssignment,
  "deny-assignment-scale-set": denyAssignmentScaleSet,
  "rbac-lighthouse": rbacLighthouse,
  "rbac-no-storage": rbacNoStorage,
  "rbac-no-vm-read": rbacNoVmRead,
  "rbac-reader": rbacReader,
  starting: starting,
  stopped: stopped,
  "storage-firewall-deny": storageFirewallDeny,
  "storage-firewall-ok": storageFirewallOk,
  "storage-firewall-partial": storageFirewallPartial,
  "storage-hns": storageHns,
  "storage-missing": storageMissing,
  "storage-other-rg": storageOtherRg,
  "storage-other-subscription": storageOtherSubscription,
  "storage-public-access-disabled": storagePublicAccessDisabled,
  "storage-rg-undetermined": storageRgUndetermined,
  "storage-shared-key-off": storageSharedKeyOff,
  "subscription-disabled": subscriptionDisabled,
  "subscription-warned": subscriptionWarned,
  "trusted-launch": trustedLaunch,
  "resource-lock-readonly": resourceLockReadonly,
  "storage-dns-zone": storageDnsZone,
  "storage-uri-wrong-host": storageUriWrongHost,
  "windows-custom-image-fleet": windowsCustomImageFleet,
  "storage-secured-by-perimeter": storageSecuredByPerimeter,
  "principal-management-group": principalManagementGroup,
  "storage-unregistered-subscription": storageUnregisteredSubscription,
  "storage-other-region": storageOtherRegion,
  "storage-premium": storagePremium,
  "azure-stack": azureStack,
  "api-versions-lagging": apiVersionsLagging,
  "api-versions-lagging-everywhere": apiVersionsLaggingEverywhere,
  "graph-without-instances": graphWithoutInstances,
  "vmss-flex": vmssFlex,
  "vmss-outdated-model": vmssOutdatedModel,
  "vmss-uniform": vmssUniform,
  ...SERIAL_SCENARIOS,
};

/** The world data of a named scenario (a fresh copy every time: scenarios mutate it). */
export function buildScenario(name) {
  const apply = SCENARIOS[name];
  if (!apply) throw new Error(`unknown scenario '${name}'; known: ${Object.keys(SCENARIOS).join(", ")}`);
  const world = healthyWorld();
  apply(world);
  return world;
}
