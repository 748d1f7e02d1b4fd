/**
 * `sc-doctor report <file…>`: merge saved `audit -o json` / `-o jsonl` outputs (CI shards, several runs), recompute
 * the summary and render any format, with the audit's exit codes. A VM present in two inputs is a usage error
 * naming it (exit 2): shards are disjoint, so a duplicate means the inputs are not what the user thinks.
 * `unevaluatedSubscriptions` and `notEvaluated` are carried over from json inputs (jsonl has no place for them).
 */
import { readFile } from "node:fs/promises";
import { text as readStream } from "node:stream/consumers";
import { EXIT, exitCodeFor, type ExitCode } from "../engine/exit-code.js";
import { byVmId } from "../fleet/audit.js";
import { SummaryBuilder } from "../fleet/summary.js";
import { loadFormat, redacts, type OutputFormat } from "../report/formats.js";
import { sanitizeLine } from "../report/sanitize.js";
import { formatSummaryLine } from "../report/table.js";
import { verdictOf, type Status, type UnevaluatedSubscription, type VmResult } from "../types.js";
import { UsageError, useColor } from "./options.js";
import { chooseFormat, createCleaner, environmentSecrets } from "./render.js";
import { cliIo } from "./io.js";

export interface ReportCliOptions {
  output?: OutputFormat;
  failOn: "fail" | "warn";
  exitZero?: boolean;
  redact?: boolean;
  quiet?: boolean;
  color: boolean;
}

/** What one input holds. */
export interface SavedAudit {
  results: VmResult[];
  unevaluatedSubscriptions: UnevaluatedSubscription[];
  notEvaluated: string[];
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * A saved result, checked for every field the summary and the formatters read, with the types sc-doctor writes
 * (src/types.ts `VmResult`): anything else is a usage error naming where, never a formatter's crash (exit 4). Check
 * ids and subscription ids become keys of the summary, so they must look like what they are.
 */
function asResult(value: unknown, where: string): VmResult {
  const refuse = (what: string): never => {
    throw new UsageError(`${where}: not an sc-doctor VM result (${what})`);
  };
  const text = (object: Record<string, unknown>, key: string, path: string, optional = false) => {
    const field = object[key];
    if (typeof field === "string" || (optional && field === undefined)) return;
    refuse(`${path}${key} is ${field === undefined ? "missing" : `not a string: ${sanitizeLine(JSON.stringify(field) ?? "", 60)}`}`);
  };
  const texts = (field: unknown, path: string) => {
    if (field !== undefined && !(Array.isArray(field) && field.every((item) => typeof item === "string")))
      refuse(`${path} is not a list of strings`);
  };
  if (!isObject(value)) return refuse("not an object");
  const vm = value["vm"];
  if (!isObject(vm)) return refuse("no vm");
  for (const key of ["id", "name", "resourceGroup", "subscriptionId"]) text(vm, key, "vm.");
  for (const key of ["location", "osType", "vmSize", "securityType", "bootDiagnostics", "scaleSet", "instanceId"])
    text(vm, key, "vm.", true);
  if (!SUBSCRIPTION.test(String(vm["subscriptionId"]))) refuse("vm.subscriptionId is neither a subscription id nor a --redact label");
  const verdict = value["verdict"];
  if (verdict !== "ready" && verdict !== "degraded" && verdict !== "blocked" && verdict !== "unknown")
    refuse(`verdict ${sanitizeLine(JSON.stringify(verdict) ?? "", 60)}`);
  texts(value["correlationIds"], "correlationIds");
  const checks = value["checks"];
  if (!Array.isArray(checks)) return refuse("checks is not a list");
  checks.forEach((check: unknown, i) => {
    const path = `checks[${i}].`;
    if (!isObject(check)) return refuse(`${path.slice(0, -1)} is not an object`);
    text(check, "id", path);
    if (!CHECK_ID.test(String(check["id"]))) refuse(`${path}id ${sanitizeLine(JSON.stringify(check["id"]), 60)} is not a check id`);
    if (!STATUSES.has(check["status"]))
      throw new UsageError(
        `${where}: check ${String(check["id"])} has status ${sanitizeLine(JSON.stringify(check["status"]) ?? "", 60)}, none of ${[...STATUSES].join(", ")}`,
      );
    for (const key of ["title", "reason"]) text(check, key, path);
    text(check, "mitigation", path, true);
    if (typeof check["durationMs"] !== "number") refuse(`${path}durationMs is not a number`);
    if (!isObject(check["evidence"])) refuse(`${path}evidence is not an object`);
    texts(check["fix"], `${path}fix`);
    const documented = check["documentedError"];
    if (documented !== undefined) {
      if (!isObject(documented)) return refuse(`${path}documentedError is not an object`);
      text(documented, "id", `${path}documentedError.`);
      text(documented, "message", `${path}documentedError.`);
      text(documented, "source", `${path}documentedError.`, true);
    }
  });
  // The verdict is a function of the checks (docs/contract.md): a file where they disagree was edited or damaged.
  const expected = verdictOf(checks as { status: Status }[]);
  if (verdict !== expected) throw new UsageError(`${where}: verdict "${String(verdict)}" contradicts its checks (${expected})`);
  return value as unknown as VmResult;
}

/** A check id as sc-doctor writes them (`storage-firewall`); future checks too, but never `__proto__`. */
const CHECK_ID = /^[a-z][a-z0-9-]*$/;
/** A subscription id, or the label `--redact` writes in its place. */
const SUBSCRIPTION = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|<subscription-\d+>)$/i;
const STATUSES: ReadonlySet<unknown> = new Set<Status>(["pass", "warn", "fail", "error", "skip"]);
/** What this version writes and reads (docs/contract.md: a new schemaVersion is a breaking change). */
const SCHEMA_VERSION = 1;

