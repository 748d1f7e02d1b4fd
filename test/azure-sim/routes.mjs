/**
 * ARM routes the simulator serves, matched case-insensitively (ARM ignores the case of every segment) and answered
 * from the world in the documented shapes (https://learn.microsoft.com/rest/api/azure/). Each route has a `kind`, used by the request log,
 * `sim.stats()` and the throttle. Anything not listed is a 404 with the ARM code a real miss would get.
 */
import { armError, errors } from "./arm-errors.mjs";
import { builtInRole, roleDefinitionBody } from "./world/roles.mjs";

const PAGE_SIZE = 100;
const SUB = "/subscriptions/([^/]+)";
const RG = `${SUB}/resourceGroups/([^/]+)`;
const COMPUTE = `${RG}/providers/Microsoft\\.Compute`;

/**
 * @typedef {{ world: import("./world/world.mjs").World, method: string, path: string, query: URLSearchParams, origin: string, body?: unknown }} RouteContext
 * @typedef {{ kind: string, method?: string, re: RegExp, handle: (ctx: RouteContext, m: RegExpExecArray) => import("./arm-errors.mjs").SimResponse }} Route
 */

/** @type {Route[]} */
const ROUTES = [
  { kind: "subscriptions", re: /^\/subscriptions$/i, handle: (ctx) => paged(ctx, ctx.world.data.subscriptions) },
  { kind: "subscription", re: new RegExp(`^${SUB}$`, "i"), handle: (ctx, m) => ok(ctx.world.subscription(m[1] ?? "")) },
  { kind: "resource-group", re: new RegExp(`^${RG}$`, "i"), handle: (ctx, m) => ok(ctx.world.resourceGroup(m[1] ?? "", m[2] ?? "")) },
  {
    kind: "console-service",
    re: new RegExp(`^${SUB}/providers/Microsoft\\.SerialConsole/consoleServices/([^/]+)$`, "i"),
    handle: consoleService,
  },
  { kind: "role-definition", re: /^(.*)\/providers\/Microsoft\.Authorization\/roleDefinitions\/([^/]+)$/i, handle: roleDefinition },
  { kind: "permissions", re: /^(.*)\/providers\/Microsoft\.Authorization\/permissions$/i, handle: permissions },
  { kind: "locks", re: /^(.*)\/providers\/Microsoft\.Authorization\/locks$/i, handle: locks },
  {
    kind: "deny-assignments",
    // At a subscription (List) or any scope below it (List For Scope): those at, above and below it.
    re: /^(\/subscriptions\/.+)\/providers\/Microsoft\.Authorization\/denyAssignments$/i,
    handle: (ctx, m) => scopeProblem(ctx.world, m[1] ?? "") ?? paged(ctx, ctx.world.denyAssignmentsAt(m[1] ?? "")),
  },
  { kind: "role-assignments", re: /^(.*)\/providers\/Microsoft\.Authorization\/roleAssignments$/i, handle: roleAssignments },
  {
    kind: "vm-list",
    re: new RegExp(`^${SUB}/providers/Microsoft\\.Compute/virtualMachines$`, "i"),
    handle: (ctx, m) => vmList(ctx, m[1] ?? ""),
  },
  { kind: "vm-list", re: new RegExp(`^${COMPUTE}/virtualMachines$`, "i"), handle: (ctx, m) => vmList(ctx, m[1] ?? "", m[2]) },
  { kind: "vm", re: new RegExp(`^${COMPUTE}/virtualMachines/([^/]+)$`, "i"), handle: (ctx, m) => vm(ctx, m[0], false) },
  {
    kind: "vm-instance-view",
    re: new RegExp(`^(${COMPUTE}/virtualMachines/[^/]+)/instanceView$`, "i"),
    handle: (ctx, m) => vm(ctx, m[1] ?? "", true),
  },
  {
    kind: "scale-set-list",
    re: new RegExp(`^${SUB}/providers/Microsoft\\.Compute/virtualMachineScaleSets$`, "i"),
    handle: (ctx, m) => (ctx.world.subscription(m[1] ?? "") ? paged(ctx, ctx.world.listScaleSets(m[1] ?? "")) : undefined),
  },
  {
    kind: "scale-set-list",
    re: new RegExp(`^${COMPUTE}/virtualMachineScaleSets$`, "i"),
    handle: (ctx, m) =>
      ctx.world.resourceGroup(m[1] ?? "", m[2] ?? "") ? paged(ctx, ctx.world.listScaleSets(m[1] ?? "", m[2])) : undefined,
  },
  {
    kind: "scale-set-vm-list",
    re: new RegExp(`^${COMPUTE}/virtualMachineScaleSets/[^/]+/virtualMachines$`, "i"),
    handle: scaleSetVmList,
  },
  {
    kind: "scale-set",
    re: new RegExp(`^${COMPUTE}/virtualMachineScaleSets/([^/]+)$`, "i"),
    handle: (ctx, m) => ok(ctx.world.scaleSets.get(m[0].toLowerCase())),
  },
  {
    kind: "scale-set-vm",
    re: new RegExp(`^${COMPUTE}/virtualMachineScaleSets/[^/]+/virtualMachines/([^/]+)$`, "i"),
    handle: (ctx, m) => flexibleRefusal(ctx, m[0]) ?? vm(ctx, m[0], false),
  },
  {
    kind: "scale-set-vm-instance-view",
    re: new RegExp(`^(${COMPUTE}/virtualMachineScaleSets/[^/]+/virtualMachines/[^/]+)/instanceView$`, "i"),
    handle: (ctx, m) => vm(ctx, m[1] ?? "", true),
  },
  {
    kind: "storage-list",
    re: new RegExp(`^${SUB}/providers/Microsoft\\.Storage/storageAccounts$`, "i"),
    handle: (ctx, m) => storageList(ctx, m[1] ?? ""),
  },
  {
    kind: "storage-list",
    re: new RegExp(`^${RG}/providers/Microsoft\\.Storage/storageAccounts$`, "i"),
    handle: (ctx, m) => paged(ctx, ctx.world.listStorage(m[1] ?? "", m[2])),
  },
  {
    // The signed-in user's Cloud Shell settings (tenant level). No saved settings: 404.
    kind: "cloud-shell-settings",
    re: /^\/providers\/Microsoft\.Portal\/userSettings\/cloudconsole$/i,
    handle: (ctx) =>
      ctx.world.data.cloudShell
        ? { status: 200, body: ctx.world.data.cloudShell }
        : { status: 404, body: { error: { code: "NotFound", message: "User settings 'cloudconsole' not found." } } },
  },
  {
    // An account's effective network security perimeter configurations (world.perimeterConfigurations, by account
    // id; none: an empty list, as for an account in no perimeter). 404 for an account that does not exist.
    kind: "storage-perimeter-configurations",
    re: new RegExp(`^(${RG}/providers/Microsoft\\.Storage/storageAccounts/[^/]+)/networkSecurityPerimeterConfigurations$`, "i"),
    handle: (ctx, m) => {
      const id = (m[1] ?? "").toLowerCase();
      if (!ctx.world.storage.get(id)) return undefined;
      return { status: 200, body: { value: ctx.world.data.perimeterConfigurations?.[id] ?? [] } };
    },
  },
  {
    kind: "storage-account",
    re: new RegExp(`^${RG}/providers/Microsoft\\.Storage/storageAccounts/([^/]+)$`, "i"),
    handle: (ctx, m) => ok(ctx.world.storage.get(m[0].toLowerCase())),
  },
];

