/**
 * `sc-doctor audit`: scope, throttle, run, stream. Ctrl-C / SIGTERM stop scheduling: what finished is written,
 * the rest is listed as not evaluated, exit 3.
 */
import { readFileSync } from "node:fs";
import { createArmContext } from "../azure/arm.js";
import { isGuid } from "../azure/resource-id.js";
import { EXIT, exitCodeFor, type ExitCode } from "../engine/exit-code.js";
import { selectChecks } from "../engine/select.js";
import { runAudit } from "../fleet/audit.js";
import { SummaryBuilder, drift, type Drift } from "../fleet/summary.js";
import { throttlePolicy } from "../fleet/throttle.js";
import { formatAuditJson } from "../report/json.js";
import { createProgress } from "../report/progress.js";
import { sanitizeDeep, sanitizeLine } from "../report/sanitize.js";
import type { AuditReport, Status, VmResult } from "../types.js";
import { authenticate } from "./doctor.js";
import { networkFactFor } from "./network-fact.js";
import { UsageError, parseArmEndpoint, parseCheckIds, parsePositiveInt, parsePrincipal, parseResolve, useColor, type CommonOptions } from "./options.js";
import { chooseFormat, environmentSecrets } from "./render.js";

export interface AuditCliOptions extends Omit<CommonOptions, "subscription" | "resourceGroup"> {
  subscription?: string[];
  resourceGroup?: string[];
  where?: string;
  tag?: string[];
  source: "graph" | "arm";
  baseline?: string;
  failOnDrift?: boolean;
}

