/**
 * Arbitrary fact objects for the check properties: every optional field sometimes absent, strings drawn from the
 * documented values plus junk and shell/terminal metacharacters, so checks meet what a strange Azure can send.
 */
import fc from "fast-check";
import type {
  CloudShellFacts,
  ConsoleServiceFacts,
  SerialLogFacts,
  PermissionBlock,
  PermissionFacts,
  StorageAccountFacts,
  StorageLookup,
  SubscriptionFacts,
  VmFacts,
} from "../../src/azure/facts.js";

const SUB = "00000000-0000-0000-0000-000000000001";
const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const junk = fc.string({ maxLength: 10 });
const oneOf = (...values: string[]) => fc.oneof(fc.constantFrom(...values), junk);

/** Names as Azure could echo them back: usually ordinary, sometimes hostile. */
export const hostileName = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom("vm1", "web-01", "rg_1", "ss1") },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      "a b",
      "x;rm -rf ~",
      "$(id)",
      "`id`",
      "a'b",
      'a"b',
      "a|b",
      "a&&b",
      "-n",
      "a\nb",
      "\u001b[31mred",
      "\u202egnp.exe",
    ),
  },
);

export const vmFacts: fc.Arbitrary<VmFacts> = fc
  .record({
    name: hostileName,
    resourceGroup: hostileName,
    location: opt(oneOf("westeurope", "eastus", "italynorth", "West Europe")),
    osType: opt(oneOf("Linux", "Windows")),
    kind: fc.constantFrom("vm" as const, "vmss-uniform" as const),
    scaleSetName: opt(hostileName),
    instanceId: opt(oneOf("0", "17")),
    provisioningState: opt(oneOf("Succeeded", "succeeded", "Updating", "Failed", "Creating")),
    hasInstanceView: fc.boolean(),
    statuses: fc.array(
      fc.record({
        code: oneOf(
          "PowerState/running",
          "PowerState/deallocated",
          "PowerState/stopped",
          "PowerState/starting",
          "PowerState/unknown",
          "ProvisioningState/succeeded",
          "ProvisioningState/failed/X",
          "powerstate/RUNNING",
        ),
        displayStatus: opt(junk),
      }),
      { maxLength: 3 },
    ),
    bootDiagnostics: fc.record({
      enabled: opt(fc.boolean()),
      storageUri: opt(
        oneOf(
          "https://acct.blob.core.windows.net/",
          "http://acct.blob.core.windows.net/",
          "https://acct.file.core.windows.net/",
          "not a url",
          "https://ACCT.blob.core.windows.net",
        ),
      ),
    }),
    instanceViewBootDiagnostics: fc.oneof(
      fc.constant(undefined),
      fc.constant(null),
      fc.record({ consoleScreenshotBlobUri: opt(oneOf("https://acct.blob.core.windows.net/c/s.bmp")), status: opt(junk) }),
    ),
    latestModelApplied: opt(fc.boolean()),
    securityType: opt(oneOf("TrustedLaunch", "ConfidentialVM", "trustedlaunch")),
    secureBootEnabled: opt(fc.boolean()),
    imagePublisher: opt(oneOf("Canonical", "MicrosoftWindowsServer", "MicrosoftWindowsDesktop", "microsoftwindowsdesktop")),
    licenseType: opt(oneOf("Windows_Client", "Windows_Server")),
    osName: opt(oneOf("Windows 11 Pro", "Windows Server 2022 Datacenter", "ubuntu")),
    disablePasswordAuthentication: opt(fc.boolean()),
    hasOsProfile: opt(fc.boolean()),
    osDisk: fc.record({
      managed: fc.boolean(),
      ephemeral: fc.boolean(),
      adeEnabled: fc.boolean(),
      name: opt(junk),
      ephemeralPlacement: opt(junk),
      securityEncryptionType: opt(oneOf("DiskWithVMGuestState", "VMGuestStateOnly")),
    }),
  })
  // A uniform instance always has a scale set and an instance id (the parsed resource id supplies them).
  .map((r) => (r.kind === "vmss-uniform" ? { ...r, scaleSetName: r.scaleSetName ?? "ss1", instanceId: r.instanceId ?? "0" } : r))
  .map((r) => ({
    ...r,
    id: `/subscriptions/${SUB}/resourceGroups/${r.resourceGroup}/providers/Microsoft.Compute/virtualMachines/${r.name}`,
    subscriptionId: SUB,
    scaleSetId: r.scaleSetName
      ? `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Compute/virtualMachineScaleSets/${r.scaleSetName}`
      : undefined,
  }));

