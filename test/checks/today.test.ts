/**
 * Issue 11, "today's Azure", as pure check tables: the storage path, the 2025 IP table, SecuredByPerimeter, DNS-zone
 * and sovereign endpoints, scale-set-model, the account's region and subscription, subscription-state, resource
 * locks and partial verdicts. The same classes against the simulator: test/e2e/today.test.ts.
 */
import { describe, expect, it } from "vitest";
import type { LockFacts, LocksFacts, StoragePath } from "../../src/azure/facts.js";
import { isPrefixScope } from "../../src/azure/permissions.js";
import bootDiagnosticsUri from "../../src/checks/boot-diagnostics-uri.js";
import { audienceFromMetadata } from "../../src/azure/cloud-metadata.js";
import rbacVm from "../../src/checks/rbac-vm.js";
import resourceLocks from "../../src/checks/resource-locks.js";
import scaleSetModel from "../../src/checks/scale-set-model.js";
import storageAccount from "../../src/checks/storage-account.js";
import storageFirewall from "../../src/checks/storage-firewall.js";
import storageHns from "../../src/checks/storage-hns.js";
import storageSharedKey from "../../src/checks/storage-shared-key.js";
import subscriptionState from "../../src/checks/subscription-state.js";
import { SERIAL_CONSOLE_GEOGRAPHIES, SERIAL_CONSOLE_IP_SOURCE, lookupGeography } from "../../src/checks/support/serial-console-ips.js";
import { toCheckResult } from "../../src/engine/result.js";
import { verdictText } from "../../src/report/table.js";
import { loadFormat, type ReportInput } from "../../src/report/formats.js";
import { CHECK_IDS, type VmResult } from "../../src/types.js";
import { READY } from "../fixtures/results.js";
import type { PerimeterFacts, StorageNetworkAcls } from "../../src/azure/facts.js";
import { SUB, found, scaleSetVm, vm } from "./fixtures.js";

const acls = (overrides: Partial<StorageNetworkAcls>): StorageNetworkAcls => ({
  ipRules: [],
  virtualNetworkRules: [],
  resourceAccessRules: [],
  ...overrides,
});
const deny = (...ips: string[]) =>
  found({
    networkAcls: acls({ defaultAction: "Deny", bypass: "AzureServices", ipRules: ips.map((value) => ({ value, action: "Allow" })) }),
  });
const ipsOf = (geography: string) => [...(SERIAL_CONSOLE_GEOGRAPHIES[geography]?.ips ?? [])];
const firewall = (storage: ReturnType<typeof found>, location: string, storagePath: StoragePath = "legacy") =>
  storageFirewall.evaluate({ perimeter: null, storage, vm: vm({ location }), storagePath });

describe("1. the end-2025 storage path", () => {
  it.each([
    ["storage-firewall", () => storageFirewall.evaluate({ perimeter: null, storage: deny(), vm: vm(), storagePath: "end-2025" })],
    ["storage-hns", () => storageHns.evaluate({ storage: found({ isHnsEnabled: true }), vm: vm(), storagePath: "end-2025" })],
    [
      "storage-shared-key",
      () => storageSharedKey.evaluate({ storage: found({ allowSharedKeyAccess: false }), vm: vm(), storagePath: "end-2025" }),
    ],
    [
      "boot-diagnostics-uri",
      () =>
        bootDiagnosticsUri.evaluate({
          vm: vm({ bootDiagnostics: { enabled: true, storageUri: "http://scdiagstore.blob.core.windows.net/" } }),
          storagePath: "end-2025",
        }),
    ],
    [
      "storage-account",
      () =>
        storageAccount.evaluate({
          storage: { kind: "not-found", accountName: "gone", searchedSubscriptions: [SUB], inaccessibleSubscriptions: [] },
          vm: vm(),
          storagePath: "end-2025",
        }),
    ],
  ])("%s: warn by default, keeping the documented error and naming the path", (_id, evaluate) => {
    const finding = evaluate();
    expect(finding.status).toBe("warn");
    expect(finding.documentedErrorId).toBeTruthy();
    expect(finding.evidence).toMatchObject({ storagePath: "end-2025", legacyStatus: "fail" });
    expect(finding.reason).toMatch(/serial log and screenshot/);
  });

  it("--legacy-storage-path keeps the old judgement, naming the path", () => {
    const finding = storageFirewall.evaluate({ perimeter: null, storage: deny(), vm: vm(), storagePath: "legacy" });
    expect(finding).toMatchObject({ status: "fail", evidence: { storagePath: "legacy" } });
    expect(finding.reason).toMatch(/connection path/);
  });
});

