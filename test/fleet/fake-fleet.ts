/**
 * A small Azure, as data, that answers both the single-VM calls (`sc-doctor --vm`) and the bulk calls of
 * `audit` (Resource Graph, the statusOnly VM list, storage lists, Permissions API at every scope, role
 * assignments) from the same model — so an in-process audit can be compared with per-VM diagnoses before (and
 * besides) the simulator. One VM per failure kind, spread over three subscriptions.
 */
import { AzureCallError } from "../../src/azure/arm.js";
import { bare, fakeArm, type FakeCall } from "./fake-arm.js";

export const S1 = "00000000-0000-0000-0000-0000000000a1";
export const S2 = "00000000-0000-0000-0000-0000000000a2";
export const S3 = "00000000-0000-0000-0000-0000000000a3";
export const PRINCIPAL = "11111111-1111-1111-1111-111111111111";

type Json = Record<string, unknown>;
const rgId = (sub: string, rg: string) => `/subscriptions/${sub}/resourceGroups/${rg}`;
const vmId = (sub: string, rg: string, name: string) => `${rgId(sub, rg)}/providers/Microsoft.Compute/virtualMachines/${name}`;
const saId = (sub: string, rg: string, name: string) => `${rgId(sub, rg)}/providers/Microsoft.Storage/storageAccounts/${name}`;

const ALL = { actions: ["*"], notActions: [], dataActions: [], notDataActions: [] };
const READ = { actions: ["*/read"], notActions: [], dataActions: [], notDataActions: [] };
const CONNECT = { actions: ["Microsoft.SerialConsole/serialPorts/connect/action"], notActions: [], dataActions: [], notDataActions: [] };

function account(sub: string, rg: string, name: string, properties: Json = {}): Json {
  return {
    id: saId(sub, rg, name),
    name,
    type: "Microsoft.Storage/storageAccounts",
    location: "westeurope",
    kind: "StorageV2",
    sku: { name: "Standard_LRS" },
    properties: { provisioningState: "Succeeded", primaryEndpoints: { blob: `https://${name}.blob.core.windows.net/` }, ...properties },
  };
}

interface VmSpec {
  sub: string;
  rg: string;
  name: string;
  boot?: Json;
  power?: string | null;
  provisioning?: string;
  extraStatuses?: Json[];
  ivBoot?: Json;
  properties?: Json;
}

const custom = (account: string) => ({ enabled: true, storageUri: `https://${account}.blob.core.windows.net/` });

