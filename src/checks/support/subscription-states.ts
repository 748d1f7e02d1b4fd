/**
 * What a subscription's `state` means for its VMs (https://learn.microsoft.com/azure/cost-management-billing/manage/subscription-states;
 * the Resource Manager API's SubscriptionState: Enabled, Warned, PastDue, Disabled, Deleted; the portal's Expired):
 * `running` (Enabled), `limited` (Warned, PastDue: resources still run, the subscription will be disabled),
 * `stopped` (Disabled, Deleted, Expired: VMs deallocated), undefined for a state not documented (no judgement).
 */
export function subscriptionStateEffect(state: string): "running" | "limited" | "stopped" | undefined {
  switch (state.toLowerCase()) {
    case "enabled":
      return "running";
    case "warned":
    case "pastdue":
      return "limited";
    case "disabled":
    case "deleted":
    case "expired":
      return "stopped";
    default:
      return undefined;
  }
}
