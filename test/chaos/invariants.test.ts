/**
 * The chaos oracle must be able to say no: synthetic runs that break each promise are caught, and honest ones
 * (a 404 injected where the account really is absent, a retried 429) are not flagged.
 */
import { describe, expect, it } from "vitest";
import type { RequestLogEntry } from "../azure-sim/index.mjs";
import { violations } from "./invariants.js";
import { taintedFacts } from "./taint.js";

const SUB = "/subscriptions/00000000-0000-0000-0000-000000000001";
const VM = `${SUB}/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/vm1`;
const entry = (kind: string, path: string, status: number, fault?: RequestLogEntry["fault"]): RequestLogEntry => ({
  method: "GET",
  path,
  query: {},
  status,
  fault,
  ms: 1,
  correlationId: "c",
  kind,
});

function report(status: string, reason = "x") {
  const check = (id: string) => ({ id, title: id, status: id === "power-state" ? status : "skip", reason, durationMs: 1, evidence: {} });
  return JSON.stringify({
    schemaVersion: 1,
    tool: { name: "sc-doctor", version: "0.1.0" },
    vm: { id: VM, name: "vm1", resourceGroup: "rg1", subscriptionId: "00000000-0000-0000-0000-000000000001" },
    verdict: status === "pass" ? "ready" : "unknown",
    checks: [check("power-state"), check("os-disk")],
  });
}
const run = (stdout: string, code = 0, stderr = "", ms = 100) => ({ code, stdout, stderr, ms });

describe("taintedFacts", () => {
  it("a retried 429 is a successful read; a final 503 is not; huge bodies keep the data", () => {
    expect(taintedFacts([entry("vm", VM, 429, "429"), entry("vm", VM, 200)]).has("vm")).toBe(false);
    expect(taintedFacts([entry("vm", VM, 200), entry("vm", VM, 503, "503")]).has("vm")).toBe(true);
    expect(taintedFacts([entry("vm", VM, 200, "huge-body")]).has("vm")).toBe(false);
  });

  it("a tainted VM taints the storage lookup, the storage permissions, the account's locks and the serial log", () => {
    const tainted = taintedFacts([entry("vm", VM, 200, "missing-fields")]);
    expect([...tainted].sort()).toEqual(["locks", "serialLog", "storage", "storagePermissions", "vm"]);
  });

  it("a 404 in the VM's group followed by a clean list is an honest lookup; a distorted list is not", () => {
    const get = entry("storage-account", `${SUB}/resourceGroups/rg1/providers/Microsoft.Storage/storageAccounts/a`, 404, "404");
    expect(taintedFacts([get, entry("storage-list", `${SUB}/providers/Microsoft.Storage/storageAccounts`, 200)]).has("storage")).toBe(
      false,
    );
    expect(
      taintedFacts([get, entry("storage-list", `${SUB}/providers/Microsoft.Storage/storageAccounts`, 200, "wrong-types")]).has("storage"),
    ).toBe(true);
    // A mistyped 404 body is still the 404 the lookup acts on (seed 90493).
    const mangled404 = { ...get, fault: "wrong-types" as const };
    expect(
      taintedFacts([mangled404, entry("storage-list", `${SUB}/providers/Microsoft.Storage/storageAccounts`, 200)]).has("storage"),
    ).toBe(false);
  });

  it("with --principal, a faulted assignment list taints its scope; a faulted definition taints both", () => {
    const log = [entry("role-assignments", `${VM}/providers/Microsoft.Authorization/roleAssignments`, 200, "wrong-types")];
    expect([...taintedFacts(log, { principal: true, vmPermissions: VM })].sort()).toEqual(["vmPermissions"]);
    expect(
      [
        ...taintedFacts([entry("role-definition", "/providers/Microsoft.Authorization/roleDefinitions/x", 200, "missing-fields")], {
          principal: true,
        }),
      ].sort(),
    ).toEqual(["storagePermissions", "vmPermissions"]);
    expect(
      taintedFacts([entry("role-definition", "/providers/Microsoft.Authorization/roleDefinitions/x", 200)], { principal: true }).size,
    ).toBe(0);
  });

  it("a found account is judged by its own GET or its subscription's list, not by other subscriptions' lists", () => {
    const SUB2 = "/subscriptions/00000000-0000-0000-0000-000000000002";
    const account = { subscriptionId: "00000000-0000-0000-0000-000000000002", resourceGroup: "rg-diag2", name: "scdiagstore" };
    const otherList = entry("storage-list", `${SUB}/providers/Microsoft.Storage/storageAccounts`, 200, "wrong-types");
    const ownList = entry("storage-list", `${SUB2}/providers/Microsoft.Storage/storageAccounts`, 200);
    expect(taintedFacts([otherList, ownList], { storageAccount: account }).has("storage")).toBe(false);
    expect(taintedFacts([otherList, { ...ownList, fault: "missing-fields" }], { storageAccount: account }).has("storage")).toBe(true);
  });

  it("locks are judged at the VM and at the account found, not at a speculative id the lookup did not confirm", () => {
    const LOCKS = "/providers/Microsoft.Authorization/locks";
    const next = `${SUB}/resourceGroups/rg1/providers/Microsoft.Storage/storageAccounts/diag`;
    const found = { subscriptionId: "00000000-0000-0000-0000-000000000002", resourceGroup: "rg2", name: "diag" };
    const real = `/subscriptions/${found.subscriptionId}/resourceGroups/rg2/providers/Microsoft.Storage/storageAccounts/diag`;
    // The account was found by its own subscription's clean list.
    const list = entry("storage-list", `/subscriptions/${found.subscriptionId}/providers/Microsoft.Storage/storageAccounts`, 200);
    const log = (faulted: string) => [
      list,
      ...[VM, next, real].map((scope) =>
        entry("locks", `${scope}${LOCKS}`, scope === faulted ? 0 : 200, scope === faulted ? "reset" : undefined),
      ),
    ];
    expect(taintedFacts(log(next), { storageAccount: found }).has("locks")).toBe(false);
    expect(taintedFacts(log(real), { storageAccount: found }).has("locks")).toBe(true);
    expect(taintedFacts(log(VM), { storageAccount: found }).has("locks")).toBe(true);
    // An account the lookup could not locate (its subscription's list failed): its locks are unknown too.
    expect(taintedFacts([{ ...list, status: 0, fault: "reset" }], {}).has("locks")).toBe(true);
  });

  it("permissions are judged at the scope the check used", () => {
    const log = [entry("permissions", `${VM}/providers/Microsoft.Authorization/permissions`, 403, "403")];
    expect(taintedFacts(log, { vmPermissions: VM }).has("vmPermissions")).toBe(true);
    expect(taintedFacts(log, { vmPermissions: `${VM}x` }).has("vmPermissions")).toBe(true); // never read at all
    expect(
      taintedFacts([entry("permissions", `${VM}/providers/Microsoft.Authorization/permissions`, 200)], { vmPermissions: VM }).has(
        "vmPermissions",
      ),
    ).toBe(false);
  });
});