describe("2. the 2025 Serial Console IP table", () => {
  it("is data with its source URL and date, and the row counts of the published table", () => {
    expect(SERIAL_CONSOLE_IP_SOURCE.url).toMatch(/^https:\/\/learn\.microsoft\.com\/.*serial-console-linux$/);
    expect(SERIAL_CONSOLE_IP_SOURCE.date).toBe("2025-03-11");
    expect(ipsOf("Europe")).toHaveLength(8);
    expect(ipsOf("India")).toHaveLength(9);
    expect(ipsOf("UnitedStates")).toHaveLength(31);
    expect(ipsOf("China")).toHaveLength(6);
    expect(ipsOf("UsGov")).toHaveLength(17);
  });

  it("South Africa is a listed geography: a Deny firewall without its IPs fails (legacy) like Europe's", () => {
    expect(firewall(deny(), "southafricanorth").status).toBe("fail");
    expect(firewall(deny(), "westeurope").status).toBe("fail");
    expect(firewall(deny(...ipsOf("SouthAfrica")), "southafricawest")).toMatchObject({ status: "warn", evidence: { missingIps: [] } });
  });

  it("China North 3 is listed", () => {
    expect(lookupGeography("chinanorth3")).toMatchObject({ kind: "listed", name: "China" });
  });

  it("a firewall holding every current India IP is not told to add the retired 20.192.168.150", () => {
    const finding = firewall(deny(...ipsOf("India")), "centralindia");
    expect(finding.evidence?.["missingIps"]).toEqual([]);
    expect(JSON.stringify(finding)).not.toContain("20.192.168.150");
  });

  it("the two 2023 Europe IPs do not admit every IP: warn naming the six missing", () => {
    const finding = firewall(deny("52.146.139.220", "20.105.209.72"), "northeurope");
    expect(finding.status).toBe("warn");
    expect(finding.evidence?.["missingIps"]).toHaveLength(6);
    expect(finding.reason).not.toMatch(/admits every/);
  });

  it("single-region geographies (Italy North) are never a pass: warn by default, fail on the legacy path", () => {
    expect(firewall(deny(...ipsOf("Europe")), "italynorth", "end-2025").status).toBe("warn");
    expect(firewall(deny(...ipsOf("Europe")), "italynorth", "legacy")).toMatchObject({ status: "fail", reason: /single-region/ });
  });

  it("a region in no row is said so, never guessed", () => {
    expect(lookupGeography("israelcentral")).toEqual({ kind: "unlisted", region: "israelcentral" });
    expect(firewall(deny(), "israelcentral")).toMatchObject({ status: "warn", evidence: { geography: null } });
  });

  it("westcentralus (in no 2025 row) is inferred as the United States, and says so", () => {
    const finding = firewall(deny(...ipsOf("UnitedStates")), "westcentralus");
    expect(finding.evidence?.["geographyInferred"]).toMatch(/inferred/);
  });

  it("an inferred geography's IPs are a guess: none of them admitted warns, never fails, even on the legacy path", () => {
    expect(firewall(deny(), "westcentralus", "legacy")).toMatchObject({ status: "warn", reason: /inferred/ });
    expect(firewall(deny(), "westus", "legacy").status).toBe("fail");
  });

  it("eastus2euap is in the United States row and the Canary one: a firewall needs both rows' IPs", () => {
    const lookup = lookupGeography("eastus2euap");
    expect(lookup).toMatchObject({ kind: "listed" });
    const ips = lookup.kind === "listed" ? lookup.ips : [];
    expect(new Set(ips)).toEqual(new Set([...ipsOf("UnitedStates"), ...ipsOf("CanaryEUAP")]));
    expect(firewall(deny(...ipsOf("UnitedStates"), ...ipsOf("CanaryEUAP")), "eastus2euap").evidence?.["missingIps"]).toEqual([]);
  });
});

