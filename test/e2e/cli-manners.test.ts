/**
 * What a newcomer meets first (issue 17, items 4–12): flags that behave like az/gh/npm, help that answers, one
 * clear line instead of a wall of ERROR rows, and output a person can act on. The cases run the CLI in-process
 * (`runInProcess`); the version flags, the `-vm` typo and the 80-column table spawn the built CLI.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { Simulator } from "../azure-sim/index.mjs";
import { CLI, SUB, VM_ID, cleanEnv, runCli, runInProcess, useSimulator, vmSchemaErrors } from "./harness.js";
import { auditSchemaErrors } from "./audit-support.js";
import { assertValidJunit } from "../fixtures/validate.js";

let sim: Simulator;
useSimulator((started) => (sim = started));
afterEach(() => {
  expect(sim.writes, "the simulator saw a write").toHaveLength(0);
});

describe("an exception thrown in an event handler (a stream's, a socket's)", () => {
  it("exits 4 with the internal-error line, not Node's 1 and stack trace (1 means findings to a CI gate)", async () => {
    sim.setFaults([{ match: { path: "/virtualMachines/vm1" }, kind: "hang" }]);
    const dir = mkdtempSync(join(tmpdir(), "sc-doctor-throw-"));
    // Thrown from a timer while the run waits on Azure: nothing of ours catches it.
    writeFileSync(join(dir, "throw.cjs"), 'setTimeout(() => { throw new Error("boom in a handler"); }, 300).unref();\n');
    try {
      const run = await runCli(["--vm", VM_ID, "-o", "json", "--no-network", "--timeout", "20000"], {
        ...sim.env,
        NODE_OPTIONS: `--require ${join(dir, "throw.cjs")}`,
      });
      expect(run.code, run.stderr).toBe(4);
      expect(run.stderr).toContain("sc-doctor: internal error: boom in a handler");
      expect(run.stderr).not.toMatch(/^\s+at /m);
    } finally {
      sim.setFaults([]);
    }
  });
});

/** A local port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === "string") throw new Error("no port");
  return address.port;
}

describe("an output that cannot be written (a full disk: `> /dev/full`)", () => {
  const full = (args: string, env: Record<string, string>) =>
    spawnSync("bash", ["-c", `"${process.execPath}" "${CLI}" ${args} > /dev/full; echo "exit $?" >&2`], {
      env: cleanEnv(env),
      encoding: "utf8",
      timeout: 60_000,
    }).stderr;
  const said =
    "sc-doctor: stopped: the output could not be written (ENOSPC: no space left on device, write); what was written is incomplete\nexit 3\n";

  it.each(["-o json", "-o table", "-o html"])("--vm %s: exit 3 saying so (was exit 0 with the file cut short)", (output) => {
    sim.setScenario("healthy");
    expect(full(`--vm ${VM_ID} --no-network ${output}`, sim.env)).toBe(said);
  });

  it.each(["-o jsonl", "-o json"])("audit %s: exit 3 saying so (was 'internal error … a bug in sc-doctor', exit 4)", (output) => {
    sim.setScenario("healthy");
    expect(full(`audit --no-network ${output}`, sim.env)).toBe(said);
  });
});

describe("a reader that stops at once (`| true`)", () => {
  const pipe = (args: string, env: Record<string, string>) =>
    spawnSync("bash", ["-c", `"${process.execPath}" "${CLI}" ${args} | true; echo "exit \${PIPESTATUS[0]}" >&2`], {
      env: cleanEnv(env),
      encoding: "utf8",
      timeout: 60_000,
    }).stderr;

  it("--vm -o json: exit 3 with the line saying the output was not delivered (was exit 0, nothing said)", () => {
    sim.setScenario("healthy");
    for (let i = 0; i < 3; i++)
      expect(pipe(`--vm ${VM_ID} --no-network -o json`, sim.env)).toBe(
        "sc-doctor: stopped: the program reading the output closed it before the output was complete\nexit 3\n",
      );
  });

  it.each(["--version", "-V"])("%s: exit 0, nothing said (was a stack trace)", (flag) => {
    expect(pipe(flag, {})).toBe("exit 0\n");
  });

  it("stderr closed by its reader (`2>&1 >/dev/null | true` with --verbose): exit 3, not 'internal error' (4) or 'findings' (1)", () => {
    sim.setScenario("healthy");
    const code = spawnSync(
      "bash",
      ["-c", `"${process.execPath}" "${CLI}" audit --no-network --verbose -o json 2>&1 >/dev/null | true; echo "\${PIPESTATUS[0]}"`],
      { env: cleanEnv(sim.env), encoding: "utf8", timeout: 60_000 },
    ).stdout;
    expect(code).toBe("3\n");
  });
});

describe("pasted ids", () => {
  it.each([
    [`'${VM_ID}`, `"'"`],
    [`<${VM_ID}>`, `"<"`],
    [`C:/Program Files/Git${VM_ID}`, `"C:/Program Files/Git"`],
  ])("%s: exit 2 naming what comes before '/subscriptions/'", async (vm, prefix) => {
    const run = await runInProcess(["--vm", vm, "-o", "json"], sim.env);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`is not a resource id: it has ${prefix} before '/subscriptions/'`);
  });

  it("a 100,000-character value is echoed cut, not whole", async () => {
    const long = "a".repeat(100_000);
    for (const args of [
      ["--vm", `${VM_ID}${long}`],
      ["--vm", long, "-g", "rg1", "--subscription", SUB],
      ["--vm", `x${long}`],
    ]) {
      const run = await runInProcess([...args, "-o", "json"], sim.env);
      expect(run.code).toBe(2);
      expect(run.stderr.length).toBeLessThan(1000);
    }
  });
});

describe("an empty, unquoted variable before a flag (`--vm $VM --no-network`)", () => {
  it.each([
    ["--vm", ["--vm", "--no-network", "-g", "rg1"]],
    ["-g/--resource-group", ["--vm", "vm1", "-g", "--no-network", "--subscription", SUB]],
    ["-g/--resource-group", ["--vm", "vm1", "--resource-group", "-v", "--subscription", SUB]],
    ["--subscription", ["--vm", "vm1", "-g", "rg1", "--subscription", "--no-network"]],
    ["-g/--resource-group", ["audit", "-g", "--no-network"]],
    ["--subscription", ["audit", "--subscription", "--no-network"]],
  ])("%s took the next flag: exit 2 saying so, before any Azure call", async (option, args) => {
    const before = sim.requests.length;
    const run = await runInProcess([...args, "-o", "json"], sim.env);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(
      new RegExp(`^sc-doctor: ${option} got the flag '-[-\\w]+' instead of .*\\(an empty, unquoted variable`, "m"),
    );
    expect(sim.requests.length).toBe(before);
  });

  it("a resource group may start with '-' (only a flag's spelling is refused)", async () => {
    const run = await runInProcess(["--vm", "vm1", "-g", "-rg1", "--subscription", SUB, "-o", "json", "--no-network"], sim.env);
    expect(run.stderr).not.toContain("got the flag");
  });
});

describe("item 4: -V/--version only; -v is --verbose", () => {
  it.each([["-V"], ["--version"]])("%s prints the version, exit 0", async (flag) => {
    const run = await runCli([flag]);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("--vm <id> -v runs the diagnosis verbosely instead of printing the version", async () => {
    sim.setScenario("deallocated");
    const run = await runInProcess(["--vm", VM_ID, "-o", "json", "--no-network", "-v"], sim.env);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ verdict: "blocked" });
    expect(run.stderr).toMatch(/GET .*virtualMachines\/vm1/);
  });

  it("-vm <id> (a typo of --vm) is a usage error, exit 2, pointing at --vm", async () => {
    const run = await runCli(["-vm", VM_ID], sim.env);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/Did you mean --vm\?/);
  });
});

describe("item 5: unknown commands and `help [command]`", () => {
  it.each([
    ["audti", "audit"],
    ["chekcs", "checks"],
    ["explian", "explain"],
  ])("%s suggests %s, exit 2", async (typo, meant) => {
    const run = await runInProcess([typo]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(new RegExp(`unknown command '${typo}'`));
    expect(run.stderr).toContain(`Did you mean ${meant}?`);
    expect(run.stderr).not.toMatch(/too many arguments/);
  });

  it.each(["audit", "report", "explain", "checks"])("sc-doctor help %s shows that command's help, exit 0", async (command) => {
    const run = await runInProcess(["help", command]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Usage: sc-doctor ${command}`);
  });

  it.each([
    [["--vm", "vm1", "-g", "rg1", "audit"], /--vm is not an option of 'audit'/],
    [["--only", "power-state", "audit", "--only", "vm-agent"], /--only is given both before and after 'audit'/],
    [["-o", "jsonl", "checks"], /argument 'jsonl' is invalid/],
  ])("%j: an option before the command that it cannot take is a usage error naming it, not ignored", async (args, message) => {
    sim.resetLog();
    const run = await runInProcess(args, sim.env);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(sim.requests).toHaveLength(0);
  });

  it("an option before the command that it also has is the command's: sc-doctor -o json --no-color checks", async () => {
    const run = await runInProcess(["-o", "json", "--no-color", "checks"]);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(JSON.parse((await runInProcess(["checks", "-o", "json"])).stdout));
  });

  it("sc-doctor help -x: a usage error naming the option, exit 2 (not the whole help, exit 0)", async () => {
    const run = await runInProcess(["help", "-x"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("help: unknown option '-x'");
    expect(run.stdout).toBe("");
  });

  it.each([
    [["help"]],
    [["help", "--help"]],
    [["help", "-h"]],
    [["help", "--no-color"]],
    [["help", "-V"]],
    [["help", "--"]],
    [["help", "help"]],
  ])("sc-doctor %j shows the main help on stdout, exit 0", async (args) => {
    const run = await runInProcess(args);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("--vm <id|name>");
    expect(run.stderr).toBe("");
  });
});

describe("item 6: --arm-endpoint must be https", () => {
  it.each([
    [["--arm-endpoint", "http://127.0.0.1:9"], {}, "--arm-endpoint"],
    // The message names where the value came from: the flag was not given.
    [[], { SC_DOCTOR_ARM_ENDPOINT: "http://127.0.0.1:9" }, "SC_DOCTOR_ARM_ENDPOINT"],
  ])("%j %j: usage error at parse time, exit 2, no token requested", async (args, env, source) => {
    sim.resetLog();
    const tokensBefore = sim.stats().tokens;
    const run = await runInProcess(["--vm", VM_ID, "-o", "json", "--no-network", ...args], { ...sim.env, ...env });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`sc-doctor: ${source} must be an https:// URL`);
    expect(run.stdout).toBe("");
    expect(sim.stats().tokens).toBe(tokensBefore);
    expect(sim.requests).toHaveLength(0);
  });

  it.each(["http://admin:Sup3rS3cretPw@127.0.0.1:9/", "https://admin:Sup3rS3cretPw@127.0.0.1:9/"])(
    "%s: refused for its credentials, which the message does not repeat",
    async (endpoint) => {
      const run = await runInProcess(["--vm", VM_ID, "-o", "json", "--no-network", "--arm-endpoint", endpoint], sim.env);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/--arm-endpoint must not contain credentials/);
      expect(run.stderr).not.toContain("Sup3rS3cretPw");
    },
  );
});

describe("item 7: unreachable Resource Manager or missing VM: one line, exit 3", () => {
  it("a missing VM (table): one line on stderr, no table of ERROR rows", async () => {
    sim.setScenario("healthy");
    const run = await runInProcess(["--vm", VM_ID.replace("vm1", "nope"), "-o", "table", "--no-network"], sim.env);
    expect(run.code).toBe(3);
    expect(run.stdout).not.toMatch(/ERROR/);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).toMatch(/^sc-doctor: VM not found: .*virtualMachines\/nope/);
  });

  it("a token Resource Manager rejects (401, another tenant's): one line naming it, exit 3; json keeps its report", async () => {
    sim.setScenario("healthy");
    sim.setFaults([{ match: {}, kind: "401" }]);
    try {
      const run = await runInProcess(["--vm", VM_ID, "-o", "table", "--no-network"], sim.env);
      expect(run.code).toBe(3);
      expect(run.stdout).not.toMatch(/ERROR/);
      expect(run.stderr.trim().split("\n")).toHaveLength(1);
      expect(run.stderr).toMatch(
        /^sc-doctor: authentication failed: Resource Manager at \S+ rejected the token \(401 InvalidAuthenticationToken — .+\)\. Sign in to the tenant of \/subscriptions\/0{8}-0{4}-0{4}-0{4}-0{11}1 /,
      );
      const json = await runInProcess(["--vm", VM_ID, "-o", "json", "--no-network"], sim.env);
      expect(json.code).toBe(3);
      expect(JSON.parse(json.stdout).verdict).toBe("unknown");
    } finally {
      sim.setFaults([]);
    }
  });

  it("a connection reset on the VM GET alone is no unreachable Resource Manager: the table says which reads failed", async () => {
    sim.setScenario("healthy");
    sim.setFaults([{ match: { pathIs: new URL(VM_ID, "https://x").pathname }, kind: "reset" }]);
    try {
      const run = await runInProcess(["--vm", VM_ID, "-o", "table", "--no-network"], sim.env);
      expect(run.code).toBe(3);
      expect(run.stderr).not.toContain("cannot reach Resource Manager");
      expect(run.stdout).toMatch(/PASS +subscription-state/);
      expect(run.stdout).toMatch(/ERROR +provisioning-state +could not read the VM: ECONNRESET/);
    } finally {
      sim.setFaults([]);
    }
  });

  it("an unreachable Resource Manager (table): 'cannot reach Resource Manager at …', exit 3", async () => {
    const endpoint = `https://127.0.0.1:${await closedPort()}`;
    const run = await runInProcess(["--vm", VM_ID, "-o", "table", "--no-network", "--arm-endpoint", endpoint], sim.env, 90_000);
    expect(run.code).toBe(3);
    expect(run.stdout).not.toMatch(/ERROR/);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).toContain(`cannot reach Resource Manager at ${endpoint}: ECONNREFUSED`);
  });
});

describe("item 8: a failed sign-in explains itself", () => {
  const badSignIn = () => ({ ...sim.env, IDENTITY_HEADER: "wrong-secret" });

  it("--verbose lists each credential tried and why it failed", async () => {
    const run = await runInProcess(["--vm", VM_ID, "-o", "table", "--no-network", "--verbose"], badSignIn());
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/credentials tried/);
    expect(run.stderr).toMatch(/- .*EnvironmentCredential/);
    expect(run.stderr).toMatch(/- .*ManagedIdentityCredential/);
    expect(run.stderr).not.toContain("wrong-secret");
  });

  it.each([
    [["--vm", VM_ID, "-o", "json", "--no-network"]],
    [["--vm", VM_ID, "-o", "jsonl", "--no-network"]],
    [["audit", "-o", "json"]],
    [["audit", "-o", "jsonl"]],
  ])("%j writes a JSON error object to stdout", async (args) => {
    const run = await runInProcess(args, badSignIn());
    expect(run.code).toBe(3);
    const parsed = JSON.parse(run.stdout) as { schemaVersion: number; error: { code: string; message: string; credentials: string[] } };
    expect(parsed.schemaVersion).toBe(1);
    expect(parsed.error.code).toBe("AuthenticationFailed");
    expect(parsed.error.message).toMatch(/authentication failed/);
    expect(parsed.error.credentials.length).toBeGreaterThan(1);
    expect(run.stdout).not.toContain("wrong-secret");
    // The shipped schemas describe it too: a consumer that validates before use accepts a documented outcome.
    if (args.includes("json")) expect(args[0] === "audit" ? auditSchemaErrors(parsed) : vmSchemaErrors(parsed)).toBeUndefined();
  });

  it.each([[["--vm", VM_ID, "--no-network"]], [["audit"]]])(
    "%j -o junit writes a suite with the error (a CI test view shows why); -o sarif writes nothing (no run to close alerts with)",
    async (args) => {
      const junit = await runInProcess([...args, "-o", "junit"], badSignIn());
      expect(junit.code).toBe(3);
      await assertValidJunit(junit.stdout);
      expect(junit.stdout).toMatch(/<testsuite [^>]*tests="1" failures="0" errors="1"/);
      expect(junit.stdout).toMatch(/<error message="authentication failed[^"]*" type="AuthenticationFailed">/);
      expect(junit.stdout).not.toContain("wrong-secret");
      const sarif = await runInProcess([...args, "-o", "sarif"], badSignIn());
      expect(sarif.code).toBe(3);
      expect(sarif.stdout).toBe("");
    },
  );
});

describe("--verbose says who signed in (RBAC verdicts are about that identity)", () => {
  // The simulator's managed-identity token: oid and tid of its world (test/azure-sim/identity.mjs).
  const OID = "11111111-1111-1111-1111-111111111111";
  const TENANT = "22222222-2222-2222-2222-222222222222";
  const args = ["--vm", VM_ID, "-o", "json", "--no-network", "--only", "subscription-state"];

  it("one line naming the credential of the chain that answered, the kind of identity, its object id and tenant", async () => {
    const run = await runInProcess([...args, "-v"], sim.env);
    expect(run.code).toBe(0);
    const lines = run.stderr.split("\n").filter((line) => line.includes("signed in"));
    expect(lines).toEqual([
      `sc-doctor: signed in with ManagedIdentityCredential as a managed identity (object id ${OID}, tenant ${TENANT})`,
    ]);
    // Never the token (a JWT's header starts eyJ).
    expect(run.stderr).not.toMatch(/eyJ/);
  });

  it("--redact masks its ids as it masks the rest of stderr; without -v there is no such line", async () => {
    const redacted = await runInProcess([...args, "-v", "--redact"], sim.env);
    expect(redacted.stderr).toContain(
      "sc-doctor: signed in with ManagedIdentityCredential as a managed identity (object id <object-1>, tenant <tenant-1>)",
    );
    expect(redacted.stderr).not.toContain(OID);
    expect(redacted.stderr).not.toContain(TENANT);
    expect((await runInProcess(args, sim.env)).stderr).not.toMatch(/signed in/);
  });
});

describe("no --cloud while the Azure CLI's active cloud is US Government or China: the failure says to add it", () => {
  /** The Azure CLI's config directory after `az cloud set --name <cloud>`. */
  const azCloudSet = (cloud: string) => {
    const dir = mkdtempSync(join(tmpdir(), "sc-doctor-az-cloud-"));
    writeFileSync(join(dir, "config"), `[cloud]\nname = ${cloud}\n\n[core]\noutput = json\n`);
    return { ...sim.env, AZURE_CONFIG_DIR: dir };
  };
  const HINT = "the Azure CLI's active cloud is AzureUSGovernment: add --cloud AzureUSGovernment\n";

  it("a failed sign-in (vm and audit) adds the hint under the sign-in advice", async () => {
    for (const args of [
      ["--vm", VM_ID, "-o", "json", "--no-network"],
      ["audit", "-o", "json"],
    ]) {
      const run = await runInProcess(args, { ...azCloudSet("AzureUSGovernment"), IDENTITY_HEADER: "wrong-secret" });
      expect(run.code).toBe(3);
      expect(run.stderr).toMatch(new RegExp(`^sc-doctor: authentication failed: .*\\nSign in with 'az login'.*\\n${HINT}`, "s"));
      expect(JSON.parse(run.stdout).error.code).toBe("AuthenticationFailed");
    }
  });

  it("a token Resource Manager rejects (401) and a VM it does not know (404): the hint follows the one line", async () => {
    sim.setScenario("healthy");
    sim.setFaults([{ match: {}, kind: "401" }]);
    try {
      const run = await runInProcess(["--vm", VM_ID, "-o", "table", "--no-network"], azCloudSet("AzureUSGovernment"));
      expect(run.code).toBe(3);
      expect(run.stderr).toMatch(
        new RegExp(`^sc-doctor: authentication failed: Resource Manager at \\S+ rejected the token [^\\n]*\\n${HINT}$`),
      );
    } finally {
      sim.setFaults([]);
    }
    const missing = await runInProcess(
      ["--vm", VM_ID.replace("vm1", "nope"), "-o", "table", "--no-network"],
      azCloudSet("azurechinacloud"),
    );
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(
      /^sc-doctor: VM not found: [^\n]*\nthe Azure CLI's active cloud is AzureChinaCloud: add --cloud AzureChinaCloud\n$/,
    );
  });

  it("the Azure CLI in the public cloud, or --cloud given: no hint", async () => {
    const publicCli = await runInProcess(["--vm", VM_ID.replace("vm1", "nope"), "--no-network"], azCloudSet("AzureCloud"));
    expect(publicCli.code).toBe(3);
    expect(publicCli.stderr).not.toContain("active cloud");
    const given = await runInProcess(
      ["--vm", VM_ID.replace("vm1", "nope"), "--no-network", "--cloud", "AzureUSGovernment"],
      azCloudSet("AzureUSGovernment"),
    );
    expect(given.code).toBe(3);
    expect(given.stderr).not.toContain("active cloud");
  });
});

