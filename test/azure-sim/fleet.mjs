/**
 * Generated fleets for the audit and its benchmarks: a deterministic world of any size (same seed → same world),
 * with every Azure-side check's failure present in realistic proportions. Bodies are built once as objects (10,000
 * VMs take well under a second); responses are serialised per request, never cached as strings.
 */
import {
  CALLER_OBJECT_ID,
  makeResourceGroup,
  makeRoleAssignment,
  makeScaleSet,
  makeScaleSetVm,
  makeStorageAccount,
  makeSubscription,
  makeVm,
  setBootDiagnostics,
  setPower,
  setProvisioning,
} from "./world/builders.mjs";
import { ROLES } from "./world/roles.mjs";

/** Small, fast, seedable PRNG (mulberry32): the fleet must be the same on every run and machine. */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const subscriptionId = (i) => `00000000-0000-0000-0000-${String(i + 1).padStart(12, "0")}`;
/** Regions with a published Serial Console geography, plus one without (italynorth: firewalled accounts can't work). */
const REGIONS = ["westeurope", "westeurope", "northeurope", "eastus", "eastus2", "uksouth", "italynorth"];

/**
 * What can be wrong with one VM, with its share of the fleet. The rest (≈ 60 %) is healthy; storage-side and
 * RBAC failures come from the account and resource group a VM lands in.
 */
const VM_TRAITS = [
  ["deallocated", 0.05, (vm) => setPower(vm, "deallocated")],
  ["stopped", 0.02, (vm) => setPower(vm, "stopped")],
  ["starting", 0.01, (vm) => setPower(vm, "starting")],
  ["provisioning-failed", 0.01, (vm) => setProvisioning(vm, "Failed", "OSProvisioningTimedOut")],
  ["provisioning-updating", 0.01, (vm) => setProvisioning(vm, "Updating")],
  ["boot-diagnostics-off", 0.05, (vm) => setBootDiagnostics(vm, false)],
  ["managed-boot-diagnostics", 0.1, (vm) => setBootDiagnostics(vm, true, undefined)],
  [
    "bootdiag-http",
    0.01,
    (vm) => setBootDiagnostics(vm, true, vm.model.properties.diagnosticsProfile.bootDiagnostics.storageUri.replace("https:", "http:")),
  ],
  ["storage-missing", 0.01, (vm, name) => setBootDiagnostics(vm, true, `https://${name}gone.blob.core.windows.net/`)],
  [
    "trusted-launch",
    0.05,
    (vm) =>
      (vm.model.properties.securityProfile = {
        uefiSettings: { secureBootEnabled: true, vTpmEnabled: true },
        securityType: "TrustedLaunch",
      }),
  ],
  ["os-disk-encrypted", 0.01, (vm) => (vm.model.properties.storageProfile.osDisk.encryptionSettings = { enabled: true })],
  [
    "os-disk-ephemeral",
    0.01,
    (vm) => (vm.model.properties.storageProfile.osDisk.diffDiskSettings = { option: "Local", placement: "ResourceDisk" }),
  ],
  [
    "os-disk-unmanaged",
    0.01,
    (vm) => {
      const osDisk = vm.model.properties.storageProfile.osDisk;
      delete osDisk.managedDisk;
      osDisk.vhd = { uri: `https://vhds.blob.core.windows.net/vhds/${osDisk.name}.vhd` };
    },
  ],
];

/** Storage account flavours by index: most are fine, the rest carry one storage-side failure each. */
function storageProperties(k) {
  const deny = (ipRules) => ({ networkAcls: { bypass: "AzureServices", virtualNetworkRules: [], ipRules, defaultAction: "Deny" } });
  switch (k % 12) {
    case 1:
      return deny([]);
    case 2:
      return deny([{ value: "52.146.139.220", action: "Allow" }]);
    case 3:
      return deny([
        { value: "52.146.139.220", action: "Allow" },
        { value: "20.105.209.72", action: "Allow" },
        { value: "20.98.146.84", action: "Allow" },
        { value: "20.98.194.64", action: "Allow" },
      ]);
    case 5:
      return { isHnsEnabled: true };
    case 7:
      return { allowSharedKeyAccess: false };
    case 9:
      return { publicNetworkAccess: "Disabled", ...deny([]) };
    default:
      return {};
  }
}

/**
 * @param {import("./index.d.mts").FleetSpec} spec
 * @returns {import("./world/world.mjs").WorldData & { faultRate: number, seed: number }}
 */
