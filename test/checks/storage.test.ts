import { describe, expect, it } from "vitest";
import storageAccount from "../../src/checks/storage-account.js";
import storageFirewall from "../../src/checks/storage-firewall.js";
import storageHns from "../../src/checks/storage-hns.js";
import storageSharedKey from "../../src/checks/storage-shared-key.js";
import { ruleAdmits, geographyOf } from "../../src/checks/support/serial-console-ips.js";
import type { StorageNetworkAcls } from "../../src/azure/facts.js";
import { SUB, found, managedLookup, vm } from "./fixtures.js";

const acls = (overrides: Partial<StorageNetworkAcls>): StorageNetworkAcls => ({
  ipRules: [],
  virtualNetworkRules: [],
  resourceAccessRules: [],
  ...overrides,
});
const EUROPE = [
  "4.210.131.60",
  "20.105.209.72",
  "20.105.209.73",
  "40.113.178.49",
  "52.146.137.65",
  "52.146.139.220",
  "52.146.139.221",
  "98.71.107.78",
];
const deny = (...ips: string[]) =>
  found({
    networkAcls: acls({ defaultAction: "Deny", bypass: "AzureServices", ipRules: ips.map((value) => ({ value, action: "Allow" })) }),
  });

describe("storage-account", () => {
  it("found next to the VM: pass, with where it was found", () => {
    const finding = storageAccount.evaluate({ storagePath: "legacy", storage: found(), vm: vm() });
    expect(finding).toMatchObject({ status: "pass", evidence: { resourceGroup: "rg1", sameResourceGroup: true, sameSubscription: true } });
    // The end-2025 notice goes with findings the storage path decides (warn, fail), not with every pass.
    expect(finding.evidence).not.toHaveProperty("notice");
  });

  it("found in another subscription: warn, naming it (boot diagnostics wants the VM's subscription)", () => {
    const other = "00000000-0000-0000-0000-000000000002";
    const finding = storageAccount.evaluate({
      storagePath: "legacy",
      storage: found({ subscriptionId: other, resourceGroup: "diag" }),
      vm: vm(),
    });
    expect(finding.status).toBe("warn");
    expect(finding.reason).toContain(other);
  });

  it("not found anywhere: the documented 'couldn't be found' error", () => {
    const finding = storageAccount.evaluate({
      storagePath: "legacy",
      storage: { kind: "not-found", accountName: "gone", searchedSubscriptions: [SUB], inaccessibleSubscriptions: [] },
      vm: vm(),
    });
    expect(finding).toMatchObject({ status: "fail", documentedErrorId: "storage-account-not-found" });
    expect(finding.reason).toMatch(/1 subscription\(s\) you can see/);
  });

  it("the subscription list refused and the VM's own list failed: error naming both, never an empty subscription", () => {
    const finding = storageAccount.evaluate({
      storagePath: "legacy",
      storage: {
        kind: "not-found",
        accountName: "gone",
        searchedSubscriptions: [],
        inaccessibleSubscriptions: [SUB],
        subscriptionsUnlisted: "could not read subscriptions: 403 AuthorizationFailed",
      },
      vm: vm(),
    });
    expect(finding.status).toBe("error");
    expect(finding.reason).toBe(
      `storage account 'gone': the storage list of ${SUB} was refused or failed; the other subscriptions you can see could not be listed (could not read subscriptions: 403 AuthorizationFailed), so it may be in one of them`,
    );
  });

  it("resource group undeterminable: the documented 'Unable to determine the resource group' error", () => {
    const finding = storageAccount.evaluate({
      storagePath: "legacy",
      storage: { kind: "rg-undetermined", accountName: "x", detail: "no rg" },
      vm: vm(),
    });
    expect(finding).toMatchObject({ status: "fail", documentedErrorId: "storage-rg-undetermined" });
  });

  // Boot diagnostics doesn't support premium or zone-redundant accounts: the VM start fails with
  // StorageAccountTypeNotSupported (https://learn.microsoft.com/azure/virtual-machines/boot-diagnostics, "Limitations").
  it.each(["Premium_LRS", "Premium_ZRS", "PremiumV2_LRS", "Standard_ZRS", "Standard_GZRS", "Standard_RAGZRS", "premium_lrs"])(
    "a %s account: warn, naming the SKU boot diagnostics does not support, with the managed fix",
    (skuName) => {
      const finding = storageAccount.evaluate({ storagePath: "end-2025", storage: found({ skuName }), vm: vm() });
      expect(finding.status).toBe("warn");
      expect(finding.reason).toContain(skuName);
      expect(finding.reason).toContain("StorageAccountTypeNotSupported");
      expect(finding.evidence).toMatchObject({ sku: skuName, supportedSku: false });
      expect(finding.fix).toEqual([`az vm boot-diagnostics enable --name vm1 --resource-group rg1 --subscription ${SUB}`]);
    },
  );

  it.each(["Standard_LRS", "Standard_GRS", "Standard_RAGRS", undefined])("a %s account: pass", (skuName) => {
    const finding = storageAccount.evaluate({ storagePath: "end-2025", storage: found({ skuName }), vm: vm() });
    expect(finding.status).toBe("pass");
  });

  it("managed boot diagnostics: skip", () => {
    expect(storageAccount.evaluate({ storagePath: "legacy", storage: managedLookup, vm: vm() })).toMatchObject({
      status: "skip",
      reason: /managed/,
    });
  });
});

