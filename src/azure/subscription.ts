/**
 * A subscription's facts (state, tenant, the tenants managing it), read once per run: the subscription-state and
 * Cloud Shell checks, the audit's visibility check and `--principal`'s Lighthouse note all share one GET.
 */
import type { ArmContext } from "./arm.js";
import type { SubscriptionFacts } from "./facts.js";
import { asObject, isObject, optArray, optObject, optString } from "./json.js";
import { readBody } from "./read.js";
import { cached, type RunCache } from "./run-cache.js";

/**
 * The subscription (https://learn.microsoft.com/rest/api/resources/subscriptions/get); `state` is top level. An
 * audit that listed the subscriptions itself has each one's row, the same model
 * (https://learn.microsoft.com/rest/api/resources/subscriptions/list): read from that row instead of a GET.
 */
export async function loadSubscription(
  arm: ArmContext,
  subscriptionId: string,
  signal?: AbortSignal,
  shared?: RunCache,
): Promise<SubscriptionFacts> {
  const body = shared?.listedSubscriptions.get(subscriptionId.toLowerCase()) ?? (await getSubscription(arm, subscriptionId, signal));
  // Tolerate properties.state too.
  return {
    subscriptionId,
    displayName: optString(body, "displayName", "subscription"),
    tenantId: optString(body, "tenantId", "subscription"),
    state:
      optString(body, "state", "subscription") ??
      optString(optObject(body, "properties", "subscription"), "state", "subscription.properties"),
    managedByTenants: optArray(body, "managedByTenants", "subscription")?.flatMap((entry) =>
      isObject(entry) && typeof entry["tenantId"] === "string" ? [entry["tenantId"]] : [],
    ),
  };
}

/** `loadSubscription`, read once per run with `shared` (the GET every fact and VM that needs it shares). */
export function subscriptionFacts(
  arm: ArmContext,
  subscriptionId: string,
  signal?: AbortSignal,
  shared?: RunCache,
): Promise<SubscriptionFacts> {
  return cached(shared?.subscription, subscriptionId.toLowerCase(), () => loadSubscription(arm, subscriptionId, signal, shared));
}

async function getSubscription(arm: ArmContext, subscriptionId: string, signal: AbortSignal | undefined) {
  const client = await arm.clients.subscriptions();
  return asObject(
    await readBody("the subscription", (options) => client.subscriptions.get(subscriptionId, options), signal),
    "the subscription response",
  );
}
