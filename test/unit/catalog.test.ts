/** The catalogue's own invariants: stable ids, real words, valid check references, usable fix templates. */
import { readFileSync, readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CATALOG, getEntry, renderFix } from "../../src/catalog/index.js";
import { isCheckId } from "../../src/types.js";
import { isInertCommand } from "../fixtures/shell.js";

/** Ids the checks and scenarios reference: they must never change. */
const STABLE_IDS = [
  "boot-diagnostics-disabled",
  "vm-not-running",
  "console-disabled",
  "storage-forbidden",
  "rbac-vm-permissions",
  "storage-account-not-found",
  "bad-request-400",
  "rbac-storage-write",
  "storage-rg-undetermined",
  "provisioning-not-done",
  "websocket-closed",
  "storage-hns-unsupported",
  "subscription-not-enabled",
  "service-timeout",
  "no-output-after-live-migration",
  "another-connection",
  "sac-cmd-unavailable",
  "storage-shared-key-disabled",
  "vmi-encrypted-disk-not-supported",
  "vmi-resource-not-supported-3",
  "vmi-unmanaged-disk-not-supported",
  "vm-vm-not-found",
  "blank-console",
  "guest-no-login",
];

const FIX_ARGS = new Set([
  // guest-no-login: the user to add and its password are the reader's to choose (shown as '<user>', '<password>').
  "user",
  "password",
  "vm",
  "rg",
  "subscription",
  "storageAccount",
  "storageRg",
  "storageSubscription",
  "storageUri",
  "storageAccountId",
  "location",
  "vmId",
  "scaleSet",
  "instanceId",
  "ips",
  "principal",
  "scope",
  "osDiskId",
]);

describe("catalogue", () => {
  it("keeps every id the checks reference", () => {
    for (const id of STABLE_IDS) expect(getEntry(id), id).toBeDefined();
  });

  it("has unique ids in the documented scheme", () => {
    const ids = CATALOG.map((entry) => entry.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const entry of CATALOG) {
      expect(entry.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      if (entry.sources.includes("vm-inspector-errors" as never)) expect(entry.id).toMatch(/^vmi-/);
      if (entry.sources.includes("vm-error-messages" as never)) expect(entry.id).toMatch(/^vm-/);
    }
  });

  it.each(CATALOG.map((entry) => [entry.id, entry] as const))("%s has real words, valid checks and fix templates", (_id, entry) => {
    expect(entry.message.length).toBeGreaterThan(10);
    expect(entry.mitigation.length).toBeGreaterThan(20);
    expect(entry.mitigation.toLowerCase()).not.toBe("test");
    expect(entry.sources.length).toBeGreaterThan(0);
    for (const check of entry.checks) expect(isCheckId(check), check).toBe(true);
    for (const template of entry.fix ?? []) {
      for (const [, name] of template.matchAll(/\{([A-Za-z]+)\}/g)) expect(FIX_ARGS.has(name ?? ""), `${entry.id}: {${name}}`).toBe(true);
    }
  });

  it("every fix template, filled, is one command a shell runs as written (a reader's own value is quoted)", () => {
    const args = Object.fromEntries([...FIX_ARGS].map((name) => [name, `${name}-value`]));
    const uniform = { ...args, scaleSet: "ss1", instanceId: "0" };
    for (const entry of CATALOG)
      for (const line of [...renderFix(entry.fix ?? [], args), ...renderFix(entry.fix ?? [], uniform)])
        expect(isInertCommand(line), `${entry.id}: ${line}`).toBe(true);
  });

  // A fix is pasted in whatever cloud the VM lives in: a host under the public cloud's blob.core.windows.net points a
  // China or US Government VM at an account that is not its own
  // (https://learn.microsoft.com/azure/china/resources-developer-guide). `--storage` takes an account name too
  // (https://learn.microsoft.com/cli/azure/vm/boot-diagnostics: "Name or URI of a storage account").
  it("no fix template names a public-cloud storage host", () => {
    for (const entry of CATALOG) for (const template of entry.fix ?? []) expect(template, entry.id).not.toMatch(/\.core\.windows\.net/);
  });

  // Marketplace terms are accepted per subscription (https://learn.microsoft.com/cli/azure/vm/image/terms): without
  // --subscription the pasted command acts on the CLI's default one, not the VM's.
  it("a Marketplace terms fix names the subscription", () => {
    const terms = CATALOG.flatMap((entry) => entry.fix ?? []).filter((template) => /^az vm image terms /.test(template));
    expect(terms.length).toBeGreaterThan(0);
    for (const template of terms) expect(template).toMatch(/ --subscription /);
  });

  it("fills fix templates with real names and shows unknown ones as '<name>'", () => {
    expect(renderFix(["az vm start --name {vm} --resource-group {rg}"], { vm: "web 01", rg: "rg1" })).toEqual([
      "az vm start --name 'web 01' --resource-group rg1",
    ]);
    expect(renderFix(["az vm start --name {vm}"], {})).toEqual(["az vm start --name '<vm>'"]);
  });
});

describe("the documented errors each check reports", () => {
  // Read from the checks' source: a literal `documentedErrorId: "…"` in src/checks/<check id>.ts.
  const CHECKS_DIR = new URL("../../src/checks/", import.meta.url);
  const reported = readdirSync(CHECKS_DIR)
    .filter((file) => isCheckId(file.replace(/\.ts$/, "")))
    .flatMap((file) =>
      [...readFileSync(new URL(file, CHECKS_DIR), "utf8").matchAll(/documentedErrorId: "([a-z0-9-]+)"/g)].map(
        (match) => [file.replace(/\.ts$/, ""), match[1] ?? ""] as const,
      ),
    );

  it("are found", () => expect(reported.length).toBeGreaterThan(20));

  it.each(reported)("%s → %s: the entry names the check (explain's 'Verify with', `checks`, SARIF rule help)", (check, id) => {
    expect(getEntry(id)?.checks).toContain(check);
  });
});
