/**
 * Azure Resource Graph: POST /providers/Microsoft.ResourceGraph/resources (https://learn.microsoft.com/azure/governance/resource-graph/first-query-rest-api). Paged with `$skipToken`
 * (sent back with the same query and scopes), `$top` ≤ 1000, subscriptions batched, `id` projected and ordered
 * on for stable paging. `resultTruncated` is a string.
 *
 * The KQL built here has a fixed shape (the test simulator interprets exactly these shapes and rejects others):
 * change it only together with test/azure-sim.
 */
import type { ArmContext } from "../azure/arm.js";
import { API } from "../azure/api.js";
import { AzureCallError } from "../azure/arm.js";
import { asObject, optArray, optString, type JsonObject } from "../azure/json.js";

/** The operation a failed query names (`could not read a Resource Graph query: …`). */
export const GRAPH_QUERY = "a Resource Graph query";

/**
 * Subscriptions per query: Microsoft's throttling guidance says to group them in fewer than 300 per query
 * (https://learn.microsoft.com/azure/governance/resource-graph/concepts/guidance-for-throttled-requests).
 */
export const SUBSCRIPTIONS_PER_QUERY = 300;
/** `$top` maximum (https://learn.microsoft.com/azure/governance/resource-graph/concepts/work-with-data). */
export const PAGE_SIZE = 1000;
/** Guard against a server that keeps handing out skip tokens. */
const MAX_PAGES = 10_000;

/** Run `query` over `subscriptions`, yielding each page of rows as it arrives. */
export async function* graphQuery(
  arm: ArmContext,
  query: string,
  subscriptions: readonly string[],
  signal?: AbortSignal,
): AsyncGenerator<JsonObject[]> {
  for (let i = 0; i < subscriptions.length; i += SUBSCRIPTIONS_PER_QUERY) {
    const batch = subscriptions.slice(i, i + SUBSCRIPTIONS_PER_QUERY);
    let skipToken: string | undefined;
    let pages = 0;
    // A skip token handed out twice is a loop: the query would never end (or end at MAX_PAGES, its rows repeated).
    const tokens = new Set<string>();
    do {
      const options: JsonObject = { $top: PAGE_SIZE, resultFormat: "objectArray" };
      if (skipToken) options["$skipToken"] = skipToken;
      const body = asObject(
        await arm.postJson(
          GRAPH_QUERY,
          `/providers/Microsoft.ResourceGraph/resources?api-version=${API.resourceGraph}`,
          { subscriptions: batch, query, options },
          signal,
        ),
        "the Resource Graph response",
      );
      const data = optArray(body, "data", "Resource Graph response");
      if (!data) throw new AzureCallError(GRAPH_QUERY, "the response has no 'data' array", undefined, "MalformedResponse");
      const rows = data.map((row, index) => asObject(row, `Resource Graph row ${index}`));
      skipToken = optString(body, "$skipToken", "Resource Graph response") || undefined;
      // Before its rows are handed on: a looping page repeats rows already handed on.
      if (skipToken !== undefined && tokens.has(skipToken))
        throw new AzureCallError(
          GRAPH_QUERY,
          `page ${pages + 1}'s $skipToken repeats an earlier page's: the query loops`,
          undefined,
          "SkipTokenLoop",
        );
      if (skipToken !== undefined) tokens.add(skipToken);
      yield rows;
      // Without a skip token, `resultTruncated: "true"` means rows were dropped: never report a partial fleet as whole.
      if (!skipToken && String(body["resultTruncated"]) === "true") {
        throw new AzureCallError(GRAPH_QUERY, "the result was truncated and no $skipToken was returned", undefined, "ResultTruncated");
      }
      if (++pages >= MAX_PAGES) throw new AzureCallError(GRAPH_QUERY, `more than ${MAX_PAGES} pages`, undefined, "TooManyPages");
    } while (skipToken);
  }
}

/**
 * A KQL string literal. KQL's single-quoted strings use backslash escapes (`\\`, `\'`, `\n`, `\r`, `\t`), so a
 * value never becomes query text. Other control characters cannot be valid in a name or tag and are refused.
 */
export function kqlString(value: string): string {
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u2028\u2029]/.test(value)) {
    throw new RangeError(`${JSON.stringify(value)} contains a control character`);
  }
  const escapes: Record<string, string> = { "\\": "\\\\", "'": "\\'", "\n": "\\n", "\r": "\\r", "\t": "\\t" };
  return `'${value.replace(/[\\'\n\r\t]/g, (ch) => escapes[ch] ?? ch)}'`;
}

export interface VmQueryScope {
  resourceGroups?: string[];
  /** `--where`: a predicate on the VM row (validated by `checkWhere`). */
  where?: string;
  tags?: { key: string; value?: string }[];
}

/**
 * `--where` is the user's own KQL, run with the user's own credential — not a privilege boundary — but it must stay
 * a *filter*: a `|` or `;` outside a string literal would add operators that change the projection (and so what
 * the checks read), a newline or `//` would swallow the clauses after it. Returns the reason it is refused.
 */
