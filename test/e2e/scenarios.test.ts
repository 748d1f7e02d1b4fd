/**
 * One scenario per documented error an Azure-side check covers, plus the healthy shapes: the built CLI against
 * the simulator, asserting check id, status, documented error and exit code — and that nothing was written.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Simulator } from "../azure-sim/index.mjs";
import {
  SUB,
  VM_ID,
  VMSS_ID,
  check,
  diagnose as runDiagnosis,
  parseVmJson,
  runCli,
  runInProcess,
  useSimulator,
  type VmJson,
} from "./harness.js";

let sim: Simulator;
useSimulator((started) => (sim = started));

const diagnose = (scenario: string, args: string[] = [], vm = VM_ID) => runDiagnosis(sim, scenario, args, vm);

describe("documented errors, one scenario each", () => {
  it.each([
    ["boot-diagnostics-off", "boot-diagnostics", "fail", "boot-diagnostics-disabled", 1],
    ["deallocated", "power-state", "fail", "vm-not-running", 1],
    ["stopped", "power-state", "fail", "vm-not-running", 1],
    ["provisioning-failed", "provisioning-state", "fail", "provisioning-not-done", 1],
    ["console-disabled", "console-enabled", "fail", "console-disabled", 1],
    ["subscription-disabled", "subscription-state", "fail", "subscription-not-enabled", 1],
    ["bootdiag-http", "boot-diagnostics-uri", "fail", "bad-request-400", 1],
    ["storage-missing", "storage-account", "fail", "storage-account-not-found", 1],
    ["storage-rg-undetermined", "storage-account", "fail", "storage-rg-undetermined", 1],
    ["storage-public-access-disabled", "storage-firewall", "fail", "storage-forbidden", 1],
    ["provisioning-updating", "provisioning-state", "warn", "provisioning-not-done", 0],
    ["console-404", "console-enabled", "warn", "console-disabled", 0],
    ["storage-firewall-deny", "storage-firewall", "fail", "storage-forbidden", 1],
    ["storage-firewall-partial", "storage-firewall", "warn", "storage-forbidden", 0],
    ["storage-hns", "storage-hns", "fail", "storage-hns-unsupported", 1],
    ["storage-shared-key-off", "storage-shared-key", "fail", "storage-shared-key-disabled", 1],
    ["rbac-reader", "rbac-vm", "fail", "rbac-vm-permissions", 1],
    ["rbac-no-vm-read", "rbac-vm", "fail", "rbac-vm-permissions", 1],
    ["rbac-no-storage", "rbac-storage", "fail", "rbac-storage-write", 1],
    ["trusted-launch", "trusted-launch", "warn", "no-output-after-live-migration", 0],
    ["os-disk-encrypted", "os-disk", "warn", "vmi-encrypted-disk-not-supported", 0],
    ["os-disk-encrypted-single-pass", "os-disk", "warn", "vmi-encrypted-disk-not-supported", 0],
    ["os-disk-ephemeral", "os-disk", "warn", "vmi-resource-not-supported-3", 0],
    ["os-disk-unmanaged", "os-disk", "warn", "vmi-unmanaged-disk-not-supported", 0],
  ] as const)("%s → %s %s (%s), exit %i (--legacy-storage-path)", async (scenario, id, status, documentedError, exitCode) => {
    // The documents' judgement of each error; the default, end-2025 storage path is tested in today.test.ts.
    const { run, report } = await diagnose(scenario, ["--legacy-storage-path"]);
    const result = check(report, id);
    expect(result.status).toBe(status);
    expect(result.documentedError?.id).toBe(documentedError);
    expect(result.documentedError?.message.length).toBeGreaterThan(10);
    expect(result.mitigation).toBeTruthy();
    expect(run.code).toBe(exitCode);
    expect(report.verdict).toBe(status === "fail" ? "blocked" : "degraded");
  });

  it("the scale set instance on an outdated model", async () => {
    const { run, report } = await diagnose("vmss-outdated-model", [], VMSS_ID);
    // The instance already has boot diagnostics, the one setting the docs tie to the model: a warning.
    expect(check(report, "scale-set-model").status).toBe("warn");
    expect(check(report, "scale-set-model").fix?.join(" ")).toContain("update-instances");
    expect(run.code).toBe(0);
  });

  it("the RBAC fix names the caller's object id (from its token) as the assignee", async () => {
    const { report } = await diagnose("rbac-reader");
    expect(check(report, "rbac-vm").fix?.[0]).toBe(
      `az role assignment create --assignee 11111111-1111-1111-1111-111111111111 --role "Virtual Machine Contributor" --scope ${VM_ID}`,
    );
  });

  it("roles delegated through Azure Lighthouse (in no role-assignment list): the audit agrees with --vm, ready", async () => {
    const { run, report } = await diagnose("rbac-lighthouse", ["--no-serial-log"]);
    expect(run.code, run.stderr).toBe(0);
    const audit = await runInProcess(["audit", "--no-network", "-o", "json"], sim.env, 120_000);
    expect(audit.code, audit.stderr).toBe(0);
    const vm1 = (JSON.parse(audit.stdout) as { results: VmJson[] }).results.find((r) => r.vm.id === VM_ID);
    for (const id of ["rbac-vm", "rbac-storage"]) {
      expect(check(report, id).status, id).toBe("pass");
      expect(vm1 && check(vm1, id).status, `audit ${id}`).toBe("pass");
    }
  });

  it("--principal in a subscription managed through Azure Lighthouse: roles not seen are a warning that says why, not a fail", async () => {
    const principal = ["--principal", "11111111-1111-1111-1111-111111111111"];
    const { report } = await diagnose("rbac-lighthouse", [...principal, "--no-serial-log"]);
    const audit = await runInProcess(["audit", "--no-network", "-o", "json", ...principal], sim.env, 120_000);
    const vm1 = (JSON.parse(audit.stdout) as { results: VmJson[] }).results.find((r) => r.vm.id === VM_ID);
    for (const result of [report, vm1]) {
      const rbac = result && check(result, "rbac-vm");
      expect(rbac?.status).toBe("warn");
      expect(rbac?.reason).toMatch(/but roles delegated through Azure Lighthouse are not listed/);
      expect(rbac?.evidence?.["limitations"]).toContainEqual(
        expect.stringMatching(/managed by tenant 99999999-0000-0000-0000-000000000099/),
      );
    }
    // The same principal outside Lighthouse (healthy: no managedByTenants): nothing said.
    const { report: healthy } = await diagnose("healthy", principal);
    expect(JSON.stringify(check(healthy, "rbac-vm").evidence)).not.toContain("Lighthouse");
  });

  it("fixes carry the VM's real names", async () => {
    const { report } = await diagnose("boot-diagnostics-off");
    expect(check(report, "boot-diagnostics").fix?.[0]).toMatch(/az vm boot-diagnostics enable --name vm1 --resource-group rg1/);
  });
});

describe("healthy shapes", () => {
  it("healthy custom boot diagnostics: ready, exit 0, every Azure-side check evaluated", async () => {
    const { run, report } = await diagnose("healthy");
    expect(report.verdict).toBe("ready");
    expect(run.code).toBe(0);
    for (const id of [
      "subscription-state",
      "console-enabled",
      "provisioning-state",
      "power-state",
      "boot-diagnostics",
      "boot-diagnostics-uri",
      "storage-account",
      "storage-firewall",
      "storage-hns",
      "storage-shared-key",
      "rbac-vm",
      "rbac-storage",
    ]) {
      expect(check(report, id).status, id).toBe("pass");
    }
    expect(check(report, "network").status).toBe("skip");
    expect(report.correlationIds?.length).toBeGreaterThan(0);
  });

  it("managed boot diagnostics: storage checks skip, not fail", async () => {
    const { run, report } = await diagnose("healthy-managed");
    for (const id of ["storage-account", "storage-firewall", "storage-hns", "storage-shared-key", "rbac-storage"]) {
      expect(check(report, id).status, id).toBe("skip");
      expect(check(report, id).reason).toMatch(/managed/i);
    }
    expect(run.code).toBe(0);
  });

  it.each([
    ["storage-other-rg", "rg-diag", SUB],
    ["storage-other-subscription", undefined, "00000000-0000-0000-0000-000000000002"],
  ])("boot diagnostics account found in %s", async (scenario, rg, subscription) => {
    const { report } = await diagnose(scenario);
    const result = check(report, "storage-account");
    // Another subscription than the VM's is found, and warned about (boot diagnostics wants the VM's subscription).
    expect(result.status).toBe(subscription === SUB ? "pass" : "warn");
    if (rg) expect(JSON.stringify(result.evidence)).toContain(rg);
    expect(JSON.stringify(result.evidence).toLowerCase()).toContain(subscription);
  });

  it("storage firewall admitting every Serial Console IP of the geography: the portal works, so warn naming az serial-console", async () => {
    const { run, report } = await diagnose("storage-firewall-ok");
    const firewall = check(report, "storage-firewall");
    expect(firewall.status).toBe("warn");
    expect(firewall.reason).toMatch(/az serial-console/);
    expect(report.verdict).toBe("degraded");
    expect(run.code).toBe(0);
  });

  it("uniform scale set instance", async () => {
    const { run, report } = await diagnose("vmss-uniform", [], VMSS_ID);
    expect(report.verdict).toBe("ready");
    expect(check(report, "scale-set-model").status).toBe("pass");
    expect(run.code).toBe(0);
  });

  it("flexible scale set instance is diagnosed as a VM", async () => {
    const flex = `/subscriptions/${SUB}/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/ss1_abc123`;
    const { run, report } = await diagnose("vmss-flex", [], flex);
    expect(report.verdict).toBe("ready");
    expect(check(report, "scale-set-model").status).toBe("skip");
    expect(run.code).toBe(0);
  });

  it("mixed-case id", async () => {
    const { run, report } = await diagnose("healthy", [], VM_ID.toUpperCase().replace(SUB.toUpperCase(), SUB));
    expect(report.verdict).toBe("ready");
    expect(run.code).toBe(0);
    // As Azure spells them (the VM GET's id), like vm.name: not the casing typed.
    expect(report.vm).toMatchObject({ id: VM_ID, name: "vm1", resourceGroup: "rg1" });
  });

  it("--vm <name> -g <rg> --subscription", async () => {
    sim.setScenario("healthy");
    const run = await runCli(["--vm", "vm1", "-g", "rg1", "--subscription", SUB, "-o", "json", "--no-network"], sim.env);
    expect(parseVmJson(run).verdict).toBe("ready");
  });

  /** `--vm vm1 -g rg1 -o json --no-network` with no subscription anywhere (env, az config): a search. */
  const searchFor = (extra: string[] = []) =>
    runCli(["--vm", "vm1", "-g", "rg1", "-o", "json", "--no-network", ...extra], {
      ...sim.env,
      AZURE_SUBSCRIPTION_ID: "",
      AZURE_CONFIG_DIR: "/nonexistent",
    });

  it("--vm <name> -g <rg> without any subscription: found by searching the subscriptions you can see", async () => {
    sim.setScenario("healthy");
    sim.resetLog();
    const run = await searchFor();
    const report = parseVmJson(run);
    expect(report.vm.subscriptionId).toBe(SUB);
    expect(report.verdict).toBe("ready");
    expect(sim.writes).toHaveLength(0);
  });

  /** `--vm vm1 -g rg1` with no subscription given, the Azure CLI's files in a directory of their own. */
  const withAzureCliFiles = async (subscriptions: object[], config?: string) => {
    const dir = mkdtempSync(join(tmpdir(), "sc-doctor-az-"));
    writeFileSync(join(dir, "azureProfile.json"), `\uFEFF${JSON.stringify({ subscriptions })}`);
    if (config) writeFileSync(join(dir, "config"), config);
    sim.setScenario("healthy");
    sim.resetLog();
    return runCli(["--vm", "vm1", "-g", "rg1", "-o", "json", "--no-network"], {
      ...sim.env,
      AZURE_SUBSCRIPTION_ID: "",
      AZURE_CONFIG_DIR: dir,
    });
  };

  it("--vm <name> -g <rg> takes the Azure CLI's default subscription (azureProfile.json, BOM and all)", async () => {
    const run = await withAzureCliFiles([
      { id: "00000000-0000-0000-0000-000000000002", isDefault: false, environmentName: "AzureCloud" },
      // `az cloud set` keeps each cloud's default: this one is AzureChinaCloud's, not --cloud AzureCloud's.
      { id: "00000000-0000-0000-0000-000000000003", isDefault: true, environmentName: "AzureChinaCloud" },
      { id: SUB, isDefault: true, environmentName: "AzureCloud" },
    ]);
    expect(parseVmJson(run).vm.subscriptionId).toBe(SUB);
    expect(sim.requests.some((r: { path: string }) => r.path === "/subscriptions")).toBe(false);
  });

  it("--vm <name> -g <rg> with a custom ARM endpoint: the default subscription of the Azure CLI's active cloud (az cloud set)", async () => {
    const run = await withAzureCliFiles(
      [
        { id: "00000000-0000-0000-0000-000000000002", isDefault: true, environmentName: "AzureCloud" },
        { id: SUB, isDefault: true, environmentName: "AzureStackUser" },
      ],
      "[core]\noutput = json\n\n[cloud]\nname = AzureStackUser\n",
    );
    expect(parseVmJson(run).vm.subscriptionId).toBe(SUB);
    expect(sim.requests.some((r: { path: string }) => r.path === "/subscriptions")).toBe(false);
  });

  it("--vm <name> -g <rg> not in the default subscription: found by searching the others", async () => {
    // The default (AZURE_SUBSCRIPTION_ID, as on many CI runners) is tried first; the VM is in the first one.
    sim.setScenario("healthy");
    sim.resetLog();
    const run = await runCli(["--vm", "vm1", "-g", "rg1", "-o", "json", "--no-network"], {
      ...sim.env,
      AZURE_SUBSCRIPTION_ID: "00000000-0000-0000-0000-000000000002",
      AZURE_CONFIG_DIR: "/nonexistent",
    });
    expect(run.code, run.stderr).toBe(0);
    expect(parseVmJson(run).vm.subscriptionId).toBe(SUB);
    expect(sim.writes).toHaveLength(0);
  });

  it("--vm <name> -g <rg> in a Disabled subscription: found (its state is the finding), not 'VM not found'", async () => {
    sim.setScenario("subscription-disabled");
    const run = await searchFor();
    const report = parseVmJson(run);
    expect(report.vm.subscriptionId).toBe(SUB);
    expect(check(report, "subscription-state").status).toBe("fail");
  });

  it("--vm <name> -g <rg> where reading VMs is refused (403) in a subscription: 'may be there', naming it", async () => {
    sim.setScenario("healthy");
    sim.setFaults([
      { match: { path: `/subscriptions/${SUB}/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/vm1` }, kind: "403" },
    ]);
    try {
      const run = await searchFor();
      expect(run.code).toBe(3);
      expect(run.stderr).toMatch(new RegExp(`refused to let you read VMs \\(403\\), so it may be there: /subscriptions/${SUB}`));
      // --redact labels the ids it names.
      const redacted = await searchFor(["--redact"]);
      expect(redacted.stderr).toMatch(/may be there: \/subscriptions\/<subscription-\d+>/);
      expect(redacted.stderr + redacted.stdout).not.toContain(SUB);
    } finally {
      sim.setFaults([]);
    }
  });

  it("an id pasted with its quotes (JSON, a Windows shell, curly ones) is the id", async () => {
    for (const quoted of [`'${VM_ID}'`, `"${VM_ID}"`, `\u201c${VM_ID}\u201d`]) {
      const { report } = await diagnose("healthy", [], quoted);
      expect(report.vm.id.toLowerCase()).toBe(VM_ID.toLowerCase());
    }
  });

  it("--vm <bad name> -g <rg> with no subscription anywhere: the message shows what was typed, no stand-in subscription", async () => {
    const run = await runCli(["--vm", "bad name!", "-g", "rg1"], { AZURE_CONFIG_DIR: "/nonexistent" });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--vm bad name! -g rg1/);
    expect(run.stderr).not.toMatch(/00000000-0000-0000-0000-000000000000/);
  });

  it("--vm <name> -g <rg> that exists nowhere you can see: exit 3, saying where it looked", async () => {
    const run = await runCli(["--vm", "nope", "-g", "rg1", "-o", "json", "--no-network"], {
      ...sim.env,
      AZURE_SUBSCRIPTION_ID: "",
      AZURE_CONFIG_DIR: "/nonexistent",
    });
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/VM not found: no VM 'nope' in resource group 'rg1' in the 2 subscription\(s\) you can see/);
    // No VM id to carry a result: the JSON error object, as when a run cannot start (a script reads stdout alone).
    expect(JSON.parse(run.stdout)).toMatchObject({
      schemaVersion: 1,
      error: { code: "VmNotFound", message: expect.stringMatching(/^VM not found: no VM 'nope'/) as unknown as string },
    });
  });

  it("--vm <name> -g <rg> in none of your subscriptions, with a default one: its full result, as for a full id", async () => {
    const run = await runCli(["--vm", "nope", "-g", "rg1", "-o", "json", "--no-network"], sim.env);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/VM not found: no VM 'nope' in resource group 'rg1'/);
    const report = JSON.parse(run.stdout) as { vm: { id: string }; checks: { id: string; status: string }[] };
    expect(report.vm.id).toMatch(
      new RegExp(
        `^/subscriptions/${sim.env.AZURE_SUBSCRIPTION_ID}/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/nope$`,
        "i",
      ),
    );
    expect(report.checks.find((c) => c.id === "power-state")?.status).toBe("error");
  });

  it("--principal whose role comes through a group", async () => {
    const { report } = await diagnose("principal-group", ["--principal", "33333333-3333-3333-3333-333333333333"]);
    expect(check(report, "rbac-vm").status).toBe("pass");
    // What the role view cannot see is stated; deny assignments were read (none here), so they are not among it.
    expect(check(report, "rbac-vm").evidence?.["limitations"]).toEqual(["conditions on role assignments (ABAC) are not evaluated"]);
  });

  it("--principal whose group's assignment says ForeignGroup (principalType is optional, and not only 'Group'): granted", async () => {
    const { report } = await diagnose("principal-foreign-group", ["--principal", "33333333-3333-3333-3333-333333333333"]);
    expect(check(report, "rbac-vm").status).toBe("pass");
    expect(check(report, "rbac-vm").evidence?.["roles"]).toEqual(["Virtual Machine Contributor"]);
  });

  it("a deny at a uniform scale set that spares its child scopes does not reach its instances", async () => {
    sim.setScenario("deny-assignment-scale-set");
    const instance = `/subscriptions/${SUB}/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachineScaleSets/ss1/virtualMachines/0`;
    const run = await runInProcess(["--vm", instance, "-o", "json", "--no-network", "--only", "rbac-vm"], sim.env);
    const rbac = check(parseVmJson(run), "rbac-vm");
    expect(rbac.status, rbac.reason).toBe("pass");
    expect(rbac.evidence?.["denied"]).toBeUndefined();
  });

  it("a deployment stack's deny assignment (denyWriteAndDelete) on the VM's group: rbac-vm fails though a role grants connect, no role fix; the audit agrees", async () => {
    const { run, report } = await diagnose("deny-assignment", ["--no-serial-log"]);
    expect(run.code, run.stderr).toBe(1);
    const rbacVm = check(report, "rbac-vm");
    expect(rbacVm.status).toBe("fail");
    expect(rbacVm.reason).toMatch(
      /^you are denied Microsoft\.SerialConsole\/serialPorts\/connect\/action \(deny assignment "Deny assignment created by deployment stack 'platform-rg1'" at \/subscriptions\/[^/]+\/resourceGroups\/rg1\)/,
    );
    expect(rbacVm.fix ?? []).toEqual([]);
    expect(rbacVm.evidence?.["missing"]).toEqual([]);
    expect(check(report, "rbac-storage").reason).toMatch(/denied Microsoft\.Storage\/storageAccounts\/listKeys\/action/);
    const audit = await runInProcess(["audit", "--no-network", "-o", "json"], sim.env, 120_000);
    const vm1 = (JSON.parse(audit.stdout) as { results: VmJson[] }).results.find((r) => r.vm.id === VM_ID);
    expect(vm1 && check(vm1, "rbac-vm").reason).toBe(rbacVm.reason);
    // Without it (healthy), the same caller passes, and nothing says deny assignments went unseen.
    const { report: healthy } = await diagnose("healthy", ["--no-serial-log"]);
    expect(check(healthy, "rbac-vm").status).toBe("pass");
    expect(check(healthy, "rbac-vm").evidence?.["limitations"]).toEqual([]);
  });

  it("a deny assignment row without its properties: skipped with the reason, and no pass (it may be the one that denies)", async () => {
    sim.setFaults([{ match: { path: "denyAssignments" }, kind: "missing-fields" }]);
    try {
      const { run, report } = await diagnose("deny-assignment", ["--no-serial-log"]);
      expect(run.code, run.stderr).toBe(3);
      expect(check(report, "rbac-vm").status).toBe("error");
      expect(check(report, "rbac-vm").evidence?.["limitations"]).toEqual([
        "1 deny assignment could not be read and is not judged (denyAssignments[0].properties.scope is missing)",
      ]);
    } finally {
      sim.setFaults([]);
    }
  });

  it("deny assignments Azure does not answer for (503 past the retries): error, not a pass that never saw the denial — in the audit too", async () => {
    sim.setFaults([{ match: { path: "denyAssignments" }, kind: "503" }]);
    try {
      const { run, report } = await diagnose("deny-assignment", ["--no-serial-log"]);
      expect(run.code, run.stderr).toBe(3);
      expect(report.verdict).toBe("unknown");
      for (const id of ["rbac-vm", "rbac-storage"]) {
        expect(check(report, id).status).toBe("error");
        expect(check(report, id).reason).toMatch(/but the deny assignments could not be read \(.*: 503 ServiceUnavailable/);
      }
      const audit = await runInProcess(["audit", "--no-network", "-o", "json"], sim.env, 120_000);
      const { summary } = JSON.parse(audit.stdout) as { summary: { ready: number; unknown: number } };
      expect(summary.ready).toBe(0);
      expect(summary.unknown).toBeGreaterThan(0);
    } finally {
      sim.setFaults([]);
    }
  });

  it("the subscription's deny assignments refused (403, a role on the group only): read at the VM's own scope, and the denial found", async () => {
    const sub = VM_ID.split("/")[2];
    sim.setFaults([{ match: { pathIs: `/subscriptions/${sub}/providers/Microsoft.Authorization/denyAssignments` }, kind: "403" }]);
    try {
      const { run, report } = await diagnose("deny-assignment", ["--no-serial-log"]);
      expect(run.code, run.stderr).toBe(1);
      expect(check(report, "rbac-vm")).toMatchObject({ status: "fail", documentedError: { id: "deny-assignment" } });
      expect(check(report, "rbac-vm").evidence?.["limitations"]).toEqual([]);
    } finally {
      sim.setFaults([]);
    }
  });

  it("deny assignments refused to the caller (403): no pass (one unseen may deny), and the evidence says what went unseen", async () => {
    sim.setFaults([{ match: { path: "denyAssignments" }, kind: "403" }]);
    try {
      const { run, report } = await diagnose("deny-assignment", ["--no-serial-log"]);
      expect(run.code, run.stderr).toBe(3);
      expect(check(report, "rbac-vm").status).toBe("error");
      expect(check(report, "rbac-vm").reason).toMatch(
        /but the deny assignments could not be read \(.*403 AuthorizationFailed.*\): one may deny them$/,
      );
      expect(check(report, "rbac-vm").evidence?.["limitations"]).toEqual([
        expect.stringMatching(/^deny assignments could not be read \(.*403/),
      ]);
    } finally {
      sim.setFaults([]);
    }
  });
});
