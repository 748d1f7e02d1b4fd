/**
 * ARM bodies are untrusted. For the VM, storage and permission mappers:
 * - arbitrary JSON throws `MalformedResponseError` or maps — never a TypeError or other crash;
 * - a mapping is faithful: every fact equals the value at its documented JSON path (absent/null → undefined), and a
 *   present value of the wrong type is never silently dropped — it makes the mapping throw.
 * Bodies are generated from the documented shape with each field absent, null, right-typed or wrong-typed, and
 * random unknown fields mixed in (the extra fields must not change anything).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MalformedResponseError } from "../../src/azure/json.js";
import { mapStorageAccount } from "../../src/azure/map-storage.js";
import { mapVm } from "../../src/azure/map-vm.js";
import { mapPermissionBlock } from "../../src/azure/permissions.js";
import { parseVmResourceId } from "../../src/azure/resource-id.js";
import { propertyParams } from "./config.js";

const SUB = "00000000-0000-0000-0000-000000000001";
const VM_REF = parseVmResourceId(`/subscriptions/${SUB}/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/vm1`);
const SS_REF = parseVmResourceId(
  `/subscriptions/${SUB}/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachineScaleSets/ss1/virtualMachines/4`,
);

const ABSENT = Symbol("absent");
type Slot = unknown | typeof ABSENT;

const wrong = fc.oneof(
  fc.integer(),
  fc.constant([] as unknown[]),
  fc.constant({}),
  fc.constant(true),
  fc.string({ maxLength: 3 }).map((s) => [s]),
);
/** A leaf: absent, null, the right type, or the wrong type. */
const leaf = (right: fc.Arbitrary<unknown>): fc.Arbitrary<Slot> =>
  fc.oneof(
    { weight: 2, arbitrary: fc.constant(ABSENT) },
    { weight: 1, arbitrary: fc.constant(null) },
    { weight: 4, arbitrary: right },
    { weight: 1, arbitrary: wrong },
  );
const str = leaf(
  fc.oneof(fc.constantFrom("Succeeded", "Updating", "Allow", "Deny", "TrustedLaunch", "Linux", ""), fc.string({ maxLength: 8 })),
);
const bool = leaf(fc.oneof(fc.boolean(), fc.constantFrom("true", "false", "True", "False")));
const extras = fc.dictionary(fc.constantFrom("zzExtra", "unknownField", "x-ms-new"), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 2 });

/** An object node: absent, null, wrong-typed, or an object of its slots (absent slots left out) plus unknown fields. */
function node(slots: Record<string, fc.Arbitrary<Slot>>): fc.Arbitrary<Slot> {
  const object = fc.tuple(fc.record(slots), extras).map(([record, extra]) => {
    const out: Record<string, unknown> = { ...extra };
    for (const [key, value] of Object.entries(record)) if (value !== ABSENT) out[key] = value;
    return out;
  });
  return fc.oneof({ weight: 1, arbitrary: fc.constant(ABSENT) }, { weight: 1, arbitrary: wrong }, { weight: 6, arbitrary: object });
}

const status = node({ code: str, displayStatus: str });
const vmBody = node({
  id: str,
  name: str,
  location: str,
  tags: leaf(fc.dictionary(fc.string({ maxLength: 4 }), fc.oneof(fc.string({ maxLength: 4 }), fc.integer()), { maxKeys: 2 })),
  properties: node({
    provisioningState: str,
    latestModelApplied: bool,
    diagnosticsProfile: node({ bootDiagnostics: node({ enabled: bool, storageUri: str }) }),
    securityProfile: node({ securityType: str, uefiSettings: node({ secureBootEnabled: bool, vTpmEnabled: bool }) }),
    storageProfile: node({
      osDisk: node({
        osType: str,
        name: str,
        managedDisk: node({ id: str }),
        vhd: node({ uri: str }),
        encryptionSettings: node({ enabled: bool }),
      }),
    }),
    instanceView: node({ osName: str, statuses: leaf(fc.array(status, { maxLength: 3 }).map((a) => a.filter((x) => x !== ABSENT))) }),
  }),
});

