/**
 * Azure misbehaving: throttling, 5xx, hangs, malformed bodies, 403s, missing VMs, malformed ids. The rule under
 * test: a check that could not read what it needs says `error` with a reason — never `pass` — and the exit code
 * follows the contract. In-process (`runInProcess`), except a hung request (the process still exits), a malformed
 * id and a failed sign-in, which spawn the built CLI.
 */
import { afterEach, describe, expect, it } from "vitest";
import { CHECK_IDS } from "../../src/types.js";
import type { Simulator } from "../azure-sim/index.mjs";
import { SUB, SUB2, VM_ID, check, parseVmJson, runCli, runInProcess, useSimulator } from "./harness.js";

let sim: Simulator;
useSimulator((started) => (sim = started));
// Read-only (docs/contract.md): whatever a test did, the simulator must not have seen a write.
afterEach(() => {
  expect(sim.writes, "the simulator saw a write").toHaveLength(0);
});

async function withFaults(faults: unknown[], args: string[] = [], cli = runInProcess) {
  sim.setScenario("healthy");
  sim.setFaults(faults as never);
  sim.resetLog();
  try {
    const run = await cli(["--vm", VM_ID, "-o", "json", "--no-network", ...args], sim.env);
    expect(sim.writes).toHaveLength(0);
    return run;
  } finally {
    sim.setFaults([]);
  }
}

const VM_PATH = "virtualMachines/vm1";

describe("transient faults are retried", () => {
  it("3×429 with Retry-After on the VM, then success → the healthy result", async () => {
    const run = await withFaults([{ match: { path: VM_PATH }, kind: "429", count: 3, retryAfter: 1 }]);
    const report = parseVmJson(run);
    expect(report.verdict).toBe("ready");
    expect(run.code).toBe(0);
    expect(sim.requests.filter((r: { fault?: string }) => r.fault === "429")).toHaveLength(3);
  });

  it("one 503 on the storage account is retried", async () => {
    const run = await withFaults([{ match: { path: "storageAccounts/scdiagstore" }, kind: "503", count: 1 }]);
    expect(parseVmJson(run).verdict).toBe("ready");
    expect(run.code).toBe(0);
  });
});

describe("throttling under --timeout: named, never a silent wait", () => {
  const VM_GET = { pathIs: new URL(VM_ID, "https://x").pathname, method: "GET" };
  const NEED_VM = ["provisioning-state", "power-state", "boot-diagnostics", "trusted-launch", "os-disk", "guest-login"];

  it.each(["429", "503"])(
    "%s with Retry-After 20 s on the VM GET, --timeout 15000: the read ends at once, its checks error as throttled, -v says so",
    async (kind) => {
      const run = await withFaults([{ match: VM_GET, kind, retryAfter: 20 }], ["-v"]);
      const report = parseVmJson(run);
      for (const id of NEED_VM) {
        expect(check(report, id), id).toMatchObject({ status: "error" });
        expect(check(report, id).reason, id).toMatch(/throttled: Azure asked to wait 20 s before asking again, longer than --timeout/);
      }
      expect(run.ms).toBeLessThan(10_000);
      expect(run.code).toBe(3);
      expect(run.stderr).toMatch(new RegExp(`virtualMachines/vm1 → ${kind}: Azure asked to wait 20 s \\(Retry-After\\)`));
      expect(run.stderr).not.toMatch(/did not answer within --timeout/);
    },
  );

  it("a Retry-After within --timeout is waited, said by -v, and the read then answers", async () => {
    const run = await withFaults([{ match: VM_GET, kind: "429", retryAfter: 1, count: 1 }], ["-v"]);
    expect(parseVmJson(run).verdict).toBe("ready");
    expect(run.stderr).toMatch(/virtualMachines\/vm1 → 429: throttled, waiting 1 s as Azure asked \(Retry-After\) before asking again/);
  });

  it("a 429 without Retry-After is asked again after a back-off, as the audit does, not the fact's error", async () => {
    const run = await withFaults([{ match: VM_GET, kind: "429", count: 2 }]);
    expect(parseVmJson(run).verdict).toBe("ready");
    expect(run.code).toBe(0);
    expect(sim.requests.filter((r: { fault?: string }) => r.fault === "429")).toHaveLength(2);
  });
});

