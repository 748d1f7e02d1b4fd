import { defineCheck } from "./define.js";
import { storageArgs, vmArgs } from "./support/facts-to-args.js";
import { judgePermissions } from "./support/rbac.js";
import { accountOrSkip, isFinding, onStoragePath } from "./support/storage.js";

/**
 * "You don't have the required permissions to write to the boot diagnostics storage account for this VM"
 * (errors doc): contributor-level access on the custom account. The portal reads its blobs with the account
 * keys (boot-diagnostics.md: `listKeys` is what restricted roles fail on).
 */
const STORAGE_ACTIONS = ["Microsoft.Storage/storageAccounts/read", "Microsoft.Storage/storageAccounts/listKeys/action"] as const;

export default defineCheck({
  id: "rbac-storage",
  title: "Your permissions on the boot diagnostics storage account",
  needs: ["storage", "storagePermissions", "vm", "storagePath"],
  dependsOn: ["storage-account"],
  permissions: [
    "none for yourself (Permissions API); with --principal: Microsoft.Authorization/roleAssignments/read, roleDefinitions/read",
    "Microsoft.Authorization/denyAssignments/read (deny assignments override roles: refused, the check is error, not pass; Reader's */read includes it)",
  ],
  judgesActions: { fact: "storagePermissions", actions: () => STORAGE_ACTIONS },
  evaluate({ storage, storagePermissions, vm, storagePath }) {
    const account = accountOrSkip(storage);
    if (isFinding(account)) return account;
    if (!storagePermissions) return { status: "error", reason: "the permissions on the storage account were not read", evidence: {} };
    const finding = judgePermissions(storagePermissions, STORAGE_ACTIONS, `storage account ${account.name}`, "rbac-storage-write", {
      ...vmArgs(vm),
      ...storageArgs(account),
    });
    return onStoragePath(finding, storagePath);
  },
});
