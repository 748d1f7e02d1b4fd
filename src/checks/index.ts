/** Every check, in contract order (docs/contract.md, "Check ids"). File name = check id. */
import bootDiagnostics from "./boot-diagnostics.js";
import bootDiagnosticsUri from "./boot-diagnostics-uri.js";
import consoleEnabled from "./console-enabled.js";
import type { CheckDefinition } from "./define.js";
import network from "./network.js";
import osDisk from "./os-disk.js";
import powerState from "./power-state.js";
import provisioningState from "./provisioning-state.js";
import rbacStorage from "./rbac-storage.js";
import rbacVm from "./rbac-vm.js";
import scaleSetModel from "./scale-set-model.js";
import storageAccount from "./storage-account.js";
import storageFirewall from "./storage-firewall.js";
import storageHns from "./storage-hns.js";
import storageSharedKey from "./storage-shared-key.js";
import subscriptionState from "./subscription-state.js";
import trustedLaunch from "./trusted-launch.js";

export const CHECKS = [
  subscriptionState,
  consoleEnabled,
  provisioningState,
  powerState,
  bootDiagnostics,
  scaleSetModel,
  bootDiagnosticsUri,
  storageAccount,
  storageFirewall,
  storageHns,
  storageSharedKey,
  rbacVm,
  rbacStorage,
  network,
  trustedLaunch,
  osDisk,
] as readonly CheckDefinition[];