describe("faults that cannot be retried away are errors, never passes", () => {
  it("a hanging VM GET is bounded by --timeout: error 'timeout', exit 3", async () => {
    // Spawned: the process exits although the hung request is still open.
    const run = await withFaults([{ match: { path: VM_PATH }, kind: "hang" }], ["--timeout", "1500"], runCli);
    const report = parseVmJson(run);
    expect(check(report, "power-state")).toMatchObject({ status: "error", reason: "timeout" });
    expect(check(report, "power-state").evidence).toMatchObject({ timeoutMs: 1500, waitingFor: ["vm"] });
    expect(report.checks.filter((c) => c.status === "pass").map((c) => c.id)).not.toContain("power-state");
    expect(report.verdict).toBe("unknown");
    expect(run.code).toBe(3);
    expect(run.ms).toBeLessThan(15_000);
  });

  it("malformed JSON for the VM: every check that needs the VM is error, none pass", async () => {
    const run = await withFaults([{ match: { path: VM_PATH }, kind: "malformed-json" }]);
    const report = parseVmJson(run);
    for (const id of ["provisioning-state", "power-state", "boot-diagnostics", "trusted-launch", "os-disk"]) {
      expect(check(report, id).status, id).toBe("error");
      expect(check(report, id).reason, id).toMatch(/JSON/i);
    }
    expect(run.code).toBe(3);
  });

  it("403 AuthorizationFailed reading the storage account: storage checks error, never pass", async () => {
    const run = await withFaults([{ match: { path: "Microsoft.Storage" }, kind: "403" }]);
    const report = parseVmJson(run);
    const storage = check(report, "storage-account");
    expect(storage.status).toBe("error");
    expect(storage.reason).toMatch(/403|AuthorizationFailed/);
    for (const id of ["storage-firewall", "storage-hns", "storage-shared-key", "rbac-storage"]) {
      expect(["skip", "error"], id).toContain(check(report, id).status);
    }
    expect(run.code).toBe(3);
  });

  it.each(["403", "401"])(
    "a %s on the subscription list while the account is elsewhere: storage-account is error (it may be there), not 'not found'",
    async (kind) => {
      sim.setScenario("storage-other-subscription");
      sim.setFaults([{ match: { pathIs: "/subscriptions" }, kind }] as never);
      try {
        const run = await runInProcess(["--vm", VM_ID, "-o", "json", "--no-network", "--no-serial-log", "--legacy-storage-path"], sim.env);
        const storage = check(parseVmJson(run), "storage-account");
        expect(storage.status).toBe("error");
        expect(storage.reason).toMatch(/subscriptions you can see could not be listed.*(403|401)/);
        expect(run.code).toBe(3);
      } finally {
        sim.setFaults([]);
      }
    },
  );

  it("a storage list that fails while the account is looked for: storage-account's error says how it failed", async () => {
    sim.setScenario("storage-missing");
    sim.setFaults([{ match: { path: `/subscriptions/${SUB}/providers/Microsoft.Storage/storageAccounts` }, kind: "500" }] as never);
    try {
      const run = await runInProcess(["--vm", VM_ID, "-o", "json", "--no-network", "--only", "storage-account"], sim.env);
      const storage = check(parseVmJson(run), "storage-account");
      expect(storage.status).toBe("error");
      expect(storage.reason).toMatch(
        /was refused or failed \(could not read storage accounts of subscription \S+: 500 InternalServerError — /,
      );
    } finally {
      sim.setFaults([]);
    }
  });

  it("a malformed subscription answer: cloud-shell-storage's error says the subscription's answer, not the settings, was malformed", async () => {
    const run = await withFaults([{ match: { pathIs: `/subscriptions/${SUB}` }, kind: "wrong-types" }]);
    const cloudShell = check(parseVmJson(run), "cloud-shell-storage");
    expect(cloudShell.status).toBe("error");
    expect(cloudShell.reason).toMatch(/subscription/);
    expect(cloudShell.reason).not.toMatch(/could not read your Cloud Shell settings/);
  });

  it("403 on the Permissions API: rbac-vm is error, not fail and not pass", async () => {
    const run = await withFaults([{ match: { path: "Microsoft.Authorization/permissions" }, kind: "403" }]);
    expect(check(parseVmJson(run), "rbac-vm").status).toBe("error");
  });
});

describe("could not start", () => {
  it("VM not found: exit 3 and a clear message", async () => {
    sim.setScenario("healthy");
    const run = await runInProcess(["--vm", VM_ID.replace("vm1", "nope"), "-o", "json", "--no-network"], sim.env);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/VM not found/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    const report = parseVmJson(run);
    // Checks that read only the subscription still evaluated honestly; everything that needs the VM is an error.
    for (const id of ["provisioning-state", "power-state", "boot-diagnostics", "storage-account", "rbac-vm", "os-disk"]) {
      expect(["error", "skip"], id).toContain(check(report, id).status);
    }
    expect(check(report, "power-state").reason).toMatch(/404|not found/i);
    expect(report.verdict).toBe("unknown");
  });

  it("--only checks that do not read the VM, and the VM GET answers after them: still 'VM not found', not ready", async () => {
    sim.setScenario("healthy");
    const missing = VM_ID.replace("vm1", "nosuch");
    // One throttled answer (Retry-After 2 s): the subscription check is long done when the 404 comes.
    sim.setFaults([{ match: { path: "virtualMachines/nosuch" }, kind: "429", retryAfter: 2, count: 1 }]);
    try {
      const run = await runInProcess(["--vm", missing, "-o", "json", "--no-network", "--only", "subscription-state"], sim.env);
      expect(run.code, run.stderr).toBe(3);
      expect(run.stderr).toMatch(/VM not found/);
    } finally {
      sim.setFaults([]);
    }
  });

  it("--only checks that do not read the VM, and the VM GET never answers: the run says the VM was not confirmed", async () => {
    sim.setScenario("healthy");
    sim.setFaults([{ match: { path: "virtualMachines/vm1" }, kind: "hang" }]);
    try {
      const run = await runInProcess(
        ["--vm", VM_ID, "-o", "json", "--no-network", "--only", "subscription-state", "--timeout", "1500"],
        sim.env,
      );
      expect(run.stderr).toContain("the VM GET did not answer within --timeout (1500 ms): whether vm1 exists was not confirmed");
    } finally {
      sim.setFaults([]);
    }
  });

  it("malformed id: exit 2, names the bad part, sends nothing", async () => {
    // The test before ends its in-process diagnosis with reads it fetched ahead still answered by the simulator
    // (aborted by the client, but already received): wait until they are logged before counting from zero.
    for (let seen = -1; seen !== sim.requests.length;) {
      seen = sim.requests.length;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    sim.resetLog();
    const run = await runCli(["--vm", `/subscriptions/${SUB}/resourceGroups/rg1/providers/Microsoft.Compute/disks/d1`], sim.env);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/resource type 'disks' is not a virtual machine/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(sim.requests).toHaveLength(0);
  });

  it.each([
    [["--vm", VM_ID, "--only", "nope"], /unknown check id 'nope' \(known:/],
    [["--vm", VM_ID, "--only", "power-stat"], /unknown check id 'power-stat' — did you mean 'power-state'\?/],
    [["--vm", VM_ID, "--timeout", "soon"], /--timeout must be a positive whole number/],
    // One VM per run: not "the last --vm wins", nor a --subscription that the id overrules without a word.
    [["--vm", VM_ID, "--vm", VM_ID.replace("vm1", "vm2")], /--vm is given twice/],
    [["--vm", "vm1", "-g", "rg1", "-g", "rg2"], /-g\/--resource-group is given twice/],
    [["--vm", "vm1", "-g", "rg1", "--subscription", SUB, "--subscription", SUB2], /--subscription is given twice/],
    [["--vm", VM_ID, "--subscription", "00000000-0000-0000-0000-000000000002"], /contradicts the subscription in the resource id/],
    // Past Node's longest timer, every deadline would fire at once ("no token within 3000000000 ms").
    [["--vm", VM_ID, "--timeout", "3000000000"], /--timeout must be at most 2147483647/],
    // Nothing left to judge: READY with exit 0 would pass a CI gate that evaluated nothing.
    [["--vm", VM_ID, "--only", "network", "--skip", "network"], /leave no check to run/],
    [["audit", "--only", "power-state", "--skip", "power-state"], /leave no check to run/],
    // curl's --resolve takes addresses: a name would be probed as unreachable, a port over 65535 ignored.
    [["--vm", VM_ID, "--resolve", "westeurope.gateway.serialconsole.azure.com:443:notanip"], /'notanip' is not an IP address/],
    [["--vm", VM_ID, "--resolve", "westeurope.gateway.serialconsole.azure.com:99999:127.0.0.1"], /port 99999 is not 1–65535/],
    [["--vm", VM_ID, "--fail-on", "pass"], /fail-on/],
    [["--vm", VM_ID, "--bogus"], /unknown option '--bogus'/],
    [["--vm", VM_ID, "--principal", "me"], /--principal must be an object id/],
    // A script building --principal from two variables must not get the verdict of whichever came last.
    [
      ["audit", "--principal", "44444444-4444-4444-4444-444444444444", "--principal", "33333333-3333-3333-3333-333333333333"],
      /--principal is given twice .*one identity per run/,
    ],
    [[], /missing --vm/],
    [["help", "nosuch"], /help: unknown command 'nosuch'/],
  ])("bad flags %j: exit 2", async (args, message) => {
    sim.resetLog();
    const run = await runInProcess(args, sim.env);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(sim.requests).toHaveLength(0);
  });

  it("a malformed AZURE_SUBSCRIPTION_ID: exit 2 naming the variable, not a --subscription never typed", async () => {
    sim.resetLog();
    const run = await runInProcess(["--vm", "vm1", "-g", "rg1", "--no-network"], { ...sim.env, AZURE_SUBSCRIPTION_ID: "not-a-guid" });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/AZURE_SUBSCRIPTION_ID 'not-a-guid' is not a subscription id/);
    expect(run.stderr).not.toMatch(/--subscription not-a-guid/);
    expect(sim.requests).toHaveLength(0);
  });

  it("authentication fails: exit 3 with a sign-in hint, nothing sent to ARM", async () => {
    sim.resetLog();
    const run = await runCli(["--vm", VM_ID, "-o", "json", "--no-network"], { ...sim.env, IDENTITY_HEADER: "wrong-secret" });
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/authentication failed/);
    expect(run.stderr).not.toContain("wrong-secret");
  });
});

describe("exit code options", () => {
  it("--exit-zero on a blocked VM exits 0", async () => {
    sim.setScenario("deallocated");
    const run = await runInProcess(["--vm", VM_ID, "-o", "json", "--no-network", "--exit-zero"], sim.env);
    expect(parseVmJson(run).verdict).toBe("blocked");
    expect(run.code).toBe(0);
  });

  it("--fail-on warn makes a warning exit 1", async () => {
    sim.setScenario("trusted-launch");
    const run = await runInProcess(["--vm", VM_ID, "-o", "json", "--no-network", "--fail-on", "warn"], sim.env);
    expect(run.code).toBe(1);
  });

  it("--only runs just those checks; --skip leaves some out", async () => {
    sim.setScenario("healthy");
    const only = parseVmJson(await runInProcess(["--vm", VM_ID, "-o", "json", "--only", "power-state,boot-diagnostics"], sim.env));
    expect(only.checks.map((c) => c.id)).toEqual(["power-state", "boot-diagnostics"]);
    const skipped = parseVmJson(await runInProcess(["--vm", VM_ID, "-o", "json", "--skip", "network,rbac-vm"], sim.env));
    expect(skipped.checks.map((c) => c.id)).not.toContain("rbac-vm");
    expect(skipped.checks).toHaveLength(CHECK_IDS.length - 2);
  });

  it("--only and --skip given twice add up (a script that splits its list over two flags skips every one)", async () => {
    sim.setScenario("healthy");
    const only = parseVmJson(
      await runInProcess(["--vm", VM_ID, "-o", "json", "--only", "power-state", "--only", "boot-diagnostics"], sim.env),
    );
    expect(only.checks.map((c) => c.id)).toEqual(["power-state", "boot-diagnostics"]);
    const skipped = parseVmJson(await runInProcess(["--vm", VM_ID, "-o", "json", "--skip", "network", "--skip", "rbac-vm"], sim.env));
    expect(skipped.checks.map((c) => c.id)).not.toContain("network");
    expect(skipped.checks).toHaveLength(CHECK_IDS.length - 2);
  });

  it("an empty --only among several is a usage error, not quietly dropped (an unset variable in a script)", async () => {
    sim.setScenario("healthy");
    for (const args of [
      ["--only", "power-state", "--only", ""],
      ["--only", " ", "--only", "power-state"],
      ["--skip", "network", "--skip", ""],
      ["--skip", "network", "--skip", ","],
    ]) {
      const run = await runInProcess(["--vm", VM_ID, "-o", "json", ...args], sim.env);
      expect(run.code, args.join(" ")).toBe(2);
      expect(run.stderr).toMatch(/--(only|skip) needs at least one check id/);
    }
  });
});

describe("--vm <name> -g <rg>: searching the subscriptions one of which misbehaves", () => {
  const vmIn = (sub: string, name = "vm1") =>
    `/subscriptions/${sub}/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/${name}`;
  /**
   * `--vm <name> -g rg1 -o json` with no default subscription (a search) unless `defaultSubscription`, the faults set
   * for this run only.
   */
  async function search(faults: unknown[], name = "vm1", args: string[] = [], cli = runInProcess, defaultSubscription = "") {
    sim.setScenario("healthy");
    sim.setFaults(faults as never);
    sim.resetLog();
    try {
      return await cli(["--vm", name, "-g", "rg1", "-o", "json", "--no-network", ...args], {
        ...sim.env,
        AZURE_SUBSCRIPTION_ID: defaultSubscription,
        AZURE_CONFIG_DIR: "/nonexistent",
      });
    } finally {
      sim.setFaults([]);
    }
  }

  it("the subscription list does not answer within --timeout: says so (not 'VM not found', not 'aborted'), exit 3", async () => {
    const run = await search([{ match: { pathIs: "/subscriptions" }, kind: "hang" }], "vm1", ["--timeout", "1500"], runCli);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/could not search your subscriptions for the VM: .*no answer within 1500 ms \(--timeout\)/);
    expect(run.stderr).not.toMatch(/VM not found|aborted/);
  });

  it.each([
    ["409 MissingSubscriptionRegistration", { kind: "409" }],
    ["500", { kind: "500" }],
    ["429 with Retry-After: 60", { kind: "429", retryAfter: 60 }],
  ])("the other subscription answers %s: the VM found in the first is diagnosed, within --timeout", async (name, fault) => {
    const run = await search([{ match: { path: vmIn(SUB2) }, ...fault }], "vm1", ["--timeout", "2000"]);
    expect(run.code, run.stderr).toBe(0);
    expect(parseVmJson(run).vm.subscriptionId).toBe(SUB);
    expect(run.ms).toBeLessThan(15_000);
    // Not silently: a namesake could be in the subscription that was not searched (one not registered holds no VMs).
    if (name.startsWith("409")) expect(run.stderr).toBe("");
    else
      expect(run.stderr).toMatch(
        new RegExp(`1 other subscription\\(s\\) could not be searched, so a namesake may be there: /subscriptions/${SUB2}`),
      );
  });

  it("the other subscription hangs: bounded by --timeout, the VM found in the first is diagnosed", async () => {
    // Spawned: the process exits although the hung request is still open.
    const run = await search([{ match: { path: vmIn(SUB2) }, kind: "hang" }], "vm1", ["--timeout", "2000"], runCli);
    expect(run.code, run.stderr).toBe(0);
    expect(parseVmJson(run).vm.subscriptionId).toBe(SUB);
    expect(run.ms).toBeLessThan(15_000);
  });

  it("found nowhere while a subscription failed: exit 3, naming that subscription and why", async () => {
    const run = await search([{ match: { path: vmIn(SUB2, "nope") }, kind: "500" }], "nope");
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/VM not found: no VM 'nope' in resource group 'rg1'/);
    expect(run.stderr).toMatch(new RegExp(`could not be searched.*/subscriptions/${SUB2} \\(500 InternalServerError`));
    expect(JSON.parse(run.stdout)).toMatchObject({ error: { code: "VmNotFound" } });
  });

  it("the default subscription answers 409 for the VM (Microsoft.Compute not registered): the others are searched, as on a 404", async () => {
    const run = await search([{ match: { path: vmIn(SUB2) }, kind: "409" }], "vm1", [], runInProcess, SUB2);
    expect(run.code, run.stderr).toBe(0);
    expect(parseVmJson(run).vm.subscriptionId).toBe(SUB);
  });

  it("not in the default subscription, found in another: that one is diagnosed, and stderr says so (not a silent switch)", async () => {
    const run = await search([], "vm1", [], runInProcess, SUB2);
    expect(run.code, run.stderr).toBe(0);
    expect(parseVmJson(run).vm.subscriptionId).toBe(SUB);
    expect(run.stderr).toBe(
      `sc-doctor: VM 'vm1' in resource group 'rg1' is not in your default subscription /subscriptions/${SUB2}: diagnosing the one in /subscriptions/${SUB}\n`,
    );
    // Said with --quiet too: which VM was diagnosed is part of the result, not chatter.
    expect((await search([], "vm1", ["-q"], runInProcess, SUB2)).stderr).toContain("is not in your default subscription");
    // In the default subscription itself: nothing to say.
    expect((await search([], "vm1", [], runInProcess, SUB)).stderr).toBe("");
  });

  it.each([
    ["vmss-uniform", "Serial Console connects to its instances — pass an instance's id, /subscriptions/"],
    ["vmss-flex", "Serial Console connects to its member VMs — pass a member's own name or id"],
  ])("--vm <the name of a scale set (%s)> -g: not found, and the message says to address its VMs", async (scenario, hint) => {
    sim.setScenario(scenario);
    const run = await runInProcess(["--vm", "ss1", "-g", "rg1", "-o", "json", "--no-network"], {
      ...sim.env,
      AZURE_SUBSCRIPTION_ID: "",
      AZURE_CONFIG_DIR: "/nonexistent",
    });
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toContain(`no VM 'ss1' in resource group 'rg1'`);
    expect(run.stderr).toContain(`'ss1' is a virtual machine scale set in /subscriptions/${SUB}: ${hint}`);
    expect(JSON.parse(run.stdout).error.code).toBe("VmNotFound");
    // A name that is nothing at all: no such hint.
    const nothing = await runInProcess(["--vm", "nope", "-g", "rg1", "-o", "json", "--no-network"], {
      ...sim.env,
      AZURE_SUBSCRIPTION_ID: "",
      AZURE_CONFIG_DIR: "/nonexistent",
    });
    expect(nothing.stderr).not.toContain("scale set");
  });

  it("a scale set's name where its subscription is known (--subscription, or a VM id): not found, with the same hint", async () => {
    sim.setScenario("vmss-uniform");
    const env = { ...sim.env, AZURE_SUBSCRIPTION_ID: "", AZURE_CONFIG_DIR: "/nonexistent" };
    const hint = `'ss1' is a virtual machine scale set in /subscriptions/${SUB}: Serial Console connects to its instances`;
    for (const args of [
      ["--vm", "ss1", "-g", "rg1", "--subscription", SUB],
      ["--vm", `/subscriptions/${SUB}/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/ss1`],
    ]) {
      const run = await runInProcess([...args, "-o", "table", "--no-network"], env);
      expect(run.code, run.stderr).toBe(3);
      expect(run.stderr).toContain("VM not found");
      expect(run.stderr).toContain(hint);
    }
    const nothing = await runInProcess(["--vm", "nope", "-g", "rg1", "--subscription", SUB, "--no-network"], env);
    expect(nothing.stderr).toContain("VM not found");
    expect(nothing.stderr).not.toContain("scale set");
  });

  it("a uniform instance's name (<set>_<n>, as the portal shows it) with -g or in a VM id: not found, with the instance's id", async () => {
    sim.setScenario("vmss-uniform");
    const env = { ...sim.env, AZURE_SUBSCRIPTION_ID: "", AZURE_CONFIG_DIR: "/nonexistent" };
    const instanceId = `/subscriptions/${SUB}/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachineScaleSets/ss1/virtualMachines/0`;
    for (const args of [
      ["--vm", "ss1_0", "-g", "rg1"],
      ["--vm", `/subscriptions/${SUB}/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/ss1_0`],
    ]) {
      const run = await runInProcess([...args, "-o", "table", "--no-network"], env);
      expect(run.code, run.stderr).toBe(3);
      expect(run.stderr).toContain(
        `'ss1_0' is the name of instance 0 of the virtual machine scale set 'ss1' in /subscriptions/${SUB}: pass the instance's id, ${instanceId}\n`,
      );
    }
    // A name of that shape whose prefix is no scale set: no hint.
    const nothing = await runInProcess(["--vm", "nope_3", "-g", "rg1", "--no-network"], env);
    expect(nothing.stderr).toContain("VM not found");
    expect(nothing.stderr).not.toContain("scale set");
  });

  it("a VM you may not read, named with -g in its own subscription: the exit code its full id gets (rbac-vm's finding: 1)", async () => {
    sim.setScenario("rbac-no-vm-read");
    const env = { ...sim.env, AZURE_SUBSCRIPTION_ID: SUB, AZURE_CONFIG_DIR: "/nonexistent" };
    const byName = await runInProcess(["--vm", "vm1", "-g", "rg1", "-o", "json", "--no-network"], env);
    const byId = await runInProcess(["--vm", vmIn(SUB), "-o", "json", "--no-network"], env);
    expect(parseVmJson(byName).checks.find((check) => check.id === "rbac-vm")?.status).toBe("fail");
    expect([byName.code, byId.code]).toEqual([1, 1]);
  });

  it("a VM whose instance view alone is refused in an audit (its list row holds the model): rbac-vm judges it as --vm does", async () => {
    sim.setScenario("rbac-no-vm-read");
    const one = parseVmJson(await runInProcess(["--vm", VM_ID, "-o", "json", "--no-network"], sim.env));
    const audit = await runInProcess(["audit", "--subscription", SUB, "-o", "json", "--no-network"], sim.env);
    const result = (JSON.parse(audit.stdout) as { results: (typeof one)[] }).results.find((r) => r.vm.id === VM_ID);
    expect(check(one, "rbac-vm").status).toBe("fail");
    expect(result && check(result, "rbac-vm")).toMatchObject({
      status: "fail",
      reason: check(one, "rbac-vm").reason,
      documentedError: { id: "rbac-vm-permissions" },
    });
  });

  it("the default subscription refuses (403) while another holds a VM of that name: exit 3 naming both, not a silent pick of the namesake", async () => {
    const run = await search([{ match: { path: vmIn(SUB2) }, kind: "403" }], "vm1", [], runInProcess, SUB2);
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toMatch(
      new RegExp(
        `was found in /subscriptions/${SUB}, but your default subscription /subscriptions/${SUB2} refused to let you read it \\(403\\)`,
      ),
    );
    // The default's own result (rbac-vm names the missing role), as for a full id in it.
    const report = parseVmJson(run);
    expect(report.vm.subscriptionId).toBe(SUB2);
    expect(report.checks.find((check) => check.id === "rbac-vm")?.status).not.toBe("pass");
    const bare = await search([{ match: { path: vmIn(SUB2) }, kind: "403" }], "vm1", [], runInProcess, "");
    expect(bare.code, bare.stderr).toBe(0);
    expect(bare.stderr).toMatch(/1 other subscription\(s\) refused to let you read VMs \(403\), so a namesake may be there/);
  });

  it("the default subscription answers 409 (Microsoft.Compute not registered: no VMs there) and the VM is nowhere else: 'VM not found', keeping the 409", async () => {
    const faults = [{ match: { path: vmIn(SUB2, "nope") }, kind: "409" }];
    const table = await search(faults, "nope", ["-o", "table"], runInProcess, SUB2);
    expect(table.code).toBe(3);
    expect(table.stderr).toMatch(/VM not found: no VM 'nope' in resource group 'rg1'/);
    expect(table.stderr).toMatch(new RegExp(`; the default subscription /subscriptions/${SUB2} answered: could not read the VM: 409`));
    expect(table.stdout).toBe("");
  });

  it("the default subscription answers 403 and the VM is nowhere else: its result naming the 403 (table too), not 'VM not found'", async () => {
    const faults = [{ match: { path: vmIn(SUB2, "nope") }, kind: "403" }];
    const run = await search(faults, "nope", [], runInProcess, SUB2);
    expect(run.code).toBe(3);
    expect(run.stderr).not.toMatch(/VM not found/);
    expect(run.stderr).toMatch(
      new RegExp(
        `the default subscription /subscriptions/${SUB2} refused to read the VM \\(could not read the VM: 403 AuthorizationFailed`,
      ),
    );
    expect(run.stderr).toMatch(/the other subscriptions searched do not hold it: no VM 'nope' in resource group 'rg1'/);
    expect(parseVmJson(run).vm.subscriptionId).toBe(SUB2);
    const table = await search(faults, "nope", ["-o", "table"], runInProcess, SUB2);
    expect(table.code).toBe(3);
    expect(table.stdout).toMatch(/403/);
    expect(table.stdout).toMatch(/UNKNOWN/);
  });
});