describe("3. publicNetworkAccess: SecuredByPerimeter", () => {
  it.each(["end-2025", "legacy"] as const)("never a pass, whatever networkAcls say (%s)", (storagePath) => {
    const finding = storageFirewall.evaluate({
      perimeter: null,
      storage: found({ publicNetworkAccess: "SecuredByPerimeter", networkAcls: acls({ defaultAction: "Allow" }) }),
      vm: vm(),
      storagePath,
    });
    expect(finding).toMatchObject({ status: "warn", evidence: { perimeter: true } });
    expect(finding.reason).toMatch(/network security perimeter/);
  });

  const secured = (perimeter: PerimeterFacts) =>
    storageFirewall.evaluate({
      perimeter,
      storage: found({ publicNetworkAccess: "SecuredByPerimeter", networkAcls: acls({ defaultAction: "Allow" }) }),
      vm: vm({ location: "westeurope" }),
      storagePath: "legacy",
    });
  const association = (accessMode: string, inboundAddressPrefixes: string[]) => ({
    name: "nsp-prod",
    id: `/subscriptions/${SUB}/resourceGroups/net/providers/Microsoft.Network/networkSecurityPerimeters/nsp-prod`,
    profile: "defaultProfile",
    accessMode,
    inboundAddressPrefixes,
  });

  it("names the perimeter, its profile and access mode, and which Serial Console IPs its inbound rules leave out (still warn)", () => {
    const europe = ipsOf("Europe");
    const finding = secured({ associations: [association("Enforced", ["148.0.0.0/8", europe[0] ?? ""])] });
    expect(finding.status).toBe("warn");
    expect(finding.reason).toMatch(/network security perimeter nsp-prod \(profile defaultProfile, Enforced\)/);
    expect(finding.reason).toMatch(new RegExp(`admit 1 of the ${europe.length} Europe Serial Console IPs`));
    expect(finding.evidence).toMatchObject({ perimeter: true, perimeters: [{ name: "nsp-prod", accessMode: "Enforced" }] });
    expect(finding.evidence?.["missingIps"]).toHaveLength(europe.length - 1);
  });

  it("Learning mode: says the account's own firewall applies too", () => {
    const finding = secured({ associations: [association("Learning", ipsOf("Europe"))] });
    expect(finding).toMatchObject({ status: "warn" });
    expect(finding.reason).toMatch(/Learning.*own firewall/);
  });

  it("configurations that could not be read, or none: still warn, saying so", () => {
    expect(secured({ unreadable: "could not read x: 403 AuthorizationFailed" }).reason).toMatch(/could not be read.*403/);
    expect(secured({ associations: [] }).reason).toMatch(/no network security perimeter association/);
    expect(secured({ associations: [] }).status).toBe("warn");
  });
});