describe("an audit of no VM", () => {
  it.each([["graph"], ["arm"]])(
    "--source %s -g <an empty group>: exit 0 and stderr names the scope; -g <a group nowhere>: exit 3 naming it",
    async (source) => {
      sim.setScenario("healthy");
      // rg-shared exists and holds no VM: a complete audit of nothing.
      const empty = await runInProcess(["audit", "--source", source, "-g", "rg-shared", "--no-network", "-o", "json"], sim.env);
      expect(empty.code, empty.stderr).toBe(0);
      expect(JSON.parse(empty.stdout).summary.vms).toBe(0);
      expect(empty.stderr).toContain("sc-doctor: no VM matched --resource-group rg-shared\n");
      // A typo exists in no subscription: a scheduled audit must not pass on nothing for ever.
      const typo = await runInProcess(
        ["audit", "--source", source, "-g", "rg-typo", "-g", "RG1", "-q", "--no-network", "-o", "json"],
        sim.env,
      );
      expect(typo.code, typo.stderr).toBe(3);
      expect(JSON.parse(typo.stdout).summary).toMatchObject({ vms: 1, absentResourceGroups: ["rg-typo"] });
      expect(typo.stderr).toBe(
        "sc-doctor: resource group rg-typo was not found in any of the 2 audited subscriptions (or your role lacks Microsoft.Resources/subscriptions/resourceGroups/read there)\n",
      );
      // Saved and merged (shards, as the CI matrix example does): `report` exits 3 too, naming the group.
      const dir = mkdtempSync(join(tmpdir(), "sc-doctor-absent-"));
      const shards = [];
      for (const k of [1, 2]) {
        const shard = await runInProcess(
          ["audit", "--source", source, "-g", "rg-typo", "--shard", `${k}/2`, "-q", "--no-network", "-o", "json"],
          sim.env,
        );
        shards.push(join(dir, `s${k}.json`));
        writeFileSync(shards.at(-1) ?? "", shard.stdout);
      }
      const merged = await runInProcess(["report", ...shards, "-o", "json"], sim.env);
      expect(merged.code, merged.stderr).toBe(3);
      expect(JSON.parse(merged.stdout).summary.absentResourceGroups).toEqual(["rg-typo"]);
      expect(merged.stderr).toContain("resource group rg-typo was not found in any audited subscription");
      // VMs found: no such note.
      const found = await runInProcess(["audit", "--source", source, "-g", "rg1", "--no-network", "-o", "json"], sim.env);
      expect(found.stderr).not.toContain("no VM");
      expect(found.stderr).not.toContain("not found");
      // Subscriptions that could not be listed: their VMs were not missing, they were not read — no word on the
      // tenant, and no group called absent (it may be in a subscription that did not answer).
      sim.setFaults([
        { match: { path: "/providers/Microsoft.Compute/virtualMachines" }, kind: "403" },
        { match: { path: "Microsoft.ResourceGraph" }, kind: "403" },
      ]);
      try {
        const refused = await runInProcess(["audit", "--source", source, "-g", "rg-typo", "--no-network", "-o", "json"], sim.env);
        expect(refused.code, refused.stderr).toBe(3);
        expect(refused.stderr).toContain("not audited");
        expect(refused.stderr).not.toContain("no VM");
        expect(refused.stderr).not.toContain("was not found");
      } finally {
        sim.setFaults([]);
      }
    },
  );
});