describe("storage-firewall", () => {
  it.each([
    ["defaultAction", { networkAcls: acls({ defaultAction: "Block" }) }, /defaultAction is 'Block', neither Allow nor Deny/],
    ["publicNetworkAccess", { publicNetworkAccess: "Foo", networkAcls: acls({ defaultAction: "Allow" }) }, /publicNetworkAccess is 'Foo'/],
  ])("an unknown %s is error, never a pass", (_field, overrides, reason) => {
    const finding = storageFirewall.evaluate({ perimeter: null, storagePath: "end-2025", storage: found(overrides), vm: vm() });
    expect(finding).toMatchObject({ status: "error", reason });
  });

  it("Allow and Deny in any case, publicNetworkAccess Enabled in any case, are judged", () => {
    for (const [publicNetworkAccess, defaultAction, status] of [
      ["Enabled", "allow", "pass"],
      ["enabled", "ALLOW", "pass"],
      [undefined, "deny", "fail"],
    ] as const) {
      const storage = found({ publicNetworkAccess, networkAcls: acls({ defaultAction, ipRules: [] }) });
      expect(
        storageFirewall.evaluate({ perimeter: null, storagePath: "legacy", storage, vm: vm() }).status,
        `${publicNetworkAccess} ${defaultAction}`,
      ).toBe(status);
    }
  });

  it.each([
    ["None", "AzureServices"],
    ["Logging, Metrics", "AzureServices Logging Metrics"],
  ])("bypass %j without AzureServices: the serial log and screenshots cannot be written; the fix keeps what was there", (bypass, words) => {
    const storage = found({
      networkAcls: acls({ defaultAction: "Deny", bypass, ipRules: EUROPE.map((value) => ({ value, action: "Allow" })) }),
    });
    const finding = storageFirewall.evaluate({ perimeter: null, storagePath: "end-2025", storage, vm: vm() });
    expect(finding.status).toBe("warn");
    expect(finding.reason).toMatch(/bypass .* leaves out AzureServices, through which the platform writes the serial log/);
    expect(finding.evidence).toMatchObject({ trustedServicesBypass: false });
    expect(finding.fix).toContain(
      `az storage account update --name scdiagstore --resource-group rg1 --subscription ${SUB} --bypass ${words}`,
    );
  });

  it("bypass absent (the spec's default, AzureServices) or AzureServices: nothing said about it", () => {
    for (const bypass of [undefined, "AzureServices, Logging"]) {
      const storage = found({
        networkAcls: acls({ defaultAction: "Deny", bypass, ipRules: EUROPE.map((value) => ({ value, action: "Allow" })) }),
      });
      const finding = storageFirewall.evaluate({ perimeter: null, storagePath: "end-2025", storage, vm: vm() });
      expect(finding.reason).not.toMatch(/bypass/);
      expect(finding.evidence).not.toHaveProperty("trustedServicesBypass");
    }
  });

  it.each([
    // No rule set is the spec's default (allow); a rule set without its defaultAction is malformed.
    ["no networkAcls in the response", found(), "pass"],
    ["networkAcls without defaultAction", found({ networkAcls: acls({}) }), "error"],
    ["defaultAction Allow", found({ networkAcls: acls({ defaultAction: "Allow" }) }), "pass"],
    ["Deny, no IP rules", deny(), "fail"],
    ["Deny, unrelated IPs", deny("1.2.3.4", "10.0.0.0/8"), "fail"],
    ["Deny, one Europe IP", deny("52.146.139.220"), "warn"],
    ["Deny, the 2023 table's two Europe IPs (five of the 2025 IPs still missing)", deny("52.146.139.220", "20.105.209.0/24"), "warn"],
    ["Deny, every 2025 Europe IP (portal works; az serial-console known issue)", deny(...EUROPE), "warn"],
    ["public network access disabled", found({ publicNetworkAccess: "Disabled" }), "fail"],
  ])("%s → %s", (_label, storage, status) => {
    const finding = storageFirewall.evaluate({ perimeter: null, storagePath: "legacy", storage, vm: vm() });
    expect(finding.status).toBe(status);
    if (status !== "pass" && status !== "error") expect(finding.documentedErrorId).toBe("storage-forbidden");
  });

  it("a partial allow list names exactly the IPs to add, in a runnable fix", () => {
    const finding = storageFirewall.evaluate({ perimeter: null, storagePath: "legacy", storage: deny(...EUROPE.slice(1)), vm: vm() });
    expect(finding.reason).toContain("4.210.131.60");
    expect(finding.reason).not.toContain("52.146.139.220");
    expect(finding.fix?.[0]).toBe(
      `az storage account network-rule add --account-name scdiagstore --resource-group rg1 --subscription ${SUB} --ip-address 4.210.131.60`,
    );
  });

  it("a fully admitted firewall still warns, naming the affected client", () => {
    const finding = storageFirewall.evaluate({ perimeter: null, storagePath: "legacy", storage: deny(...EUROPE), vm: vm() });
    expect(finding.reason).toMatch(/az serial-console/);
    expect(finding.evidence?.["affectedClient"]).toBe("az serial-console");
  });

  it("uses the VM's geography (the United States has 31 IPs)", () => {
    const finding = storageFirewall.evaluate({
      perimeter: null,
      storagePath: "legacy",
      storage: deny("20.98.146.84"),
      vm: vm({ location: "eastus" }),
    });
    expect(finding.status).toBe("warn");
    expect(finding.evidence?.["missingIps"]).toHaveLength(30);
    expect(finding.evidence?.["missingIps"]).not.toContain("20.98.146.84");
  });

  it("a region the table does not list warns instead of guessing", () => {
    const finding = storageFirewall.evaluate({
      perimeter: null,
      storagePath: "legacy",
      storage: deny(...EUROPE),
      vm: vm({ location: "israelcentral" }),
    });
    expect(finding).toMatchObject({ status: "warn", reason: /not in the published Serial Console IP table/ });
  });

  it("managed boot diagnostics: skip", () => {
    expect(storageFirewall.evaluate({ perimeter: null, storagePath: "legacy", storage: managedLookup, vm: vm() }).status).toBe("skip");
  });
});