describe("4. DNS-zone and sovereign blob endpoints", () => {
  it.each([
    "https://scdiagstore.z24.blob.storage.azure.net/",
    "https://scdiagstore.z01.blob.storage.azure.net/",
    "https://scdiagstore.blob.core.chinacloudapi.cn/",
    "https://scdiagstore.blob.core.usgovcloudapi.net/",
    // A fully qualified name's trailing dot.
    "https://scdiagstore.blob.core.windows.net./",
    "https://scdiagstore.z24.blob.storage.azure.net./",
    // Azure Stack Hub: its operator's own suffix.
    "https://scdiagstore.blob.local.azurestack.external/",
  ])("%s is valid", (storageUri) => {
    expect(bootDiagnosticsUri.evaluate({ vm: vm({ bootDiagnostics: { enabled: true, storageUri } }), storagePath: "legacy" }).status).toBe(
      "pass",
    );
  });

  it.each([
    "https://scdiagstore.blob.core.windows.net.example.com/",
    "https://scdiagstore.z24.blob.storage.azure.net.example.com/",
    "https://scdiagstore.blob.core.chinacloudapi.cn.example.com/",
  ])("%s is a host under another domain, not Azure's blob endpoint: fail", (storageUri) => {
    const finding = bootDiagnosticsUri.evaluate({ vm: vm({ bootDiagnostics: { enabled: true, storageUri } }), storagePath: "legacy" });
    expect(finding).toMatchObject({ status: "fail", documentedErrorId: "bad-request-400", fixArgs: { storageUri: "scdiagstore" } });
    expect(finding.reason).toMatch(/is not a storage blob endpoint/);
  });

  it.each([
    ["http://scdiagstore.z24.blob.storage.azure.net/", "https://scdiagstore.z24.blob.storage.azure.net/"],
    ["http://scdiagstore.blob.core.chinacloudapi.cn/", "https://scdiagstore.blob.core.chinacloudapi.cn/"],
    // http:// on another service of the account: its blob endpoint, not the same wrong host over https.
    ["http://scdiagstore.file.core.windows.net/", "https://scdiagstore.blob.core.windows.net/"],
    // No scheme at all: invalid, but the host it names is kept.
    ["scdiagstore.blob.core.windows.net", "https://scdiagstore.blob.core.windows.net/"],
    ["scdiagstore.blob.core.windows.net/", "https://scdiagstore.blob.core.windows.net/"],
    ["//scdiagstore.blob.core.windows.net/", "https://scdiagstore.blob.core.windows.net/"],
    // A scheme that lost its colon names no host: no account called "https".
    ["https//scdiagstore.blob.core.windows.net/", "<account>"],
  ])("the fix for %s names the account's own host", (storageUri, fixed) => {
    const finding = bootDiagnosticsUri.evaluate({ vm: vm({ bootDiagnostics: { enabled: true, storageUri } }), storagePath: "legacy" });
    expect(finding).toMatchObject({ status: "fail", fixArgs: { storageUri: fixed } });
  });
});

describe("5. management-group role assignments", () => {
  it.each([
    ["/providers/Microsoft.Management/managementGroups/mg-contoso", true],
    ["/", true],
    [`/subscriptions/${SUB}`, true],
    [`/subscriptions/${SUB}/resourceGroups/other`, false],
  ])("an assignment at %s listed for a VM applies: %s", (scope, applies) => {
    expect(isPrefixScope(scope, vm().id)).toBe(applies);
  });
});

describe("6. scale-set-model", () => {
  it("an older model with boot diagnostics already on the instance warns, never fails", () => {
    const finding = scaleSetModel.evaluate({ vm: scaleSetVm({ latestModelApplied: false }) });
    expect(finding.status).toBe("warn");
  });

  it("an older model without boot diagnostics on the instance fails", () => {
    const finding = scaleSetModel.evaluate({
      vm: scaleSetVm({ latestModelApplied: false, bootDiagnostics: {}, instanceViewBootDiagnostics: null }),
    });
    expect(finding).toMatchObject({ status: "fail", documentedErrorId: "boot-diagnostics-disabled" });
  });
});

describe("7. storage search: a subscription that refused its list", () => {
  it("makes 'not found' an error naming it", () => {
    const finding = storageAccount.evaluate({
      storage: { kind: "not-found", accountName: "gone", searchedSubscriptions: [SUB], inaccessibleSubscriptions: ["s-refused"] },
      vm: vm(),
      storagePath: "legacy",
    });
    expect(finding).toMatchObject({ status: "error", reason: /s-refused/ });
  });
});

