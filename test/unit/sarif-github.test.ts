/**
 * `-o sarif` as GitHub code scanning takes it (test/fixtures/github-sarif.ts lists the documented requirements):
 * results located at repository-relative paths, a `primaryLocationLineHash` fingerprint that stays the same from
 * run to run for the same VM and check (and differs otherwise), rules whose help carries the Microsoft document,
 * and no more results than an upload accepts.
 */
import { describe, expect, it } from "vitest";
import type { ReportInput } from "../../src/report/formats.js";
import formatSarif from "../../src/report/sarif.js";
import type { CheckResult, VmResult } from "../../src/types.js";
import { BLOCKED, READY, summaryOf } from "../fixtures/results.js";
import { GITHUB_LIMITS, githubSarifProblems } from "../fixtures/github-sarif.js";
import { assertValidSarif } from "../fixtures/validate.js";

const meta = { tool: { name: "sc-doctor" as const, version: "1.2.3" }, generatedAt: "2026-11-25T02:00:00.000Z" };
const opts = { redact: false, color: false };
const audit = (results: VmResult[]): ReportInput => ({ ...meta, results, summary: summaryOf(results) });

interface SarifResult {
  ruleId: string;
  partialFingerprints: Record<string, string>;
  locations: { physicalLocation: { artifactLocation: { uri: string } } }[];
}
const sarif = (input: ReportInput) => {
  const text = formatSarif(input, opts);
  assertValidSarif(text);
  return JSON.parse(text) as {
    runs: { results: SarifResult[]; tool: { driver: { rules: { id: string; helpUri: string; help: { markdown?: string } }[] } } }[];
  };
};

/** A copy of BLOCKED as another VM (other name, other resource group). */
function otherVm(name: string): VmResult {
  const id = BLOCKED.vm.id.replace("/resourceGroups/rg-prod/", "/resourceGroups/rg-test/").replace(/web-01$/, name);
  return { ...BLOCKED, vm: { ...BLOCKED.vm, id, name, resourceGroup: "rg-test" } };
}

