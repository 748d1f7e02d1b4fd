// "'Forbidden'(SubscriptionNotEnabled) … is in non-Enabled state" — the subscription is Warned (past due, about to be disabled).
export default (w) => {
  w.subscriptions[0].state = "Warned";
};
