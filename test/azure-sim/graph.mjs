/**
 * Azure Resource Graph, `POST /providers/Microsoft.ResourceGraph/resources` (https://learn.microsoft.com/azure/governance/resource-graph/first-query-rest-api). Only the query shapes
 * sc-doctor sends (src/fleet/graph.ts) are understood — a type filter, `resourceGroup in~ (…)`, tag filters,
 * `name in~ (…)`, simple `--where` comparisons, `project`, `order by id asc` — and anything else is a 400, so that
 * drift between the tool and the simulator shows up as a failing test instead of a silently wrong answer.
 * Rows are shaped like ARG's: lower-case `type` and `resourceGroup`, VM power state at
 * `properties.extended.instanceView.powerState`. Paging: `$top` ≤ 1000, an opaque `$skipToken` tied to the query
 * and subscriptions, `resultTruncated` as the string "false".
 */
import { createHash } from "node:crypto";

export const GRAPH_PATH = "/providers/microsoft.resourcegraph/resources";

/** Which table holds which type (https://learn.microsoft.com/azure/governance/resource-graph/reference/supported-tables-resources): uniform scale set instances only in ComputeResources. */
const TYPES = {
  resources: {
    "microsoft.compute/virtualmachines": "vms",
    "microsoft.compute/virtualmachinescalesets": "scaleSets",
    "microsoft.storage/storageaccounts": "storage",
  },
  computeresources: { "microsoft.compute/virtualmachinescalesets/virtualmachines": "instances" },
  resourcecontainers: { "microsoft.resources/subscriptions/resourcegroups": "groups" },
};
const STRING = String.raw`'((?:[^'\\]|\\.)*)'`;
const unquote = (s) => s.replace(/\\(.)/g, "$1");
const strings = (list) => [...list.matchAll(new RegExp(STRING, "g"))].map((m) => unquote(m[1] ?? ""));

/** A 400 in Resource Graph's shape, naming what the simulator could not read. */
function invalidQuery(ctx, why) {
  return {
    status: 400,
    body: {
      error: {
        code: "BadRequest",
        message: `Please provide below info when asking for support: timestamp = ${new Date().toISOString()}, correlationId = ${ctx.correlationId ?? "n/a"}.`,
        details: [
          {
            code: "InvalidQuery",
            message:
              "Query is invalid. Please refer to the documentation for the Azure Resource Graph service and fix the error before retrying.",
          },
          { code: "UnsupportedBySimulator", message: why },
        ],
      },
    },
  };
}

/**
 * Parse the KQL into a plan: `{ table, filters[], project[] }`, or a string saying what is not understood.
 * Each stage is one line starting with `|` (how src/fleet/graph.ts writes them).
 */
