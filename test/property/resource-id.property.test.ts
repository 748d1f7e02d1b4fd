/**
 * Resource ids are the one piece of user input that decides which URL we GET. Properties:
 * - every valid form (VM id, uniform scale set instance id, portal URL with or without tenant and blade, percent
 *   encoding, any casing of fixed segments, trailing slashes, surrounding whitespace) parses to the same ref, and
 *   the canonical id re-parses to that ref (round trip);
 * - any other string throws `ResourceIdError` and nothing else (no TypeError/URIError/RangeError), and what does
 *   parse is a well-formed ref — so `validateDoctorOptions` turns it into a usage error before any request.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ResourceIdError, parseVmResourceId, vmId, type VmRef } from "../../src/azure/resource-id.js";
import { UsageError } from "../../src/commands/options.js";
import { validateDoctorOptions } from "../../src/commands/doctor.js";
import { propertyParams } from "./config.js";

const hex = fc.constantFrom(..."0123456789abcdefABCDEF".split(""));
const hexString = (n: number) => fc.array(hex, { minLength: n, maxLength: n }).map((a) => a.join(""));
const guid = fc.tuple(hexString(8), hexString(4), hexString(4), hexString(4), hexString(12)).map((p) => p.join("-"));

// ARM naming rules as the parser documents them (letters incl. non-ASCII, digits, _ - . and, for groups, ( )).
const nameChar = fc.constantFrom(..."abcxyzABCXYZ0129_-.éßЖ中".split(""));
const rgChar = fc.oneof(nameChar, fc.constantFrom("(", ")"));
const resourceGroup = fc
  .array(rgChar, { minLength: 1, maxLength: 90 })
  .map((a) => a.join(""))
  .filter((s) => !s.endsWith("."));
const vmName = fc.array(nameChar, { minLength: 1, maxLength: 80 }).map((a) => a.join(""));
const instanceId = fc.nat({ max: 100_000 }).map(String);

/** Random casing of a fixed segment: ARM ids are case-insensitive. */
const anyCase = (word: string) =>
  fc.array(fc.boolean(), { minLength: word.length, maxLength: word.length }).map((flags) =>
    word
      .split("")
      .map((c, i) => (flags[i] ? c.toUpperCase() : c.toLowerCase()))
      .join(""),
  );

interface Expected {
  ref: Omit<VmRef, "id">;
  input: string;
}

const vmRefArb = fc.oneof(
  fc.record({ subscriptionId: guid, resourceGroup, name: vmName }).map((r) => ({ ...r, kind: "vm" as const })),
  fc
    .record({ subscriptionId: guid, resourceGroup, scaleSet: vmName, instanceId })
    .map((r) => ({ ...r, name: r.instanceId, kind: "vmss-uniform" as const })),
);

const pathArb = vmRefArb.chain((ref) =>
  fc
    .record({
      subs: anyCase("subscriptions"),
      rgs: anyCase("resourceGroups"),
      prov: anyCase("providers"),
      ns: anyCase("Microsoft.Compute"),
      vms: anyCase("virtualMachines"),
      ss: anyCase("virtualMachineScaleSets"),
      trailing: fc.constantFrom("", "/", "///"),
    })
    .map((c) => {
      const head = `/${c.subs}/${ref.subscriptionId}/${c.rgs}/${ref.resourceGroup}/${c.prov}/${c.ns}`;
      const tail = ref.kind === "vm" ? `/${c.vms}/${ref.name}` : `/${c.ss}/${ref.scaleSet}/${c.vms}/${ref.instanceId}`;
      return { ref, path: `${head}${tail}`, trailing: c.trailing };
    }),
);

