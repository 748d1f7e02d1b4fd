/**
 * ARM VM / scale-set-VM JSON → VmFacts. One mapper serves the single-VM GETs, the list APIs and Resource Graph
 * rows, which all carry the documented REST shape (https://learn.microsoft.com/rest/api/compute/virtual-machines/get).
 */
import type { InstanceStatus, OsDiskFacts, VmFacts } from "./facts.js";
import { MalformedResponseError, asObject, optArray, optBool, optObject, optString, stringRecord, type JsonObject } from "./json.js";
import { parseArmId, type VmRef } from "./resource-id.js";

/**
 * The statuses that carry a code. `InstanceViewStatus` requires no field (compute spec), so one without a code says
 * nothing a check reads (each looks statuses up by code) and is left out; a code of another type is malformed.
 */
function mapStatuses(list: unknown[] | undefined, what: string): InstanceStatus[] {
  return (list ?? []).flatMap((item, index) => {
    const status = asObject(item, `${what}[${index}]`);
    const code = optString(status, "code", `${what}[${index}]`);
    return code === undefined ? [] : [{ code, displayStatus: optString(status, "displayStatus", `${what}[${index}]`) }];
  });
}

/** Azure Disk Encryption's extensions (publisher.type), Windows and Linux. */
const ADE_EXTENSION_TYPES = new Set([
  "microsoft.azure.security.azurediskencryption",
  "microsoft.azure.security.azurediskencryptionforlinux",
]);

/**
 * The Azure Disk Encryption extension's name, from the model's `resources` (publisher + type) or the instance view's
 * `extensions` (type `Microsoft.Azure.Security.<type>`), where `az vm encryption` looks for it.
 */
function adeExtensionOf(vm: JsonObject, instanceView: JsonObject | undefined): string | undefined {
  // Each extension as "<publisher>.<type>" with its name, from either place.
  const seen = [
    ...(optArray(vm, "resources", "VM") ?? []).map((item, index) => {
      const at = `resources[${index}]`;
      const extension = asObject(item, at);
      const properties = optObject(extension, "properties", at);
      const type = `${optString(properties, "publisher", `${at}.properties`) ?? ""}.${optString(properties, "type", `${at}.properties`) ?? ""}`;
      return { type, name: optString(extension, "name", at) };
    }),
    ...(optArray(instanceView, "extensions", "instanceView") ?? []).map((item, index) => {
      const at = `instanceView.extensions[${index}]`;
      const extension = asObject(item, at);
      return { type: optString(extension, "type", at) ?? "", name: optString(extension, "name", at) };
    }),
  ];
  const ade = seen.find(({ type }) => ADE_EXTENSION_TYPES.has(type.toLowerCase()));
  return ade && (ade.name ?? ade.type);
}

/** The OS disk's entry in the instance view's `disks` (matched by name), if the instance view lists it. */
function osDiskView(instanceView: JsonObject | undefined, name: string | undefined): JsonObject | undefined {
  if (name === undefined) return undefined;
  for (const [index, item] of (optArray(instanceView, "disks", "instanceView") ?? []).entries()) {
    const disk = asObject(item, `instanceView.disks[${index}]`);
    if (optString(disk, "name", `instanceView.disks[${index}]`)?.toLowerCase() === name.toLowerCase()) return disk;
  }
  return undefined;
}