export function parseQuery(query) {
  const lines = query
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
  const types = TYPES[(lines[0] ?? "").toLowerCase()];
  if (!types) return `the query must start with the Resources or ComputeResources table, got '${lines[0] ?? ""}'`;
  const plan = { table: undefined, filters: [], project: undefined, ordered: false };
  for (const line of lines.slice(1)) {
    const stage = /^\|\s*(.*)$/.exec(line)?.[1];
    if (stage === undefined) return `expected '| <operator>', got '${line}'`;
    let m;
    if ((m = /^where\s+type\s+=~\s+'([^']+)'$/i.exec(stage))) {
      const table = types[(m[1] ?? "").toLowerCase()];
      if (!table) return `type '${m[1]}' is not simulated in table ${lines[0]}`;
      plan.table = table;
    } else if ((m = new RegExp(`^where\\s+(resourceGroup|name)\\s+in~\\s+\\((.*)\\)$`, "i").exec(stage))) {
      const field = (m[1] ?? "").toLowerCase() === "name" ? "name" : "resourceGroup";
      const values = new Set(strings(m[2] ?? "").map((v) => v.toLowerCase()));
      plan.filters.push((row) => values.has(String(row[field] ?? "").toLowerCase()));
    } else if ((m = new RegExp(`^where\\s+isnotempty\\(${TAG_READ}\\)(?:\\s+or\\s+isnotempty\\(${TAG_READ}\\))?$`, "i").exec(stage))) {
      const reads = tagReads(m.slice(1, 5)).filter(Boolean);
      plan.filters.push((row) => reads.some((read) => (read(row) ?? "") !== ""));
    } else if (
      (m = new RegExp(`^where\\s+${TAG_READ}\\s+=~\\s+${STRING}(?:\\s+or\\s+${TAG_READ}\\s+=~\\s+${STRING})?$`, "i").exec(stage))
    ) {
      const compared = [
        [tagReads(m.slice(1, 3))[0], m[3]],
        [tagReads(m.slice(4, 6))[0], m[6]],
      ].filter(([read, value]) => read !== undefined && value !== undefined);
      plan.filters.push((row) => compared.some(([read, value]) => (read(row) ?? "").toLowerCase() === unquote(value).toLowerCase()));
    } else if ((m = /^where\s+(.+)$/i.exec(stage))) {
      const filter = parseWhere(m[1] ?? "");
      if (typeof filter === "string") return filter;
      plan.filters.push(filter);
    } else if ((m = /^project\s+(.+)$/i.exec(stage))) {
      const columns = (m[1] ?? "").split(",").map((c) => c.trim());
      const bad = columns.find((c) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(c));
      if (bad) return `project: computed or renamed columns are not simulated ('${bad}')`;
      plan.project = columns;
    } else if (/^order\s+by\s+id\s+asc$/i.test(stage)) {
      plan.ordered = true;
    } else if ((m = /^take\s+(\d+)$/i.exec(stage))) {
      plan.take = Number(m[1]);
    } else {
      return `operator not simulated: '${stage}'`;
    }
  }
  if (!plan.table) return "the query must filter on one type with `where type =~ '…'`";
  return plan;
}

/**
 * `--where` filters: comparisons of a column, `tags['k']` or a `properties.a.b` path with a string, joined by
 * `and`. Operators =~ !~ == != contains startswith (case-insensitive except == and !=).
 */
function parseWhere(text) {
  const parts = text.split(/\s+and\s+/i);
  const tests = [];
  for (const part of parts) {
    const m = new RegExp(
      `^(name|location|resourceGroup|subscriptionId|type|tags\\[${STRING}\\]|tags\\.[A-Za-z0-9_-]+|properties(?:\\.[A-Za-z0-9_]+)+)\\s+(=~|!~|==|!=|contains|startswith)\\s+${STRING}$`,
      "i",
    ).exec(part.trim());
    if (!m)
      return `--where clause not simulated: '${part.trim()}' (supported: <column|tags['k']|properties.x.y> <=~|!~|==|!=|contains|startswith> '<text>', joined by 'and')`;
    const [, target = "", tagKey, op = "", raw = ""] = m;
    const value = unquote(raw);
    const read = target.toLowerCase().startsWith("tags")
      ? (row) => (tagKey !== undefined ? tagValue(row, unquote(tagKey)) : tagValue(row, target.slice(5), true))
      : (row) => path(row, target);
    tests.push((row) => compare(String(read(row) ?? ""), op.toLowerCase(), value));
  }
  return (row) => tests.every((t) => t(row));
}

function compare(actual, op, value) {
  const a = actual.toLowerCase();
  const v = value.toLowerCase();
  switch (op) {
    case "=~":
      return a === v;
    case "!~":
      return a !== v;
    case "==":
      return actual === value;
    case "!=":
      return actual !== value;
    case "contains":
      return a.includes(v);
    default:
      return a.startsWith(v);
  }
}

function path(row, dotted) {
  let value = row;
  for (const key of dotted.split(".")) value = value && typeof value === "object" ? value[key] : undefined;
  return value;
}

/**
 * A tag's value by name as Resource Graph reads it: `tags['Env']` finds that spelling only (its "case-sensitive tag"
 * sample, https://learn.microsoft.com/azure/governance/resource-graph/samples/advanced); `tags.env` (a `--where`) is
 * read whatever the case, as before.
 */