describe("serial console IP table", () => {
  it.each([
    ["20.105.209.72", "20.105.209.72", true],
    ["20.105.209.0/24", "20.105.209.72", true],
    ["20.105.208.0/24", "20.105.209.72", false],
    ["0.0.0.0/0", "20.105.209.72", true],
    ["20.105.209.72/33", "20.105.209.72", false],
    ["garbage", "20.105.209.72", false],
  ])("rule %s admits %s: %s", (rule, ip, expected) => {
    expect(ruleAdmits(rule, ip)).toBe(expected);
  });

  it("maps ARM locations, display names and case to geographies", () => {
    expect(geographyOf("westeurope")?.name).toBe("Europe");
    expect(geographyOf("West Europe")?.name).toBe("Europe");
    expect(geographyOf("USGOVVIRGINIA")?.name).toBe("UsGov");
    expect(geographyOf("italynorth")).toBeUndefined();
    expect(geographyOf(undefined)).toBeUndefined();
  });
});

describe("storage-hns and storage-shared-key", () => {
  it.each([
    [undefined, "pass"],
    [false, "pass"],
    [true, "fail"],
  ])("isHnsEnabled %s → %s", (isHnsEnabled, status) => {
    expect(storageHns.evaluate({ storagePath: "legacy", storage: found({ isHnsEnabled }), vm: vm() }).status).toBe(status);
  });

  it.each([
    [undefined, "pass"],
    [null, "pass"],
    [true, "pass"],
    [false, "fail"],
  ])("allowSharedKeyAccess %s → %s", (allowSharedKeyAccess, status) => {
    const finding = storageSharedKey.evaluate({ storagePath: "legacy", storage: found({ allowSharedKeyAccess }), vm: vm() });
    expect(finding.status).toBe(status);
    if (status === "fail") expect(finding.documentedErrorId).toBe("storage-shared-key-disabled");
  });

  it.each([storageHns, storageSharedKey])("%s skips when the account was not found, without saying storage-account failed", (check) => {
    // On the end-2025 path storage-account warns about the missing account: it did not fail.
    for (const storagePath of ["legacy", "end-2025"] as const) {
      const finding = check.evaluate({
        storagePath,
        storage: { kind: "not-found", accountName: "x", searchedSubscriptions: [], inaccessibleSubscriptions: [] },
        vm: vm(),
      });
      expect(finding).toMatchObject({ status: "skip", reason: /account was not found, .*\(see storage-account\)/ });
      expect(finding.reason).not.toMatch(/failed/);
    }
  });
});