/** Find the route for a GET path (already without query string and trailing slash). */
export function findRoute(path) {
  for (const route of ROUTES) {
    const m = route.re.exec(path);
    if (m) return { route, match: m };
  }
  return undefined;
}

/** The route's answer, or the 404 a real miss at that path gets. */
export function answer(ctx, found) {
  return (found && found.route.handle(ctx, found.match)) ?? notFound(ctx.world, ctx.path);
}

/** 200 with the body, or undefined (→ 404) when the world has no such thing. */
function ok(body) {
  return body === undefined ? undefined : { status: 200, body };
}

/** ARM's 404s: SubscriptionNotFound, then ResourceGroupNotFound, then ResourceNotFound. */
export function notFound(world, path) {
  const sub = /^\/subscriptions\/([^/]+)/i.exec(path)?.[1];
  if (sub && !world.subscription(sub)) return errors.subscriptionNotFound(sub);
  const rg = /^\/subscriptions\/[^/]+\/resourceGroups\/([^/]+)/i.exec(path)?.[1];
  if (sub && rg && !world.resourceGroup(sub, rg)) return errors.resourceGroupNotFound(rg);
  const segments = path.split("/").filter(Boolean);
  const at = segments.map((s) => s.toLowerCase()).lastIndexOf("providers");
  if (at < 0) return errors.resourceNotFound("Microsoft.Resources/resourceGroups", segments.at(-1) ?? "", rg ?? "");
  // ARM names the type by namespace and type segments: Microsoft.Compute/virtualMachines/vm1.
  const type = [segments[at + 1], ...segments.slice(at + 2, -1).filter((_, i) => i % 2 === 0)].join("/");
  return errors.resourceNotFound(type, segments.at(-1) ?? "", rg ?? "");
}