describe("item 9: audit --where with bad KQL shows Resource Graph's error.details", () => {
  it("the InvalidQuery detail and the parser's reason reach the user", async () => {
    sim.setScenario("healthy");
    const run = await runInProcess(["audit", "--where", "location =~", "-o", "json"], sim.env);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/InvalidQuery: Query is invalid/);
    expect(run.stderr).toMatch(/--where clause not simulated: 'location =~'/);
    expect(run.stderr).toMatch(/check the --where filter/);
  });
});

describe("item 10: -q on --vm, checks --no-color, audit -g", () => {
  it("-q prints only the verdict and the checks that did not pass", async () => {
    sim.setScenario("deallocated");
    const run = await runInProcess(["--vm", VM_ID, "-o", "table", "--no-network", "-q"], sim.env);
    expect(run.code).toBe(1);
    const lines = run.stdout.trim().split("\n").filter(Boolean);
    expect(lines[0]).toMatch(/^BLOCKED {2}vm1/);
    expect(lines.slice(1).every((line) => !/\b(PASS|SKIP)\b/.test(line))).toBe(true);
    expect(run.stdout).toMatch(/FAIL +power-state/);
    expect(run.stdout).not.toMatch(/Fix|Mitigation/);
  });

  it("audit's help says what -q does to an audit, without the --vm table", async () => {
    const { stdout } = await runInProcess(["audit", "--help"]);
    expect(stdout).toMatch(/-q, --quiet +no progress or summary on stderr\n/);
    expect(stdout).not.toMatch(/--vm\s+table/);
  });

  it("checks --no-color is accepted", async () => {
    const run = await runInProcess(["checks", "--no-color"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^subscription-state/);
  });

  it("audit -g <rg> is accepted like --resource-group", async () => {
    sim.setScenario("healthy");
    const run = await runInProcess(["audit", "-g", "rg1", "--subscription", SUB, "-o", "json", "--no-network"], sim.env);
    expect(run.stderr).not.toMatch(/unknown option/);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ summary: { vms: 1 } });
  });
});