function tagValue(row, key, anyCase = false) {
  const tags = row.tags ?? {};
  const found = Object.keys(tags).find((k) => (anyCase ? k.toLowerCase() === key.toLowerCase() : k === key));
  return found === undefined ? undefined : tags[found];
}

/**
 * The tag reads src/fleet/graph.ts writes: `tags['k']` (as spelled), or the bag lower-cased as JSON text and parsed
 * back, read by `tolower('k')` (whatever the case). Two capture groups per read; absent reads are left out.
 */
const TAG_READ = String.raw`(?:tags\[${STRING}\]|parse_json\(tolower\(tostring\(tags\)\)\)\[${STRING}\])`;

/** The captures of TAG_READs, two per read (`[exact, anyCase, …]`), as one function per read (undefined where none matched). */
function tagReads(captures) {
  const reads = [];
  for (let i = 0; i < captures.length; i += 2) {
    const [exact, anyCase] = [captures[i], captures[i + 1]];
    if (exact !== undefined) reads.push((row) => tagValue(row, unquote(exact)));
    // The lower-cased bag holds lower-case names only: a name with capitals finds nothing there.
    else if (anyCase !== undefined) {
      const key = unquote(anyCase);
      reads.push((row) => (key === key.toLowerCase() ? tagValue(row, key, true) : undefined));
    } else reads.push(undefined);
  }
  return reads;
}

/** A resource as an ARG row (all columns; `project` picks from them). */
function vmRow(record) {
  const m = record.model;
  const power = record.instanceView.statuses.find((s) => s.code.startsWith("PowerState/"));
  const extended = {
    instanceView: {
      computerName: record.instanceView.computerName,
      osName: record.instanceView.osName,
      osVersion: record.instanceView.osVersion,
      hyperVGeneration: record.instanceView.hyperVGeneration,
      powerState: power ? { code: power.code, level: power.level, displayStatus: power.displayStatus } : undefined,
    },
  };
  return base(m, { ...m.properties, extended }, { kind: "", sku: null });
}

function storageRow(account) {
  return base(account, account.properties, { kind: account.kind, sku: account.sku });
}

function scaleSetRow(scaleSet) {
  return base(scaleSet, scaleSet.properties, { kind: "", sku: scaleSet.sku ?? null });
}

/** ARG's type for a resource group differs from Resource Manager's (`Microsoft.Resources/resourceGroups`). */
function groupRow(group) {
  return { ...base(group, group.properties, { kind: "", sku: null }), type: "microsoft.resources/subscriptions/resourcegroups" };
}

/** The rows of a plan's table, and how each becomes an ARG row. */
function tableOf(plan, world) {
  if (plan.table === "groups") return { source: [...world.resourceGroups.values()], toRow: groupRow };
  if (plan.table === "storage") return { source: [...world.storage.values()], toRow: storageRow };
  if (plan.table === "scaleSets") return { source: [...world.scaleSets.values()], toRow: scaleSetRow };
  // A cloud whose ComputeResources table lacks scale set instances (Azure China lists only public IPs there:
  // https://docs.azure.cn/en-us/governance/resource-graph/reference/supported-tables-resources) answers none.
  if (plan.table === "instances" && world.data.graphWithoutInstances) return { source: [], toRow: vmRow };
  const vmType = plan.table === "vms" ? "Microsoft.Compute/virtualMachines" : "Microsoft.Compute/virtualMachineScaleSets/virtualMachines";
  return { source: [...world.vms.values()].filter((r) => r.model.type === vmType), toRow: vmRow };
}

function base(resource, properties, extra) {
  const parts = /^\/subscriptions\/([^/]+)(?:\/resourceGroups\/([^/]+))?/i.exec(resource.id) ?? [];
  return {
    id: resource.id,
    name: resource.name,
    type: resource.type.toLowerCase(),
    tenantId: "22222222-2222-2222-2222-222222222222",
    kind: extra.kind,
    location: resource.location,
    resourceGroup: (parts[2] ?? "").toLowerCase(),
    subscriptionId: parts[1] ?? "",
    managedBy: "",
    sku: extra.sku,
    plan: null,
    properties,
    tags: resource.tags ?? {},
    identity: null,
    zones: null,
    extendedLocation: null,
  };
}

