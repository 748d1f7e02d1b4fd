import { defineCheck } from "./define.js";
import { subscriptionStateEffect } from "./support/subscription-states.js";

/**
 * The 2025 errors doc ties "'Forbidden'(SubscriptionNotEnabled) … is in non-Enabled state" to the subscription
 * that holds the caller's Cloud Shell storage account, not the VM's
 * (https://learn.microsoft.com/troubleshoot/azure/virtual-machines/windows/serial-console-errors). Any documented
 * state but Enabled fails: the error names the state itself ("non-Enabled"), where `subscription-state` asks whether
 * the VM still runs (Warned/PastDue: it does, a warning).
 */
export default defineCheck({
  id: "cloud-shell-storage",
  title: "Subscription of your Cloud Shell storage account",
  needs: ["cloudShell"],
  permissions: [
    "Cloud Shell settings of the signed-in user (no role needed)",
    "Microsoft.Resources/subscriptions/read (the storage account's subscription)",
  ],
  evaluate({ cloudShell }) {
    switch (cloudShell.kind) {
      case "principal":
        return { status: "skip", reason: "Cloud Shell settings are per signed-in user: not evaluated for --principal", evidence: {} };
      case "no-settings":
        return {
          status: "skip",
          reason: "you have no Cloud Shell settings (never set up): no Cloud Shell storage to judge",
          evidence: { statusCode: cloudShell.status },
        };
      case "no-storage":
        return {
          status: "pass",
          reason: `your Cloud Shell has no storage account${cloudShell.sessionType ? ` (${cloudShell.sessionType} sessions)` : ""}`,
          evidence: { sessionType: cloudShell.sessionType ?? null },
        };
      case "found": {
        const evidence = {
          storageAccountId: cloudShell.storageAccountId,
          subscriptionId: cloudShell.subscriptionId,
          state: cloudShell.state ?? null,
        };
        if (cloudShell.unreadable)
          return { status: "error", reason: `the subscription of your Cloud Shell storage account: ${cloudShell.unreadable}`, evidence };
        if (cloudShell.state === undefined) return { status: "error", reason: "the subscription response has no 'state'", evidence };
        const effect = subscriptionStateEffect(cloudShell.state);
        if (effect === undefined)
          return {
            status: "error",
            reason: `your Cloud Shell storage account's subscription state '${cloudShell.state}' is not one Azure documents`,
            evidence,
          };
        if (effect === "running") return { status: "pass", reason: "your Cloud Shell storage account's subscription is Enabled", evidence };
        return {
          status: "fail",
          reason: `your Cloud Shell storage account lives in subscription ${cloudShell.subscriptionId}, whose state is ${cloudShell.state}: the console can answer 'Forbidden'(SubscriptionNotEnabled)`,
          evidence,
          documentedErrorId: "subscription-not-enabled",
          fixArgs: { subscription: cloudShell.subscriptionId },
        };
      }
    }
  },
});