/** A page of a list: `{value, nextLink}`, the link absolute and carrying the original query plus `$skipToken`. */
function paged(ctx, items, pageSize = PAGE_SIZE, map = (x) => x) {
  const start = Number(ctx.query.get("$skipToken") ?? 0) || 0;
  const value = items.slice(start, start + pageSize).map(map);
  const body = { value };
  if (start + pageSize < items.length) {
    const next = new URLSearchParams(ctx.query);
    next.set("$skipToken", String(start + pageSize));
    body.nextLink = `${ctx.origin}${ctx.path}?${next.toString()}`;
  }
  return { status: 200, body };
}

function withInstanceView(record) {
  return { ...record.model, properties: { ...record.model.properties, instanceView: record.instanceView } };
}

function vm(ctx, path, instanceViewOnly) {
  const record = ctx.world.vms.get(path.toLowerCase());
  if (!record) return undefined;
  if (instanceViewOnly) return { status: 200, body: record.instanceView };
  const expand = (ctx.query.get("$expand") ?? "").toLowerCase();
  return { status: 200, body: expand === "instanceview" ? withInstanceView(record) : record.model };
}

/**
 * Scale-set-VM calls on a Flexible scale set are not supported (orchestration-modes doc); callers report 400 or 409
 * OperationNotAllowed. The exact status and text are unverified: this is a plausible shape, and sc-doctor must not
 * depend on its words.
 */
function flexibleRefusal(ctx, path) {
  const scaleSetId = path.replace(/\/virtualMachines\/[^/]+$/i, "");
  const scaleSet = ctx.world.scaleSets.get(scaleSetId.toLowerCase());
  if (scaleSet?.properties?.orchestrationMode !== "Flexible") return undefined;
  return armError(
    409,
    "OperationNotAllowed",
    `Operation 'VirtualMachineScaleSetVMs.Get' is not allowed on Virtual Machine Scale Set '${scaleSet.name}' with orchestration mode 'Flexible'.`,
  );
}

/**
 * `statusOnly=true` rows carry the run-time status and not the model (public reports say tags are missing;
 * what else is left out is undocumented), so the simulator leaves the model out entirely: a tool that reads the
 * model from them gets nothing. `$expand=instanceView` gives model and instance view.
 */
function statusOnlyRow(record, world) {
  const { id, name, type, location } = record.model;
  if (!world.statusOnlyWithoutGuestFields) return { id, name, type, location, properties: { instanceView: record.instanceView } };
  // https://github.com/Azure/azure-sdk-for-go/issues/18565: OSName and OSVersion nil with statusOnly.
  const { osName: _name, osVersion: _version, computerName: _computer, ...instanceView } = record.instanceView ?? {};
  return { id, name, type, location, properties: { instanceView } };
}

function vmList(ctx, subscriptionId, resourceGroup) {
  // A subscription Azure does not know (or the caller cannot see) answers SubscriptionNotFound, not an empty list.
  if (!ctx.world.subscription(subscriptionId)) return undefined;
  if (resourceGroup !== undefined && !ctx.world.resourceGroup(subscriptionId, resourceGroup)) return undefined;
  const statusOnly = resourceGroup === undefined && (ctx.query.get("statusOnly") ?? "").toLowerCase() === "true";
  const expand = (ctx.query.get("$expand") ?? "").toLowerCase() === "instanceview";
  const map = statusOnly ? (r) => statusOnlyRow(r, ctx.world) : expand ? withInstanceView : (r) => r.model;
  return paged(ctx, ctx.world.listVms(subscriptionId, resourceGroup), PAGE_SIZE, map);
}

/** A uniform scale set's instances (`VirtualMachineScaleSetVMs_List`; `$expand=instanceView` embeds each instance view). */
function scaleSetVmList(ctx, m) {
  const scaleSetId = m[0].replace(/\/virtualMachines$/i, "");
  if (!ctx.world.scaleSets.get(scaleSetId.toLowerCase())) return undefined;
  const expand = (ctx.query.get("$expand") ?? "").toLowerCase() === "instanceview";
  return paged(ctx, ctx.world.listScaleSetVms(scaleSetId), PAGE_SIZE, expand ? withInstanceView : (r) => r.model);
}