const validInput: fc.Arbitrary<Expected> = pathArb.chain(({ ref, path, trailing }) =>
  fc.oneof(
    fc.constant({ ref, input: `${path}${trailing}` }),
    fc.constantFrom(" ", "\t", "\n").map((ws) => ({ ref, input: `${ws}${path}${trailing}${ws}` })),
    fc
      .record({
        tenant: fc.constantFrom("", "@contoso.onmicrosoft.com/", "@t/"),
        blade: fc.constantFrom("", "/overview", "/serialConsole"),
        encode: fc.boolean(),
      })
      .map(({ tenant, blade, encode }) => ({
        ref,
        input: `https://portal.azure.com/#${tenant}resource${encode ? encodeURIComponent(path) : path}${blade}`,
      })),
  ),
);

function expectedRef(ref: Omit<VmRef, "id">): VmRef {
  const normal = { ...ref, subscriptionId: ref.subscriptionId.toLowerCase() };
  return { ...normal, id: vmId(normal) };
}

describe("parseVmResourceId: valid forms round-trip", () => {
  it("every accepted spelling gives the same ref, and its canonical id re-parses to it", () => {
    fc.assert(
      fc.property(validInput, ({ ref, input }) => {
        const parsed = parseVmResourceId(input);
        expect(parsed).toEqual(expectedRef(ref));
        expect(parseVmResourceId(parsed.id)).toEqual(parsed);
      }),
      propertyParams(),
    );
  });
});

/** Anything the parser accepts must be a ref we could safely build a GET from. */
function assertWellFormed(ref: VmRef): void {
  expect(ref.subscriptionId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  expect(ref.resourceGroup).not.toMatch(/[/?#%\s\u0000-\u001f]/);
  expect(ref.name).not.toMatch(/[/?#%\s\u0000-\u001f]/);
  expect(parseVmResourceId(ref.id)).toEqual(ref);
}

function parseOrResourceIdError(input: string): void {
  let ref: VmRef;
  try {
    ref = parseVmResourceId(input);
  } catch (error) {
    expect(error, `non-ResourceIdError for ${JSON.stringify(input)}`).toBeInstanceOf(ResourceIdError);
    expect((error as Error).message).toMatch(/^invalid VM resource id: /);
    return;
  }
  assertWellFormed(ref);
}

// Mutations of valid ids reach the parser's deep branches far more often than random strings do.
const mutated = validInput.chain(({ input }) =>
  fc
    .record({
      at: fc.nat({ max: input.length }),
      cut: fc.nat({ max: 12 }),
      insert: fc.oneof(
        fc.string({ maxLength: 6 }),
        fc.constantFrom("%", "%E0%A4%A", "/", "//", "?x=1", "#", "\u0000", "\u202e", "..", "/virtualMachines/", "\ud800"),
      ),
    })
    .map(({ at, cut, insert }) => input.slice(0, at) + insert + input.slice(at + cut)),
);

describe("parseVmResourceId: hostile input", () => {
  it("arbitrary strings throw only ResourceIdError", () => {
    const anyString = fc.oneof(
      fc.string({ unit: "binary", maxLength: 300 }),
      fc.string({ unit: "grapheme", maxLength: 100 }),
      fc.string({ maxLength: 300 }),
    );
    fc.assert(fc.property(anyString, parseOrResourceIdError), propertyParams(1000));
  });

  it("mutated valid ids either parse to a well-formed ref or throw ResourceIdError", () => {
    fc.assert(fc.property(mutated, parseOrResourceIdError), propertyParams(1000));
  });

  it("in the CLI, whatever --vm holds is either a usage error or a valid ref — decided before any request", () => {
    fc.assert(
      fc.property(fc.oneof(mutated, fc.string({ unit: "binary", maxLength: 200 })), (vm) => {
        try {
          const valid = validateDoctorOptions({
            vm,
            failOn: "fail",
            timeout: "15000",
            cloud: "AzureCloud",
            network: false,
            color: false,
            resourceGroup: undefined,
            subscription: "00000000-0000-0000-0000-000000000001",
          });
          assertWellFormed(valid.ref);
        } catch (error) {
          expect(error).toBeInstanceOf(UsageError);
        }
      }),
      propertyParams(500),
    );
  });
});