describe("item 11: help a newcomer can read", () => {
  it("--vm comes first, each option's choices are printed once, and the help says piped output is JSON", async () => {
    const { stdout } = await runInProcess(["--help"]);
    expect(stdout.indexOf("--vm <id|name>")).toBeLessThan(stdout.indexOf("--output <format>"));
    expect(stdout.indexOf("--vm <id|name>")).toBeLessThan(stdout.indexOf("--only <ids>"));
    expect(stdout.match(/sarif/g)).toHaveLength(1);
    expect(stdout).toMatch(/JSON when stdout is piped/);
    expect(stdout).toMatch(/-q, --quiet +no progress or summary on stderr; the --vm\s+table shows only the verdict/);
  });

  it.each([[["--help"]], [["audit", "--help"]]])("%j has a sign-in section", async (args) => {
    const { stdout } = await runInProcess(args);
    expect(stdout).toMatch(/Sign-in:\n +DefaultAzureCredential tries, in order/);
  });

  it.each([[["--help"]], [["audit", "--help"]], [["report", "--help"]], [["explain", "--help"]], [["checks", "--help"]]])(
    "%j has examples",
    async (args) => {
      const { stdout } = await runInProcess(args);
      expect(stdout).toMatch(/Examples:\n {2}sc-doctor /);
      expect(stdout).toMatch(/Exit codes:/);
    },
  );

  it("explain's help shows reading from stdin; audit's help its exit codes", async () => {
    expect((await runInProcess(["explain", "--help"])).stdout).toMatch(/sc-doctor explain -/);
    expect((await runInProcess(["audit", "--help"])).stdout).toMatch(/--fail-on-drift:\s+VMs became blocked/);
    expect((await runInProcess(["report", "--help"])).stdout).toMatch(/Drift against a baseline is computed by 'audit --baseline' only/);
  });
});

