/**
 * The signed-in caller's Cloud Shell settings and the state of the subscription holding its storage account.
 * The 2025 Serial Console errors doc ties 'Forbidden'(SubscriptionNotEnabled) to that subscription
 * (https://learn.microsoft.com/troubleshoot/azure/virtual-machines/windows/serial-console-errors).
 * Settings: `GET {arm}/providers/Microsoft.Portal/userSettings/cloudconsole` (tenant level, per user; spec
 * Azure/azure-rest-api-specs specification/cloudshell/resource-manager/Microsoft.Portal/stable/2018-10-01/CloudShell.json).
 */
import { AzureCallError, type ArmContext } from "./arm.js";
import type { CloudShellFacts, SubscriptionFacts } from "./facts.js";
import { asObject, optObject, optString } from "./json.js";
import { loadSubscription } from "./subscription.js";
import { isGuid, parseArmId } from "./resource-id.js";
import { MalformedResponseError } from "./json.js";

export const CLOUD_SHELL_API = "2018-10-01";

/**
 * The caller's Cloud Shell settings and, when they name a storage account, the state of its subscription, read with
 * `subscription` (default: a GET; a diagnosis passes its own memoised read, so the VM's subscription is not read twice).
 * Throws AzureCallError (the settings could not be read) or MalformedResponseError.
 */
export async function loadCloudShell(
  arm: ArmContext,
  signal?: AbortSignal,
  subscription: (id: string) => Promise<SubscriptionFacts> = (id) => loadSubscription(arm, id, signal),
): Promise<CloudShellFacts> {
  let body;
  try {
    body = asObject(
      await arm.getJson(
        "your Cloud Shell settings",
        `/providers/Microsoft.Portal/userSettings/cloudconsole?api-version=${CLOUD_SHELL_API}`,
        signal,
      ),
      "the Cloud Shell settings",
    );
  } catch (error) {
    // No saved settings: Cloud Shell was never set up by this identity.
    if (error instanceof AzureCallError && error.status === 404) return { kind: "no-settings", status: 404 };
    throw error;
  }
  // The spec requires `properties` and a `storageProfile` in them; newer clients write `sessionType` for ephemeral
  // sessions, which have no storage account. Neither: the body says nothing about storage (malformed, not "none").
  const properties = optObject(body, "properties", "Cloud Shell settings");
  const storageProfile = optObject(properties, "storageProfile", "properties");
  const sessionType = optString(properties, "sessionType", "properties");
  if (!properties || (!storageProfile && sessionType === undefined))
    throw new MalformedResponseError("the Cloud Shell settings have neither properties.storageProfile nor properties.sessionType");
  const storageAccountId = optString(storageProfile, "storageAccountResourceId", "storageProfile");
  if (!storageAccountId) return { kind: "no-storage", sessionType };
  const subscriptionId = parseArmId(storageAccountId).subscriptionId;
  if (!subscriptionId || !isGuid(subscriptionId)) {
    throw new MalformedResponseError("the Cloud Shell settings name a storage account whose id has no subscription id");
  }
  try {
    const { state, displayName } = await subscription(subscriptionId);
    return { kind: "found", storageAccountId, subscriptionId, state, displayName };
  } catch (error) {
    // Cancelled with the diagnosis that asked: thrown, so a shared cache asks again rather than keep "aborted".
    if (signal?.aborted) throw error;
    // The subscription's read failed, not the settings': said as such (the settings were read).
    if (error instanceof MalformedResponseError)
      return { kind: "found", storageAccountId, subscriptionId, unreadable: `malformed response from Azure: ${error.message}` };
    if (!(error instanceof AzureCallError)) throw error;
    return { kind: "found", storageAccountId, subscriptionId, unreadable: error.describe() };
  }
}
