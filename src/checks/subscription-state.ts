import { defineCheck } from "./define.js";

/**
 * Serial Console refuses a subscription that is not `Enabled` (errors doc 2025: "'Forbidden'(SubscriptionNotEnabled)
 * … is in non-Enabled state"). States: Enabled, Warned, PastDue, Disabled, Deleted (GET /subscriptions/{id}, top-level `state`).
 */
export default defineCheck({
  id: "subscription-state",
  title: "Subscription state",
  needs: ["subscription"],
  permissions: ["Microsoft.Resources/subscriptions/read"],
  evaluate({ subscription }) {
    const evidence = { subscriptionId: subscription.subscriptionId, state: subscription.state ?? null };
    if (subscription.state === undefined) return { status: "error", reason: "the subscription response has no 'state'", evidence };
    if (subscription.state.toLowerCase() === "enabled") return { status: "pass", reason: "subscription state is Enabled", evidence };
    return {
      status: "fail",
      reason: `subscription state is ${subscription.state}, not Enabled`,
      evidence,
      documentedErrorId: "subscription-not-enabled",
      fixArgs: { subscription: subscription.subscriptionId },
    };
  },
});
