/**
 * Issue 11, "today's Azure": each class of wrong verdict, reproduced against the simulator with the built CLI.
 * The pure tables for the same classes are in test/checks/today.test.ts.
 */
import { describe, expect, it } from "vitest";
import type { Simulator } from "../azure-sim/index.mjs";
// The principal of the principal-management-group scenario (test/azure-sim/scenarios/principal-management-group.mjs).
const MG_PRINCIPAL = "55555555-5555-5555-5555-000000000005";
import { SUB, SUB2, VM_ID, VMSS_ID, check, diagnose as runDiagnosis, parseVmJson, runCli, runInProcess, useSimulator } from "./harness.js";
import { parseAuditJson } from "./audit-support.js";

let sim: Simulator;
useSimulator((started) => (sim = started));

const diagnose = (scenario: string, args: string[] = [], vm = VM_ID) => runDiagnosis(sim, scenario, args, vm);

describe("1. the end-2025 storage path", () => {
  it.each([
    ["storage-firewall-deny", "storage-firewall", "storage-forbidden"],
    ["storage-hns", "storage-hns", "storage-hns-unsupported"],
    ["storage-shared-key-off", "storage-shared-key", "storage-shared-key-disabled"],
    ["bootdiag-http", "boot-diagnostics-uri", "bad-request-400"],
    ["storage-missing", "storage-account", "storage-account-not-found"],
    ["rbac-no-storage", "rbac-storage", "rbac-storage-write"],
  ] as const)(
    "%s: warn by default (documented error kept, path named), fail with --legacy-storage-path",
    async (scenario, id, documented) => {
      const today = await diagnose(scenario);
      expect(check(today.report, id)).toMatchObject({
        status: "warn",
        documentedError: { id: documented },
        evidence: { storagePath: "end-2025" },
      });
      expect(check(today.report, id).reason).toMatch(/end-2025 storage path/);
      expect(today.report.verdict).toBe("degraded");
      expect(today.run.code).toBe(0);

      const legacy = await diagnose(scenario, ["--legacy-storage-path"]);
      expect(check(legacy.report, id)).toMatchObject({
        status: "fail",
        documentedError: { id: documented },
        evidence: { storagePath: "legacy" },
      });
      expect(legacy.report.verdict).toBe("blocked");
      expect(legacy.run.code).toBe(1);
    },
  );

  it("boot diagnostics off stays a failure on the default path", async () => {
    const { report } = await diagnose("boot-diagnostics-off");
    expect(check(report, "boot-diagnostics").status).toBe("fail");
  });
});