describe("8. the account's region and subscription", () => {
  it.each([
    [{ location: "westeurope" }, "pass"],
    [{ location: "West Europe" }, "pass"],
    [{ location: "eastus" }, "warn"],
    [{ subscriptionId: "00000000-0000-0000-0000-000000000009" }, "warn"],
  ])("%j → %s", (overrides, status) => {
    expect(storageAccount.evaluate({ storage: found(overrides), vm: vm(), storagePath: "end-2025" }).status).toBe(status);
  });
});

describe("9. uniform scale set instances", () => {
  it("the RBAC fix assigns the role at the scale set, where the permissions were judged", () => {
    const instance = scaleSetVm();
    const finding = rbacVm.evaluate({
      vmTarget: instance,
      vmPermissions: {
        scope: instance.scaleSetId ?? "",
        source: "caller",
        callerObjectId: "11111111-1111-1111-1111-111111111111",
        blocks: [],
      },
    });
    const result = toCheckResult(rbacVm, finding, 0);
    expect(result.status).toBe("fail");
    expect(result.fix?.[0]).toContain(`--scope ${instance.scaleSetId}`);
    expect(result.fix?.[0]).not.toContain("/virtualMachines/0");
  });
});

describe("10. subscription-state", () => {
  it.each([
    ["Warned", "warn"],
    ["PastDue", "warn"],
    ["Disabled", "fail"],
  ])("%s → %s, never with the Cloud Shell mitigation", (state, status) => {
    const finding = subscriptionState.evaluate({ subscription: { subscriptionId: SUB, state } });
    expect(finding.status).toBe(status);
    const result = toCheckResult(subscriptionState, finding, 0);
    expect(JSON.stringify(result)).not.toMatch(/Cloud Shell|clouddrive/);
  });
});

describe("11. resource-locks", () => {
  const lock = (level: string, scope: string, name = "l1"): LockFacts => ({
    id: `${scope}/providers/Microsoft.Authorization/locks/${name}`,
    name,
    level,
    scope,
  });
  const rg = `/subscriptions/${SUB}/resourceGroups/rg1`;
  const account = `${rg}/providers/Microsoft.Storage/storageAccounts/scdiagstore`;
  const evaluate = (locks: LocksFacts, storagePath: StoragePath = "end-2025") => resourceLocks.evaluate({ locks, vm: vm(), storagePath });

  it.each([
    ["no locks", { vm: [], account: [] }, "end-2025", "pass"],
    ["CanNotDelete everywhere", { vm: [lock("CanNotDelete", rg)], account: [lock("CanNotDelete", rg)] }, "legacy", "pass"],
    ["ReadOnly on the account (default path)", { vm: [], account: [lock("ReadOnly", account)] }, "end-2025", "warn"],
    ["ReadOnly on the account (legacy path)", { vm: [], account: [lock("ReadOnly", account)] }, "legacy", "fail"],
    ["ReadOnly on the VM only", { vm: [lock("ReadOnly", vm().id)], account: [] }, "legacy", "warn"],
    [
      "ReadOnly on the subscription (managed boot diagnostics)",
      { vm: [lock("ReadOnly", `/subscriptions/${SUB}`)], account: null },
      "legacy",
      "warn",
    ],
    ["account locks unreadable", { vm: [], account: null, accountUnknown: "lookup failed" }, "end-2025", "error"],
    // A ReadOnly on the VM is warn; the account's locks unread may hold one that fails the legacy path: no ceiling.
    [
      "VM ReadOnly, account locks unreadable (legacy path)",
      { vm: [lock("ReadOnly", vm().id)], account: null, accountUnknown: "403" },
      "legacy",
      "error",
    ],
    [
      "VM ReadOnly, account locks unreadable (default path)",
      { vm: [lock("ReadOnly", vm().id)], account: null, accountUnknown: "403" },
      "end-2025",
      "warn",
    ],
    // The locks spec's third level: what it refuses is not said.
    ["NotSpecified on the VM's group", { vm: [lock("NotSpecified", rg)], account: [] }, "end-2025", "error"],
    [
      "NotSpecified beside a ReadOnly: the ReadOnly decides",
      { vm: [lock("NotSpecified", rg)], account: [lock("ReadOnly", account)] },
      "legacy",
      "fail",
    ],
  ] as const)("%s → %s", (_label, locks, storagePath, status) => {
    const finding = evaluate({ ...locks, vm: [...locks.vm], account: locks.account && [...locks.account] }, storagePath);
    expect(finding.status).toBe(status);
    if (status === "warn" || status === "fail") expect(finding.documentedErrorId).toBe("scope-locked");
  });

  it("unreadable account locks are an error with a reason of the check's own, even when the loader gave none", () => {
    // Found by the property test: a blank loader text became a blank reason.
    for (const why of ["", " "]) {
      const finding = evaluate({ vm: [], account: null, accountUnknown: why });
      expect(finding.status).toBe("error");
      expect(finding.reason).toMatch(/locks on the boot diagnostics storage account could not be read \(no reason was given\)/);
    }
  });

  it("a lock above both is reported once, with its removal", () => {
    const shared = lock("ReadOnly", rg, "freeze");
    const finding = evaluate({ vm: [shared], account: [shared] });
    // The lock's own subscription: az deletes in the CLI's current one whatever the id says.
    expect(finding.fix).toEqual([`az lock delete --ids ${rg}/providers/Microsoft.Authorization/locks/freeze --subscription ${SUB}`]);
    expect(finding.reason).toContain(`'freeze' on ${rg}`);
  });
});

