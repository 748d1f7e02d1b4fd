/**
 * The fleet's storage lookup when its index (one Resource Graph read of the whole scope) is slow: past its
 * patience a VM also starts its own subscription's lookup, and the first to find the account answers — a hung
 * index does not time the VM out, and a slow but healthy one still answers when it comes.
 */
import { describe, expect, it } from "vitest";
import { RunCache } from "../../src/azure/run-cache.js";
import { fleetStorageLookup, type StorageIndex } from "../../src/fleet/storage.js";
import { SUB, vm } from "../checks/fixtures.js";
import { fakeArm } from "./fake-arm.js";

const ACCOUNT = {
  id: `/subscriptions/${SUB}/resourceGroups/rg1/providers/Microsoft.Storage/storageAccounts/scdiagstore`,
  name: "scdiagstore",
  type: "Microsoft.Storage/storageAccounts",
  location: "westeurope",
  kind: "StorageV2",
  sku: { name: "Standard_LRS", tier: "Standard" },
  properties: { networkAcls: { defaultAction: "Allow", ipRules: [], virtualNetworkRules: [] }, allowSharedKeyAccess: true },
};
const after = <T>(ms: number, value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));
const index = (answer: () => Promise<Record<string, unknown> | undefined>): StorageIndex => ({ request: () => undefined, get: answer });

/** The lookup with an index answering `fromIndex`, and Resource Manager's account list answering after `listMs` (Infinity: never). */
async function lookup(fromIndex: () => Promise<Record<string, unknown> | undefined>, listMs: number) {
  const arm = fakeArm(async (call) => {
    if (/\/providers\/Microsoft\.Storage\/storageAccounts/i.test(call.path))
      return listMs === Infinity ? new Promise(() => undefined) : after(listMs, { value: [ACCOUNT] });
    throw new Error(`unexpected ${call.method} ${call.path}`);
  });
  const found = await fleetStorageLookup(arm, index(fromIndex), new RunCache(), { patienceMs: 50 })(vm());
  return { found, listed: arm.calls.length };
}

describe("fleetStorageLookup past its patience", () => {
  it("an index that never answers: the VM's own subscription finds the account", async () => {
    const { found, listed } = await lookup(() => new Promise(() => undefined), 0);
    expect(found).toMatchObject({ kind: "found", account: { name: "scdiagstore" } });
    expect(listed).toBe(1);
  });

  it("a slow index still answers when it comes, whatever the list does (here: never answers)", async () => {
    const { found } = await lookup(() => after(150, ACCOUNT), Infinity);
    expect(found).toMatchObject({ kind: "found", account: { name: "scdiagstore" } });
  });

  it("an index that answers in time: no list at all", async () => {
    const { found, listed } = await lookup(() => after(5, ACCOUNT), 0);
    expect(found).toMatchObject({ kind: "found" });
    expect(listed).toBe(0);
  });
});