describe("violations", () => {
  const faultedVm = [entry("vm", VM, 0, "hang")];
  it.each([
    ["pass on an unread VM", run(report("pass")), faultedVm, /power-state: pass although vm/],
    ["exit 4", run(report("error"), 4), [], /exit code 4/],
    ["a stack trace", run(report("error"), 3, "Error: x\n    at foo (file.js:1:2)"), [], /stack trace/],
    ["an unhandled rejection", run(report("error"), 3, "sc-doctor: internal error: unhandled rejection: boom"), [], /crash message/],
    ["an error without a reason", run(report("error", " ")), [], /error without a reason/],
    ["too slow", run(report("error"), 3, "", 99_999), [], /took 99999 ms/],
    ["no JSON", run("oops", 3), [], /no valid JSON report/],
    [
      "a fail on a stripped body",
      run(report("fail")),
      [entry("vm", VM, 200, "missing-fields")],
      /power-state: fail resting on a distorted response for vm/,
    ],
  ])("flags %s", (_label, cliRun, log, message) => {
    expect(violations({ run: cliRun, log, writes: [], timeLimitMs: 10_000 }).join("\n")).toMatch(message);
  });

  it("flags a write and accepts an honest run", () => {
    expect(
      violations({
        run: run(report("pass")),
        log: [entry("vm", VM, 200)],
        writes: [{ method: "PUT", path: VM, query: {}, body: {} }],
        timeLimitMs: 10_000,
      }),
    ).toEqual(["1 write(s) reached Azure"]);
    expect(
      violations({ run: run(report("pass")), log: [entry("vm", VM, 429, "429"), entry("vm", VM, 200)], writes: [], timeLimitMs: 10_000 }),
    ).toEqual([]);
  });
});