/** The value at a JSON path, or `ABSENT` when any step is missing or null. */
function at(body: unknown, path: string): unknown {
  let cursor: unknown = body;
  for (const key of path.split(".")) {
    if (cursor === null || cursor === undefined || typeof cursor !== "object" || Array.isArray(cursor)) return ABSENT;
    cursor = (cursor as Record<string, unknown>)[key];
  }
  return cursor === null || cursor === undefined ? ABSENT : cursor;
}

const NOT_BOOL = Symbol("not a boolean");
function asBool(raw: unknown): boolean | typeof NOT_BOOL {
  if (raw === true || raw === "true" || raw === "True") return true;
  if (raw === false || raw === "false" || raw === "False") return false;
  return NOT_BOOL;
}

/** Faithful: an absent field maps to undefined; a present one to itself; a wrong type can't have mapped. */
function expectFaithful(raw: unknown, fact: unknown, kind: "string" | "boolean", label: string): void {
  if (raw === ABSENT) return void expect(fact, label).toBeUndefined();
  if (kind === "boolean") return void expect(fact, label).toBe(asBool(raw));
  expect(typeof raw, `${label}: a ${typeof raw} was mapped instead of rejected`).toBe("string");
  expect(fact, label).toBe(raw);
}

function mapOrMalformed<T>(map: () => T): T | undefined {
  try {
    return map();
  } catch (error) {
    expect(error, String(error)).toBeInstanceOf(MalformedResponseError);
    return undefined;
  }
}

describe("mapVm", () => {
  it("arbitrary JSON: MalformedResponseError or a mapping, never a crash", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 5 }), fc.option(fc.jsonValue({ maxDepth: 3 })), fc.boolean(), (body, separate, scaleSet) => {
        mapOrMalformed(() => mapVm(body, scaleSet ? SS_REF : VM_REF, separate ?? undefined));
        mapOrMalformed(() =>
          mapVm({ properties: { instanceView: body, diagnosticsProfile: body, storageProfile: { osDisk: body } } }, VM_REF),
        );
      }),
      propertyParams(1000),
    );
  });

  it("maps every judged field faithfully or rejects the body", () => {
    fc.assert(
      fc.property(vmBody, fc.boolean(), (body, scaleSet) => {
        const facts = mapOrMalformed(() => mapVm(body, scaleSet ? SS_REF : VM_REF));
        if (!facts) return;
        const p = "properties";
        expectFaithful(at(body, `${p}.provisioningState`), facts.provisioningState, "string", "provisioningState");
        expectFaithful(at(body, `${p}.latestModelApplied`), facts.latestModelApplied, "boolean", "latestModelApplied");
        expectFaithful(
          at(body, `${p}.diagnosticsProfile.bootDiagnostics.enabled`),
          facts.bootDiagnostics.enabled,
          "boolean",
          "bootDiagnostics.enabled",
        );
        const uri = at(body, `${p}.diagnosticsProfile.bootDiagnostics.storageUri`);
        // An empty storageUri is documented-equivalent to none (managed boot diagnostics).
        expectFaithful(uri === "" ? ABSENT : uri, facts.bootDiagnostics.storageUri, "string", "storageUri");
        expectFaithful(at(body, `${p}.securityProfile.securityType`), facts.securityType, "string", "securityType");
        expectFaithful(
          at(body, `${p}.securityProfile.uefiSettings.secureBootEnabled`),
          facts.secureBootEnabled,
          "boolean",
          "secureBootEnabled",
        );
        expectFaithful(at(body, `${p}.storageProfile.osDisk.osType`), facts.osType, "string", "osType");
        expectFaithful(at(body, "location"), facts.location, "string", "location");
        const ade = at(body, `${p}.storageProfile.osDisk.encryptionSettings.enabled`);
        expect(facts.osDisk.adeEnabled).toBe(ade !== ABSENT && asBool(ade) === true);
        const instanceView = at(body, `${p}.instanceView`);
        expect(facts.hasInstanceView).toBe(instanceView !== ABSENT);
        const statuses = at(body, `${p}.instanceView.statuses`);
        // A status without a code (InstanceViewStatus requires no field) is left out.
        const codes =
          statuses === ABSENT
            ? []
            : (statuses as { code: unknown }[]).map((s) => s.code).filter((code) => code !== undefined && code !== null && code !== ABSENT);
        expect(facts.statuses.map((s) => s.code)).toEqual(codes);
      }),
      propertyParams(2000),
    );
  });
});

