/**
 * Checks are pure functions of facts. For arbitrary fact objects (fields absent, odd casing, junk, hostile names):
 * - the result has a contract status, and every result — `error` and `skip` above all — carries a non-empty reason;
 * - `pass` never comes out of facts missing the field the check judges (PASS_NEEDS below, one line per check;
 *   documented defaults — allowSharedKeyAccess/isHnsEnabled/securityType absent — are the only exceptions);
 * - advisory checks only pass or warn; every fail names a documented error the catalogue knows;
 * - fix commands are safe to paste: Azure-supplied names are shell-quoted (a name such as `x;rm -rf ~` or `$(id)`
 *   must stay one inert word).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CheckDefinition, FactMap, FactName } from "../../src/checks/define.js";
import { CHECKS } from "../../src/checks/index.js";
import { isGranted } from "../../src/checks/support/permissions.js";
import { getEntry } from "../../src/catalog/index.js";
import { toCheckResult } from "../../src/engine/result.js";
import type { CheckId } from "../../src/types.js";
import {
  cloudShellFacts,
  consoleFacts,
  permissionFacts,
  serialLogFacts,
  storageLookup,
  subscriptionFacts,
  vmFacts,
} from "./facts.arbitraries.js";
import { judgeSerialLog } from "../../src/checks/support/serial-log.js";
import { shellWords } from "../fixtures/shell.js";
import { propertyParams } from "./config.js";

type Facts = Omit<FactMap, "network">;
const lockFacts = fc.record({
  id: fc.string(),
  name: fc.string(),
  level: fc.constantFrom("ReadOnly", "CanNotDelete", "readonly", "NotSpecified"),
  scope: fc.string(),
});
const factsArb: fc.Arbitrary<Facts> = fc.record({
  vm: vmFacts,
  vmTarget: fc
    .tuple(vmFacts, fc.option(fc.constant("403 AuthorizationFailed"), { nil: undefined }))
    .map(([vm, readRefused]) => ({ ...vm, readRefused })),
  subscription: subscriptionFacts,
  consoleService: consoleFacts,
  storage: storageLookup,
  vmPermissions: permissionFacts,
  storagePermissions: fc.option(permissionFacts, { nil: null }),
  serialLog: serialLogFacts,
  cloudShell: cloudShellFacts,
  storagePath: fc.constantFrom("end-2025" as const, "legacy" as const),
  locks: fc.record({
    vm: fc.array(lockFacts, { maxLength: 3 }),
    account: fc.option(fc.array(lockFacts, { maxLength: 3 }), { nil: null }),
    accountUnknown: fc.option(fc.string({ minLength: 1 }), { nil: undefined }),
  }),
  perimeter: fc.option(
    fc.oneof(
      fc.record({ unreadable: fc.string() }),
      fc.record({
        associations: fc.array(
          fc.record({
            name: fc.string(),
            accessMode: fc.option(fc.constantFrom("Enforced", "Learning", "Audit"), { nil: undefined }),
            inboundAddressPrefixes: fc.array(fc.constantFrom("0.0.0.0/0", "20.105.209.72", "148.0.0.0/8", "x"), { maxLength: 3 }),
          }),
          { maxLength: 2 },
        ),
      }),
    ),
    { nil: null },
  ),
});

const found = (f: Facts) => (f.storage.kind === "found" ? f.storage.account : undefined);
const grantsAll = (blocks: FactMap["vmPermissions"]["blocks"], actions: readonly string[]) => actions.every((a) => isGranted(blocks, a));

/** What must be true of the facts for `pass` to be honest. */
const PASS_NEEDS: Record<Exclude<CheckId, "network">, (f: Facts) => boolean> = {
  "subscription-state": (f) => f.subscription.state?.toLowerCase() === "enabled",
  "console-enabled": (f) => f.consoleService.disabled === false,
  "provisioning-state": (f) => f.vm.provisioningState?.toLowerCase() === "succeeded",
  "power-state": (f) => f.vm.hasInstanceView && f.vm.statuses.some((s) => s.code.toLowerCase() === "powerstate/running"),
  "boot-diagnostics": (f) => f.vm.bootDiagnostics.enabled === true,
  "scale-set-model": (f) => f.vm.kind === "vmss-uniform" && f.vm.latestModelApplied === true,
  "boot-diagnostics-uri": (f) =>
    f.vm.bootDiagnostics.enabled === true &&
    /^https:\/\//i.test(f.vm.bootDiagnostics.storageUri ?? f.vm.instanceViewBootDiagnostics?.consoleScreenshotBlobUri ?? ""),
  "storage-account": (f) => found(f) !== undefined,
  // The firewall is judged from networkAcls.defaultAction (required by the storage spec): no pass without it.
  // No rule set at all is the spec's default (allow); a rule set must say its defaultAction.
  "storage-firewall": (f) =>
    found(f) !== undefined && (found(f)?.networkAcls === undefined || found(f)?.networkAcls?.defaultAction !== undefined),
  "storage-hns": (f) => found(f) !== undefined && found(f)?.isHnsEnabled !== true,
  "storage-shared-key": (f) => found(f) !== undefined && found(f)?.allowSharedKeyAccess !== false,
  "rbac-vm": (f) => grantsAll(f.vmPermissions.blocks, ["Microsoft.SerialConsole/serialPorts/connect/action"]),
  "rbac-storage": (f) =>
    found(f) !== undefined &&
    f.storagePermissions !== null &&
    grantsAll(f.storagePermissions.blocks, ["Microsoft.Storage/storageAccounts/listKeys/action"]),
  "trusted-launch": (f) => !((f.vm.securityType ?? "").toLowerCase() === "trustedlaunch" && f.vm.secureBootEnabled === true),
  "os-disk": (f) => f.vm.osDisk.managed && !f.vm.osDisk.adeEnabled && !f.vm.osDisk.ephemeral,
  "cloud-shell-storage": (f) =>
    f.cloudShell.kind === "no-storage" ||
    (f.cloudShell.kind === "found" && !f.cloudShell.unreadable && f.cloudShell.state?.toLowerCase() === "enabled"),
  "guest-login": (f) =>
    ((f.vm.osType ?? "").toLowerCase() === "linux" && f.vm.disablePasswordAuthentication === false) ||
    ((f.vm.osType ?? "").toLowerCase() === "windows" &&
      // A Server by its image, its guest's own words or its Hybrid Benefit licence, and no sign of a client edition.
      !/^microsoftwindowsdesktop$/i.test(f.vm.imagePublisher ?? "") &&
      !/^windows_client$/i.test(f.vm.licenseType ?? "") &&
      !/\bwindows (?:7|8(?:\.1)?|10|11)\b/i.test(f.vm.osName ?? "") &&
      (/^microsoftwindowsserver$/i.test(f.vm.imagePublisher ?? "") ||
        /windows server/i.test(f.vm.osName ?? "") ||
        /^windows_server$/i.test(f.vm.licenseType ?? ""))),
  "serial-log": (f) =>
    f.vm.bootDiagnostics.enabled === true && f.serialLog.kind === "read" && judgeSerialLog(f.serialLog.tail).verdict.state === "prompt",
  "resource-locks": (f) =>
    f.locks.accountUnknown === undefined && ![...f.locks.vm, ...(f.locks.account ?? [])].some((l) => l.level.toLowerCase() === "readonly"),
};

