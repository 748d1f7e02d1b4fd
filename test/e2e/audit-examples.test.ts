/**
 * examples/ci/sc-doctor-audit.sh — the script both CI examples run — against the simulator's fleet, with the built
 * CLI in place of `npx sc-doctor@x`: first run (no baseline) passes; a fleet worse than its baseline fails with 1
 * and names the newly blocked VMs; an unchanged fleet passes.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator } from "../azure-sim/index.mjs";
import { githubSarifProblems } from "../fixtures/github-sarif.js";
import { healed, parseAuditJson } from "./audit-support.js";
import { CLI, cleanEnv } from "./harness.js";

type Sim = Awaited<ReturnType<typeof startSimulator>>;
let sim: Sim;
const SCRIPT = fileURLToPath(new URL("../../examples/ci/sc-doctor-audit.sh", import.meta.url));

beforeAll(async () => {
  sim = await startSimulator({ fleet: { vms: 60, subscriptions: 2, storageAccounts: 6, seed: 9 } });
});
afterAll(async () => {
  await sim?.close();
});

function runScript(out: string, baseline?: string, extra: Record<string, string> = {}) {
  const env = cleanEnv({
    ...sim.env,
    SC_DOCTOR: `${process.execPath} ${CLI}`,
    OUT_DIR: out,
    ...(baseline ? { BASELINE: baseline } : {}),
    ...extra,
  });
  return spawnSync("bash", [SCRIPT], { env, encoding: "utf8", timeout: 120_000 });
}

describe("examples/ci/sc-doctor-audit.sh", () => {
  it("first run, then drift, then steady state", () => {
    const dir = mkdtempSync(join(tmpdir(), "sc-doctor-ci-"));
    sim.resetLog();
    const first = runScript(join(dir, "1"));
    expect(first.status, first.stderr).toBe(0);
    // One audit: the SARIF is rendered from its JSON, not by auditing the tenant a second time.
    const graphQueries = () => sim.requests.filter((r: { path: string }) => /Microsoft\.ResourceGraph/i.test(r.path)).length;
    const byScript = graphQueries();
    sim.resetLog();
    spawnSync(process.execPath, [CLI, "audit", "--no-network", "-o", "json", "--exit-zero"], { env: cleanEnv(sim.env), encoding: "utf8" });
    expect(byScript).toBe(graphQueries());
    expect(byScript).toBeGreaterThan(0);
    const audit = parseAuditJson(readFileSync(join(dir, "1", "audit.json"), "utf8"));
    expect(audit.results).toHaveLength(60 + 2 * 3); // plus three uniform scale set instances per subscription
    // What the GitHub Actions example uploads to code scanning: GitHub's documented requirements, with findings in it.
    const sarif = JSON.parse(readFileSync(join(dir, "1", "audit.sarif"), "utf8")) as { version: string; runs: { results: unknown[] }[] };
    expect(sarif.version).toBe("2.1.0");
    expect(sarif.runs[0]?.results.length).toBeGreaterThan(0);
    expect(githubSarifProblems(sarif)).toEqual([]);

    const blocked = audit.results.filter((r) => r.verdict === "blocked").map((r) => r.vm.id);
    expect(blocked.length).toBeGreaterThan(0);
    const rosier = join(dir, "rosier.json");
    writeFileSync(rosier, JSON.stringify({ ...audit, results: audit.results.map((r) => (r.vm.id === blocked[0] ? healed(r) : r)) }));
    const drifted = runScript(join(dir, "2"), rosier);
    expect(drifted.status, drifted.stderr).toBe(1);
    expect(drifted.stderr).toContain(`newly blocked: ${blocked[0]}`);

    const steady = runScript(join(dir, "3"), join(dir, "1", "audit.json"));
    expect(steady.status, steady.stderr).toBe(0);
  }, 180_000);
});

describe("examples/ci/sc-doctor-audit.sh scope", () => {
  it("first run (no baseline, or one that does not exist): findings pass, but a subscription not audited still exits 3", () => {
    const dir = mkdtempSync(join(tmpdir(), "sc-doctor-ci-"));
    const args = "--subscription\n00000000-0000-0000-0000-000000000001\n--subscription\n99999999-9999-9999-9999-999999999999\n";
    const run = runScript(join(dir, "out"), undefined, { SC_DOCTOR_AUDIT_ARGS: args });
    expect(run.status, run.stderr).toBe(3);
    // An sc-doctor that crashes before writing any audit (exit 1, not a finding): not "nothing incomplete".
    const crashing = join(dir, "crashing-sc-doctor.sh");
    writeFileSync(
      crashing,
      '#!/usr/bin/env bash\nif [ "$1" = "--version" ]; then echo 0.1.0; exit 0; fi\necho "TypeError: boom" >&2\nexit 1\n',
      { mode: 0o755 },
    );
    // Findings and a -g group found nowhere (a typo): the audit's own code is 1, what it left out still makes it 3.
    const typo = runScript(join(dir, "out4"), undefined, { SC_DOCTOR_AUDIT_ARGS: "-g\nrg-app-000\n-g\nrg-typo\n" });
    expect(typo.status, typo.stderr).toBe(3);
    expect(typo.stderr).toMatch(/resource group rg-typo was not found/);
    const crashed = runScript(join(dir, "out3"), undefined, { SC_DOCTOR: crashing });
    expect(crashed.status, crashed.stderr).toBe(3);
    const missing = runScript(join(dir, "out2"), join(dir, "no-such-baseline.json"));
    expect(missing.status, missing.stderr).toBe(0);
    expect(missing.stderr).toMatch(/no-such-baseline\.json does not exist or is empty: auditing without a baseline/);
  });

  it("SC_DOCTOR_AUDIT_ARGS from a YAML `|` block (a final newline, a blank line) passes no empty argument", () => {
    const dir = mkdtempSync(join(tmpdir(), "sc-doctor-ci-"));
    const subscription = "00000000-0000-0000-0000-000000000001";
    const run = runScript(join(dir, "out"), undefined, {
      SC_DOCTOR_AUDIT_ARGS: `--subscription\n${subscription}\n\n--only\npower-state\n`,
      TF_BUILD: "True",
    });
    expect(run.status, run.stderr).toBe(0);
    // Azure Pipelines: the SARIF publish step runs on this variable.
    expect(run.stdout).toContain("##vso[task.setvariable variable=SC_DOCTOR_SARIF]true");
    const audit = parseAuditJson(readFileSync(join(dir, "out", "audit.json"), "utf8"));
    expect(audit.results.length).toBeGreaterThan(0);
    expect(new Set(audit.results.map((r) => r.vm.subscriptionId))).toEqual(new Set([subscription]));
  }, 180_000);
});

describe("examples/ci/sc-doctor-audit.sh after a failed run", () => {
  it("a previous audit.json that is an error report (no results) is not passed as --baseline: the run goes on as a first run", () => {
    const dir = mkdtempSync(join(tmpdir(), "sc-doctor-ci-"));
    const failed = join(dir, "failed.json");
    const error = { code: "AuthenticationFailed", message: "could not sign in" };
    writeFileSync(failed, `${JSON.stringify({ schemaVersion: 1, tool: { name: "sc-doctor", version: "0.1.0" }, error })}\n`);
    const run = runScript(join(dir, "out"), failed);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toContain(`${failed} holds no audit results (the previous run failed?): auditing without a baseline`);
    expect((parseAuditJson(readFileSync(join(dir, "out", "audit.json"), "utf8")).summary as { drift?: unknown }).drift).toBeUndefined();
  }, 180_000);
});

describe("examples/ci/sc-doctor-audit.sh when the audit fails", () => {
  it("writes no SARIF (code scanning would close every alert as fixed) and says why; the error report stays as audit.json", () => {
    const out = mkdtempSync(join(tmpdir(), "sc-doctor-ci-"));
    writeFileSync(join(out, "audit.sarif"), "stale from the run before\n");
    // Nothing listens on port 1: Resource Manager cannot be reached.
    const run = runScript(out, undefined, { SC_DOCTOR_ARM_ENDPOINT: "https://127.0.0.1:1", TF_BUILD: "True" });
    expect(run.status, run.stderr).toBe(3);
    expect(run.stdout).not.toContain("SC_DOCTOR_SARIF");
    expect(JSON.parse(readFileSync(join(out, "audit.json"), "utf8")).error).toMatchObject({ code: "FleetNotEnumerated" });
    expect(existsSync(join(out, "audit.sarif"))).toBe(false);
    expect(run.stderr).toContain("holds no audit results (the audit failed, see above): no SARIF written");
  }, 180_000);

  it("with a baseline of results: audit.json carries the baseline forward (the error report beside it), so the next run still detects drift", () => {
    const dir = mkdtempSync(join(tmpdir(), "sc-doctor-ci-"));
    const first = runScript(join(dir, "first"));
    expect(first.status, first.stderr).toBe(0);
    const baseline = join(dir, "first", "audit.json");
    const run = runScript(join(dir, "failed"), baseline, { SC_DOCTOR_ARM_ENDPOINT: "https://127.0.0.1:1" });
    expect(run.status, run.stderr).toBe(3);
    expect(readFileSync(join(dir, "failed", "audit.json"), "utf8")).toBe(readFileSync(baseline, "utf8"));
    expect(JSON.parse(readFileSync(join(dir, "failed", "audit-error.json"), "utf8")).error).toMatchObject({ code: "FleetNotEnumerated" });
    expect(existsSync(join(dir, "failed", "audit.sarif"))).toBe(false);
    expect(run.stderr).toContain(`carries ${baseline} forward`);
  }, 180_000);
});

describe("audit into a reader that stops early (`… | head`)", () => {
  it.each(["json", "jsonl"])("-o %s: exit 3 with one line saying so, not an internal error", (format) => {
    const pipeline = `"${process.execPath}" "${CLI}" audit --no-network -o ${format} | head -c 100 > /dev/null; echo "exit \${PIPESTATUS[0]}" >&2`;
    const run = spawnSync("bash", ["-c", pipeline], { env: cleanEnv(sim.env), encoding: "utf8", timeout: 120_000 });
    expect(run.stderr).toMatch(/the program reading the output closed it before the output was complete\nexit 3\n$/);
    expect(run.stderr).not.toMatch(/internal error|bug in sc-doctor/);
  });

  it.each([["--help"], ["help", "audit"], ["audit", "--help"], ["--version"], ["-V"]])(
    "%s into a reader that stops at once (`| true`, `| grep -q`): help may be read in part, exit 0, nothing said",
    (...args) => {
      const pipeline = `"${process.execPath}" "${CLI}" ${args.join(" ")} | true; echo "exit \${PIPESTATUS[0]}" >&2`;
      const run = spawnSync("bash", ["-c", pipeline], { env: cleanEnv(), encoding: "utf8", timeout: 60_000 });
      expect(run.stderr).toBe("exit 0\n");
    },
  );
});

describe("the CI examples install a pinned sc-doctor explicitly (issue 17 items 1 and 15)", () => {
  const EXAMPLES = fileURLToPath(new URL("../../examples/ci/", import.meta.url));
  const setupRun = (extra: Record<string, string>) =>
    spawnSync("bash", [SCRIPT], {
      env: cleanEnv({ ...sim.env, OUT_DIR: mkdtempSync(join(tmpdir(), "sc-doctor-ci-")), ...extra }),
      encoding: "utf8",
      timeout: 120_000,
    });

  it("without SC_DOCTOR_PACKAGE (or SC_DOCTOR): exit 2 and a message saying what to set — no npx guess", () => {
    const run = setupRun({});
    expect(run.status, run.stderr).toBe(2);
    expect(run.stderr).toMatch(/set SC_DOCTOR_PACKAGE to the pinned sc-doctor to install/);
  });

  it("a package that cannot be installed: exit 2 (not 1, which means drift) naming it", () => {
    const run = setupRun({ SC_DOCTOR_PACKAGE: join(tmpdir(), "no-such-sc-doctor-0.0.0.tgz") });
    expect(run.status, run.stderr).toBe(2);
    expect(run.stderr).toMatch(/could not install sc-doctor from SC_DOCTOR_PACKAGE='.*no-such-sc-doctor-0\.0\.0\.tgz'/);
  }, 120_000);

  it("an sc-doctor that does not run: exit 2 with its error", () => {
    const run = setupRun({ SC_DOCTOR: "/nonexistent/sc-doctor" });
    expect(run.status, run.stderr).toBe(2);
    expect(run.stderr).toMatch(/'\/nonexistent\/sc-doctor --version' failed/);
  });

  it.each(["github-actions.yml", "azure-pipelines.yml"])("%s pins the package, uses Node 22/24 and no npx", (file) => {
    const text = readFileSync(join(EXAMPLES, file), "utf8");
    expect(text).toMatch(
      /SC_DOCTOR_PACKAGE: https:\/\/github\.com\/sc-doctor\/sc-doctor\/releases\/download\/v\d+\.\d+\.\d+\/sc-doctor-\d+\.\d+\.\d+\.tgz/,
    );
    expect(text).toMatch(/(node-version|versionSpec): "?(22|24)/);
    expect(text).not.toMatch(/npx/);
  });

  it("both examples take the newest previous run as the baseline, failed or not", () => {
    const github = readFileSync(join(EXAMPLES, "github-actions.yml"), "utf8");
    const ado = readFileSync(join(EXAMPLES, "azure-pipelines.yml"), "utf8");
    // gh run list --status completed: any conclusion (success, failure, …).
    expect(github).toMatch(/gh run list [^\n]*--status completed --limit 1/);
    expect(ado).toMatch(/allowFailedBuilds: true/);
    expect(ado).toMatch(/allowPartiallySucceededBuilds: true/);
  });

  it.each(["github-actions.yml", "github-actions-matrix.yml"])(
    "%s: GitHub actions on their current (Node 24) majors, a pinned install",
    (file) => {
      const github = readFileSync(join(EXAMPLES, file), "utf8");
      // These jobs hold Azure credentials: never a package name resolved at run time.
      expect(github).not.toMatch(/npx[^\n]*sc-doctor/);
      expect(github).toMatch(/SC_DOCTOR_PACKAGE: https:\/\//);
      for (const [action, major] of [
        ["actions/checkout", 5],
        ["actions/setup-node", 5],
        ["actions/upload-artifact", 6],
        ["github/codeql-action/upload-sarif", 4],
      ] as const) {
        // The matrix has no checkout step (it runs the installed package only).
        if (file === "github-actions-matrix.yml" && !github.includes(`${action}@`)) continue;
        const used = Number(new RegExp(`${action}@v(\\d+)`).exec(github)?.[1]);
        expect(used, action).toBeGreaterThanOrEqual(major);
      }
    },
  );
});

/**
 * The script (`run: |` or `bash: |`) of the step of a pipeline in examples/ci/ named `name` (GitHub's `- name:`,
 * Azure DevOps' `displayName:`), its YAML indentation removed.
 */