const storageBody = node({
  id: leaf(fc.constantFrom(`/subscriptions/${SUB}/resourceGroups/rg2/providers/Microsoft.Storage/storageAccounts/acct`, "/bad/id", "")),
  name: str,
  properties: node({
    isHnsEnabled: bool,
    allowSharedKeyAccess: bool,
    publicNetworkAccess: str,
    networkAcls: node({
      defaultAction: str,
      bypass: str,
      ipRules: leaf(fc.array(node({ value: str, action: str }), { maxLength: 3 }).map((a) => a.filter((x) => x !== ABSENT))),
    }),
  }),
});

describe("mapStorageAccount", () => {
  it("arbitrary JSON: MalformedResponseError or a mapping, never a crash", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 5 }), (body) => {
        mapOrMalformed(() => mapStorageAccount(body));
        mapOrMalformed(() =>
          mapStorageAccount({
            id: `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/a`,
            properties: { networkAcls: body },
          }),
        );
      }),
      propertyParams(1000),
    );
  });

  it("maps every judged field faithfully or rejects the body", () => {
    fc.assert(
      fc.property(storageBody, (body) => {
        const facts = mapOrMalformed(() => mapStorageAccount(body));
        if (!facts) return;
        expect(facts.resourceGroup).toBe("rg2");
        expectFaithful(at(body, "properties.isHnsEnabled"), facts.isHnsEnabled, "boolean", "isHnsEnabled");
        const shared = (body as { properties: Record<string, unknown> }).properties["allowSharedKeyAccess"];
        if (shared === null) expect(facts.allowSharedKeyAccess).toBeNull();
        else expectFaithful(at(body, "properties.allowSharedKeyAccess"), facts.allowSharedKeyAccess, "boolean", "allowSharedKeyAccess");
        expectFaithful(at(body, "properties.publicNetworkAccess"), facts.publicNetworkAccess, "string", "publicNetworkAccess");
        expectFaithful(at(body, "properties.networkAcls.defaultAction"), facts.networkAcls?.defaultAction, "string", "defaultAction");
        const rules = at(body, "properties.networkAcls.ipRules");
        expect(facts.networkAcls?.ipRules.map((r) => r.value) ?? []).toEqual(
          rules === ABSENT ? [] : (rules as { value: unknown }[]).map((r) => r.value),
        );
      }),
      propertyParams(2000),
    );
  });
});

describe("mapPermissionBlock", () => {
  const list = leaf(fc.array(fc.oneof(fc.string({ maxLength: 6 }), fc.integer(), fc.constant(null)), { maxLength: 3 }));
  it("arrays of strings map as they are; anything else (or no actions at all) is rejected, never dropped", () => {
    fc.assert(
      fc.property(fc.record({ actions: list, notActions: list, dataActions: list, extra: fc.jsonValue({ maxDepth: 1 }) }), (raw) => {
        const item = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== ABSENT));
        const block = mapOrMalformed(() => mapPermissionBlock(item, "permissions[0]"));
        // `actions` is always sent (maybe empty): without it nothing may be concluded (test/chaos/regressions).
        if (at(item, "actions") === ABSENT) expect(block).toBeUndefined();
        if (!block) return;
        for (const key of ["actions", "notActions", "dataActions"] as const) {
          const value = at(item, key);
          expect(block[key]).toEqual(value === ABSENT ? [] : value);
          expect((block[key] ?? []).every((x) => typeof x === "string")).toBe(true);
        }
      }),
      propertyParams(1000),
    );
  });
});