describe("the end-2025 notice in the storage checks' evidence", () => {
  it.each(["end-2025", "legacy"] as const)("on the %s path: cited by the findings the path decides, not by passes", (storagePath) => {
    const denied = storageFirewall.evaluate({ perimeter: null, storagePath, storage: deny(), vm: vm() });
    const hns = storageHns.evaluate({ storagePath, storage: found({ isHnsEnabled: true }), vm: vm() });
    const gone = storageAccount.evaluate({
      storagePath,
      storage: { kind: "not-found", accountName: "gone", searchedSubscriptions: [SUB], inaccessibleSubscriptions: [] },
      vm: vm(),
    });
    for (const finding of [denied, hns, gone]) {
      expect(finding.status).toBe(storagePath === "legacy" ? "fail" : "warn");
      expect(String(finding.evidence?.["notice"])).toMatch(/end of 2025/);
    }
    const passes = [
      storageFirewall.evaluate({ perimeter: null, storagePath, storage: found(), vm: vm() }),
      storageHns.evaluate({ storagePath, storage: found(), vm: vm() }),
      storageSharedKey.evaluate({ storagePath, storage: found(), vm: vm() }),
    ];
    for (const finding of passes) {
      expect(finding.status).toBe("pass");
      expect(finding.evidence).not.toHaveProperty("notice");
    }
  });
});

describe("storage-firewall admitting none of the IPs", () => {
  it("says how many, and leaves the addresses to the evidence and the fix: the reason fits a table row with its path note", () => {
    // eastus: the UnitedStates geography, the longest row of the table (31 IPs).
    const finding = storageFirewall.evaluate({ perimeter: null, storagePath: "end-2025", storage: deny(), vm: vm({ location: "eastus" }) });
    const ips = geographyOf("eastus")?.ips ?? [];
    expect(ips.length).toBeGreaterThan(20);
    expect(finding.reason).toContain(`none of the ${ips.length} Serial Console IPs of the UnitedStates geography`);
    expect(finding.reason).toContain("--legacy-storage-path");
    expect(finding.reason.length).toBeLessThanOrEqual(400); // src/report/sanitize.ts sanitizeLine: a table cell's length
    expect(finding.evidence).toMatchObject({ serialConsoleIps: ips, missingIps: ips });
    expect(finding.fix?.join("\n")).toContain(ips.join(" "));
  });
});