function evaluateSafely(check: CheckDefinition, facts: Facts) {
  return check.evaluate(facts as Pick<FactMap, FactName>);
}

describe.each((CHECKS as readonly CheckDefinition[]).filter((c) => c.id !== "network").map((c) => [c.id, c] as const))(
  "%s",
  (id, check) => {
    it("valid status, a reason, and pass only on the facts it judges", () => {
      fc.assert(
        fc.property(factsArb, (facts) => {
          const finding = evaluateSafely(check, facts);
          const result = toCheckResult(check, finding, 1);
          expect(["pass", "fail", "warn", "skip", "error"]).toContain(result.status);
          expect(result.reason.trim(), `${id} ${result.status} without a reason`).not.toBe("");
          if (result.status === "pass")
            expect(PASS_NEEDS[id as Exclude<CheckId, "network">](facts), `${id} passed on ${JSON.stringify(facts)}`).toBe(true);
          // Advisory checks never block (they may still skip, or say they could not read).
          if (check.advisory) expect(result.status).not.toBe("fail");
          // A blocking finding always names the documented error the user would meet (docs/contract.md, "Check ids").
          if (finding.status === "fail") {
            expect(
              finding.documentedErrorId && getEntry(finding.documentedErrorId),
              `${id} fail without a known documented error`,
            ).toBeTruthy();
          }
        }),
        propertyParams(500),
      );
    });

    it("fix commands keep Azure-supplied names as single inert shell words", () => {
      fc.assert(
        fc.property(factsArb, (facts) => {
          const result = toCheckResult(check, evaluateSafely(check, facts), 1);
          for (const fix of result.fix ?? []) {
            const { unquotedMeta } = shellWords(fix);
            expect(unquotedMeta, `${id}: unquoted shell metacharacter in fix: ${fix}`).toBe(false);
          }
        }),
        propertyParams(500),
      );
    });
  },
);

describe("a bug found here, fixed in the catalogue", () => {
  it("storage-account's fix passes a hostile account name as one inert shell word", async () => {
    const check = (CHECKS as readonly CheckDefinition[]).find((c) => c.id === "storage-account");
    const vm = fc.sample(vmFacts, { numRuns: 1, seed: 1 })[0];
    if (!check || !vm) throw new Error("fixture");
    const storage = { kind: "rg-undetermined" as const, accountName: "$(id)", detail: "listed without a resource group" };
    const result = toCheckResult(check, check.evaluate({ storage, vm } as Pick<FactMap, FactName>), 1);
    for (const fix of result.fix ?? []) expect(shellWords(fix).unquotedMeta, fix).toBe(false);
  });
});