/** Filtered, ordered results per (world, query, subscriptions): pages after the first don't re-run the query. */
const cache = new WeakMap();

/** @param {import("./routes.mjs").RouteContext & { correlationId?: string }} ctx */
export function graphQuery(ctx) {
  const body = ctx.body;
  if (!body || typeof body !== "object" || typeof body.query !== "string")
    return invalidQuery(ctx, "the body must be a QueryRequest with a 'query' string");
  const options = body.options ?? {};
  if (options.resultFormat !== undefined && options.resultFormat !== "objectArray")
    return invalidQuery(ctx, "only resultFormat objectArray is simulated");
  const top = options.$top ?? 100;
  if (!Number.isInteger(top) || top < 1 || top > 1000)
    return invalidQuery(ctx, `$top must be an integer from 1 to 1000, got ${JSON.stringify(options.$top)}`);
  const plan = parseQuery(body.query);
  if (typeof plan === "string") return invalidQuery(ctx, plan);
  const subscriptions = Array.isArray(body.subscriptions) ? body.subscriptions.map((s) => String(s).toLowerCase()).sort() : undefined;
  const key = createHash("sha256")
    .update(JSON.stringify([body.query, subscriptions]))
    .digest("hex")
    .slice(0, 16);

  let perWorld = cache.get(ctx.world);
  if (!perWorld) cache.set(ctx.world, (perWorld = new Map()));
  let results = perWorld.get(key);
  if (!results) {
    const { source, toRow } = tableOf(plan, ctx.world);
    const inScope = (row) =>
      subscriptions ? subscriptions.includes(row.subscriptionId.toLowerCase()) : ctx.world.subscription(row.subscriptionId) !== undefined;
    // Rows are built to filter and dropped again; only the ordered resource list is kept.
    results = source.filter((resource) => {
      const row = toRow(resource);
      return inScope(row) && plan.filters.every((f) => f(row));
    });
    if (plan.ordered) results.sort((a, b) => (rid(a) < rid(b) ? -1 : rid(a) > rid(b) ? 1 : 0));
    if (plan.take !== undefined) results = results.slice(0, plan.take);
    if (perWorld.size > 50) perWorld.clear();
    perWorld.set(key, results);
  }

  let start = Number.isInteger(options.$skip) ? options.$skip : 0;
  if (options.$skipToken !== undefined) {
    const token = decodeSkipToken(options.$skipToken);
    if (!token || token.key !== key)
      return invalidQuery(
        ctx,
        "$skipToken does not belong to this query and these subscriptions (send it back with the same query and scopes)",
      );
    start = token.offset;
  }
  const { toRow } = tableOf(plan, ctx.world);
  const data = results.slice(start, start + top).map((resource) => pick(toRow(resource), plan.project));
  const response = { totalRecords: results.length, count: data.length, data, facets: [], resultTruncated: "false" };
  if (start + top < results.length) {
    // Without `id` projected ARG cannot page: it truncates instead (ResourcesNextPageQuery.json).
    if (plan.project && !plan.project.includes("id")) response.resultTruncated = "true";
    else response.$skipToken = Buffer.from(JSON.stringify({ key, offset: start + top })).toString("base64");
  }
  return { status: 200, body: response };
}

const rid = (resource) => (resource.model ?? resource).id.toLowerCase();

function pick(row, columns) {
  if (!columns) return row;
  return Object.fromEntries(
    columns.map((c) => [c, row[c] ?? row[Object.keys(row).find((k) => k.toLowerCase() === c.toLowerCase()) ?? ""] ?? null]),
  );
}

function decodeSkipToken(token) {
  try {
    const parsed = JSON.parse(Buffer.from(String(token), "base64").toString("utf8"));
    return typeof parsed.key === "string" && Number.isInteger(parsed.offset) ? parsed : undefined;
  } catch {
    return undefined;
  }
}
