// "'Forbidden'(SubscriptionNotEnabled) … is in non-Enabled state" — the subscription is Disabled (reads still work).
export default (w) => {
  w.subscriptions[0].state = "Disabled";
};
