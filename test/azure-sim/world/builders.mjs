/**
 * Builders for ARM resource bodies, built from Azure's own example bodies (./examples.mjs: VirtualMachine_Get,
 * VirtualMachine_Get_InstanceView, VirtualMachineScaleSetVM_Get_WithUserData, ..._InstanceViewAutoPlacedOnDedicatedHostGroup,
 * StorageAccountGetProperties, GetSubscription from Azure/azure-rest-api-specs). Ids, names and the fields a scenario
 * sets are replaced; the rest is Azure's. Scenarios start from these and change a field or two.
 */
import { createHash } from "node:crypto";
import { EXAMPLES } from "./examples.mjs";

export const TENANT_ID = "22222222-2222-2222-2222-222222222222";
/** The caller's object id: the `oid` of every token the simulator issues. */
export const CALLER_OBJECT_ID = "11111111-1111-1111-1111-111111111111";
export const CREATED = "2026-01-12T09:30:11.1234567+00:00";

/** A stable GUID from a seed string, so ids don't change between runs. */
export function stableUuid(seed) {
  const h = createHash("sha1").update(seed).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function makeSubscription(subscriptionId, displayName, state = "Enabled") {
  // GetSubscription.json; ids, tenant, name and state replaced, and no foreign managing tenants.
  return {
    ...EXAMPLES.subscription,
    id: `/subscriptions/${subscriptionId}`,
    managedByTenants: [],
    subscriptionId,
    tenantId: TENANT_ID,
    displayName,
    state,
  };
}

export function makeResourceGroup(subscriptionId, name, location = "westeurope") {
  return {
    id: `/subscriptions/${subscriptionId}/resourceGroups/${name}`,
    name,
    type: "Microsoft.Resources/resourceGroups",
    location,
    properties: { provisioningState: "Succeeded" },
  };
}

const POWER_DISPLAY = {
  running: "VM running",
  deallocated: "VM deallocated",
  deallocating: "VM deallocating",
  stopped: "VM stopped",
  stopping: "VM stopping",
  starting: "VM starting",
  unknown: "VM status unknown",
};

/** `PowerState/<state>` status as the instance view reports it. */
export function powerStatus(state) {
  return { code: `PowerState/${state}`, level: "Info", displayStatus: POWER_DISPLAY[state] ?? `VM ${state}` };
}

/** `ProvisioningState/<state>` status; failures carry the error code in the status code and a message. */
export function provisioningStatus(state, errorCode, message) {
  if (state === "Failed") {
    return {
      code: `ProvisioningState/failed/${errorCode ?? "InternalOperationError"}`,
      level: "Error",
      displayStatus: "Provisioning failed",
      message: message ?? "An internal execution error occurred. Please retry later.",
      time: CREATED,
    };
  }
  return {
    code: `ProvisioningState/${state.toLowerCase()}`,
    level: "Info",
    displayStatus: `Provisioning ${state.toLowerCase()}`,
    time: CREATED,
  };
}

// Sub-objects no scenario changes in place are shared between VMs: a 10,000-VM fleet then builds in a fraction of
// the time and memory (scenarios replace these objects rather than mutate them).
// A healthy VM meets every Serial Console prerequisite, a password-based user included
// (https://learn.microsoft.com/troubleshoot/azure/virtual-machines/linux/serial-console-linux#prerequisites-to-access-the-azure-serial-console).
const LINUX_CONFIGURATION = Object.freeze({
  disablePasswordAuthentication: false,
  provisionVMAgent: true,
  patchSettings: { patchMode: "ImageDefault", assessmentMode: "ImageDefault" },
  enableVMAgentPlatformUpdates: false,
});
const WINDOWS_CONFIGURATION = Object.freeze({
  provisionVMAgent: true,
  enableAutomaticUpdates: true,
  patchSettings: { patchMode: "AutomaticByOS", assessmentMode: "ImageDefault" },
});
// From VirtualMachine_Get_InstanceView.json.
const VM_AGENT = EXAMPLES.vmInstanceView.vmAgent;
const DISK_STATUSES = EXAMPLES.vmInstanceView.disks[0].statuses;
const {
  computerName: _computerName,
  osName: _osName,
  osVersion: _osVersion,
  vmAgent: _vmAgent,
  disks: _disks,
  bootDiagnostics: _bootDiagnostics,
  statuses: _statuses,
  ...INSTANCE_VIEW_REST
} = EXAMPLES.vmInstanceView;
// From VirtualMachine_Get.json: what no scenario sets. Placement (availability set, proximity placement group) and
// `managedBy` (a scale set) are left out: they would describe another VM than the scenario's; `userData` too, which
// Azure returns only with `$expand=userData`.
const {
  userData: _userData,
  availabilitySet: _availabilitySet,
  proximityPlacementGroup: _proximityPlacementGroup,
  hardwareProfile: _hardwareProfile,
  storageProfile: _storageProfile,
  osProfile: _osProfile,
  networkProfile: _networkProfile,
  diagnosticsProfile: _diagnosticsProfile,
  provisioningState: _provisioningState,
  vmId: _vmId,
  timeCreated: _timeCreated,
  ...VM_PROPERTIES_REST
} = EXAMPLES.vm.properties;
const EXTENSION = EXAMPLES.vm.resources[0];
const NIC_PROPERTIES = Object.freeze({ deleteOption: "Delete" });
const NO_ITEMS = Object.freeze([]);

function osProfile(computerName, osType) {
  return osType === "Windows"
    ? {
        computerName,
        adminUsername: "azureuser",
        windowsConfiguration: WINDOWS_CONFIGURATION,
        secrets: NO_ITEMS,
        allowExtensionOperations: true,
        requireGuestProvisionSignal: true,
      }
    : {
        computerName,
        adminUsername: "azureuser",
        linuxConfiguration: LINUX_CONFIGURATION,
        secrets: NO_ITEMS,
        allowExtensionOperations: true,
        requireGuestProvisionSignal: true,
      };
}

const IMAGES = {
  Linux: {
    publisher: "Canonical",
    offer: "0001-com-ubuntu-server-jammy",
    sku: "22_04-lts-gen2",
    version: "latest",
    exactVersion: "22.04.202410020",
  },
  Windows: {
    publisher: "MicrosoftWindowsServer",
    offer: "WindowsServer",
    sku: "2022-datacenter-azure-edition",
    version: "latest",
    exactVersion: "20348.2762.241006",
  },
};

/**
 * Boot diagnostics section of the model plus the matching instance view part. `storageUri` undefined = managed
 * storage (`{enabled: true}` only, and no blob URIs in the instance view — https://learn.microsoft.com/azure/virtual-machines/boot-diagnostics).
 */
export function bootDiagnostics(enabled, storageUri, diskName) {
  const model = enabled ? (storageUri === undefined ? { enabled: true } : { enabled: true, storageUri }) : { enabled: false };
  const base = storageUri?.replace(/\/?(\?.*)?$/, "");
  const instanceView =
    enabled && storageUri !== undefined
      ? {
          consoleScreenshotBlobUri: `${base}/bootdiagnostics-${diskName.slice(0, 9)}/${diskName}.screenshot.bmp`,
          serialConsoleLogBlobUri: `${base}/bootdiagnostics-${diskName.slice(0, 9)}/${diskName}.serialconsole.log`,
        }
      : enabled
        ? {}
        : undefined;
  return { model, instanceView };
}

/**
 * A VM: `{ model, instanceView }`. The model is what GET returns without `$expand`; the instance view is kept
 * apart because ARM returns it either under `properties.instanceView` or alone at the top level.
 */
export function makeVm({
  subscriptionId,
  resourceGroup,
  name,
  location = "westeurope",
  osType = "Linux",
  vmSize = "Standard_D2s_v5",
  power = "running",
  provisioningState = "Succeeded",
  storageUri = "https://scdiagstore.blob.core.windows.net/",
  bootDiagnosticsEnabled = true,
  tags,
}) {
  const id = `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.Compute/virtualMachines/${name}`;
  const vmId = stableUuid(id.toLowerCase());
  const diskName = `${name}_OsDisk_1_${vmId.replace(/-/g, "")}`;
  const boot = bootDiagnostics(bootDiagnosticsEnabled, storageUri, diskName);
  const running = power === "running" || power === "starting" || power === "stopping";
  const model = {
    name,
    id,
    type: EXAMPLES.vm.type,
    location,
    ...(tags ? { tags } : {}),
    etag: EXAMPLES.vm.etag,
    properties: {
      ...VM_PROPERTIES_REST,
      vmId,
      hardwareProfile: { vmSize },
      storageProfile: {
        imageReference: IMAGES[osType],
        osDisk: {
          osType,
          name: diskName,
          createOption: "FromImage",
          caching: "ReadWrite",
          managedDisk: {
            storageAccountType: "Premium_LRS",
            id: `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup.toUpperCase()}/providers/Microsoft.Compute/disks/${diskName}`,
          },
          deleteOption: "Delete",
          diskSizeGB: osType === "Windows" ? 127 : 30,
        },
        dataDisks: NO_ITEMS,
        diskControllerType: "SCSI",
      },
      osProfile: osProfile(name, osType),
      networkProfile: {
        networkInterfaces: [
          {
            id: `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.Network/networkInterfaces/${name}-nic`,
            properties: NIC_PROPERTIES,
          },
        ],
      },
      diagnosticsProfile: { bootDiagnostics: boot.model },
      provisioningState,
      timeCreated: CREATED,
    },
    resources: [{ ...EXTENSION, id: `${id}/extensions/${EXTENSION.name}` }],
  };
  /** @type {Record<string, unknown>} */
  const instanceView = { ...INSTANCE_VIEW_REST };
  // A stopped, deallocated or starting instance view has no official example: hand-made (no guest agent, no OS name).
  if (running) {
    instanceView.computerName = name;
    instanceView.osName = osType === "Windows" ? "Windows Server 2022 Datacenter Azure Edition" : "ubuntu";
    instanceView.osVersion = osType === "Windows" ? "10.0.20348.2762" : "22.04";
    instanceView.vmAgent = VM_AGENT;
  }
  instanceView.disks = [{ name: diskName, statuses: DISK_STATUSES }];
  instanceView.hyperVGeneration = "V2";
  if (boot.instanceView) instanceView.bootDiagnostics = boot.instanceView;
  instanceView.statuses = [provisioningStatus(provisioningState), powerStatus(power)];
  return { model, instanceView };
}

/** Change a VM's power state in both places it shows. */
export function setPower(vm, state) {
  vm.instanceView.statuses = vm.instanceView.statuses.filter((s) => !s.code.startsWith("PowerState/")).concat(powerStatus(state));
  if (state === "deallocated" || state === "stopped") {
    delete vm.instanceView.vmAgent;
    delete vm.instanceView.computerName;
    delete vm.instanceView.osName;
    delete vm.instanceView.osVersion;
  }
}

/** Change a VM's provisioning state in the model and the instance view. */
export function setProvisioning(vm, state, errorCode, message) {
  vm.model.properties.provisioningState = state;
  vm.instanceView.statuses = [
    provisioningStatus(state, errorCode, message),
    ...vm.instanceView.statuses.filter((s) => !s.code.startsWith("ProvisioningState/")),
  ];
}

/** Point (or switch off) a VM's boot diagnostics, keeping the instance view consistent. */
export function setBootDiagnostics(vm, enabled, storageUri) {
  const boot = bootDiagnostics(enabled, storageUri, vm.model.properties.storageProfile.osDisk.name);
  vm.model.properties.diagnosticsProfile.bootDiagnostics = boot.model;
  if (boot.instanceView) vm.instanceView.bootDiagnostics = boot.instanceView;
  else delete vm.instanceView.bootDiagnostics;
}

/** A scale set (the parent resource). */
export function makeScaleSet({
  subscriptionId,
  resourceGroup,
  name,
  location = "westeurope",
  orchestrationMode = "Uniform",
  storageUri = "https://scdiagstore.blob.core.windows.net/",
}) {
  const id = `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.Compute/virtualMachineScaleSets/${name}`;
  const properties =
    orchestrationMode === "Uniform"
      ? {
          singlePlacementGroup: true,
          orchestrationMode,
          upgradePolicy: { mode: "Manual" },
          virtualMachineProfile: {
            diagnosticsProfile: { bootDiagnostics: storageUri === undefined ? { enabled: true } : { enabled: true, storageUri } },
            storageProfile: {
              imageReference: IMAGES.Linux,
              osDisk: {
                osType: "Linux",
                createOption: "FromImage",
                caching: "ReadWrite",
                managedDisk: { storageAccountType: "Premium_LRS" },
              },
            },
          },
          provisioningState: "Succeeded",
          uniqueId: stableUuid(id.toLowerCase()),
          timeCreated: CREATED,
        }
      : {
          orchestrationMode,
          platformFaultDomainCount: 1,
          provisioningState: "Succeeded",
          uniqueId: stableUuid(id.toLowerCase()),
          timeCreated: CREATED,
        };
  return {
    name,
    id,
    type: "Microsoft.Compute/virtualMachineScaleSets",
    location,
    sku: { name: "Standard_D2s_v5", tier: "Standard", capacity: 1 },
    properties,
  };
}

/**
 * A uniform scale set instance: the VM builder's body, re-typed, with `instanceId`, `latestModelApplied` and
 * `modelDefinitionApplied` (VirtualMachineScaleSetVM_Get_WithUserData.json).
 */
export function makeScaleSetVm({
  subscriptionId,
  resourceGroup,
  scaleSet,
  instanceId,
  location = "westeurope",
  latestModelApplied = true,
  storageUri,
}) {
  const vm = makeVm({ subscriptionId, resourceGroup, name: `${scaleSet}_${instanceId}`, location, storageUri });
  const { osProfile: profile, ...properties } = vm.model.properties;
  const id = `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.Compute/virtualMachineScaleSets/${scaleSet}/virtualMachines/${instanceId}`;
  const example = EXAMPLES.scaleSetVm;
  const nic = example.properties.networkProfileConfiguration.networkInterfaceConfigurations[0];
  vm.model = {
    name: `${scaleSet}_${instanceId}`,
    id,
    // The example says "Microsoft.Compute/virtualMachines"; ARM (and the simulator's routes) use the instance type.
    type: "Microsoft.Compute/virtualMachineScaleSets/virtualMachines",
    location,
    instanceId,
    sku: { name: "Standard_D2s_v5", tier: "Standard" },
    etag: example.etag,
    properties: {
      latestModelApplied,
      modelDefinitionApplied: example.properties.modelDefinitionApplied,
      networkProfileConfiguration: example.properties.networkProfileConfiguration,
      ...properties,
      osProfile: { ...profile, computerName: `${scaleSet}00000${instanceId}` },
      networkProfile: { networkInterfaces: [{ id: `${id}/networkInterfaces/${nic.name}` }] },
    },
    resources: vm.model.resources,
  };
  // VirtualMachineScaleSetVM_Get_InstanceViewAutoPlacedOnDedicatedHostGroup.json, without its dedicated host.
  const { assignedHost: _host, statuses: _s, bootDiagnostics: _b, disks: _d, vmAgent: _a, ...viewRest } = EXAMPLES.scaleSetVmInstanceView;
  vm.instanceView = { ...viewRest, ...vm.instanceView, platformUpdateDomain: 0, platformFaultDomain: 0 };
  return vm;
}

/**
 * A storage account (StorageAccountGetProperties.json) with the default firewall (allow all), hierarchical namespace
 * off and shared key access unset (= allowed). The example's ids, names, endpoints and locations are replaced; its
 * `isHnsEnabled: true` is removed (a scenario sets it). A `Deny` firewall with `ipRules` has no official example:
 * the firewall scenarios write it by hand.
 */
export function makeStorageAccount({ subscriptionId, resourceGroup, name, location = "westeurope", properties = {} }) {
  const id =
    resourceGroup === undefined
      ? `/subscriptions/${subscriptionId}/providers/Microsoft.Storage/storageAccounts/${name}`
      : `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.Storage/storageAccounts/${name}`;
  const example = EXAMPLES.storageAccount;
  const { isHnsEnabled: _hns, networkAcls: _acls, primaryEndpoints: _endpoints, ...rest } = example.properties;
  const endpoint = (service, routing = "") => `https://${name}${routing}.${service}.core.windows.net/`;
  return {
    id,
    kind: example.kind,
    location,
    name,
    properties: {
      ...rest,
      networkAcls: { bypass: "AzureServices", defaultAction: "Allow", ipRules: [], virtualNetworkRules: [], resourceAccessRules: [] },
      primaryEndpoints: {
        web: endpoint("web"),
        dfs: endpoint("dfs"),
        blob: endpoint("blob"),
        file: endpoint("file"),
        queue: endpoint("queue"),
        table: endpoint("table"),
      },
      primaryLocation: location,
      secondaryLocation: undefined,
      creationTime: CREATED,
      ...properties,
    },
    sku: example.sku,
    tags: {},
    type: example.type,
  };
}

/**
 * A role assignment (RoleAssignments_ListForScope.json shape). `roleDefinitionId` uses the subscription-scoped
 * form ARM returns for assignments inside a subscription.
 */
export function makeRoleAssignment({ scope, roleGuid, principalId, principalType = "User" }) {
  const name = stableUuid(`${scope.toLowerCase()}|${roleGuid}|${principalId}`);
  const subscription = /^\/subscriptions\/([^/]+)/i.exec(scope)?.[1];
  return {
    id: `${scope === "/" ? "" : scope}/providers/Microsoft.Authorization/roleAssignments/${name}`,
    name,
    type: "Microsoft.Authorization/roleAssignments",
    properties: {
      roleDefinitionId: `${subscription ? `/subscriptions/${subscription}` : ""}/providers/Microsoft.Authorization/roleDefinitions/${roleGuid}`,
      principalId,
      principalType,
      scope,
      condition: null,
      conditionVersion: null,
      createdOn: CREATED,
      updatedOn: CREATED,
      createdBy: "55555555-5555-5555-5555-555555555555",
      updatedBy: "55555555-5555-5555-5555-555555555555",
      delegatedManagedIdentityResourceId: null,
      description: null,
    },
  };
}