/** Parse one input: an `audit -o json` document, or `-o jsonl` (one result per line). */
export function parseSavedAudit(text: string, name: string): SavedAudit {
  const trimmed = text.trim();
  if (trimmed === "") return { results: [], unevaluatedSubscriptions: [], notEvaluated: [] };
  let whole: unknown;
  try {
    whole = JSON.parse(trimmed);
  } catch {
    whole = undefined; // several lines: jsonl
  }
  if (isObject(whole) && Array.isArray(whole["results"])) {
    if ("schemaVersion" in whole && whole["schemaVersion"] !== SCHEMA_VERSION)
      throw new UsageError(
        `${name}: schemaVersion ${sanitizeLine(JSON.stringify(whole["schemaVersion"]) ?? "")}; this sc-doctor reads schemaVersion ${SCHEMA_VERSION} (use the version that wrote it)`,
      );
    const summary = isObject(whole["summary"]) ? whole["summary"] : {};
    const unevaluated = Array.isArray(summary["unevaluatedSubscriptions"]) ? summary["unevaluatedSubscriptions"] : [];
    const notEvaluated = Array.isArray(summary["notEvaluated"]) ? summary["notEvaluated"] : [];
    return {
      results: whole["results"].map((r, i) => asResult(r, `${name}: results[${i}]`)),
      unevaluatedSubscriptions: unevaluated
        .filter(isObject)
        .filter((u) => typeof u["subscriptionId"] === "string" && typeof u["reason"] === "string")
        .map((u) => ({ subscriptionId: String(u["subscriptionId"]), reason: String(u["reason"]) })),
      notEvaluated: notEvaluated.filter((id): id is string => typeof id === "string"),
    };
  }
  const results: VmResult[] = [];
  trimmed.split("\n").forEach((line, index) => {
    if (line.trim() === "") return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      throw new UsageError(`${name}: line ${index + 1} is not JSON: neither 'sc-doctor audit -o json' nor '-o jsonl' output`);
    }
    results.push(asResult(parsed, `${name}: line ${index + 1}`));
  });
  return { results, unevaluatedSubscriptions: [], notEvaluated: [] };
}

/** A label `--redact` writes in place of a subscription id (src/report/redact.ts): numbered per run. */
const REDACTED_SUBSCRIPTION = /^<subscription-\d+>$/;

/**
 * Merge inputs; a VM in two of them is a UsageError naming it and both inputs. So is a redacted input beside
 * others: `<subscription-1>` of one run is not that of another, so merged they would mix subscriptions.
 */
