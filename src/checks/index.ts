/** Every check, in contract order (docs/contract.md, "Check ids"). File name = check id. */
import bootDiagnostics from "./boot-diagnostics.js";
import bootDiagnosticsUri from "./boot-diagnostics-uri.js";
import cloudShellStorage from "./cloud-shell-storage.js";
import consoleEnabled from "./console-enabled.js";
import type { CheckDefinition, PermissionFactName } from "./define.js";
import type { VmFacts } from "../azure/facts.js";
import guestLogin from "./guest-login.js";
import network from "./network.js";
import osDisk from "./os-disk.js";
import powerState from "./power-state.js";
import provisioningState from "./provisioning-state.js";
import rbacStorage from "./rbac-storage.js";
import rbacVm from "./rbac-vm.js";
import resourceLocks from "./resource-locks.js";
import scaleSetModel from "./scale-set-model.js";
import serialLog from "./serial-log.js";
import storageAccount from "./storage-account.js";
import storageFirewall from "./storage-firewall.js";
import storageHns from "./storage-hns.js";
import storageSharedKey from "./storage-shared-key.js";
import subscriptionState from "./subscription-state.js";
import trustedLaunch from "./trusted-launch.js";

export const CHECKS: readonly CheckDefinition[] = [
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
  resourceLocks,
  cloudShellStorage,
  guestLogin,
  serialLog,
];

const judgedActions = new Map<string, string[]>();

/** Every action some check judges in `fact` for this kind of VM (an audit asks the Permissions API about these). */
export function actionsJudged(fact: PermissionFactName, kind: VmFacts["kind"]): string[] {
  // Asked for every VM of an audit; a function of the check list alone, so worked out once per fact and kind.
  const key = `${fact} ${kind}`;
  let actions = judgedActions.get(key);
  if (!actions) {
    actions = [...new Set(CHECKS.flatMap((check) => (check.judgesActions?.fact === fact ? check.judgesActions.actions(kind) : [])))];
    judgedActions.set(key, actions);
  }
  return [...actions];
}
