import { describe, expect, it } from "vitest";
import type { FactLoaders } from "../../src/azure/loaders.js";
import { AzureCallError } from "../../src/azure/arm.js";
import { defineCheck, type CheckDefinition } from "../../src/checks/define.js";
import { runChecks } from "../../src/engine/run.js";
import { exitCodeFor } from "../../src/engine/exit-code.js";
import { reasonForPeople } from "../../src/report/reason.js";
import { verdictOf, type CheckId, type Finding } from "../../src/types.js";

const never = () => new Promise<never>(() => undefined);
function loaders(overrides: Partial<Record<keyof FactLoaders, () => Promise<unknown>>> = {}): FactLoaders {
  const reject = (name: string) => () => Promise.reject(new Error(`${name} not provided`));
  const base = Object.fromEntries(
    ["vm", "subscription", "consoleService", "storage", "vmPermissions", "storagePermissions", "network"].map((n) => [n, reject(n)]),
  );
  return { ...base, ...overrides } as unknown as FactLoaders;
}

function check(id: CheckId, evaluate: () => Finding, extra: Partial<CheckDefinition> = {}): CheckDefinition {
  return { ...defineCheck({ id, title: id, needs: ["subscription"], permissions: [], evaluate }), ...extra } as CheckDefinition;
}

const pass = (): Finding => ({ status: "pass", reason: "ok" });