describe("SARIF for GitHub code scanning", () => {
  it("meets every documented requirement (single VM and audit)", () => {
    expect(githubSarifProblems(sarif({ ...meta, results: [BLOCKED] }))).toEqual([]);
    expect(githubSarifProblems(sarif(audit([READY, BLOCKED, otherVm("web-03")])))).toEqual([]);
  });

  it("locates each result at a repository-relative path naming the VM, the same for the same VM", () => {
    const [result] = sarif({ ...meta, results: [BLOCKED] }).runs[0]?.results ?? [];
    const uri = result?.locations[0]?.physicalLocation.artifactLocation.uri ?? "";
    expect(uri).not.toMatch(/^[a-z]+:/i);
    expect(uri).not.toMatch(/^\//);
    expect(decodeURI(uri)).toBe(`azure${BLOCKED.vm.id}`.toLowerCase());
    // Resource Graph and ARM spell the same id in different cases: the alert must not move.
    const shouted = { ...BLOCKED, vm: { ...BLOCKED.vm, id: BLOCKED.vm.id.toUpperCase() } };
    const again = sarif({ ...meta, results: [shouted] }).runs[0]?.results[0];
    expect(again?.locations[0]?.physicalLocation.artifactLocation.uri).toBe(uri);
  });

  it("a VM name holding a lone surrogate (from a damaged saved result) still gives a valid location", () => {
    const broken = { ...BLOCKED, vm: { ...BLOCKED.vm, id: `${BLOCKED.vm.id.replace(/[^/]+$/, "")}web-\ud800x`, name: "web-\ud800x" } };
    const [result] = sarif({ ...meta, results: [broken] }).runs[0]?.results ?? [];
    expect(decodeURI(result?.locations[0]?.physicalLocation.artifactLocation.uri ?? "")).toContain("web-\ufffdx");
  });

  it("fingerprints are stable across runs and unique per VM and check", () => {
    const first = sarif(audit([BLOCKED, otherVm("web-03")])).runs[0]?.results ?? [];
    const later = sarif({ ...audit([otherVm("web-03"), BLOCKED]), generatedAt: "2026-12-01T00:00:00.000Z" }).runs[0]?.results ?? [];
    const byKey = (results: SarifResult[]) =>
      new Map(results.map((r) => [`${r.locations[0]?.physicalLocation.artifactLocation.uri}|${r.ruleId}`, r.partialFingerprints]));
    expect(byKey(later)).toEqual(byKey(first));
    const hashes = first.map((r) => r.partialFingerprints["primaryLocationLineHash"]);
    expect(new Set(hashes).size).toBe(first.length);
  });

  it("a check of another sc-doctor version (report merging its saved results) gets a rule, so its results name one", () => {
    const future: VmResult = {
      ...otherVm("web-04"),
      checks: [
        // Ids this version's types do not know, as JSON read back holds them.
        {
          id: "future-check" as CheckResult["id"],
          title: "A check from a newer version",
          status: "fail",
          reason: "r",
          durationMs: 1,
          evidence: {},
        },
        { id: "future-passed" as CheckResult["id"], title: "Passed", status: "pass", reason: "r", durationMs: 1, evidence: {} },
      ],
    };
    const log = sarif(audit([BLOCKED, future]));
    expect(githubSarifProblems(log)).toEqual([]);
    const rules = log.runs[0]?.tool.driver.rules ?? [];
    expect(rules.filter((rule) => rule.id === "future-check")).toHaveLength(1);
    expect(rules.map((rule) => rule.id)).not.toContain("future-passed");
    // The version's own checks keep their places (indexes), the unknown one comes after them.
    expect(rules.findIndex((rule) => rule.id === "future-check")).toBe(rules.length - 1);
  });

  it("rule help carries the Microsoft document as a link", () => {
    const rules = sarif({ ...meta, results: [BLOCKED] }).runs[0]?.tool.driver.rules ?? [];
    for (const rule of rules) {
      expect(rule.helpUri).toMatch(/^https:\/\/learn\.microsoft\.com\//);
      expect(rule.help.markdown).toContain(`](${rule.helpUri})`);
    }
  });

  it("a fleet with more findings than an upload accepts keeps the worst and says what it left out", () => {
    // Light VMs (no evidence, no correlation ids) so the test stays quick: 3 results each, 27,000 in all.
    const light = (vm: VmResult): VmResult => ({
      vm: vm.vm,
      verdict: vm.verdict,
      checks: vm.checks.map((c) => ({ ...c, evidence: {}, fix: [] })),
    });
    const many = Array.from({ length: 3_000 }, (_, i) => light(otherVm(`vm-${i}`)));
    // Parsed without the OASIS schema check (the other tests do it; thousands of results would take the schema long).
    const log = JSON.parse(formatSarif(audit(many), opts)) as {
      runs: { results: { level: string }[]; invocations: { toolExecutionNotifications?: { message: { text: string } }[] }[] }[];
    };
    expect(githubSarifProblems(log)).toEqual([]);
    const run = log.runs[0];
    // GitHub stores 5,000 of a run's results (and may keep the first in the file): the failures, first.
    expect(run?.results).toHaveLength(GITHUB_LIMITS.resultsStoredPerRun);
    expect(run?.results.slice(0, 3_000).every((r) => r.level === "error")).toBe(true);
    expect(run?.invocations[0]?.toolExecutionNotifications?.[0]?.message.text).toMatch(/4000 .*left out/);
  });
});

describe("the GitHub checker can fail", () => {
  it("flags what GitHub rejects", () => {
    const log = sarif({ ...meta, results: [BLOCKED] });
    const bad = structuredClone(log) as unknown as { runs: { results: Record<string, unknown>[] }[] };
    const result = bad.runs[0]?.results[0] ?? {};
    result["locations"] = [{ physicalLocation: { artifactLocation: { uri: "azure:///subscriptions/x" } } }];
    delete result["partialFingerprints"];
    const problems = githubSarifProblems(bad);
    expect(problems.some((p) => /scheme 'azure:'/.test(p))).toBe(true);
    expect(problems.some((p) => /primaryLocationLineHash/.test(p))).toBe(true);
    expect(problems.some((p) => /region\.startLine/.test(p))).toBe(true);
  });
});
