/**
 * The network security perimeters of a storage account whose `publicNetworkAccess` is `SecuredByPerimeter`: the
 * perimeter, not the account's `networkAcls`, then decides who reaches it. Read from the account's effective
 * perimeter configurations (https://learn.microsoft.com/rest/api/storagerp/network-security-perimeter-configurations/list;
 * each names its perimeter, the association's access mode and the profile's access rules), once per account per
 * run, as a fact of its own: a read that fails is carried as data (the check still warns, naming what it could not
 * read), and one that hangs holds up `storage-firewall` alone, not every check of the account.
 */
import { AzureCallError, type ArmContext } from "./arm.js";
import type { PerimeterAssociation, PerimeterFacts, StorageLookup } from "./facts.js";
import { MalformedResponseError, asObject, optArray, optObject, optString, type JsonObject } from "./json.js";
import { forEachPage } from "./read.js";
import { cached, type RunCache } from "./run-cache.js";

/**
 * The perimeters of the account `lookup` found, when its `publicNetworkAccess` is `SecuredByPerimeter`; null
 * otherwise (nothing is read). One read per account per run with `shared`.
 */
export async function loadPerimeter(
  arm: ArmContext,
  lookup: StorageLookup,
  options: { signal?: AbortSignal; shared?: RunCache },
): Promise<PerimeterFacts | null> {
  if (lookup.kind !== "found" || lookup.account.publicNetworkAccess?.toLowerCase() !== "securedbyperimeter") return null;
  const { account } = lookup;
  return cached(options.shared?.perimeters, account.id.toLowerCase(), () =>
    readPerimeter(arm, account.subscriptionId, account.resourceGroup, account.name, options.signal),
  );
}

async function readPerimeter(
  arm: ArmContext,
  subscriptionId: string,
  resourceGroup: string,
  name: string,
  signal: AbortSignal | undefined,
): Promise<PerimeterFacts> {
  try {
    const client = await arm.clients.storage(subscriptionId);
    const associations: PerimeterAssociation[] = [];
    // Mapped page by page as Azure sent them: a malformed row is named by this mapper, before the client's own
    // deserializer can complain about it in its words (a TypeError).
    await forEachPage(
      `the network security perimeter configurations of storage account ${name}`,
      (o) => client.networkSecurityPerimeterConfigurations.list(resourceGroup, name, o),
      signal,
      (rows) => void associations.push(...rows.map((row, i) => mapAssociation(row, associations.length + i))),
    );
    return { associations };
  } catch (error) {
    // Cancelled, or no answer in time: thrown (the check's error), not kept as data every later VM of an audit
    // would be judged on — the first one's check timing out first, the others' finding the cached answer.
    if (signal?.aborted || (error instanceof AzureCallError && error.code === "RequestTimeout")) throw error;
    if (error instanceof AzureCallError) return { unreadable: error.describe() };
    if (error instanceof MalformedResponseError) return { unreadable: `malformed response from Azure: ${error.message}` };
    throw error;
  }
}

function mapAssociation(row: JsonObject, index: number): PerimeterAssociation {
  const where = `networkSecurityPerimeterConfigurations[${index}]`;
  const properties = optObject(row, "properties", where);
  const profile = optObject(properties, "profile", where);
  // Without its profile the association's access rules are unknown: malformed, never "admits nothing".
  if (!profile) throw new MalformedResponseError(`${where} has no properties.profile (the perimeter's access rules)`);
  const id = optString(optObject(properties, "networkSecurityPerimeter", where), "id", `${where}.networkSecurityPerimeter`);
  const profileName = optString(profile, "name", `${where}.profile`);
  const accessMode = optString(optObject(properties, "resourceAssociation", where), "accessMode", `${where}.resourceAssociation`);
  const rules = (optArray(profile, "accessRules", `${where}.profile`) ?? []).map((rule, i) =>
    optObject(asObject(rule, `${where}.profile.accessRules[${i}]`), "properties", `${where}.profile.accessRules[${i}]`),
  );
  const inbound = rules.filter((rule) => optString(rule, "direction", `${where} access rule`)?.toLowerCase() === "inbound");
  return {
    name: id?.split("/").filter(Boolean).at(-1) ?? optString(row, "name", where) ?? "(unnamed)",
    ...(id !== undefined ? { id } : {}),
    ...(profileName !== undefined ? { profile: profileName } : {}),
    ...(accessMode !== undefined ? { accessMode } : {}),
    inboundAddressPrefixes: inbound.flatMap((rule) =>
      (optArray(rule, "addressPrefixes", `${where} access rule`) ?? []).map((prefix, i) => {
        if (typeof prefix !== "string") throw new MalformedResponseError(`${where}: addressPrefixes[${i}] is not a string`);
        return prefix;
      }),
    ),
  };
}