export const accountFacts: fc.Arbitrary<StorageAccountFacts> = fc
  .record({
    name: hostileName,
    resourceGroup: hostileName,
    location: opt(oneOf("westeurope")),
    isHnsEnabled: opt(fc.boolean()),
    allowSharedKeyAccess: fc.oneof(fc.constant(undefined), fc.constant(null), fc.boolean()),
    publicNetworkAccess: opt(oneOf("Enabled", "Disabled", "disabled", "SecuredByPerimeter")),
    networkAcls: opt(
      fc.record({
        defaultAction: opt(oneOf("Allow", "Deny", "deny")),
        bypass: opt(oneOf("AzureServices", "None")),
        ipRules: fc.array(fc.record({ value: oneOf("52.146.139.220", "20.105.209.72", "52.146.0.0/16", "0.0.0.0/0", "1.2.3.4") }), {
          maxLength: 3,
        }),
        virtualNetworkRules: fc.constant<{ id: string }[]>([]),
        resourceAccessRules: fc.constant<{ resourceId: string }[]>([]),
      }),
    ),
  })
  .map((r) => ({
    ...r,
    id: `/subscriptions/${SUB}/resourceGroups/${r.resourceGroup}/providers/Microsoft.Storage/storageAccounts/${r.name}`,
    subscriptionId: SUB,
  }));

export const storageLookup: fc.Arbitrary<StorageLookup> = fc.oneof(
  accountFacts.map((account) => ({ kind: "found" as const, account, searchedSubscriptions: [SUB] })),
  fc.record({
    kind: fc.constant("not-applicable" as const),
    reason: fc.constantFrom("boot diagnostics is disabled, so no storage account is used", "managed boot diagnostics"),
  }),
  fc.record({
    kind: fc.constant("not-found" as const),
    accountName: hostileName,
    searchedSubscriptions: fc.constant<string[]>([SUB]),
    inaccessibleSubscriptions: fc.array(fc.constant(SUB), { maxLength: 1 }),
  }),
  fc.record({ kind: fc.constant("rg-undetermined" as const), accountName: hostileName, detail: junk }),
);

const pattern = fc.constantFrom(
  "*",
  "*/read",
  "Microsoft.Compute/*",
  "Microsoft.SerialConsole/*",
  "Microsoft.Storage/storageAccounts/listKeys/action",
  "Microsoft.Storage/*",
  "x",
);
export const permissionBlock: fc.Arbitrary<PermissionBlock> = fc.record({
  actions: fc.array(pattern, { maxLength: 3 }),
  notActions: fc.array(pattern, { maxLength: 2 }),
});
export const permissionFacts: fc.Arbitrary<PermissionFacts> = fc.record({
  scope: fc.constant("/scope"),
  source: fc.constantFrom("caller" as const, "principal" as const),
  principalId: opt(fc.constant("11111111-1111-1111-1111-111111111111")),
  blocks: fc.array(permissionBlock, { maxLength: 3 }),
  limitations: opt(
    fc.array(fc.constantFrom("group memberships are not expanded: …", "deny assignments are not evaluated"), { maxLength: 2 }),
  ),
});

export const subscriptionFacts: fc.Arbitrary<SubscriptionFacts> = fc.record({
  subscriptionId: fc.constant(SUB),
  state: opt(oneOf("Enabled", "enabled", "Warned", "Disabled", "PastDue")),
});
export const consoleFacts: fc.Arbitrary<ConsoleServiceFacts> = fc.record({
  subscriptionId: fc.constant(SUB),
  disabled: opt(fc.boolean()),
  notFound: opt(fc.boolean()),
});

/** Serial log tails: prompts, failures, nothing, hostile bytes. */
const logTail = fc.oneof(
  fc.constantFrom(
    "",
    "[    0.000000] Linux version 6.8.0-1015-azure\nvm1 login: ",
    "[    0.000000] Linux version 5.14.0\nKernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)",
    "Computer is booting, SAC started and initialized.\nSAC>",
    "\u001b[1;31mFAILED\u001b[0m x\u0000\u202e",
  ),
  fc.string({ maxLength: 200 }),
);
export const serialLogFacts: fc.Arbitrary<SerialLogFacts> = fc.oneof(
  fc.record({ kind: fc.constant("not-read" as const), reason: fc.constant("--no-serial-log") }),
  fc.record({ kind: fc.constant("boot-diagnostics-off" as const) }),
  fc.record({
    kind: fc.constant("refused" as const),
    by: fc.constantFrom("resource-manager" as const, "storage" as const),
    status: fc.constantFrom(401, 403),
    code: opt(oneOf("AuthorizationFailed", "AuthorizationFailure")),
    message: junk,
    action: opt(fc.constant("Microsoft.Compute/virtualMachines/retrieveBootDiagnosticsData/action")),
  }),
  fc.record({
    kind: fc.constant("read" as const),
    tail: logTail,
    totalBytes: fc.nat(),
    complete: fc.boolean(),
    storage: fc.constantFrom("managed" as const, "custom" as const),
    missing: opt(fc.boolean()),
  }),
);
export const cloudShellFacts: fc.Arbitrary<CloudShellFacts> = fc.oneof(
  fc.constant({ kind: "principal" as const }),
  fc.constant({ kind: "no-settings" as const, status: 404 }),
  fc.record({ kind: fc.constant("no-storage" as const), sessionType: opt(oneOf("Ephemeral", "Mounted")) }),
  fc.record({
    kind: fc.constant("found" as const),
    storageAccountId: fc.constant(`/subscriptions/${SUB}/resourceGroups/cs/providers/Microsoft.Storage/storageAccounts/cs1`),
    subscriptionId: fc.constant(SUB),
    state: opt(oneOf("Enabled", "enabled", "Warned", "Disabled", "PastDue")),
    unreadable: opt(junk),
  }),
);
