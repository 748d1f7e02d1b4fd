/** ARM storage account JSON → StorageAccountFacts (https://learn.microsoft.com/rest/api/storagerp/storage-accounts/get-properties). */
import type { StorageAccountFacts, StorageNetworkAcls } from "./facts.js";
import { MalformedResponseError, asObject, optArray, optBool, optObject, optString, reqString, type JsonObject } from "./json.js";
import { parseArmId } from "./resource-id.js";

function mapAcls(acls: JsonObject | undefined): StorageNetworkAcls | undefined {
  if (!acls) return undefined;
  const rules = (key: string) =>
    (optArray(acls, key, "networkAcls") ?? []).map((item, index) => asObject(item, `networkAcls.${key}[${index}]`));
  return {
    defaultAction: optString(acls, "defaultAction", "networkAcls"),
    bypass: optString(acls, "bypass", "networkAcls"),
    ipRules: rules("ipRules").map((rule, i) => ({
      value: reqString(rule, "value", `networkAcls.ipRules[${i}]`),
      action: optString(rule, "action", `networkAcls.ipRules[${i}]`),
    })),
    virtualNetworkRules: rules("virtualNetworkRules").map((rule, i) => ({
      id: reqString(rule, "id", `networkAcls.virtualNetworkRules[${i}]`),
    })),
    resourceAccessRules: rules("resourceAccessRules").map((rule, i) => ({
      resourceId: reqString(rule, "resourceId", `networkAcls.resourceAccessRules[${i}]`),
      tenantId: optString(rule, "tenantId", `networkAcls.resourceAccessRules[${i}]`),
    })),
  };
}

export function mapStorageAccount(body: unknown): StorageAccountFacts {
  const account = asObject(body, "the storage account response");
  const id = reqString(account, "id", "storage account");
  const properties = optObject(account, "properties", "storage account");
  if (!properties) throw new MalformedResponseError("the storage account response has no properties object");
  const parsed = parseArmId(id);
  if (!parsed.subscriptionId || !parsed.resourceGroup) {
    throw new MalformedResponseError(`the storage account id '${id}' has no subscription or resource group`);
  }
  const allowShared = properties["allowSharedKeyAccess"];
  return {
    id,
    name: optString(account, "name", "storage account") ?? parsed.name ?? "",
    resourceGroup: parsed.resourceGroup,
    subscriptionId: parsed.subscriptionId.toLowerCase(),
    location: optString(account, "location", "storage account"),
    kind: optString(account, "kind", "storage account"),
    skuName: optString(optObject(account, "sku", "storage account"), "name", "sku"),
    provisioningState: optString(properties, "provisioningState", "properties"),
    isHnsEnabled: optBool(properties, "isHnsEnabled", "properties"),
    allowSharedKeyAccess: allowShared === null ? null : optBool(properties, "allowSharedKeyAccess", "properties"),
    publicNetworkAccess: optString(properties, "publicNetworkAccess", "properties"),
    networkAcls: mapAcls(optObject(properties, "networkAcls", "properties")),
    blobEndpoint: optString(optObject(properties, "primaryEndpoints", "properties"), "blob", "primaryEndpoints"),
  };
}

/**
 * `https://NAME.blob.core.windows.net/` → `NAME` (the az serial-console extension's parse_storage_account_url). Written
 * without its scheme, it still names its account (boot-diagnostics-uri judges the missing scheme).
 */
export function storageAccountNameFromUri(uri: string): string | undefined {
  let host: string | undefined;
  try {
    host = new URL(uri).hostname;
  } catch {
    host = hostWithoutScheme(uri);
  }
  const label = host?.split(".")[0];
  return label ? label.toLowerCase() : undefined;
}

/**
 * The host of a URI written without its scheme (`acct.blob.core.windows.net/`, or protocol-relative `//acct…`), or
 * undefined: it must start with a DNS label and a dot (`https//acct…`, a scheme that lost its colon, names no host).
 */
export function hostWithoutScheme(uri: string): string | undefined {
  const bare = uri.replace(/^\/\//, "");
  if (!/^[A-Za-z0-9-]+\.\S/.test(bare)) return undefined;
  try {
    return new URL(`https://${bare}`).hostname;
  } catch {
    return undefined;
  }
}