export function checkWhere(where: string): string | undefined {
  if (!where.trim()) return "it is empty";
  if (/[\r\n\u2028\u2029]/.test(where)) return "it spans several lines";
  // KQL string literals (https://learn.microsoft.com/kusto/query/scalar-data-types/string): '…' and "…" with
  // backslash escapes; verbatim @'…' / @"…" (h@'…' obfuscated too), where a backslash is itself and a doubled
  // quote is a quote; ```…``` multi-line strings, refused here.
  let quote: string | undefined;
  let verbatim = false;
  for (let i = 0; i < where.length; i++) {
    const ch = where[i];
    if (quote) {
      if (verbatim && ch === quote && where[i + 1] === quote) i++;
      else if (!verbatim && ch === "\\") i++;
      else if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === "'" || ch === '"') {
      quote = ch;
      verbatim = where[i - 1] === "@";
    } else if (ch === "`") return "'`' starts a multi-line string literal: use '…' or \"…\"";
    else if (ch === "|" || ch === ";") return `'${ch}' outside a string: only a filter predicate is allowed, not further query operators`;
    else if (ch === "/" && where[i + 1] === "/") return "'//' starts a comment";
  }
  if (quote) return "a string literal is not closed";
  return undefined;
}

/** Ordinary VMs (Flexible scale set members included): the `Resources` table. */
export function vmQuery(scope: VmQueryScope): string {
  return scopedQuery("Resources", "microsoft.compute/virtualmachines", scope);
}

/**
 * Uniform scale set instances: the `ComputeResources` table, which holds their model and power state
 * (https://learn.microsoft.com/azure/governance/resource-graph/samples/samples-by-category — "virtual machine
 * scale sets — uniform orchestration"); it cannot be `union`ed with `Resources`, hence a query of its own.
 */
export function instanceQuery(scope: VmQueryScope): string {
  return scopedQuery("ComputeResources", "microsoft.compute/virtualmachinescalesets/virtualmachines", scope);
}

/**
 * Uniform scale sets (not Flexible ones, whose members are ordinary VMs), to tell whether `ComputeResources` held
 * their instances: Azure China's lists none there (https://docs.azure.cn/en-us/governance/resource-graph/reference/supported-tables-resources).
 * Scoped by resource group only: `--where` and tags are about VMs.
 */
export function uniformScaleSetQuery(scope: VmQueryScope): string {
  return [
    "Resources",
    "| where type =~ 'microsoft.compute/virtualmachinescalesets'",
    scope.resourceGroups?.length ? `| where resourceGroup in~ (${scope.resourceGroups.map(kqlString).join(", ")})` : "",
    "| where properties.orchestrationMode !~ 'Flexible'",
    "| project id, name, type, resourceGroup, subscriptionId, sku, properties",
    "| order by id asc",
  ]
    .filter(Boolean)
    .join("\n");
}

/**
 * Two reads of a tag's value by name: as spelled, and whatever its case. Azure tag names are case-insensitive
 * (https://learn.microsoft.com/azure/azure-resource-manager/management/tag-resources#limitations), as `--source arm`
 * matches them, but Resource Graph's `tags['Env']` finds that spelling only (the "case-sensitive tag" query of
 * https://learn.microsoft.com/azure/governance/resource-graph/samples/advanced). Its case-insensitive query expands
 * the tags (`mv-expand`, of which a query may hold two or three: one per `--tag` would not do); here the bag is
 * lower-cased as JSON text and parsed back, read by the name lower-cased here (a plain string index), a scalar per row. The read as spelled stays
 * beside it, so a name its JSON text would escape matches as it did.
 */
function tagReads(key: string): [exact: string, anyCase: string] {
  return [`tags[${kqlString(key)}]`, `parse_json(tolower(tostring(tags)))[${kqlString(key.toLowerCase())}]`];
}

function scopedQuery(table: string, type: string, scope: VmQueryScope): string {
  const lines = [table, `| where type =~ '${type}'`];
  if (scope.resourceGroups?.length) lines.push(`| where resourceGroup in~ (${scope.resourceGroups.map(kqlString).join(", ")})`);
  for (const tag of scope.tags ?? []) {
    const [exact, anyCase] = tagReads(tag.key);
    lines.push(
      tag.value === undefined
        ? `| where isnotempty(${exact}) or isnotempty(${anyCase})`
        : `| where ${exact} =~ ${kqlString(tag.value)} or ${anyCase} =~ ${kqlString(tag.value)}`,
    );
  }
  if (scope.where) {
    const problem = checkWhere(scope.where);
    if (problem) throw new Error(`--where is refused: ${problem}`);
    lines.push(`| where ${scope.where}`);
  }
  lines.push("| project id, name, type, location, resourceGroup, subscriptionId, tags, sku, properties", "| order by id asc");
  return lines.join("\n");
}

/**
 * Resource groups by name, in the `ResourceContainers` table
 * (https://learn.microsoft.com/azure/governance/resource-graph/reference/supported-tables-resources#resourcecontainers):
 * tells a `--resource-group` with no VM from one that does not exist.
 */
export function resourceGroupQuery(names: readonly string[]): string {
  return [
    "ResourceContainers",
    "| where type =~ 'microsoft.resources/subscriptions/resourcegroups'",
    `| where name in~ (${names.map(kqlString).join(", ")})`,
    "| project id, name",
    "| order by id asc",
  ].join("\n");
}

export function storageQuery(names: readonly string[]): string {
  return [
    "Resources",
    "| where type =~ 'microsoft.storage/storageaccounts'",
    names.length ? `| where name in~ (${names.map(kqlString).join(", ")})` : "",
    "| project id, name, type, location, resourceGroup, subscriptionId, kind, sku, properties",
    "| order by id asc",
  ]
    .filter(Boolean)
    .join("\n");
}