describe("12. the audience of an --arm-endpoint", () => {
  it.each([
    [
      "Azure Stack Hub's object",
      {
        authentication: {
          loginEndpoint: "https://login.microsoftonline.com/",
          audiences: ["https://management.contoso.onmicrosoft.com/8f2e"],
        },
      },
      "https://management.contoso.onmicrosoft.com/8f2e/.default",
    ],
    [
      "the public clouds' array, matched by resourceManager",
      [
        {
          resourceManager: "https://management.chinacloudapi.cn/",
          authentication: { audiences: ["https://management.core.chinacloudapi.cn/"] },
        },
        { resourceManager: "https://arm.example/", authentication: { audiences: ["https://arm.example/"] } },
      ],
      "https://arm.example/.default",
    ],
    [
      "an array without this endpoint",
      [{ resourceManager: "https://management.azure.com/", authentication: { audiences: ["x"] } }],
      undefined,
    ],
    ["junk", "<html>", undefined],
  ])("%s", (_label, body, audience) => {
    expect(audienceFromMetadata(body, "https://arm.example")).toBe(audience);
  });
});

describe("13. partial runs", () => {
  it("a partial ready never says the console should work, and names the checks that ran", () => {
    const checks = [{ id: "os-disk" as const, title: "OS disk", status: "pass" as const, reason: "ok", durationMs: 1, evidence: {} }];
    const text = verdictText({ verdict: "ready", partial: true, checks });
    expect(text).not.toMatch(/should work/);
    expect(text).toMatch(/1 of \d+ checks run: os-disk/);
    expect(verdictText({ verdict: "ready", checks })).toMatch(/should work/);
  });

  it.each(["table", "markdown", "html"] as const)("the %s report names the checks that ran on a partial run", async (format) => {
    const partial: VmResult = { ...READY, partial: true, checks: READY.checks.slice(0, 1) };
    const ran = READY.checks[0]?.id ?? "";
    const { default: render } = await loadFormat(format);
    const input: ReportInput = {
      tool: { name: "sc-doctor", version: "0.0.0" },
      generatedAt: "2026-11-30T00:00:00.000Z",
      results: [partial],
    };
    const out = render(input, { redact: false, color: false });
    expect(out).toContain(`1 of ${CHECK_IDS.length} checks run: ${ran}`);
    expect(out).not.toMatch(/should work/);
  });
});