describe("item 12: a failed check a person can act on", () => {
  it("labelled fixes, a doc link, one verdict word, and wrapping with a hanging indent at 80 columns", async () => {
    sim.setScenario("storage-firewall-deny");
    // The pre-2026 storage path, so that the firewall is a failure (by default it is a warning with the same block).
    const run = await runCli(["--vm", VM_ID, "-o", "table", "--no-network", "--legacy-storage-path"], {
      ...sim.env,
      COLUMNS: "80",
    });
    const out = run.stdout;
    // One verdict word: not "BLOCKED vm1 blocked —".
    expect(out.split("\n")[0]).toMatch(/^BLOCKED {2}vm1 — Serial Console /);
    expect(out).toMatch(
      /Fix 1 — switch to managed boot diagnostics \(no storage account of yours\):\n {4}az vm boot-diagnostics enable --name vm1/,
    );
    expect(out).toMatch(
      /Fix 2 — let the Serial Console IPs through the storage account firewall:\n {4}az storage account network-rule add/,
    );
    expect(out).toMatch(
      /\n {2}Docs: https:\/\/learn\.microsoft\.com\/troubleshoot\/azure\/virtual-machines\/windows\/serial-console-errors\n/,
    );
    for (const line of out.split("\n")) {
      // Commands and URLs are never broken (copy and paste); everything else fits.
      if (/^ {4}az |Docs: https:|^\//.test(line)) continue;
      expect(line.length, line).toBeLessThanOrEqual(80);
    }
    // A wrapped reason continues under the reason column, not at column 0.
    const firewall = out.split("\n").findIndex((line) => /^ {2}FAIL +storage-firewall/.test(line));
    const reasonColumn = out.split("\n")[firewall]!.indexOf("networkAcls");
    expect(out.split("\n")[firewall + 1]!.search(/\S/)).toBe(reasonColumn);
  });

  it("the audit table: short ids and the summary at the bottom too", async () => {
    sim.setScenario("deallocated");
    const run = await runInProcess(["audit", "--subscription", SUB, "-o", "table", "--no-network"], sim.env);
    expect(run.code).toBe(1);
    const lines = run.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^audit: 1 VMs — 0 ready, 0 degraded, 1 blocked/);
    expect(lines.at(-1)).toBe(lines[0]);
    expect(run.stdout).toMatch(/^BLOCKED +rg1\/vm1$/m);
    expect(run.stdout).not.toMatch(/^BLOCKED +\/subscriptions\//m);
  });
});
