/**
 * The promises a chaos run checks, as a pure function of what the run produced: exit code, time, stderr, the JSON
 * report and the simulator's log. Returns the violations (empty = the run kept every promise).
 */
import type { RequestLogEntry, WriteLogEntry } from "../azure-sim/index.mjs";
import { CHECKS } from "../../src/checks/index.js";
import type { CheckDefinition, FactName } from "../../src/checks/define.js";
import { parseVmJson, type CliRun } from "../e2e/harness.js";
import { distortedFacts, taintedFacts } from "./taint.js";

const NEEDS = new Map((CHECKS as readonly CheckDefinition[]).map((check) => [check.id, check.needs as readonly FactName[]]));
const CONTRACT_CODES = new Set([0, 1, 3]); // 2 would be a usage error (our arguments are valid); 4 is a crash.

export interface RunEvidence {
  run: CliRun;
  log: readonly RequestLogEntry[];
  writes: readonly WriteLogEntry[];
  timeLimitMs: number;
  principal?: boolean;
}

export function violations({ run, log, writes, timeLimitMs, principal }: RunEvidence): string[] {
  const found: string[] = [];
  if (run.code === null || !CONTRACT_CODES.has(run.code)) found.push(`exit code ${run.code} (expected 0, 1 or 3)`);
  if (run.ms > timeLimitMs) found.push(`took ${run.ms} ms (limit ${timeLimitMs} ms)`);
  if (/\n\s+at .+:\d+:\d+/.test(run.stderr)) found.push("stack trace on stderr");
  if (/internal error|unhandled|uncaught/i.test(run.stderr)) found.push(`crash message on stderr: ${run.stderr.split("\n")[0]}`);
  if (writes.length > 0) found.push(`${writes.length} write(s) reached Azure`);
  let report;
  try {
    report = parseVmJson(run);
  } catch (error) {
    found.push(`no valid JSON report: ${(error as Error).message.split("\n")[0]}`);
    return found;
  }
  const scopeOf = (id: string) => {
    const scope = report.checks.find((c) => c.id === id)?.evidence["scope"];
    return typeof scope === "string" ? scope : undefined;
  };
  // Found: a pass, or a warning about where it is (another subscription, region, resource group) naming it.
  const located = report.checks.find((c) => c.id === "storage-account" && (c.status === "pass" || c.status === "warn"))?.evidence;
  const storageAccount =
    located &&
    typeof located["storageAccount"] === "string" &&
    typeof located["resourceGroup"] === "string" &&
    typeof located["subscriptionId"] === "string"
      ? { name: located["storageAccount"], resourceGroup: located["resourceGroup"], subscriptionId: located["subscriptionId"] }
      : undefined;
  const tainted = taintedFacts(log, {
    vmPermissions: scopeOf("rbac-vm"),
    storagePermissions: scopeOf("rbac-storage"),
    principal,
    storageAccount,
  });
  const distorted = distortedFacts(log);
  for (const check of report.checks) {
    if (check.status === "fail") {
      const bad = (NEEDS.get(check.id as never) ?? []).filter((fact) => distorted.has(fact));
      if (bad.length > 0) found.push(`${check.id}: fail resting on a distorted response for ${bad.join(", ")}`);
    }
    if ((check.status === "error" || check.status === "skip") && !check.reason.trim())
      found.push(`${check.id}: ${check.status} without a reason`);
    if (check.status === "error" && /no reason was recorded/.test(check.reason))
      found.push(`${check.id}: error with the engine's placeholder reason`);
    if (check.status === "pass") {
      const unread = (NEEDS.get(check.id as never) ?? []).filter((fact) => tainted.has(fact));
      if (unread.length > 0) found.push(`${check.id}: pass although ${unread.join(", ")} was not read successfully`);
    }
  }
  return found;
}