describe("runChecks", () => {
  it("a check that throws is that check's error; the others finish", async () => {
    const results = await runChecks(
      [
        check("subscription-state", () => {
          throw new Error("boom");
        }),
        check("console-enabled", pass),
      ],
      loaders({ subscription: async () => ({}) }),
      { timeoutMs: 1000, concurrency: 4 },
    );
    expect(results.map((r) => [r.id, r.status])).toEqual([
      ["subscription-state", "error"],
      ["console-enabled", "pass"],
    ]);
    expect(results[0]?.reason).toMatch(/boom/);
  });

  it("a fact that fails makes every check needing it error, with Azure's answer as the reason", async () => {
    const failing = () => Promise.reject(new AzureCallError("the subscription", "denied", 403, "AuthorizationFailed"));
    const results = await runChecks(
      [check("subscription-state", pass), check("console-enabled", pass)],
      loaders({ subscription: failing }),
      { timeoutMs: 1000, concurrency: 4 },
    );
    expect(results.every((r) => r.status === "error")).toBe(true);
    expect(results[0]?.reason).toBe("could not read the subscription: 403 AuthorizationFailed — denied");
    expect(results[0]?.evidence).toMatchObject({ statusCode: 403, code: "AuthorizationFailed" });
  });

  it("a hanging fact is bounded by the per-check timeout: error 'timeout'", async () => {
    const started = Date.now();
    const results = await runChecks([check("subscription-state", pass)], loaders({ subscription: never }), {
      timeoutMs: 100,
      concurrency: 1,
    });
    expect(results[0]).toMatchObject({ status: "error", reason: "timeout" });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("a timeout's evidence names the facts that had not answered, not those that had", async () => {
    const both = check("storage-account", pass, { needs: ["subscription", "storage"] } as Partial<CheckDefinition>);
    const results = await runChecks([both], loaders({ subscription: async () => ({}), storage: never }), {
      timeoutMs: 100,
      concurrency: 4,
    });
    expect(results[0]).toMatchObject({ status: "error", reason: "timeout", evidence: { timeoutMs: 100, waitingFor: ["storage"] } });
    expect(reasonForPeople(results[0]!)).toBe(
      "timeout — not evaluated within 100 ms (--timeout): no answer for the boot diagnostics storage account",
    );
  });

  it("a dependency that failed makes its dependents skip with a reason naming it", async () => {
    const results = await runChecks(
      [
        check("storage-account", () => ({ status: "fail", reason: "gone" })),
        check("storage-firewall", pass, { dependsOn: ["storage-account"] }),
      ],
      loaders({ subscription: async () => ({}) }),
      { timeoutMs: 1000, concurrency: 1 },
    );
    expect(results[1]).toMatchObject({ id: "storage-firewall", status: "skip" });
    expect(results[1]?.reason).toMatch(/storage-account failed/);
  });

  it("--concurrency 1: a fact one check already waited --timeout for is not waited for again by the next", async () => {
    const started = Date.now();
    const ids = ["subscription-state", "console-enabled", "power-state", "provisioning-state"] as const;
    const results = await runChecks(
      ids.map((id) => check(id, pass)),
      loaders({ subscription: never }),
      { timeoutMs: 300, concurrency: 1 },
    );
    expect(results.map((r) => [r.status, r.reason])).toEqual(ids.map(() => ["error", "timeout"]));
    expect(results.slice(1).every((r) => r.evidence["alreadyWaited"] === true)).toBe(true);
    expect(Date.now() - started).toBeLessThan(1000); // one wait, not four
  });

  it("--concurrency 1: a check that gives up on a read already timed out does not mark its other reads timed out", async () => {
    const results = await runChecks(
      [
        check("subscription-state", pass),
        check("console-enabled", pass, { needs: ["subscription", "consoleService"] } as Partial<CheckDefinition>),
        check("power-state", pass, { needs: ["consoleService"] } as Partial<CheckDefinition>),
      ],
      loaders({ subscription: never, consoleService: async () => ({}) }),
      { timeoutMs: 200, concurrency: 1 },
    );
    expect(results.map((r) => [r.id, r.status])).toEqual([
      ["subscription-state", "error"],
      ["console-enabled", "error"],
      ["power-state", "pass"],
    ]);
  });

  it("a check whose dependency was skipped because its own could not be evaluated skips too (no second wait)", async () => {
    const started = Date.now();
    const results = await runChecks(
      [
        check("boot-diagnostics", pass, { needs: ["vm"] } as Partial<CheckDefinition>),
        check("storage-account", pass, { needs: ["vm"], dependsOn: ["boot-diagnostics"] } as Partial<CheckDefinition>),
        check("rbac-storage", pass, { needs: ["storagePermissions"], dependsOn: ["storage-account"] } as Partial<CheckDefinition>),
      ],
      loaders({ vm: never, storagePermissions: never }),
      { timeoutMs: 300, concurrency: 4 },
    );
    expect(results.map((r) => [r.id, r.status])).toEqual([
      ["boot-diagnostics", "error"],
      ["storage-account", "skip"],
      ["rbac-storage", "skip"],
    ]);
    expect(results[2]?.reason).toBe("storage-account could not be evaluated, so this check does not apply");
    expect(Date.now() - started).toBeLessThan(550);
  });

  it("a fact is loaded once however many checks need it", async () => {
    let calls = 0;
    let cached: Promise<unknown> | undefined;
    const subscription = () => (cached ??= (calls++, Promise.resolve({})));
    await runChecks(
      [check("subscription-state", pass), check("console-enabled", pass), check("power-state", pass)],
      loaders({ subscription }),
      { timeoutMs: 1000, concurrency: 3 },
    );
    expect(calls).toBe(1);
  });

  it("results come back in contract order whatever order they finish in", async () => {
    const slow = check("subscription-state", pass, { needs: ["vm"] } as Partial<CheckDefinition>);
    const results = await runChecks(
      [check("os-disk", pass), slow],
      loaders({ subscription: async () => ({}), vm: () => new Promise((r) => setTimeout(() => r({}), 30)) }),
      { timeoutMs: 1000, concurrency: 2 },
    );
    expect(results.map((r) => r.id)).toEqual(["subscription-state", "os-disk"]);
  });

  it("facts already in memory (evaluated without a promise per check) give what one-at-a-time evaluation gives", async () => {
    const failing = () => Promise.reject(new AzureCallError("the VM", "denied", 403, "AuthorizationFailed"));
    const checks = [
      check("storage-firewall", pass, { dependsOn: ["storage-account"] }),
      check("storage-account", () => ({ status: "fail", reason: "gone" })),
      check("subscription-state", () => {
        throw new Error("boom");
      }),
      check("power-state", pass, { needs: ["vm"] } as Partial<CheckDefinition>),
      check("console-enabled", pass),
    ];
    const facts = () => loaders({ subscription: async () => ({}), vm: failing });
    const withoutDurations = (results: { durationMs: number }[]) => results.map((r) => ({ ...r, durationMs: 0 }));
    const inMemory = await runChecks(checks, facts(), { timeoutMs: 1000, concurrency: 8 });
    const oneByOne = await runChecks(checks, facts(), { timeoutMs: 1000, concurrency: 1 });
    expect(withoutDurations(inMemory)).toEqual(withoutDurations(oneByOne));
    expect(inMemory.map((r) => [r.id, r.status])).toEqual([
      ["subscription-state", "error"],
      ["console-enabled", "pass"],
      ["power-state", "error"],
      ["storage-account", "fail"],
      ["storage-firewall", "skip"],
    ]);
  });

  it("two failed facts in memory: the check names the first in its own `needs`, as one-at-a-time evaluation does", async () => {
    const facts = () => {
      const vm = Promise.reject(new AzureCallError("the VM", "denied", 403, "AuthorizationFailed"));
      const permissions = Promise.reject(new AzureCallError("permissions on the VM", "throttled", 429, "TooManyRequests"));
      vm.catch(() => undefined);
      permissions.catch(() => undefined);
      return loaders({ vm: () => vm, vmPermissions: () => permissions });
    };
    // Another check asks for the VM first, so the run meets the VM's failure before the permissions'.
    const checks = [
      check("provisioning-state", pass, { needs: ["vm"] } as Partial<CheckDefinition>),
      check("rbac-vm", pass, { needs: ["vmPermissions", "vm"] } as Partial<CheckDefinition>),
    ];
    const inMemory = await runChecks(checks, facts(), { timeoutMs: 1000, concurrency: 8 });
    const oneByOne = await runChecks(checks, facts(), { timeoutMs: 1000, concurrency: 1 });
    expect(inMemory.map((r) => r.reason)).toEqual(oneByOne.map((r) => r.reason));
    expect(inMemory.find((r) => r.id === "rbac-vm")?.reason).toMatch(/429/);
  });

  it("a fact that is not in memory keeps each check's own timeout, the others finish", async () => {
    const results = await runChecks(
      [check("subscription-state", pass), check("power-state", pass, { needs: ["vm"] } as Partial<CheckDefinition>)],
      loaders({ subscription: async () => ({}), vm: never }),
      { timeoutMs: 100, concurrency: 8 },
    );
    expect(results.map((r) => [r.id, r.status, r.reason])).toEqual([
      ["subscription-state", "pass", "ok"],
      ["power-state", "error", "timeout"],
    ]);
  });

  it("fail/warn findings get the catalogue's documented error, mitigation and filled-in fix", async () => {
    const results = await runChecks(
      [
        check("power-state", () => ({
          status: "fail",
          reason: "deallocated",
          documentedErrorId: "vm-not-running",
          fixArgs: { vm: "vm1", rg: "rg1", subscription: "s" },
        })),
      ],
      loaders({ subscription: async () => ({}) }),
      { timeoutMs: 1000, concurrency: 1 },
    );
    expect(results[0]?.documentedError?.message).toMatch(/requires a virtual machine to be running/);
    expect(results[0]?.fix).toEqual(["az vm start --name vm1 --resource-group rg1 --subscription s"]);
  });
});

describe("verdict and exit code", () => {
  it.each([
    [["pass", "fail", "error"], "blocked"],
    [["pass", "error", "warn"], "unknown"],
    [["pass", "warn", "skip"], "degraded"],
    [["pass", "skip"], "ready"],
  ] as const)("%j → %s", (statuses, verdict) => {
    expect(verdictOf(statuses.map((status) => ({ status })))).toBe(verdict);
  });

  it.each([
    [["pass", "fail"], "fail", false, 1],
    [["pass", "warn"], "fail", false, 0],
    [["pass", "warn"], "warn", false, 1],
    [["pass", "error"], "fail", false, 3],
    [["fail", "error"], "fail", false, 1],
    [["fail"], "fail", true, 0],
    [["pass"], "fail", false, 0],
  ] as const)("%j with --fail-on %s, exit-zero %s → %i", (statuses, failOn, exitZero, code) => {
    expect(
      exitCodeFor(
        statuses.map((status) => ({ status })),
        { failOn, exitZero },
      ),
    ).toBe(code);
  });
});