function mapOsDisk(storageProfile: JsonObject | undefined, vm: JsonObject, instanceView: JsonObject | undefined): OsDiskFacts {
  const osDisk = optObject(storageProfile, "osDisk", "storageProfile");
  const managedDisk = optObject(osDisk, "managedDisk", "osDisk");
  const vhd = optObject(osDisk, "vhd", "osDisk");
  const diff = optObject(osDisk, "diffDiskSettings", "osDisk");
  const encryption = optObject(osDisk, "encryptionSettings", "osDisk");
  const vhdUri = optString(vhd, "uri", "osDisk.vhd");
  const name = optString(osDisk, "name", "osDisk");
  const view = osDiskView(instanceView, name);
  const singlePass = (optArray(view, "encryptionSettings", "instanceView.disks[os]") ?? []).some(
    (item, index) =>
      optBool(asObject(item, `encryptionSettings[${index}]`), "enabled", "instanceView.disks[os].encryptionSettings") === true,
  );
  const adeExtension = adeExtensionOf(vm, instanceView);
  return {
    ...(osDisk === undefined ? { missing: true } : {}),
    name,
    managed: managedDisk !== undefined || (osDisk !== undefined && vhdUri === undefined),
    vhdUri,
    ephemeral: (optString(diff, "option", "osDisk.diffDiskSettings") ?? "").toLowerCase() === "local",
    ephemeralPlacement: optString(diff, "placement", "osDisk.diffDiskSettings"),
    adeEnabled: optBool(encryption, "enabled", "osDisk.encryptionSettings") === true || singlePass,
    ...(view !== undefined ? { encryptionStateRead: true } : {}),
    ...(adeExtension !== undefined ? { adeExtension } : {}),
    diskEncryptionSetId: optString(optObject(managedDisk, "diskEncryptionSet", "managedDisk"), "id", "managedDisk.diskEncryptionSet"),
    securityEncryptionType: optString(
      optObject(managedDisk, "securityProfile", "managedDisk"),
      "securityEncryptionType",
      "managedDisk.securityProfile",
    ),
  };
}

/** Every field of an instance view `mapVm` reads (keep in step with it: test/unit/map.test.ts compares both). */
const INSTANCE_VIEW_FIELDS_READ = ["bootDiagnostics", "disks", "extensions", "hyperVGeneration", "osName", "statuses"] as const;

/**
 * The part of an instance view `mapVm` reads (present keys only, values as they are): `mapVm(body, ref, view)` and
 * `mapVm(body, ref, instanceViewAsRead(view))` are the same facts. For the audit, which holds a whole subscription's
 * instance views until each VM is evaluated: a few hundred bytes each instead of kilobytes of extensions and patches.
 */
export function instanceViewAsRead(view: JsonObject): JsonObject {
  const read: JsonObject = {};
  for (const field of INSTANCE_VIEW_FIELDS_READ) {
    if (!(field in view)) continue;
    const value = view[field];
    const keys = LIST_FIELDS_READ[field as keyof typeof LIST_FIELDS_READ];
    read[field] = keys && Array.isArray(value) ? value.map((item) => pick(item, keys)) : value;
  }
  return read;
}

/** Of each entry of these lists, only the keys `mapVm` reads (an extension's statuses can run to kilobytes). */
const LIST_FIELDS_READ = { disks: ["name", "encryptionSettings"], extensions: ["name", "type"] } as const;

function pick(item: unknown, keys: readonly string[]): unknown {
  if (typeof item !== "object" || item === null || Array.isArray(item)) return item;
  const picked: JsonObject = {};
  for (const key of keys) if (key in item) picked[key] = (item as JsonObject)[key];
  return picked;
}

/**
 * Map a VM (or VMSS VM) body. `instanceView` may be passed separately (GET …/instanceView returns it at the top
 * level); otherwise `properties.instanceView` is used when present.
 */