function stepScript(file: string, name: string): string {
  const text = readFileSync(fileURLToPath(new URL(`../../examples/ci/${file}`, import.meta.url)), "utf8");
  const step = text.split(/\n(?= *- )/).find((block) => new RegExp(`(- name|displayName): ${name}\n`).test(`${block}\n`)) ?? "";
  const start = /(?:run|bash): \|\n/.exec(step);
  expect(start, `${file}: no script in step '${name}'`).not.toBeNull();
  const lines = step.slice((start?.index ?? 0) + (start?.[0].length ?? 0)).split("\n");
  const indent = /^ */.exec(lines[0] ?? "")?.[0].length ?? 0;
  const body = lines.slice(0, lines.findIndex((line) => line.trim() !== "" && /^ */.exec(line)![0].length < indent) >>> 0);
  return body.map((line) => line.slice(indent)).join("\n");
}

describe("the pipelines carry the baseline forward when no audit ran (sign-in or the install failed)", () => {
  it.each([
    ["github-actions.yml", "out", "baseline", {}],
    ["azure-pipelines.yml", "staging/sc-doctor", "ws/baseline", { BASELINE: "ws/baseline/audit.json", OUT_DIR: "staging/sc-doctor" }],
  ] as const)("%s", (file, out, baseline, env) => {
    const script = stepScript(file, "Carry the baseline forward when no audit ran");
    const dir = mkdtempSync(join(tmpdir(), "sc-doctor-carry-"));
    spawnSync("mkdir", ["-p", join(dir, baseline)]);
    writeFileSync(join(dir, baseline, "audit.json"), '{"results":[]}');
    const run = () => spawnSync("bash", ["-e", "-c", script], { cwd: dir, encoding: "utf8", env: { ...cleanEnv({}), ...env } });
    const carried = run();
    expect(carried.status, carried.stderr).toBe(0);
    expect(readFileSync(join(dir, out, "audit.json"), "utf8")).toBe('{"results":[]}');
    expect(carried.stdout).toMatch(/no audit ran/);
    // An audit that ran keeps its own audit.json.
    writeFileSync(join(dir, out, "audit.json"), '{"results":[1]}');
    expect(run().stdout).toBe("");
    expect(readFileSync(join(dir, out, "audit.json"), "utf8")).toBe('{"results":[1]}');
  });
});