function readBaseline(path: string | undefined): { results?: { vm?: { id?: string }; verdict?: string }[] } | undefined {
  if (!path) return undefined;
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new UsageError(`--baseline: cannot read '${path}': ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === "object" && "results" in parsed && Array.isArray(parsed.results)) return parsed as { results: [] };
  } catch {
    // fall through to the usage error below
  }
  throw new UsageError(`--baseline: '${path}' is not the JSON of a previous 'sc-doctor audit --output json'`);
}

function parseTags(values: string[] | undefined): { key: string; value?: string }[] {
  return (values ?? []).map((value) => {
    const at = value.indexOf("=");
    const key = at < 0 ? value : value.slice(0, at);
    if (!key.trim()) throw new UsageError(`--tag must be key or key=value, got '${value}'`);
    return at < 0 ? { key } : { key, value: value.slice(at + 1) };
  });
}

export async function runAuditCommand(options: AuditCliOptions, version: string): Promise<ExitCode> {
  for (const sub of options.subscription ?? []) if (!isGuid(sub)) throw new UsageError(`--subscription must be a subscription id (a GUID), got '${sub}'`);
  if (options.where && options.source === "arm") throw new UsageError("--where is a Resource Graph filter: it needs --source graph");
  const format = chooseFormat(options);
  const checks = selectChecks(parseCheckIds("--only", options.only), parseCheckIds("--skip", options.skip));
  const timeoutMs = parsePositiveInt("--timeout", options.timeout, 15000);
  const concurrency = parsePositiveInt("--concurrency", options.concurrency, 32);
  const principal = parsePrincipal(options.principal);
  const armEndpoint = parseArmEndpoint(options.armEndpoint ?? process.env["SC_DOCTOR_ARM_ENDPOINT"]);
  const resolve = parseResolve(options.resolve);
  const tags = parseTags(options.tag);
  const baseline = readBaseline(options.baseline);

  const { DefaultAzureCredential } = await import("@azure/identity");
  const credential = new DefaultAzureCredential();
  const throttle = throttlePolicy();
  const arm = createArmContext({ credential, cloud: options.cloud, armEndpoint, policies: [throttle.policy] });
  const authProblem = await authenticate(credential, arm.audience, timeoutMs);
  if (authProblem) {
    process.stderr.write(`sc-doctor: authentication failed: ${authProblem}\n`);
    return EXIT.unevaluated;
  }

  const controller = new AbortController();
  let interrupted = false;
  const stop = () => {
    if (interrupted) process.exit(EXIT.unevaluated);
    interrupted = true;
    process.stderr.write("\nsc-doctor: interrupted — writing what finished; the rest is listed as not evaluated\n");
    controller.abort();
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);

  const progress = createProgress(process.stderr, options.quiet !== true);
  const summary = new SummaryBuilder();
  const statuses = new Set<Status>();
  const secrets = environmentSecrets();
  const { createRedactor, FORMATS, formatJsonLine } = await import("../report/index.js");
  const redact = options.redact === true || format === "markdown";
  // One redactor for the whole audit: a label (<subscription-1>) means the same id on every line and in the summary.
  const redactor = createRedactor(secrets, redact);
  const tool = { name: "sc-doctor" as const, version };
  const generatedAt = new Date().toISOString();
  const streaming = format === "jsonl";
  const clean = (result: VmResult): VmResult => redactor(sanitizeDeep(result));

  const outcome = await runAudit(arm, {
    source: options.source,
    subscriptions: options.subscription,
    resourceGroups: options.resourceGroup,
    where: options.where,
    tags,
    checks,
    timeoutMs,
    concurrency,
    principal,
    network: networkFactFor({ enabled: options.network, cloud: options.cloud, consoleEndpoint: options.consoleEndpoint, resolve, timeoutMs }),
    signal: controller.signal,
    keepResults: !streaming,
    onTotal: (n) => progress.total(n),
    onResult: (result) => {
      summary.add(result);
      for (const check of result.checks) statuses.add(check.status);
      if (streaming) process.stdout.write(formatJsonLine(clean(result)));
      progress.tick();
    },
  }).catch((error: unknown) => {
    progress.done();
    throw error;
  });
  progress.done();
  process.removeListener("SIGINT", stop);
  process.removeListener("SIGTERM", stop);

  const results = outcome.results.map(clean);
  const report: AuditReport = { schemaVersion: 1, tool, generatedAt, summary: redactor(sanitizeDeep(summary.build(outcome.notEvaluated))), results };
  const changes: Drift | undefined = baseline ? drift(baseline, outcome.results) : undefined;
  if (changes) (report.summary as AuditReport["summary"] & { drift?: Drift }).drift = redactor(sanitizeDeep(changes));

  if (format === "json") process.stdout.write(formatAuditJson(report));
  else if (format === "table") process.stdout.write(formatAuditTable(report));
  else if (!streaming) process.stdout.write(FORMATS[format]({ tool, generatedAt, results: report.results, summary: report.summary }, { redact, color: useColor(options) }));
  if (streaming && options.quiet !== true) process.stderr.write(formatSummaryLine(report));
  if (changes && options.quiet !== true) {
    process.stderr.write(`drift: ${changes.newlyBlocked.length} newly blocked, ${changes.fixed.length} fixed, ${changes.stillBlocked.length} still blocked\n`);
  }
  for (const id of outcome.notEvaluated.slice(0, 20)) process.stderr.write(`not evaluated: ${sanitizeLine(id)}\n`);
  if (outcome.notEvaluated.length > 20) process.stderr.write(`… and ${outcome.notEvaluated.length - 20} more not evaluated\n`);

  if (interrupted || outcome.notEvaluated.length > 0) return EXIT.unevaluated;
  if (options.failOnDrift && changes) return changes.newlyBlocked.length > 0 ? EXIT.findings : EXIT.ok;
  return exitCodeFor([...statuses].map((status) => ({ status })), { failOn: options.failOn, exitZero: options.exitZero === true });
}

function formatSummaryLine(report: AuditReport): string {
  const s = report.summary;
  return `audit: ${s.vms} VMs — ${s.ready} ready, ${s.degraded} degraded, ${s.blocked} blocked, ${s.unknown} unknown\n`;
}

function formatAuditTable(report: AuditReport): string {
  const lines = [formatSummaryLine(report).trimEnd(), ""];
  const byCheck = Object.entries(report.summary.byCheck);
  if (byCheck.length) {
    lines.push("check                 fail  warn  error");
    for (const [id, c] of byCheck) lines.push(`${id.padEnd(20)}  ${String(c?.fail ?? 0).padStart(4)}  ${String(c?.warn ?? 0).padStart(4)}  ${String(c?.error ?? 0).padStart(5)}`);
    lines.push("");
  }
  for (const result of report.results.filter((r) => r.verdict !== "ready")) {
    const failing = result.checks.filter((c) => c.status === "fail" || c.status === "error" || c.status === "warn");
    lines.push(`${result.verdict.toUpperCase().padEnd(8)} ${sanitizeLine(result.vm.id)}`);
    for (const c of failing) lines.push(`         ${c.status.padEnd(5)} ${c.id}: ${sanitizeLine(c.reason, 200)}`);
  }
  return `${lines.join("\n")}\n`;
}