export function fleetModel() {
  const vms: VmSpec[] = [
    { sub: S1, rg: "rg-ok", name: "healthy", boot: custom("sahealthy") },
    { sub: S1, rg: "rg-ok", name: "bootdiag-off", boot: { enabled: false } },
    { sub: S1, rg: "rg-ok", name: "deallocated", boot: custom("sahealthy"), power: "PowerState/deallocated" },
    { sub: S1, rg: "rg-ok", name: "stopped", boot: custom("sahealthy"), power: "PowerState/stopped" },
    {
      sub: S1,
      rg: "rg-ok",
      name: "prov-failed",
      boot: custom("sahealthy"),
      provisioning: "Failed",
      extraStatuses: [{ code: "ProvisioningState/failed/InternalError", displayStatus: "Provisioning failed" }],
    },
    { sub: S1, rg: "rg-ok", name: "http-uri", boot: { enabled: true, storageUri: "http://sahealthy.blob.core.windows.net/" } },
    { sub: S1, rg: "rg-ok", name: "sa-missing", boot: custom("sagone") },
    { sub: S1, rg: "rg-ok", name: "firewall", boot: custom("safirewall") },
    { sub: S1, rg: "rg-ok", name: "hns", boot: custom("sahns") },
    { sub: S1, rg: "rg-ok", name: "no-shared-key", boot: custom("sanokey") },
    { sub: S1, rg: "rg-ok", name: "managed", boot: { enabled: true } },
    {
      sub: S1,
      rg: "rg-ok",
      name: "trusted",
      boot: { enabled: true },
      properties: { securityProfile: { securityType: "TrustedLaunch", uefiSettings: { secureBootEnabled: true, vTpmEnabled: true } } },
    },
    {
      sub: S1,
      rg: "rg-ok",
      name: "ade",
      boot: { enabled: true },
      properties: {
        storageProfile: { osDisk: { osType: "Linux", name: "d", managedDisk: { id: "x" }, encryptionSettings: { enabled: true } } },
      },
    },
    {
      sub: S1,
      rg: "rg-ok",
      name: "bootdiag-status",
      boot: custom("sahealthy"),
      ivBoot: { status: { code: "BootDiagnostics/failed", message: "blob write failed" } },
    },
    { sub: S1, rg: "rg-ok", name: "no-power", boot: { enabled: true }, power: null },
    { sub: S1, rg: "rg-ok", name: "sa-no-keys", boot: custom("sanolistkeys") },
    { sub: S1, rg: "rg-ok", name: "sa-elsewhere", boot: custom("saother") },
    { sub: S1, rg: "rg-reader", name: "reader-only", boot: { enabled: true } },
    { sub: S1, rg: "rg-reader", name: "own-assignment", boot: { enabled: true } },
    { sub: S2, rg: "rg-x", name: "console-off", boot: { enabled: true } },
    { sub: S3, rg: "rg-y", name: "sub-warned", boot: { enabled: true } },
    // Locked VMs outside S1, which stays at or under BULK_THRESHOLD (per-VM instance views).
    { sub: S3, rg: "rg-locked", name: "locked", boot: { enabled: true } },
    { sub: S2, rg: "rg-x", name: "vm-locked", boot: custom("saother") },
  ];
  const accounts = [
    account(S1, "rg-ok", "sahealthy"),
    account(S1, "rg-ok", "safirewall", {
      networkAcls: { defaultAction: "Deny", bypass: "AzureServices", ipRules: [], virtualNetworkRules: [] },
    }),
    account(S1, "rg-ok", "sahns", { isHnsEnabled: true }),
    account(S1, "rg-ok", "sanokey", { allowSharedKeyAccess: false }),
    account(S1, "rg-storage", "sanolistkeys"),
    account(S2, "rg-x", "saother"),
  ];
  const subscriptions = [
    { id: `/subscriptions/${S1}`, subscriptionId: S1, tenantId: "t", displayName: "one", state: "Enabled" },
    { id: `/subscriptions/${S2}`, subscriptionId: S2, tenantId: "t", displayName: "two", state: "Enabled" },
    { id: `/subscriptions/${S3}`, subscriptionId: S3, tenantId: "t", displayName: "three", state: "Warned" },
  ];
  const assignments = [
    { scope: `/subscriptions/${S1}`, blocks: [READ] },
    { scope: rgId(S1, "rg-ok"), blocks: [ALL] },
    { scope: rgId(S1, "rg-storage"), blocks: [READ] },
    { scope: vmId(S1, "rg-reader", "own-assignment"), blocks: [CONNECT] },
    { scope: `/subscriptions/${S2}`, blocks: [ALL] },
    { scope: `/subscriptions/${S3}`, blocks: [ALL] },
  ];
  // Management locks (ReadOnly refuses listKeys and retrieveBootDiagnosticsData; CanNotDelete does not).
  const lockAt = (scope: string, name: string, level: string) => ({
    id: `${scope}/providers/Microsoft.Authorization/locks/${name}`,
    name,
    type: "Microsoft.Authorization/locks",
    properties: { level, notes: `${name} lock` },
  });
  const locks = [
    lockAt(rgId(S3, "rg-locked"), "freeze", "ReadOnly"),
    lockAt(vmId(S2, "rg-x", "vm-locked"), "keep", "ReadOnly"),
    lockAt(saId(S2, "rg-x", "saother"), "keep-account", "ReadOnly"),
    lockAt(rgId(S1, "rg-ok"), "nodelete", "CanNotDelete"),
    lockAt(`/subscriptions/${S2}`, "sub-nodelete", "CanNotDelete"),
  ];
  return { vms, accounts, subscriptions, assignments, locks };
}

export type FleetModel = ReturnType<typeof fleetModel>;

function instanceView(vm: VmSpec): Json {
  const statuses: Json[] = [
    { code: `ProvisioningState/${(vm.provisioning ?? "Succeeded").toLowerCase()}`, displayStatus: "Provisioning" },
    ...(vm.extraStatuses ?? []),
  ];
  if (vm.power !== null) statuses.push({ code: vm.power ?? "PowerState/running", displayStatus: "VM power" });
  const view: Json = { computerName: vm.name, statuses };
  if (vm.ivBoot) view["bootDiagnostics"] = vm.ivBoot;
  return view;
}