describe("github-actions-matrix.yml: the merge step as written, on shards' outputs", () => {
  const SUB = "00000000-0000-0000-0000-000000000001";
  const shardDoc = (shard: string, vm: string, interrupted: boolean) => ({
    schemaVersion: 1,
    tool: { name: "sc-doctor", version: "0.1.0" },
    generatedAt: "2026-12-01T01:00:00Z",
    ...(interrupted ? {} : { scope: { subscriptions: "all", shard } }),
    shard,
    summary: {
      vms: interrupted ? 2 : 1,
      ready: 1,
      degraded: 0,
      blocked: 0,
      unknown: 0,
      byCheck: {},
      ...(interrupted
        ? { notEvaluated: [`/subscriptions/${SUB}/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/${vm}b`] }
        : {}),
    },
    results: [
      {
        vm: {
          id: `/subscriptions/${SUB}/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/${vm}`,
          name: vm,
          resourceGroup: "rg1",
          subscriptionId: SUB,
        },
        verdict: "ready",
        checks: [{ id: "subscription-state", title: "Subscription state", status: "pass", reason: "r", durationMs: 0, evidence: {} }],
      },
    ],
  });
  /** Run the step in a directory holding shards/shard-k.json, with `sc-doctor` the built CLI. */
  const merge = (interruptedShard?: number) => {
    const dir = mkdtempSync(join(tmpdir(), "sc-doctor-matrix-"));
    spawnSync("mkdir", ["-p", join(dir, "shards"), join(dir, "bin")]);
    for (const k of [1, 2])
      writeFileSync(join(dir, "shards", `shard-${k}.json`), JSON.stringify(shardDoc(`${k}/2`, `vm${k}`, k === interruptedShard)));
    writeFileSync(join(dir, "bin", "sc-doctor"), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`, { mode: 0o755 });
    const run = spawnSync("bash", ["-e", "-c", stepScript("github-actions-matrix.yml", "Merge the shards")], {
      cwd: dir,
      encoding: "utf8",
      env: { ...cleanEnv({}), PATH: `${join(dir, "bin")}:${process.env["PATH"] ?? ""}`, GITHUB_OUTPUT: join(dir, "output") },
    });
    return { run, dir, output: readFileSync(join(dir, "output"), "utf8") };
  };

  it("every shard complete: SARIF, HTML and JSON written, the merged exit code handed on", () => {
    const { run, dir, output } = merge();
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, "audit.sarif"), "utf8")).version).toBe("2.1.0");
    expect(existsSync(join(dir, "audit.html"))).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, "audit.json"), "utf8")).summary.vms).toBe(2);
    expect(output).toBe("code=0\n");
  });

  it("a shard interrupted (timeout-minutes): no SARIF that would close its unevaluated VMs' alerts, exit 3 handed on", () => {
    const { run, dir, output } = merge(2);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain("::warning::a shard's audit failed or was interrupted: no SARIF uploaded this run");
    expect(existsSync(join(dir, "audit.sarif"))).toBe(false);
    expect(existsSync(join(dir, "audit.html"))).toBe(true);
    expect(output).toBe("code=3\n");
  });
});