/** consoleServices/default: `{properties:{disabled}}`; its 404 is the RP's own top-level `{code,message}` (https://learn.microsoft.com/rest/api/serialconsole/). */
function consoleService(ctx, m) {
  const sub = m[1] ?? "";
  if (!ctx.world.subscription(sub) || (m[2] ?? "").toLowerCase() !== "default") return undefined;
  const state = ctx.world.consoleService(sub);
  if (state.notFound)
    return { status: 404, body: { code: "SubscriptionNotFound", message: `The subscription '${sub}' could not be found.` } };
  return {
    status: 200,
    body: {
      id: `/subscriptions/${sub}/providers/Microsoft.SerialConsole/consoleServices/default`,
      name: "default",
      type: "Microsoft.SerialConsole/consoleServices",
      properties: state.disabled === undefined ? {} : { disabled: state.disabled },
    },
  };
}

/** Scopes the Authorization routes accept must exist: subscription, then resource group. */
function scopeProblem(world, scope) {
  if (scope === "") return undefined;
  const sub = /^\/subscriptions\/([^/]+)/i.exec(scope)?.[1];
  if (!sub) return errors.badRequest(`The scope '${scope}' is not valid.`);
  if (!world.subscription(sub)) return errors.subscriptionNotFound(sub);
  const rg = /^\/subscriptions\/[^/]+\/resourceGroups\/([^/]+)/i.exec(scope)?.[1];
  if (rg && !world.resourceGroup(sub, rg)) return errors.resourceGroupNotFound(rg);
  return undefined;
}

function permissions(ctx, m) {
  const scope = m[1] ?? "";
  return scopeProblem(ctx.world, scope) ?? paged(ctx, ctx.world.permissionsAt(scope));
}

/** `$filter`: atScope(), principalId eq '{id}', assignedTo('{id}') — the forms ARM accepts (https://learn.microsoft.com/rest/api/authorization/role-assignments/list-for-scope). */
function roleAssignments(ctx, m) {
  const scope = m[1] ?? "";
  const problem = scopeProblem(ctx.world, scope);
  if (problem) return problem;
  const filter = (ctx.query.get("$filter") ?? "").trim();
  let parsed;
  if (filter === "") parsed = undefined;
  else if (/^atScope\(\)$/i.test(filter)) parsed = "atScope";
  else {
    const principal = /^principalId\s+eq\s+'([^']+)'$/i.exec(filter);
    const assigned = /^assignedTo\('([^']+)'\)$/i.exec(filter);
    if (principal) parsed = { principalId: principal[1] };
    else if (assigned) parsed = { assignedTo: assigned[1] };
    else {
      return {
        status: 400,
        body: {
          error: {
            code: "UnsupportedQuery",
            message: `The filter '${filter}' is not supported. Supported filters are either 'atScope()' or 'principalId eq '{value}' or assignedTo('{value}')'.`,
          },
        },
      };
    }
  }
  return paged(ctx, ctx.world.roleAssignments(scope, parsed));
}

/**
 * Management locks at or above the scope (`$filter=atScope()`, the only form sc-doctor sends); without a filter,
 * also those below (https://learn.microsoft.com/rest/api/resources/management-locks/list-by-scope). ManagementLocks_ListByScope, api-version 2020-05-01.
 */
function locks(ctx, m) {
  const scope = m[1] ?? "";
  const problem = scopeProblem(ctx.world, scope);
  if (problem) return problem;
  const atScope = /^atScope\(\)$/i.test((ctx.query.get("$filter") ?? "").trim());
  return paged(ctx, ctx.world.locksAt(scope, atScope));
}

/** A subscription not registered for Microsoft.Storage answers 404 SubscriptionNotFound (azure-cli#29267). */
function storageList(ctx, subscriptionId) {
  if (ctx.world.storageUnregistered(subscriptionId)) return errors.subscriptionNotFound(subscriptionId);
  return paged(ctx, ctx.world.listStorage(subscriptionId));
}

function roleDefinition(ctx, m) {
  const scope = m[1] ?? "";
  const problem = scopeProblem(ctx.world, scope);
  if (problem) return problem;
  const role = builtInRole(m[2] ?? "");
  if (!role)
    return {
      status: 404,
      body: {
        error: {
          code: "RoleDefinitionDoesNotExist",
          message: "The specified role definition with ID '" + (m[2] ?? "") + "' does not exist.",
        },
      },
    };
  return { status: 200, body: roleDefinitionBody(role, scope) };
}