describe("3. publicNetworkAccess SecuredByPerimeter", () => {
  it("is never a pass: warn naming the perimeter, its profile and mode, and the Serial Console IPs its rules leave out", async () => {
    const { report } = await diagnose("storage-secured-by-perimeter", ["--legacy-storage-path"]);
    const firewall = check(report, "storage-firewall");
    expect(firewall.status).toBe("warn");
    expect(firewall.reason).toMatch(
      /network security perimeter nsp-prod \(profile defaultProfile, Enforced\), whose inbound address rules admit 0 of the 8 Europe/,
    );
    expect(sim.requests.filter((entry) => /networkSecurityPerimeterConfigurations/i.test(entry.path))).toHaveLength(1);
  });

  it("an account not secured by a perimeter: its configurations are not read", async () => {
    await diagnose("healthy");
    expect(sim.requests.some((entry) => /networkSecurityPerimeterConfigurations/i.test(entry.path))).toBe(false);
  });

  it("the configurations read hangs: storage-firewall alone is held up (error: timeout), every other check of the account is judged", async () => {
    sim.setFaults([{ match: { path: "networkSecurityPerimeterConfigurations" }, kind: "hang" }]);
    try {
      const { report } = await diagnose("storage-secured-by-perimeter", ["--legacy-storage-path", "--timeout", "2000"]);
      expect(check(report, "storage-firewall").status).toBe("error");
      expect(check(report, "storage-firewall").evidence).toMatchObject({ waitingFor: ["perimeter"] });
      for (const id of ["storage-account", "storage-hns", "storage-shared-key", "rbac-storage", "resource-locks"])
        expect(check(report, id).status, id).toBe("pass");
    } finally {
      sim.setFaults([]);
    }
  });

  it("audit: one read for the four VMs of the account; when it never answers, every one of them is error, none warns on a cached timeout", async () => {
    sim.setScenario("storage-secured-by-perimeter");
    sim.resetLog();
    const read = await runInProcess(["audit", "--no-network", "--legacy-storage-path", "-o", "json"], sim.env);
    const reads = sim.requests.filter((entry) => /networkSecurityPerimeterConfigurations/i.test(entry.path));
    expect(reads).toHaveLength(1);
    expect(parseAuditJson(read.stdout).results.map((r) => r.checks.find((c) => c.id === "storage-firewall")?.status)).toEqual([
      "warn",
      "warn",
      "warn",
      "warn",
    ]);
    sim.setFaults([{ match: { path: "networkSecurityPerimeterConfigurations" }, kind: "hang" }]);
    try {
      const hung = await runInProcess(["audit", "--no-network", "--legacy-storage-path", "-o", "json", "--timeout", "2000"], sim.env);
      const statuses = parseAuditJson(hung.stdout).results.map((r) => r.checks.find((c) => c.id === "storage-firewall")?.status);
      expect(statuses).toEqual(["error", "error", "error", "error"]);
    } finally {
      sim.setFaults([]);
    }
  });

  it.each(["wrong-types", "missing-fields"] as const)(
    "configurations Azure answered malformed (%s): warn saying so in our words, never a count of IPs from missing rules",
    async (kind) => {
      sim.setFaults([{ match: { path: "networkSecurityPerimeterConfigurations" }, kind }]);
      try {
        const { report } = await diagnose("storage-secured-by-perimeter", ["--legacy-storage-path"]);
        const firewall = check(report, "storage-firewall");
        expect(firewall.status).toBe("warn");
        expect(firewall.reason).toMatch(/could not be read \(malformed response from Azure: networkSecurityPerimeterConfigurations\[0\]/);
        expect(firewall.reason).not.toMatch(/TypeError|admit \d+ of/);
      } finally {
        sim.setFaults([]);
      }
    },
  );

  it("the configurations refused (403): still warn, naming what could not be read", async () => {
    sim.setFaults([{ match: { path: "networkSecurityPerimeterConfigurations" }, kind: "403" }]);
    try {
      const { report } = await diagnose("storage-secured-by-perimeter", ["--legacy-storage-path"]);
      const firewall = check(report, "storage-firewall");
      expect(firewall.status).toBe("warn");
      expect(firewall.reason).toMatch(/its configuration could not be read \(.*403/);
    } finally {
      sim.setFaults([]);
    }
  });
});

describe("4. Azure DNS-zone blob endpoints", () => {
  it("https://<acct>.z24.blob.storage.azure.net/ is a valid URI, and the account is found", async () => {
    const { report, run } = await diagnose("storage-dns-zone", ["--legacy-storage-path"]);
    expect(check(report, "boot-diagnostics-uri").status).toBe("pass");
    expect(check(report, "storage-account").status).toBe("pass");
    expect(report.verdict).toBe("ready");
    expect(run.code).toBe(0);
  });

  it("a URI on the public suffix for an account with DNS-zone endpoints is the 'Bad Request' (400) wrong URI, fixed with the account's own endpoint", async () => {
    const { report, run } = await diagnose("storage-uri-wrong-host", ["--legacy-storage-path"]);
    expect(check(report, "boot-diagnostics-uri").status).toBe("pass");
    expect(check(report, "storage-account")).toMatchObject({
      status: "fail",
      documentedError: { id: "bad-request-400" },
      evidence: { uriHost: "scdiagstore.blob.core.windows.net", blobEndpointHost: "scdiagstore.z24.blob.storage.azure.net" },
    });
    expect(check(report, "storage-account").fix?.[0]).toContain("--storage https://scdiagstore.z24.blob.storage.azure.net/");
    expect(run.code).toBe(1);
    const today = await diagnose("storage-uri-wrong-host");
    expect(check(today.report, "storage-account")).toMatchObject({ status: "warn", evidence: { storagePath: "end-2025" } });
  });
});

describe("5. management-group role assignments with --principal", () => {
  it("Virtual Machine Contributor inherited from a management group counts", async () => {
    const { report } = await diagnose("principal-management-group", ["--principal", MG_PRINCIPAL]);
    expect(check(report, "rbac-vm").status).toBe("pass");
    expect(check(report, "rbac-storage").status).toBe("pass");
  });
});

describe("6. scale-set-model", () => {
  it("an instance behind the latest model that already has boot diagnostics is not a failure", async () => {
    const { report } = await diagnose("vmss-outdated-model", [], VMSS_ID);
    expect(check(report, "scale-set-model").status).toBe("warn");
    expect(check(report, "scale-set-model").fix?.join(" ")).toContain("update-instances");
  });
});

describe("7. the boot diagnostics account search", () => {
  it("a subscription not registered for Microsoft.Storage (404) holds no accounts: 'not found', not an error", async () => {
    const { report } = await diagnose("storage-unregistered-subscription", ["--legacy-storage-path"]);
    expect(check(report, "storage-account")).toMatchObject({ status: "fail", documentedError: { id: "storage-account-not-found" } });
  });

  it("Microsoft.Storage not registered where the VM is (409 MissingSubscriptionRegistration, on the GET too): 'not found', not an error", async () => {
    sim.setScenario("storage-missing");
    sim.setFaults([
      { match: { path: `/subscriptions/${SUB}/resourceGroups/rg1/providers/Microsoft.Storage` }, kind: "409" },
      { match: { path: `/subscriptions/${SUB}/providers/Microsoft.Storage/storageAccounts` }, kind: "409" },
    ]);
    try {
      const run = await runInProcess(["--vm", VM_ID, "-o", "json", "--no-network", "--no-serial-log", "--legacy-storage-path"], sim.env);
      expect(check(parseVmJson(run), "storage-account")).toMatchObject({
        status: "fail",
        documentedError: { id: "storage-account-not-found" },
      });
    } finally {
      sim.setFaults([]);
    }
  });
});

describe("8. account in another region or subscription", () => {
  it.each([
    ["storage-other-region", /region eastus/],
    // The account's subscription named once, then the VM's.
    [
      "storage-other-subscription",
      /^found storage account \S+ in resource group \S+ of subscription [0-]+2, but it is in another subscription than the VM's [0-]+1:/,
    ],
    ["storage-premium", /SKU Premium_LRS .*StorageAccountTypeNotSupported/],
  ])("%s: found, and a warning names the mismatch", async (scenario, words) => {
    const { report } = await diagnose(scenario);
    expect(check(report, "storage-account")).toMatchObject({ status: "warn", reason: expect.stringMatching(words) });
  });
});

describe("9. scale set instances", () => {
  it("an instance id under a Flexible scale set: said once, with the member's own id to use, exit 3", async () => {
    sim.setScenario("vmss-flex");
    const run = await runCli(["--vm", VMSS_ID, "-o", "json", "--no-network"], sim.env);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/Flexible scale set/);
    expect(run.stderr).toMatch(/their own VM id/);
    // -o json: a script reading stdout alone learns why too (the JSON error object, as every fatal error gives).
    expect(run.stdout).not.toBe("");
    expect(JSON.parse(run.stdout)).toMatchObject({
      schemaVersion: 1,
      error: {
        code: "FlexibleScaleSetInstance",
        message: expect.stringMatching(/Flexible scale set.*their own VM id/) as unknown as string,
      },
    });
  });
});

describe("10. subscription-state", () => {
  it("Warned still runs resources: warn, without the Cloud Shell mitigation", async () => {
    const { report } = await diagnose("subscription-warned");
    expect(check(report, "subscription-state").status).toBe("warn");
    expect(JSON.stringify(check(report, "subscription-state"))).not.toMatch(/Cloud Shell/);
  });

  it("Disabled fails, its mitigation about the VM's subscription, not Cloud Shell", async () => {
    const { report } = await diagnose("subscription-disabled");
    expect(check(report, "subscription-state")).toMatchObject({ status: "fail", documentedError: { id: "subscription-not-enabled" } });
    expect(check(report, "subscription-state").mitigation).not.toMatch(/Cloud Shell/);
  });
});

describe("11. resource-locks", () => {
  it("a ReadOnly lock above the VM and the account: warn by default, fail with --legacy-storage-path, once per scope", async () => {
    const today = await diagnose("resource-lock-readonly");
    const locks = check(today.report, "resource-locks");
    expect(locks).toMatchObject({ status: "warn", documentedError: { id: "scope-locked" } });
    expect(locks.reason).toContain("freeze-rg1");
    expect(locks.fix).toEqual([
      `az lock delete --ids /subscriptions/${SUB}/resourceGroups/rg1/providers/Microsoft.Authorization/locks/freeze-rg1 --subscription ${SUB}`,
    ]);
    // The lock refuses retrieveBootDiagnosticsData (a POST) too: the serial log is unreadable, and says why.
    expect(check(today.report, "serial-log")).toMatchObject({
      status: "error",
      reason: expect.stringMatching(/^a ReadOnly lock at or above the VM refuses retrieveBootDiagnosticsData.*409 ScopeLocked/),
      evidence: { refusedBy: "lock" },
    });
    const reads = sim.requests.filter((entry) => entry.kind === "locks");
    expect(new Set(reads.map((entry) => entry.path.toLowerCase())).size).toBe(reads.length);

    const legacy = await diagnose("resource-lock-readonly", ["--legacy-storage-path"]);
    expect(check(legacy.report, "resource-locks").status).toBe("fail");
  });

  it("the account's locks refused (403), a ReadOnly lock found above the VM: that finding kept, the account's side said unknown", async () => {
    sim.setFaults([{ match: { path: "/storageAccounts/scdiagstore/providers/Microsoft.Authorization/locks" }, kind: "403" }]);
    try {
      const { report } = await diagnose("resource-lock-readonly", ["--only", "resource-locks"]);
      const locks = check(report, "resource-locks");
      expect(locks.status).toBe("warn");
      expect(locks.reason).toMatch(/^a ReadOnly lock on the VM or above it \('freeze-rg1'/);
      expect(locks.reason).toMatch(/; the locks on the boot diagnostics storage account could not be read \(.*403/);
      // Alone (no lock on the VM's side), the same refusal is an error, never a pass.
      const { report: healthy } = await diagnose("healthy", ["--only", "resource-locks"]);
      expect(check(healthy, "resource-locks")).toMatchObject({
        status: "error",
        reason: expect.stringMatching(/could not be read \(.*403/),
      });
    } finally {
      sim.setFaults([]);
    }
  });

  it("healthy: no lock, pass", async () => {
    const { report } = await diagnose("healthy");
    expect(check(report, "resource-locks").status).toBe("pass");
  });

  it("the account not located (the subscription holding it refused its list; its resource group unknown): error, never pass", async () => {
    sim.setFaults([{ match: { path: `/subscriptions/${SUB2}/providers/Microsoft.Storage/storageAccounts` }, kind: "403" }]);
    try {
      const { report, run } = await diagnose("storage-other-subscription", ["--only", "resource-locks"]);
      expect(check(report, "resource-locks")).toMatchObject({
        status: "error",
        reason: expect.stringContaining("'scdiagstore' was not found, and subscriptions that may hold it could not be listed"),
      });
      expect(run.code).toBe(3);
    } finally {
      sim.setFaults([]);
    }
    const undetermined = await diagnose("storage-rg-undetermined", ["--only", "resource-locks"]);
    expect(check(undetermined.report, "resource-locks")).toMatchObject({
      status: "error",
      reason: expect.stringContaining("could not be determined"),
    });
    // Searched everywhere and not there: no account to lock (storage-account reports it missing).
    const missing = await diagnose("storage-missing", ["--only", "resource-locks"]);
    expect(check(missing.report, "resource-locks")).toMatchObject({
      status: "pass",
      reason: expect.stringContaining("no custom boot diagnostics account to hold one"),
    });
  });
});

describe("the audit's bulk instance views (statusOnly rows) against --vm", () => {
  it("rows without the guest agent's osName (as a user reported) are not taken as the instance view: the audit tells a Windows client as --vm does", async () => {
    sim.setScenario("windows-custom-image-fleet");
    sim.resetLog();
    const audit = await runInProcess(["audit", "--subscription", SUB, "-o", "json", "--no-network", "--only", "guest-login"], sim.env);
    const results = parseAuditJson(audit.stdout).results;
    expect(results).toHaveLength(25);
    for (const result of results)
      expect(result.checks[0], result.vm.id).toMatchObject({
        status: "warn",
        reason: expect.stringMatching(/^Windows client edition \(osName 'Windows 11 Enterprise'\)/),
      });
    // The list was read (25 VMs > the bulk threshold), and each running VM's own instance view after it.
    expect(sim.requests.filter((entry) => entry.kind === "vm-list").length).toBeGreaterThan(0);
    expect(sim.requests.filter((entry) => entry.kind === "vm-instance-view")).toHaveLength(25);
    const single = await diagnose("windows-custom-image-fleet", ["--only", "guest-login"]);
    expect(check(single.report, "guest-login")).toMatchObject({ status: "warn", reason: results[0]?.checks[0]?.reason });
  });
});

describe("one request per fact", () => {
  it("a diagnosis asks nothing twice (the Cloud Shell account's subscription is the VM's: one GET)", async () => {
    const { report } = await diagnose("healthy");
    expect(check(report, "cloud-shell-storage").status).toBe("pass");
    expect(repeated()).toEqual([]);
  });

  it("--principal: a role definition both RBAC checks need is read once", async () => {
    const { run } = await diagnose("principal-group", ["--no-serial-log", "--principal", "33333333-3333-3333-3333-333333333333"]);
    expect(run.code, run.stderr).not.toBe(4);
    expect(sim.requests.some((entry) => /roleDefinitions/i.test(entry.path))).toBe(true);
    expect(repeated()).toEqual([]);
  });

  it("a VM name not in the default subscription: the second diagnosis does not read again what the first one did", async () => {
    sim.setScenario("healthy");
    sim.resetLog();
    const run = await runInProcess(["--vm", "vm1", "-g", "rg1", "-o", "json", "--no-network", "--no-serial-log"], {
      ...sim.env,
      AZURE_SUBSCRIPTION_ID: "00000000-0000-0000-0000-000000000002",
    });
    expect(run.code, run.stderr).toBe(0);
    const settings = sim.requests.filter((entry) => /userSettings\/cloudconsole/i.test(entry.path));
    expect(settings).toHaveLength(1);
  });

  it.each([
    ["the Cloud Shell settings", { path: "userSettings/cloudconsole" }],
    ["the Cloud Shell account's subscription", { pathIs: `/subscriptions/${SUB}` }],
  ])(
    "…but a read the first diagnosis left hanging (%s, cancelled with it) is asked again, not reused as 'aborted'",
    async (_what, match) => {
      sim.setScenario("healthy");
      sim.setFaults([{ match, kind: "hang", count: 1 }]);
      try {
        const run = await runInProcess(["--vm", "vm1", "-g", "rg1", "-o", "json", "--no-network", "--no-serial-log", "--timeout", "3000"], {
          ...sim.env,
          AZURE_SUBSCRIPTION_ID: "00000000-0000-0000-0000-000000000002",
        });
        expect(check(parseVmJson(run), "cloud-shell-storage").status, run.stderr).toBe("pass");
        expect(run.code).toBe(0);
      } finally {
        sim.setFaults([]);
      }
    },
  );
});

/** Requests the simulator saw more than once (method, path and query alike). */
function repeated(): string[] {
  const asked = sim.requests.map((entry) => `${entry.method} ${entry.path.toLowerCase()} ${JSON.stringify(entry.query)}`);
  return asked.filter((request, i) => asked.indexOf(request) !== i);
}

describe("12. Azure Stack Hub (--arm-endpoint)", () => {
  it("takes the token audience from the endpoint's /metadata/endpoints", async () => {
    const { report, run } = await diagnose("azure-stack");
    expect(report.checks.filter((c) => c.status === "error")).toEqual([]);
    expect(run.code).toBe(0);
    expect(sim.requests.some((entry) => entry.kind === "cloud-metadata")).toBe(true);
  });

  it("the network probe does not try the public cloud's Serial Console hosts there: skip, naming --console-endpoint", async () => {
    sim.setScenario("azure-stack");
    const stack = check(parseVmJson(await runInProcess(["--vm", VM_ID, "-o", "json", "--only", "network"], sim.env)), "network");
    expect(stack.status).toBe("skip");
    expect(stack.reason).toMatch(/is Azure Stack Hub .*: no Serial Console endpoint is documented for it; pass --console-endpoint/);
    // A public cloud's metadata (the simulator's default world): the probe runs as before.
    sim.setScenario("healthy");
    const run = await runInProcess(["--vm", VM_ID, "-o", "json", "--only", "network", "--timeout", "2000"], sim.env);
    expect(check(parseVmJson(run), "network").status).not.toBe("skip");
    // Audit too.
    sim.setScenario("azure-stack");
    const audit = await runInProcess(["audit", "-o", "json", "--only", "network"], sim.env);
    expect(parseAuditJson(audit.stdout).results[0]?.checks[0]).toMatchObject({ id: "network", status: "skip" });
  });

  it("audit where Resource Graph is not served (404): every subscription reported, and the hint to use --source arm", async () => {
    sim.setScenario("azure-stack");
    sim.setFaults([{ match: { path: "Microsoft.ResourceGraph" }, kind: "404" }]);
    try {
      const run = await runInProcess(["audit", "-o", "json", "--no-network"], sim.env);
      expect(run.code).toBe(3);
      expect(run.stderr).toContain("on a cloud without it (Azure Stack Hub), audit with --source arm\n");
      // --where is Resource Graph's own filter: the advice says to drop it (--source arm refuses it).
      const filtered = await runInProcess(["audit", "-o", "json", "--no-network", "--where", "location == 'local'"], sim.env);
      expect(filtered.stderr).toContain("audit with --source arm (without --where, a Resource Graph filter; --tag works there)");
      const arm = await runInProcess(["audit", "--source", "arm", "-o", "json", "--no-network"], sim.env);
      expect(arm.code, arm.stderr).toBe(0);
      expect(arm.stderr).not.toContain("--source arm");
    } finally {
      sim.setFaults([]);
    }
  });
});

describe("api-versions a cloud does not serve yet", () => {
  it("a compute provider that refuses the clients' api-version (400 naming the ones it serves): the same diagnosis, through the newest it serves", async () => {
    const healthy = (await diagnose("healthy")).report;
    const { report, run } = await diagnose("api-versions-lagging", ["-v"]);
    expect(run.code, run.stderr).toBe(0);
    expect(report.checks.map((c) => [c.id, c.status])).toEqual(healthy.checks.map((c) => [c.id, c.status]));
    // Compute's own requests: the last provider in the path (a lock or permission list under a VM is not one).
    const compute = sim.requests.filter(
      (entry) => /\/providers\/([^/]+)\/(?:(?!\/providers\/).)*$/i.exec(entry.path)?.[1]?.toLowerCase() === "microsoft.compute",
    );
    // Refused only in the first wave (the VM GET and the serial log's POST leave together), then asked in the version
    // it serves: the newest stable one, not its preview.
    expect(compute.filter((entry) => entry.status === 400).length).toBeLessThanOrEqual(2);
    expect(compute.filter((entry) => entry.status !== 400).length).toBeGreaterThanOrEqual(2);
    expect(new Set(compute.filter((entry) => entry.status !== 400).map((entry) => entry.query["api-version"]))).toEqual(
      new Set(["2024-03-01"]),
    );
    expect(run.stderr).toMatch(/api-version \S+ is not served here for microsoft\.compute\/virtualmachines: using 2024-03-01/);
  });

  it("every provider lagging (Azure Stack Hub's profiles): the clients of @azure/core-client fall back too (subscriptions, permissions, deny assignments, locks)", async () => {
    const healthy = (await diagnose("healthy")).report;
    const { report, run } = await diagnose("api-versions-lagging-everywhere", ["-v"]);
    expect(run.code, run.stderr).toBe(0);
    expect(report.checks.map((c) => [c.id, c.status])).toEqual(healthy.checks.map((c) => [c.id, c.status]));
    for (const type of ["microsoft.resources", "microsoft.authorization/permissions", "microsoft.authorization/locks"])
      expect(run.stderr).toContain(`is not served here for ${type}: using`);
    sim.setScenario("api-versions-lagging-everywhere");
    for (const source of ["arm", "graph"]) {
      const audit = await runInProcess(["audit", "--source", source, "-o", "json", "--no-network"], sim.env);
      expect(audit.code, audit.stderr).toBe(0);
      expect(parseAuditJson(audit.stdout).summary).toMatchObject({ vms: 1, ready: 1 });
    }
  });

  it("an audit (--source arm) pays the refusal once per list in flight, not once per VM", async () => {
    sim.setScenario("healthy");
    const healthy = await runCli(["audit", "--source", "arm", "-o", "json", "--no-network"], sim.env);
    sim.setScenario("api-versions-lagging");
    sim.resetLog();
    const run = await runCli(["audit", "--source", "arm", "-o", "json", "--no-network"], sim.env);
    expect(run.code, run.stderr).toBe(healthy.code);
    const verdicts = (stdout: string) =>
      (JSON.parse(stdout) as { results: { vm: { id: string }; verdict: string }[] }).results.map((r) => [r.vm.id, r.verdict]);
    expect(verdicts(run.stdout)).toEqual(verdicts(healthy.stdout));
    const refused = sim.requests.filter((entry) => entry.status === 400).length;
    expect(refused).toBeGreaterThan(0);
    // Per resource type, the lists in flight before the first refusal came back: the two subscriptions' VM lists,
    // sent together, and their scale set lists (one or both, by timing: a clean-clone run saw 4). Not one per VM.
    expect(refused).toBeLessThanOrEqual(4);
  });
});

describe("Resource Graph without scale set instances (Azure China's ComputeResources)", () => {
  it("audit --source graph lists a uniform scale set's instances through Resource Manager, with the same results", async () => {
    const audit = async (scenario: string) => {
      sim.setScenario(scenario);
      const run = await runCli(["audit", "-o", "json", "--no-network"], sim.env);
      return {
        run,
        results: (
          JSON.parse(run.stdout) as { results: { vm: { id: string }; verdict: string; checks: { id: string; status: string }[] }[] }
        ).results,
      };
    };
    const expected = await audit("vmss-uniform");
    expect(expected.results.map((r) => r.vm.id)).toContain(VMSS_ID);
    const { run, results } = await audit("graph-without-instances");
    expect(run.code, run.stderr).toBe(expected.run.code);
    const summary = (rs: typeof results) => rs.map((r) => [r.vm.id, r.verdict, r.checks.map((c) => `${c.id}:${c.status}`)]);
    expect(summary(results)).toEqual(summary(expected.results));
  });

  it("filtered: --tag is applied to Resource Manager's instance lists; --where, which cannot be, reports the subscription (never silently short)", async () => {
    sim.setScenario("graph-without-instances");
    const tagged = await runCli(["audit", "-o", "json", "--no-network", "--tag", "tier=web"], sim.env);
    expect(tagged.code, tagged.stderr).toBe(0);
    expect((JSON.parse(tagged.stdout) as { results: { vm: { id: string } }[] }).results.map((r) => r.vm.id)).toEqual([VMSS_ID]);
    const where = await runCli(["audit", "-o", "json", "--no-network", "--where", "location =~ 'westeurope'"], sim.env);
    expect(where.code, where.stderr).toBe(3);
    const report = JSON.parse(where.stdout) as { results: { vm: { id: string } }[]; summary: { unevaluatedSubscriptions?: unknown[] } };
    expect(report.results.map((r) => r.vm.id)).toEqual([VM_ID]);
    expect(report.summary.unevaluatedSubscriptions).toEqual([
      {
        subscriptionId: SUB,
        reason: expect.stringMatching(/uniform scale set instances are not in Resource Graph's ComputeResources table/),
      },
    ]);
    // The check whether the table holds any instance failing (past its retries) is no licence to drop them.
    sim.setFaults([{ match: { body: "take 1" }, kind: "503" }]);
    const unchecked = await runCli(["audit", "-o", "json", "--no-network", "--tag", "tier=web"], sim.env);
    sim.setFaults([]);
    expect((JSON.parse(unchecked.stdout) as { results: { vm: { id: string } }[] }).results.map((r) => r.vm.id)).toEqual([VMSS_ID]);
    // Where the table holds instances, a filter that matches none of them costs no Resource Manager list.
    sim.setScenario("vmss-uniform");
    sim.resetLog();
    const none = await runCli(["audit", "-o", "json", "--no-network", "--where", "name =~ 'vm1'"], sim.env);
    expect(none.code, none.stderr).toBe(0);
    expect((JSON.parse(none.stdout) as { results: { vm: { id: string } }[] }).results.map((r) => r.vm.id)).toEqual([VM_ID]);
    expect(sim.requests.filter((entry) => /virtualMachineScaleSets\/[^/]+\/virtualMachines(\?|$)/i.test(entry.path))).toEqual([]);
  });
});

describe("13. partial runs", () => {
  it("--only os-disk on a VM with many failures does not say the console should work", async () => {
    sim.setScenario("all-broken");
    const table = await runCli(["--vm", VM_ID, "-o", "table", "--no-network", "--only", "os-disk"], sim.env);
    expect(table.stdout).not.toMatch(/should work/);
    expect(table.stdout).toMatch(/1 of \d+ checks run: os-disk/);
    const { report } = await diagnose("all-broken", ["--only", "os-disk"]);
    expect(report).toMatchObject({ partial: true });
  });

  it("a full run is not partial", async () => {
    const { report } = await diagnose("healthy");
    expect("partial" in report).toBe(false);
  });
});