function model(vm: VmSpec): Json {
  return {
    id: vmId(vm.sub, vm.rg, vm.name),
    name: vm.name,
    type: "Microsoft.Compute/virtualMachines",
    location: "westeurope",
    tags: { env: vm.rg === "rg-ok" ? "prod" : "dev" },
    properties: {
      provisioningState: vm.provisioning ?? "Succeeded",
      hardwareProfile: { vmSize: "Standard_B2s" },
      storageProfile: { osDisk: { osType: "Linux", name: `${vm.name}-os`, managedDisk: { id: "d" } } },
      diagnosticsProfile: { bootDiagnostics: vm.boot ?? { enabled: false } },
      ...vm.properties,
    },
  };
}

/** The graph row: the model plus `properties.extended.instanceView.powerState`, no instance view. */
function graphRow(vm: VmSpec): Json {
  const row = model(vm);
  const properties = row["properties"] as Json;
  if (vm.power !== null)
    properties["extended"] = { instanceView: { powerState: { code: vm.power ?? "PowerState/running", displayStatus: "VM power" } } };
  return { ...row, resourceGroup: vm.rg, subscriptionId: vm.sub };
}

/** A `statusOnly=true` row: the run-time status without the model. */
const statusOnly = (vm: VmSpec) => ({ id: vmId(vm.sub, vm.rg, vm.name), name: vm.name, properties: { instanceView: instanceView(vm) } });

const withView = (vm: VmSpec) => {
  const row = model(vm);
  (row["properties"] as Json)["instanceView"] = instanceView(vm);
  return row;
};

