/**
 * Azure Resource Graph: POST /providers/Microsoft.ResourceGraph/resources (reference §6). Paged with `$skipToken`
 * (sent back with the same query and scopes), `$top` ≤ 1000, subscriptions batched, `id` projected and ordered
 * on for stable paging. `resultTruncated` is a string.
 */
import type { ArmContext } from "../azure/arm.js";
import { API } from "../azure/api.js";
import { AzureCallError } from "../azure/arm.js";
import { asObject, optArray, optString, type JsonObject } from "../azure/json.js";

const SUBSCRIPTIONS_PER_QUERY = 1000;
const PAGE_SIZE = 1000;

export async function* graphQuery(arm: ArmContext, query: string, subscriptions: string[], signal?: AbortSignal): AsyncGenerator<JsonObject[]> {
  for (let i = 0; i < subscriptions.length; i += SUBSCRIPTIONS_PER_QUERY) {
    const batch = subscriptions.slice(i, i + SUBSCRIPTIONS_PER_QUERY);
    let skipToken: string | undefined;
    do {
      const options: JsonObject = { $top: PAGE_SIZE, resultFormat: "objectArray" };
      if (skipToken) options["$skipToken"] = skipToken;
      const body = asObject(
        await arm.postJson("a Resource Graph query", `/providers/Microsoft.ResourceGraph/resources?api-version=${API.resourceGraph}`, { subscriptions: batch, query, options }, signal),
        "the Resource Graph response",
      );
      const data = optArray(body, "data", "Resource Graph response");
      if (!data) throw new AzureCallError("a Resource Graph query", "the response has no 'data' array", undefined, "MalformedResponse");
      yield data.map((row, index) => asObject(row, `Resource Graph row ${index}`));
      skipToken = optString(body, "$skipToken", "Resource Graph response") || undefined;
    } while (skipToken);
  }
}

/** KQL string literal: single quotes doubled inside. */
export function kqlString(value: string): string {
  return `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}

export interface VmQueryScope {
  resourceGroups?: string[];
  where?: string;
  tags?: { key: string; value?: string }[];
}

export function vmQuery(scope: VmQueryScope): string {
  const lines = ["Resources", "| where type =~ 'microsoft.compute/virtualmachines'"];
  if (scope.resourceGroups?.length) lines.push(`| where resourceGroup in~ (${scope.resourceGroups.map(kqlString).join(", ")})`);
  for (const tag of scope.tags ?? []) {
    lines.push(tag.value === undefined ? `| where isnotempty(tags[${kqlString(tag.key)}])` : `| where tags[${kqlString(tag.key)}] =~ ${kqlString(tag.value)}`);
  }
  if (scope.where) lines.push(`| where ${scope.where}`);
  lines.push("| project id, name, type, location, resourceGroup, subscriptionId, tags, sku, properties", "| order by id asc");
  return lines.join("\n");
}

export function storageQuery(names: string[]): string {
  return [
    "Resources",
    "| where type =~ 'microsoft.storage/storageaccounts'",
    names.length ? `| where name in~ (${names.map(kqlString).join(", ")})` : "",
    "| project id, name, type, location, resourceGroup, subscriptionId, kind, sku, properties",
    "| order by id asc",
  ].filter(Boolean).join("\n");
}
