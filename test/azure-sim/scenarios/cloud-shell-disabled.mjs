// 'Forbidden'(SubscriptionNotEnabled): the caller's Cloud Shell storage account lives in a Disabled subscription (not the VM's).
import { SUB2, cloudShellSettings } from "../world/base.mjs";
export default (w) => {
  w.cloudShell = cloudShellSettings(SUB2);
  const sub = w.subscriptions.find((s) => s.subscriptionId === SUB2);
  if (sub) sub.state = "Disabled";
};
