import { defineCheck } from "./define.js";
import { subscriptionStateEffect } from "./support/subscription-states.js";

/**
 * The VM's own subscription. States (GET /subscriptions/{id}, top-level `state`): Enabled, Warned, PastDue, Disabled,
 * Deleted (https://learn.microsoft.com/azure/cost-management-billing/manage/subscription-states). Resources keep
 * running in Warned and PastDue subscriptions (`warn`); Disabled and Deleted ones stop them (`fail`). The errors doc's
 * "'Forbidden'(SubscriptionNotEnabled) … non-Enabled state" is about the subscription of the user's Cloud Shell
 * storage account (https://learn.microsoft.com/troubleshoot/azure/virtual-machines/windows/serial-console-errors), so
 * its Cloud Shell mitigation is not printed for the VM's subscription.
 */
export default defineCheck({
  id: "subscription-state",
  title: "Subscription state",
  needs: ["subscription"],
  permissions: ["Microsoft.Resources/subscriptions/read"],
  evaluate({ subscription }) {
    const evidence = { subscriptionId: subscription.subscriptionId, state: subscription.state ?? null };
    if (subscription.state === undefined) return { status: "error", reason: "the subscription response has no 'state'", evidence };
    const effect = subscriptionStateEffect(subscription.state);
    if (effect === undefined)
      return { status: "error", reason: `subscription state '${subscription.state}' is not one Azure documents`, evidence };
    if (effect === "running") return { status: "pass", reason: "subscription state is Enabled", evidence };
    if (effect === "limited") {
      return {
        status: "warn",
        reason: `subscription state is ${subscription.state}: its resources still run, but it will be disabled unless the account is settled`,
        evidence,
      };
    }
    return {
      status: "fail",
      reason: `subscription state is ${subscription.state}: its VMs are stopped and Serial Console cannot reach them`,
      evidence,
      // The message users meet is this documented error; its Cloud Shell mitigation is not about this subscription.
      documentedErrorId: "subscription-not-enabled",
      mitigation: `The VM's subscription is ${subscription.state}. Reactivate it (Cost Management + Billing), then start the VM: https://learn.microsoft.com/azure/cost-management-billing/manage/subscription-states`,
      fix: [],
    };
  },
});