export function mapVm(body: unknown, ref: VmRef, separateInstanceView?: unknown): VmFacts {
  const vm = asObject(body, "the VM response");
  const properties = optObject(vm, "properties", "VM");
  if (!properties) throw new MalformedResponseError("the VM response has no properties object");
  const instanceView =
    separateInstanceView !== undefined
      ? asObject(separateInstanceView, "the instance view")
      : optObject(properties, "instanceView", "properties");
  const storageProfile = optObject(properties, "storageProfile", "properties");
  const osDisk = optObject(storageProfile, "osDisk", "storageProfile");
  const boot = optObject(optObject(properties, "diagnosticsProfile", "properties"), "bootDiagnostics", "diagnosticsProfile");
  const security = optObject(properties, "securityProfile", "properties");
  const uefi = optObject(security, "uefiSettings", "securityProfile");
  const image = optObject(storageProfile, "imageReference", "storageProfile");
  const osProfile = optObject(properties, "osProfile", "properties");
  const linux = optObject(osProfile, "linuxConfiguration", "osProfile");
  const scaleSetId =
    ref.kind === "vmss-uniform"
      ? `/subscriptions/${ref.subscriptionId}/resourceGroups/${ref.resourceGroup}/providers/Microsoft.Compute/virtualMachineScaleSets/${ref.scaleSet}`
      : optString(optObject(properties, "virtualMachineScaleSet", "properties"), "id", "virtualMachineScaleSet");

  let instanceViewBootDiagnostics: VmFacts["instanceViewBootDiagnostics"];
  if (instanceView) {
    const ivBoot = instanceView["bootDiagnostics"];
    // Absent and null alike: the az serial-console extension refuses a scale set instance whose instance view has
    // neither (`boot_diagnostics is None` in Azure/azure-cli-extensions src/serial-console/azext_serialconsole/custom.py).
    if (ivBoot === undefined || ivBoot === null) instanceViewBootDiagnostics = null;
    else {
      const b = asObject(ivBoot, "instanceView.bootDiagnostics");
      const status = optObject(b, "status", "instanceView.bootDiagnostics");
      instanceViewBootDiagnostics = {
        consoleScreenshotBlobUri: optString(b, "consoleScreenshotBlobUri", "instanceView.bootDiagnostics"),
        serialConsoleLogBlobUri: optString(b, "serialConsoleLogBlobUri", "instanceView.bootDiagnostics"),
        // Set only when enabling boot diagnostics failed (the compute spec's BootDiagnosticsInstanceView.status): a
        // problem whether or not it has a message.
        status: status && bootDiagnosticsProblem(status),
      };
    }
  }

  return {
    id: optString(vm, "id", "VM") ?? ref.id,
    name:
      ref.kind === "vmss-uniform"
        ? (optString(vm, "name", "VM") ?? `${ref.scaleSet}_${ref.instanceId}`)
        : (optString(vm, "name", "VM") ?? ref.name),
    resourceGroup: ref.resourceGroup,
    subscriptionId: ref.subscriptionId,
    location: optString(vm, "location", "VM"),
    vmSize:
      optString(optObject(properties, "hardwareProfile", "properties"), "vmSize", "hardwareProfile") ??
      optString(optObject(vm, "sku", "VM"), "name", "sku"),
    osType: optString(osDisk, "osType", "osDisk"),
    osName: optString(instanceView, "osName", "instanceView"),
    hyperVGeneration: optString(instanceView, "hyperVGeneration", "instanceView"),
    kind: ref.kind,
    scaleSetId,
    scaleSetName: scaleSetId ? parseArmId(scaleSetId).name : undefined,
    instanceId: ref.instanceId ?? optString(vm, "instanceId", "VM"),
    provisioningState: optString(properties, "provisioningState", "properties"),
    hasInstanceView: instanceView !== undefined,
    statuses: mapStatuses(optArray(instanceView, "statuses", "instanceView"), "instanceView.statuses"),
    bootDiagnostics: {
      enabled: optBool(boot, "enabled", "bootDiagnostics"),
      storageUri: optString(boot, "storageUri", "bootDiagnostics") || undefined,
    },
    instanceViewBootDiagnostics,
    latestModelApplied: optBool(properties, "latestModelApplied", "properties"),
    securityType: optString(security, "securityType", "securityProfile"),
    secureBootEnabled: optBool(uefi, "secureBootEnabled", "uefiSettings"),
    vTpmEnabled: optBool(uefi, "vTpmEnabled", "uefiSettings"),
    osDisk: mapOsDisk(storageProfile, vm, instanceView),
    tags: stringRecord(optObject(vm, "tags", "VM"), "tags"),
    imagePublisher: optString(image, "publisher", "imageReference"),
    imageOffer: optString(image, "offer", "imageReference"),
    licenseType: optString(properties, "licenseType", "properties"),
    disablePasswordAuthentication: optBool(linux, "disablePasswordAuthentication", "linuxConfiguration"),
    hasOsProfile: osProfile !== undefined,
    allowExtensionOperations: optBool(osProfile, "allowExtensionOperations", "osProfile"),
    provisionVMAgent:
      optBool(linux, "provisionVMAgent", "linuxConfiguration") ??
      optBool(optObject(osProfile, "windowsConfiguration", "osProfile"), "provisionVMAgent", "windowsConfiguration"),
  };
}

/** The words of a boot diagnostics status: its message, else its display status or code. */
function bootDiagnosticsProblem(status: Record<string, unknown>): string {
  const at = "instanceView.bootDiagnostics.status";
  return (
    optString(status, "message", at) ||
    optString(status, "displayStatus", at) ||
    optString(status, "code", at) ||
    "a status without code or message"
  );
}