export function buildFleet({
  vms: vmCount,
  subscriptions: subCount = 5,
  storageAccounts: accountCount = 50,
  seed = 1,
  faultRate = 0,
  uniformShare = 0,
}) {
  const random = prng(seed);
  const pick = (list) => list[Math.floor(random() * list.length)];
  const subs = Array.from({ length: Math.max(1, subCount) }, (_, i) => makeSubscription(subscriptionId(i), `Fleet ${i + 1}`));
  // Subscription-wide failures, kept to small subscriptions so they don't swamp the rest.
  const consoleServices = {};
  if (subs.length >= 3) subs[subs.length - 1].state = "Warned";
  if (subs.length >= 2) consoleServices[subs[subs.length - 2 >= 1 ? subs.length - 2 : 1].subscriptionId] = { disabled: true };
  if (subs.length >= 4) consoleServices[subs[1].subscriptionId] = { notFound: true };
  const weights = subs.map((_, i) => (subs.length >= 3 && i >= subs.length - 2 ? 0.05 : 1));
  const totalWeight = weights.reduce((a, b) => a + b, 0);
  const vmsPerSub = weights.map((w) => Math.round((vmCount * w) / totalWeight));
  vmsPerSub[0] += vmCount - vmsPerSub.reduce((a, b) => a + b, 0);

  const resourceGroups = [];
  const roleAssignments = [];
  const storageAccounts = [];
  const accountsBySub = subs.map(() => []);
  for (let k = 0; k < Math.max(1, accountCount); k++) {
    const s = k % subs.length;
    const location = k % 17 === 0 ? "italynorth" : pick(REGIONS.slice(0, 6));
    const account = makeStorageAccount({
      subscriptionId: subs[s].subscriptionId,
      resourceGroup: "rg-diag",
      name: `fleetdiag${String(k).padStart(4, "0")}`,
      location,
      properties: storageProperties(k),
    });
    storageAccounts.push(account);
    accountsBySub[s].push(account);
  }

  const data = {
    subscriptions: subs,
    consoleServices,
    resourceGroups,
    vms: [],
    scaleSets: [],
    storageAccounts,
    roleAssignments,
    groups: {},
    faults: [],
    faultRate,
    seed,
  };
  subs.forEach((sub, s) => {
    const id = sub.subscriptionId;
    resourceGroups.push(makeResourceGroup(id, "rg-diag"));
    // Everyone reads everything; VM Contributor per resource group, except, in the first subscription, the second of every 20 (rbac-vm fails there)
    // and the diagnostics group of the second subscription (rbac-storage fails for the accounts there).
    roleAssignments.push(makeRoleAssignment({ scope: `/subscriptions/${id}`, roleGuid: ROLES.reader.guid, principalId: CALLER_OBJECT_ID }));
    if (s !== 1)
      roleAssignments.push(
        makeRoleAssignment({
          scope: `/subscriptions/${id}/resourceGroups/rg-diag`,
          roleGuid: ROLES.vmContributor.guid,
          principalId: CALLER_OBJECT_ID,
        }),
      );
    const groups = Math.max(1, Math.ceil(vmsPerSub[s] / 100));
    for (let g = 0; g < groups; g++) {
      const rg = `rg-app-${String(g).padStart(3, "0")}`;
      resourceGroups.push(makeResourceGroup(id, rg));
      if (s !== 0 || g % 20 !== 1)
        roleAssignments.push(
          makeRoleAssignment({
            scope: `/subscriptions/${id}/resourceGroups/${rg}`,
            roleGuid: ROLES.vmContributor.guid,
            principalId: CALLER_OBJECT_ID,
          }),
        );
    }
    // A few accounts used across subscriptions: the lookup has to search outward.
    const local = accountsBySub[s].length > 0 ? accountsBySub[s] : storageAccounts;
    for (let v = 0; v < vmsPerSub[s]; v++) {
      const rg = `rg-app-${String(Math.floor(v / 100)).padStart(3, "0")}`;
      const account = random() < 0.02 ? pick(storageAccounts) : pick(local);
      const name = `vm-${String(s).padStart(2, "0")}-${String(v).padStart(5, "0")}`;
      const vm = makeVm({
        subscriptionId: id,
        resourceGroup: rg,
        name,
        location: account.location,
        osType: random() < 0.3 ? "Windows" : "Linux",
        storageUri: account.properties.primaryEndpoints.blob,
        tags: { env: random() < 0.5 ? "prod" : "dev", app: `app${v % 7}` },
      });
      let roll = random();
      for (const [, share, apply] of VM_TRAITS) {
        if (roll < share) {
          apply(vm, account.name);
          break;
        }
        roll -= share;
      }
      // `uniformShare` of the VMs are uniform scale set instances instead (100 per scale set, one set per group).
      if (uniformShare > 0 && (v % 100) / 100 < uniformShare) {
        const scaleSet = `uss-${rg}`;
        if (v % 100 === 0) data.scaleSets.push(makeScaleSet({ subscriptionId: id, resourceGroup: rg, name: scaleSet }));
        data.vms.push(
          makeScaleSetVm({
            subscriptionId: id,
            resourceGroup: rg,
            scaleSet,
            instanceId: String(v % 100),
            latestModelApplied: v % 37 !== 5,
            location: account.location,
            storageUri: account.properties.primaryEndpoints.blob,
          }),
        );
        continue;
      }
      if (v % 50 === 49)
        vm.model.properties = {
          virtualMachineScaleSet: {
            id: `/subscriptions/${id}/resourceGroups/${rg}/providers/Microsoft.Compute/virtualMachineScaleSets/flex-${rg}`,
          },
          ...vm.model.properties,
        };
      data.vms.push(vm);
    }
    // Uniform scale set instances (not in Resource Graph's Resources table, but diagnosable one by one).
    data.scaleSets.push(makeScaleSet({ subscriptionId: id, resourceGroup: "rg-app-000", name: "uniform-ss" }));
    for (let i = 0; i < 3; i++)
      data.vms.push(
        makeScaleSetVm({
          subscriptionId: id,
          resourceGroup: "rg-app-000",
          scaleSet: "uniform-ss",
          instanceId: String(i),
          latestModelApplied: i !== 2,
          storageUri: local[0]?.properties.primaryEndpoints.blob,
        }),
      );
  });
  return data;
}