export function mergeSavedAudits(inputs: readonly { name: string; audit: SavedAudit }[]): SavedAudit {
  const holding = inputs.filter(({ audit }) => audit.results.length > 0 || audit.unevaluatedSubscriptions.length > 0);
  const redacted = holding.find(({ audit }) =>
    [...audit.results.map((r) => r.vm.subscriptionId), ...audit.unevaluatedSubscriptions.map((u) => u.subscriptionId)].some((id) =>
      REDACTED_SUBSCRIPTION.test(id),
    ),
  );
  if (redacted && holding.length > 1)
    throw new UsageError(
      `${redacted.name} was written with --redact: its labels (<subscription-1>, …) are numbered per run and name other subscriptions in another run's output; merge the outputs written without it and pass --redact to report`,
    );
  const seen = new Map<string, string>();
  const results: VmResult[] = [];
  const unevaluated = new Map<string, UnevaluatedSubscription>();
  const notEvaluated = new Set<string>();
  for (const { name, audit } of inputs) {
    for (const result of audit.results) {
      const key = result.vm.id.toLowerCase();
      const first = seen.get(key);
      if (first !== undefined)
        throw new UsageError(
          `VM ${sanitizeLine(result.vm.id)} is in both ${first} and ${name}: merge outputs of different shards or runs, each VM once`,
        );
      seen.set(key, name);
      results.push(result);
    }
    for (const entry of audit.unevaluatedSubscriptions) unevaluated.set(entry.subscriptionId.toLowerCase(), entry);
    for (const id of audit.notEvaluated) notEvaluated.add(id);
  }
  return {
    results: results.sort(byVmId),
    unevaluatedSubscriptions: [...unevaluated.values()].sort((a, b) => (a.subscriptionId < b.subscriptionId ? -1 : 1)),
    // Evaluated in another input (e.g. a rerun): no longer "not evaluated".
    notEvaluated: [...notEvaluated].filter((id) => !seen.has(id.toLowerCase())).sort(),
  };
}

async function readInput(name: string): Promise<string> {
  try {
    return name === "-" ? await readStream(cliIo().stdin) : await readFile(name, "utf8");
  } catch (error) {
    throw new UsageError(`cannot read '${name}': ${error instanceof Error ? error.message : String(error)}`);
  }
}

export async function runReport(files: readonly string[], options: ReportCliOptions, version: string): Promise<ExitCode> {
  if (files.filter((f) => f === "-").length > 1) throw new UsageError("'-' (stdin) can be given once");
  const inputs = [];
  let empty = 0;
  for (const name of files) {
    const text = await readInput(name);
    if (text.trim() === "") empty++;
    inputs.push({ name: name === "-" ? "stdin" : name, audit: parseSavedAudit(text, name) });
  }
  // One empty shard among others drew no VM. Nothing but empty inputs is an audit of no VM (jsonl writes nothing
  // then) — or one that failed upstream, whose own exit code said so: 0 VMs, as that audit, with a word on stderr.
  if (empty === files.length && options.quiet !== true)
    cliIo().stderr.write(
      `sc-doctor: every input is empty (${files.join(", ")}): 0 VMs; if the audits that wrote them failed, their exit codes said so\n`,
    );
  const merged = mergeSavedAudits(inputs);

  const formatter = await loadFormat(chooseFormat(options));
  const redact = redacts(formatter, options.redact);
  // Saved files are input like any other: sanitised and masked again before they reach the terminal.
  const clean = createCleaner(environmentSecrets(), redact);
  const summary = new SummaryBuilder();
  for (const result of merged.results) summary.add(result);
  const tool = { name: "sc-doctor" as const, version };
  const generatedAt = new Date().toISOString();
  const results = merged.results.map(clean);
  const cleanSummary = clean(summary.build(merged.notEvaluated, undefined, merged.unevaluatedSubscriptions));

  const out = formatter.default({ tool, generatedAt, results, summary: cleanSummary }, { redact, color: useColor(options) });
  cliIo().stdout.write(out.endsWith("\n") || out === "" ? out : `${out}\n`);
  if (options.quiet !== true && formatter.showsSummary !== true) cliIo().stderr.write(formatSummaryLine(cleanSummary));

  const found = exitCodeFor(
    merged.results.flatMap((r) => r.checks),
    { failOn: options.failOn, exitZero: options.exitZero === true },
  );
  const incomplete = merged.unevaluatedSubscriptions.length > 0 || merged.notEvaluated.length > 0;
  if (incomplete && found !== EXIT.findings && options.exitZero !== true) return EXIT.unevaluated;
  return found;
}