export function fleetArm(fleet: FleetModel = fleetModel(), options: { subscriptionPermissions?: boolean; roleAssignments?: boolean } = {}) {
  const notFound = () => new AzureCallError("x", "not found", 404, "ResourceNotFound");
  const permissionsAt = (scope: string) => {
    const s = scope.toLowerCase();
    return fleet.assignments
      .filter((a) => s === a.scope.toLowerCase() || s.startsWith(`${a.scope.toLowerCase()}/`))
      .flatMap((a) => a.blocks);
  };
  const route = (call: FakeCall): unknown => {
    const path = bare(call.path);
    const query = call.path.split("?")[1] ?? "";
    if (call.method === "POST" && path === "/providers/microsoft.resourcegraph/resources") {
      const body = call.body as { query: string; subscriptions: string[] };
      const subs = new Set(body.subscriptions.map((s) => s.toLowerCase()));
      // No uniform scale set instances in this fleet.
      if (body.query.startsWith("ComputeResources") || body.query.includes("microsoft.compute/virtualmachinescalesets'"))
        return { data: [], count: 0, totalRecords: 0, resultTruncated: "false" };
      if (body.query.includes("microsoft.compute/virtualmachines")) {
        const rgs = /resourceGroup in~ \(([^)]*)\)/
          .exec(body.query)?.[1]
          ?.split(", ")
          .map((s) => s.slice(1, -1).toLowerCase());
        const data = fleet.vms.filter((vm) => subs.has(vm.sub) && (!rgs || rgs.includes(vm.rg))).map(graphRow);
        return { data, count: data.length, totalRecords: data.length, resultTruncated: "false" };
      }
      const names = /name in~ \(([^)]*)\)/
        .exec(body.query)?.[1]
        ?.split(", ")
        .map((s) => s.slice(1, -1));
      const data = fleet.accounts
        .filter((a) => subs.has(String(a["id"]).split("/")[2] ?? "") && (!names || names.includes(String(a["name"]))))
        .map((a) => ({ ...a, subscriptionId: String(a["id"]).split("/")[2], resourceGroup: String(a["id"]).split("/")[4] }));
      return { data, count: data.length, totalRecords: data.length, resultTruncated: "false" };
    }
    if (path === "/subscriptions") return { value: fleet.subscriptions };
    let m = /^\/subscriptions\/([^/]+)$/.exec(path);
    if (m) return fleet.subscriptions.find((s) => s.subscriptionId === m?.[1]) ?? Promise.reject(notFound());
    m = /^\/subscriptions\/([^/]+)\/providers\/microsoft.serialconsole\/consoleservices\/default$/.exec(path);
    if (m) return { properties: { disabled: m[1] === S2 } };
    m = /^\/subscriptions\/([^/]+)\/providers\/microsoft.compute\/virtualmachines$/.exec(path);
    if (m && query.includes("statusOnly=true")) return { value: fleet.vms.filter((vm) => vm.sub === m?.[1]).map(statusOnly) };
    if (m) return { value: fleet.vms.filter((vm) => vm.sub === m?.[1]).map(model) };
    m = /^\/subscriptions\/([^/]+)\/resourcegroups\/([^/]+)\/providers\/microsoft.compute\/virtualmachines$/.exec(path);
    if (m) return { value: fleet.vms.filter((vm) => vm.sub === m?.[1] && vm.rg.toLowerCase() === m?.[2]).map(model) };
    if (/^\/subscriptions\/[^/]+(\/resourcegroups\/[^/]+)?\/providers\/microsoft.compute\/virtualmachinescalesets$/.test(path))
      return { value: [] };
    m = /^(\/subscriptions\/[^/]+\/resourcegroups\/[^/]+\/providers\/microsoft.compute\/virtualmachines\/[^/]+)(\/instanceview)?$/.exec(
      path,
    );
    if (m) {
      const vm = fleet.vms.find((v) => vmId(v.sub, v.rg, v.name).toLowerCase() === m?.[1]);
      if (!vm) throw notFound();
      return m[2] ? instanceView(vm) : withView(vm);
    }
    m = /^\/subscriptions\/([^/]+)\/providers\/microsoft.storage\/storageaccounts$/.exec(path);
    if (m) return { value: fleet.accounts.filter((a) => String(a["id"]).toLowerCase().startsWith(`/subscriptions/${m?.[1]}/`)) };
    m = /^\/subscriptions\/[^/]+\/resourcegroups\/[^/]+\/providers\/microsoft.storage\/storageaccounts\/[^/]+$/.exec(path);
    if (m) return fleet.accounts.find((a) => String(a["id"]).toLowerCase() === path) ?? Promise.reject(notFound());
    m = /^(.*)\/providers\/microsoft.authorization\/permissions$/.exec(path);
    if (m?.[1] !== undefined) {
      if (!options.subscriptionPermissions && /^\/subscriptions\/[^/]+$/.test(m[1]))
        throw new AzureCallError("x", "unsupported scope", 400, "InvalidScope");
      return { value: permissionsAt(m[1]) };
    }
    m = /^(.*)\/providers\/microsoft.authorization\/roleassignments$/.exec(path);
    if (m?.[1] !== undefined) {
      if (options.roleAssignments === false) throw new AzureCallError("x", "denied", 403, "AuthorizationFailed");
      // At, above and below the scope (https://learn.microsoft.com/rest/api/authorization/role-assignments/list-for-scope); every assignment is to principal p, role = its index.
      const scope = m[1];
      const related = (a: { scope: string }) =>
        a.scope.toLowerCase().startsWith(scope) || scope.startsWith(`${a.scope.toLowerCase()}/`) || scope === a.scope.toLowerCase();
      return {
        value: fleet.assignments
          .map((a, i) => ({ a, i }))
          .filter(({ a }) => related(a))
          .map(({ a, i }) => ({
            id: `ra${i}`,
            properties: {
              scope: a.scope,
              principalId: PRINCIPAL,
              principalType: "User",
              roleDefinitionId: `/providers/Microsoft.Authorization/roleDefinitions/role${i}`,
            },
          })),
      };
    }
    m = /^(.*)\/providers\/microsoft.authorization\/locks$/.exec(path);
    if (m?.[1] !== undefined) {
      // ManagementLocks_ListByScope with $filter=atScope(): locks at or above the scope; the subscription list
      // without a filter: every lock in the subscription (https://learn.microsoft.com/rest/api/resources/management-locks).
      const scope = m[1];
      const lockScope = (lock: Json) =>
        String(lock["id"])
          .replace(/\/providers\/Microsoft.Authorization\/locks\/[^/]+$/i, "")
          .toLowerCase();
      const atScope = decodeURIComponent(query).includes("atScope()");
      return {
        value: fleet.locks.filter((lock) => {
          const at = lockScope(lock);
          return atScope ? scope === at || scope.startsWith(`${at}/`) : at === scope || at.startsWith(`${scope}/`);
        }),
      };
    }
    m = /^\/providers\/microsoft.authorization\/roledefinitions\/role(\d+)$/.exec(path);
    if (m) return { id: path, properties: { roleName: `role ${m[1]}`, permissions: fleet.assignments[Number(m[1])]?.blocks ?? [] } };
    throw new AzureCallError("x", `the fake fleet has no route for ${call.method} ${call.path}`, 404, "NoRoute");
  };
  return fakeArm(route);
}

export const allVmIds = (fleet: FleetModel = fleetModel()) => fleet.vms.map((v) => vmId(v.sub, v.rg, v.name));
