/**
 * `sc-doctor report <file…>`: merge saved `audit -o json` / `-o jsonl` outputs (CI shards, several runs), recompute
 * the summary and render any format, with the audit's exit codes. A VM present in two inputs is a usage error
 * naming it (exit 2): shards are disjoint, so a duplicate means the inputs are not what the user thinks.
 * `unevaluatedSubscriptions` and `notEvaluated` are carried over from json inputs (jsonl has no place for them);
 * `drift` is not (inputs may have had different baselines, or none): it is `audit --baseline`'s alone.
 * An input written by an audit that failed (its error document, or an empty `-o json` file) is said on stderr and
 * in `summary.failedInputs` (carried over from json inputs too, so a merge of merges still shows the gap), and
 * makes the exit code 3 unless findings make it 1, as an unevaluated subscription does; the others still render.
 */
import { subscriptionOf } from "../azure/resource-id.js";
import { parseShard } from "../fleet/shard.js";
import { once } from "node:events";
import { readFile, stat } from "node:fs/promises";
import { EXIT, exitCodeFor, type ExitCode } from "../engine/exit-code.js";
import { byVmId } from "../fleet/audit.js";
import { SummaryBuilder } from "../fleet/summary.js";
import { loadFormat, redacts, type OutputFormat } from "../report/formats.js";
import { coverageGaps, partialAuditLine } from "../report/coverage.js";
import { withoutGuids } from "../report/redact.js";
import { revealInvisible, sanitizeLine } from "../report/sanitize.js";
import { formatSummaryLine } from "../report/table.js";
import { UNLISTED_REASON } from "../fleet/unevaluated-reasons.js";
import { verdictOf, type AuditScope, type FailedInput, type Status, type UnevaluatedSubscription, type VmResult } from "../types.js";
import { UsageError, useColor } from "./options.js";
import { chooseFormat, createCleaner, environmentSecrets, labelSubscriptionsInOrder } from "./render.js";
import { cliIo } from "./io.js";
import { decodeSavedText, readCapped } from "./text-input.js";
import { LARGE_INPUT_BYTES, SavedStructureError, fileChunks, savedPieces } from "./saved-pieces.js";

export interface ReportCliOptions {
  output?: OutputFormat;
  failOn: "fail" | "warn";
  exitZero?: boolean;
  redact?: boolean;
  quiet?: boolean;
  color: boolean;
}

/**
 * An audit that could not evaluate and wrote an error document (or nothing) where its results would be; read from
 * the input itself, or from the `summary.failedInputs` of an earlier report's output (`recordedIn` names that).
 */
export interface FailedAudit extends FailedInput {
  recordedIn?: string;
}

/** `FailedInput.code` of an empty `.json` input: `audit -o json` writes a document even for no VM. */
const EMPTY = "Empty";
const emptyInput = (input: string): FailedAudit => ({
  input,
  code: EMPTY,
  message:
    "empty: 'sc-doctor audit -o json' writes a document even for no VM, so the audit that wrote it failed (see its exit code and stderr)",
});

/** What one input holds. */
export interface SavedAudit {
  results: VmResult[];
  unevaluatedSubscriptions: UnevaluatedSubscription[];
  notEvaluated: string[];
  failedAudits: FailedAudit[];
  /** `summary.absentResourceGroups`: `--resource-group` names its audit found in no subscription. */
  absentResourceGroups?: string[];
  /** An `audit -o json` input's `scope` (a run that went the whole way); undefined otherwise (what it covered is not known). */
  scope?: AuditScope;
  /** A sharded `audit -o json` input's `--shard k/n`, recorded even when it stopped early (and has no `scope`). */
  shard?: string;
  /** A `report -o json` input's `mergedScopes`: the scopes of the complete audits it merged. */
  mergedScopes?: AuditScope[];
  /** An `audit -o json` input's `generatedAt` (ISO 8601), when it has one. */
  generatedAt?: string;
  /** Where a saved verdict disagreed with its checks and was recomputed from them (a file edited or damaged). */
  recomputed?: string[];
  /** A large input that held nothing but white space (read whole, such text is tested as it is). */
  blank?: true;
  /** An `audit -o jsonl` input: VM results only, nothing of what its audit did not cover. */
  jsonl?: true;
  /** An `audit -o json` document (or `report`'s): what `audit --baseline` takes. */
  document?: true;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
/** An input of result lines (jsonl, or `--vm` documents one per line): no coverage gaps it could record. */
function linesAudit(results: VmResult[], failedAudits: FailedAudit[], recomputed: string[], auditLines: boolean): SavedAudit {
  return {
    results,
    unevaluatedSubscriptions: [],
    notEvaluated: [],
    failedAudits,
    recomputed,
    ...(auditLines ? { jsonl: true as const } : {}),
  };
}

/** One VM's `--vm -o json` document (it carries a schemaVersion; an audit's jsonl line does not). */
const isVmDocument = (value: unknown): boolean => isObject(value) && "schemaVersion" in value;

/** Reads the fields of one saved result, refusing (a usage error naming `where` and the field) what it cannot use. */
function fieldReader(where: string) {
  const refuse = (what: string): never => {
    throw new UsageError(`${where}: not an sc-doctor VM result (${what})`);
  };
  // A string or number is shown (cut short); a list or object only by its kind: cut, an id in it would no longer be
  // one that --redact recognises.
  const shown = (field: unknown) =>
    typeof field === "object" && field !== null
      ? Array.isArray(field)
        ? "a list"
        : "an object"
      : sanitizeLine(JSON.stringify(field) ?? String(field), 60);
  return {
    refuse,
    shown,
    /** `object[key]` if it is a string; `fallback`, when given, if it is missing or empty. */
    text(object: Record<string, unknown>, key: string, path: string, fallback?: string): string {
      const field = object[key];
      if (fallback !== undefined && (field === undefined || field === "")) return fallback;
      if (typeof field === "string") return field;
      return refuse(`${path}${key} is ${field === undefined ? "missing" : `not a string: ${shown(field)}`}`);
    },
    /** Absent, or a list of strings. */
    texts(field: unknown, path: string): void {
      if (field !== undefined && !(Array.isArray(field) && field.every((item) => typeof item === "string")))
        refuse(`${path} is not a list of strings`);
    },
  };
}

/**
 * A saved result, checked for every field the summary and the formatters read: a field of another type than
 * sc-doctor writes (src/types.ts `VmResult`) is a usage error naming it, never a formatter's crash (exit 4). A field
 * that is missing and can be told otherwise is filled in (a VM's name and group from its id, a check's title from
 * its id), so a hand-made result with only ids, verdicts and statuses still merges. A saved verdict that
 * contradicts the checks is recomputed from them (the contract defines it so) and noted in `recomputed`.
 */
function asResult(input: unknown, where: string, recomputed: string[]): VmResult {
  const read = fieldReader(where);
  if (!isObject(input)) return read.refuse("not an object");
  if (nestedDeeperThan(input, MAX_DEPTH)) read.refuse(`nested deeper than ${MAX_DEPTH} levels`);
  checkSchemaVersion(input, where);
  // A `--vm … -o json` document's own fields: an audit's results carry none of them, whichever way they were saved.
  const { schemaVersion: _version, tool: _tool, generatedAt: _generatedAt, ...value } = input;
  const vm = value["vm"];
  if (!isObject(vm)) return read.refuse("no vm");
  // Empty only where sc-doctor writes them so: a VM whose id it could not read (src/fleet/audit.ts).
  const id = read.text(vm, "id", "vm.");
  read.text(vm, "subscriptionId", "vm.");
  const name = read.text(vm, "name", "vm.", id.slice(id.lastIndexOf("/") + 1));
  const resourceGroup = read.text(vm, "resourceGroup", "vm.", /\/resourceGroups\/([^/]+)/i.exec(id)?.[1] ?? "");
  for (const key of ["location", "osType", "vmSize", "securityType", "bootDiagnostics", "scaleSet", "instanceId"])
    if (vm[key] !== undefined) read.text(vm, key, "vm.");
  const verdict = value["verdict"];
  if (verdict !== undefined && verdict !== "ready" && verdict !== "degraded" && verdict !== "blocked" && verdict !== "unknown")
    read.refuse(`verdict ${read.shown(verdict)}`);
  if (value["partial"] !== undefined && value["partial"] !== true) read.refuse(`partial is ${read.shown(value["partial"])}, not true`);
  read.texts(value["correlationIds"], "correlationIds");
  const saved = value["checks"];
  if (!Array.isArray(saved)) return read.refuse("checks is not a list");
  const checks = saved.map((check: unknown, i) => asCheck(check, `checks[${i}]`, read, where));
  const expected = verdictOf(checks);
  if (verdict !== undefined && verdict !== expected) recomputed.push(`${where}: "${String(verdict)}" → "${expected}"`);
  return { ...value, vm: { ...vm, name, resourceGroup }, verdict: expected, checks } as unknown as VmResult;
}

/** One saved check result (see `asResult`). */
function asCheck(
  check: unknown,
  at: string,
  read: ReturnType<typeof fieldReader>,
  where: string,
): { status: Status } & Record<string, unknown> {
  if (!isObject(check)) return read.refuse(`${at} is not an object`);
  const path = `${at}.`;
  const checkId = read.text(check, "id", path);
  if (!CHECK_ID.test(checkId)) read.refuse(`${path}id ${read.shown(checkId)} is not a check id`);
  const status = check["status"];
  if (!isStatus(status))
    throw new UsageError(`${where}: check ${checkId} has status ${read.shown(status)}, none of ${[...STATUSES].join(", ")}`);
  const title = read.text(check, "title", path, checkId);
  // Never empty: the JSON schema (schema/) wants a reason for error and skip.
  const reason = read.text(check, "reason", path, "(no reason in the saved result)");
  if (check["mitigation"] !== undefined) read.text(check, "mitigation", path);
  const durationMs = check["durationMs"] === undefined ? 0 : check["durationMs"];
  // Finite: `1e400` parses as Infinity, which JSON writes as null and JUnit as time="Infinity".
  if (typeof durationMs !== "number" || !Number.isFinite(durationMs) || durationMs < 0)
    read.refuse(`${path}durationMs is not a number of milliseconds`);
  const evidence = check["evidence"] === undefined ? {} : check["evidence"];
  if (!isObject(evidence)) read.refuse(`${path}evidence is not an object`);
  read.texts(check["fix"], `${path}fix`);
  const documented = check["documentedError"];
  if (documented !== undefined) {
    if (!isObject(documented)) return read.refuse(`${path}documentedError is not an object`);
    read.text(documented, "id", `${path}documentedError.`);
    read.text(documented, "message", `${path}documentedError.`);
    if (documented["source"] !== undefined) read.text(documented, "source", `${path}documentedError.`);
  }
  return { ...check, status, title, reason, durationMs, evidence };
}

/** A result of sc-doctor's is a few levels deep; far deeper is not its output, and would overflow the recursive walks. */
const MAX_DEPTH = 32;

/** Whether `value` holds objects or arrays nested deeper than `limit` (iterative: the input may be hostile). */
function nestedDeeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  for (let item = stack.pop(); item; item = stack.pop()) {
    const [node, depth] = item;
    if (node === null || typeof node !== "object") continue;
    if (depth > limit) return true;
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return false;
}

/** A check id as sc-doctor writes them (`storage-firewall`), a future one too; never `__proto__`. */
const CHECK_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const STATUSES: ReadonlySet<unknown> = new Set<Status>(["pass", "warn", "fail", "error", "skip"]);
const isStatus = (value: unknown): value is Status => STATUSES.has(value);
/** What this version writes and reads (docs/contract.md: a new schemaVersion is a breaking change). */
const SCHEMA_VERSION = 1;

/**
 * The error of sc-doctor's own "could not evaluate" document (`{ schemaVersion, tool, error: { code, message } }`,
 * src/commands/fatal.ts), which a run that failed to sign in writes with `-o json` and `-o jsonl`; undefined for
 * anything else.
 */
function errorDocument(value: unknown): { code: string; message: string } | undefined {
  if (!isObject(value) || !("schemaVersion" in value) || "vm" in value || "results" in value) return undefined;
  const error = value["error"];
  if (!isObject(error) || typeof error["code"] !== "string") return undefined;
  const message = typeof error["message"] === "string" ? error["message"] : "(no message in the saved error)";
  return { code: sanitizeLine(error["code"], 80), message: sanitizeLine(message, 1000) };
}

/** Refuses a document (or a line) of another schemaVersion than this version reads; one without any passes. */
function checkSchemaVersion(value: Record<string, unknown>, where: string): void {
  if ("schemaVersion" in value && value["schemaVersion"] !== SCHEMA_VERSION)
    throw new UsageError(
      `${where}: schemaVersion ${sanitizeLine(JSON.stringify(value["schemaVersion"]) ?? "")}; this sc-doctor reads schemaVersion ${SCHEMA_VERSION} (use the version that wrote it)`,
    );
}

/** Parse one input: an `audit -o json` document, or `-o jsonl` (one result per line). */
export function parseSavedAudit(text: string, name: string): SavedAudit {
  const trimmed = text.trim();
  if (trimmed === "") return { results: [], unevaluatedSubscriptions: [], notEvaluated: [], failedAudits: [] };
  const recomputed: string[] = [];
  let whole: unknown;
  try {
    whole = JSON.parse(trimmed);
  } catch (error) {
    whole = undefined; // several lines: jsonl
    // A line of its own `{` opens a pretty-printed document (`-o json`), never a jsonl line: one that does not parse
    // as a whole was cut short (the audit stopped mid-write, a full disk, a partial download), damaged or concatenated.
    if (/^\{[ \t]*\r?\n/.test(trimmed))
      throw new UsageError(
        `${name}: pretty-printed JSON that does not parse as one document (${sanitizeLine(error instanceof Error ? error.message : String(error), 200)}): an 'sc-doctor audit -o json' output cut short (the audit stopped while writing it, or the file was truncated), damaged, or several documents one after another (pass each as its own input)`,
      );
  }
  if (isObject(whole)) checkSchemaVersion(whole, name);
  // One VM's `sc-doctor --vm … -o json` (pretty-printed over many lines): that VM's result, as an audit line.
  // (An audit jsonl line has no schemaVersion: a one-line jsonl input stays in the jsonl path below.)
  if (isObject(whole) && "schemaVersion" in whole && isObject(whole["vm"]) && Array.isArray(whole["checks"]) && !("results" in whole)) {
    return { results: [asResult(whole, name, recomputed)], unevaluatedSubscriptions: [], notEvaluated: [], failedAudits: [], recomputed };
  }
  // The whole input: one audit's output, on one line as sc-doctor writes it or pretty-printed.
  const failed = errorDocument(whole);
  if (failed) return { results: [], unevaluatedSubscriptions: [], notEvaluated: [], failedAudits: [{ input: name, ...failed }] };
  if (isObject(whole) && Array.isArray(whole["results"])) {
    const gaps = coverageGapsOf(whole["summary"], name);
    const results = whole["results"].map((r, i) => asResult(r, `${name}: results[${i}]`, recomputed));
    return fromDocument(whole, results, gaps, recomputed);
  }
  const results: VmResult[] = [];
  const failedAudits: FailedAudit[] = [];
  // Numbered as in the file (leading blank lines count), so a line number and the `head -n` advice point right.
  const lines = text.trimEnd().split("\n");
  let auditLines = false;
  lines.forEach((line, index) => {
    if (line.trim() === "") return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      throw new UsageError(
        whole !== undefined
          ? `${name}: JSON, but neither 'sc-doctor audit -o json' (no "results" list), '-o jsonl' nor one VM's '--vm … -o json' output`
          : cutShort(text, line, index === lines.length - 1)
            ? lines.slice(0, index).every((before) => before.trim() === "")
              ? `${name}: its only line is incomplete: the audit that wrote it was probably stopped mid-line (killed, or out of disk)`
              : `${name}: line ${index + 1}, the last, is incomplete: the audit that wrote it was probably stopped mid-line (killed, or out of disk); 'head -n ${index}' keeps the ${index} line${index === 1 ? "" : "s"} before it`
            : `${name}: line ${index + 1} is not JSON: neither 'sc-doctor audit -o json' nor '-o jsonl' output`,
      );
    }
    const where = `${name}: line ${index + 1}`;
    const error = errorDocument(parsed);
    // Among results: one of the shards' outputs concatenated into this input.
    if (error) failedAudits.push({ input: name, line: index + 1, ...error });
    else {
      if (!isVmDocument(parsed)) auditLines = true;
      results.push(asResult(parsed, where, recomputed));
    }
  });
  return linesAudit(results, failedAudits, recomputed, auditLines);
}

/**
 * What a json input's summary says it did not cover: `unevaluatedSubscriptions`, `notEvaluated` and `failedInputs`
 * (src/types.ts). Each is what makes a merge exit 3 and every format name the gap, so one of another shape than
 * sc-doctor writes is a usage error naming it — dropped, the gap would vanish and the exit code say the fleet is clean.
 */
function coverageGapsOf(
  saved: unknown,
  name: string,
): Pick<SavedAudit, "unevaluatedSubscriptions" | "notEvaluated" | "failedAudits" | "absentResourceGroups"> {
  const refuse = (what: string): never => {
    throw new UsageError(`${name}: summary${what}, not what sc-doctor writes (an edited or damaged file)`);
  };
  if (saved === undefined) return { unevaluatedSubscriptions: [], notEvaluated: [], failedAudits: [] };
  if (!isObject(saved)) return refuse(" is not an object");
  const list = (key: string): unknown[] => {
    const value = saved[key];
    if (value === undefined) return [];
    return Array.isArray(value) ? value : refuse(`.${key} is not a list`);
  };
  const unevaluatedSubscriptions = list("unevaluatedSubscriptions").map((entry, i) => {
    if (!isObject(entry) || typeof entry["subscriptionId"] !== "string" || typeof entry["reason"] !== "string")
      return refuse(`.unevaluatedSubscriptions[${i}] is not { "subscriptionId": string, "reason": string }`);
    return { subscriptionId: entry["subscriptionId"], reason: entry["reason"] };
  });
  const notEvaluated = list("notEvaluated").map((id, i) => (typeof id === "string" ? id : refuse(`.notEvaluated[${i}] is not a VM id`)));
  const failedAudits = asFailedInputs(list("failedInputs"), name, (i) =>
    refuse(`.failedInputs[${i}] is not { "input", "code", "message": string, "line"?: number }`),
  );
  const absent = list("absentResourceGroups").map((group, i) =>
    typeof group === "string" ? group : refuse(`.absentResourceGroups[${i}] is not a resource group name`),
  );
  return { unevaluatedSubscriptions, notEvaluated, failedAudits, ...(absent.length > 0 ? { absentResourceGroups: absent } : {}) };
}

/**
 * `parseSavedAudit` for an input too large for one string (src/commands/saved-pieces.ts): the same results, gaps
 * and refusals, read piece by piece — one `audit -o json` document, or results one after another (`-o jsonl`,
 * `--vm … -o json` documents), never both.
 */
export function parseLargeSavedAudit(
  chunks: Iterable<Uint8Array>,
  name: string,
  sliceBytes?: number,
  keep: (result: VmResult) => VmResult = (result) => result,
): SavedAudit {
  const recomputed: string[] = [];
  const results: VmResult[] = [];
  const failedAudits: FailedAudit[] = [];
  let document: Record<string, unknown> | undefined;
  let values = 0;
  let auditLines = false;
  let firstPretty: boolean | undefined;
  const parsed = (text: string, where: string): unknown => {
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new UsageError(`${where} is not JSON (${sanitizeLine(error instanceof Error ? error.message : String(error), 200)})`);
    }
  };
  try {
    for (const piece of savedPieces(chunks, sliceBytes)) {
      if (piece.kind === "result") {
        const where = `${name}: results[${piece.index}]`;
        results.push(keep(asResult(parsed(piece.text, `${where} (line ${piece.line})`), where, recomputed)));
        continue;
      }
      values++;
      const where = `${name}: line ${piece.line}`;
      const value = parsed(piece.text, where);
      // A pretty-printed document (`{` on a line of its own) is one input's whole, never a jsonl line: as read whole.
      firstPretty ??= /^\{[ \t]*\r?\n/.test(piece.text);
      if (document || (isObject(value) && Array.isArray(value["results"]) && values > 1) || (firstPretty && values > 1))
        throw new UsageError(`${name}: several documents one after another (pass each as its own input)`);
      if (isObject(value) && Array.isArray(value["results"])) {
        checkSchemaVersion(value, name);
        document = value;
        continue;
      }
      const error = errorDocument(value);
      if (error) failedAudits.push({ input: name, line: piece.line, ...error });
      else {
        // An audit's jsonl line; one VM's `--vm -o json` document carries a schemaVersion.
        if (!isVmDocument(value)) auditLines = true;
        results.push(keep(asResult(value, where, recomputed)));
      }
    }
  } catch (error) {
    if (error instanceof SavedStructureError) throw new UsageError(`${name}: ${error.message}`);
    // The file is opened and read as the pieces are (fileChunks): a refusal there is the input's, as when read whole.
    if (error instanceof Error && "code" in error && typeof error.code === "string")
      throw new UsageError(shownName(`cannot read '${name}': ${error.message}`));
    throw error;
  }
  if (!document) return { ...linesAudit(results, failedAudits, recomputed, auditLines), ...(values === 0 ? { blank: true as const } : {}) };
  return fromDocument(document, results, coverageGapsOf(document["summary"], name), recomputed);
}

/** An `audit -o json` document's input: its results (read and checked), gaps, and the scope and time it records. */
function fromDocument(
  document: Record<string, unknown>,
  results: VmResult[],
  gaps: ReturnType<typeof coverageGapsOf>,
  recomputed: string[],
): SavedAudit {
  const scope = asScope(document["scope"]);
  const generatedAt = typeof document["generatedAt"] === "string" ? document["generatedAt"] : undefined;
  const shard = typeof document["shard"] === "string" && typeof parseShard(document["shard"]) !== "string" ? document["shard"] : undefined;
  // One of another shape than sc-doctor writes is left out: it claims no VM was looked at.
  const merged = document["mergedScopes"];
  const mergedScopes = Array.isArray(merged) ? merged.flatMap((entry) => asScope(entry) ?? []) : undefined;
  return {
    ...(scope ? { scope } : {}),
    ...(mergedScopes ? { mergedScopes } : {}),
    ...(shard ? { shard } : {}),
    ...(generatedAt ? { generatedAt } : {}),
    results,
    ...gaps,
    recomputed,
    document: true,
  };
}

/**
 * The `summary.failedInputs` an earlier report wrote (json input `name`), sanitised again (the file may have been
 * edited); `refuse(i)` for an entry whose fields do not have the types it writes.
 */
function asFailedInputs(saved: readonly unknown[], name: string, refuse: (index: number) => never): FailedAudit[] {
  return saved.map((entry, i): FailedAudit => {
    if (!isObject(entry)) return refuse(i);
    const { input, line, code, message } = entry;
    if (typeof input !== "string" || typeof code !== "string" || typeof message !== "string") return refuse(i);
    if (line !== undefined && !(typeof line === "number" && Number.isSafeInteger(line) && line > 0)) return refuse(i);
    const numbered = line === undefined ? {} : { line };
    return {
      // Masked with --redact as an input's own name is (shownName): a GUID in it may be known to no label.
      input: sanitizeLine(shownName(input), 300),
      ...numbered,
      code: sanitizeLine(code, 80),
      message: sanitizeLine(message, 1000),
      recordedIn: name,
    };
  });
}

/**
 * Whether a line that is not JSON is a jsonl line cut short: the input's last, begun as every result line begins,
 * with no newline after it — the audit ends every line it writes with one, so only a run stopped mid-write leaves
 * a line without.
 */
function cutShort(text: string, line: string, last: boolean): boolean {
  // A newline among the text's trailing whitespace: what `/\n\s*$/` tested, but that regex ran from every newline
  // over the rest of its run of whitespace (100,000 blank lines before the last line: 10 s).
  return last && line.trimStart().startsWith("{") && !text.slice(text.trimEnd().length).includes("\n");
}

const strings = (value: unknown): value is string[] => Array.isArray(value) && value.every((item) => typeof item === "string");

/** A saved `scope`, or undefined when absent or not of the shape sc-doctor writes (then nothing is inferred). */
export function asScope(value: unknown): AuditScope | undefined {
  if (!isObject(value)) return undefined;
  const { subscriptions, resourceGroups, where, tags, shard } = value;
  if (subscriptions !== "all" && !strings(subscriptions)) return undefined;
  if ((resourceGroups !== undefined && !strings(resourceGroups)) || (tags !== undefined && !strings(tags))) return undefined;
  if ((where !== undefined && typeof where !== "string") || (shard !== undefined && typeof shard !== "string")) return undefined;
  return value as unknown as AuditScope;
}

/**
 * Whether `rerun` audited `subscriptionId` whole where `failed` could not (so `failed`'s "not audited" no longer
 * holds): a later `audit -o json` that went the whole way (only those record their `scope`), without group, tag or
 * `--where` filters, on `failed`'s shard or unsharded, naming the subscription or all, holding VMs of it (an audit
 * of "all" says nothing of a subscription it could not see), and not failing on it itself.
 */
function covers(rerun: SavedAudit, failed: SavedAudit, subscriptionId: string): boolean {
  const scope = rerun.scope;
  if (!scope || scope.resourceGroups || scope.tags || scope.where !== undefined) return false;
  if (!rerun.generatedAt || !failed.generatedAt || !(Date.parse(rerun.generatedAt) > Date.parse(failed.generatedAt))) return false;
  if (scope.shard !== undefined && scope.shard !== (failed.scope?.shard ?? failed.shard)) return false;
  const id = subscriptionId.toLowerCase();
  const named = scope.subscriptions !== "all" && scope.subscriptions.some((s) => s.toLowerCase() === id);
  if (scope.subscriptions !== "all" && !named) return false;
  // Named, it was read itself (an audit reports a named one it cannot read); of "all", only its VMs show it was seen.
  if (!named && !rerun.results.some((result) => result.vm.subscriptionId.toLowerCase() === id)) return false;
  return !rerun.unevaluatedSubscriptions.some((u) => u.subscriptionId.toLowerCase() === id);
}

/** A label `--redact` writes in place of a subscription id (src/report/redact.ts): numbered per run. */
const REDACTED_SUBSCRIPTION = /^<subscription-\d+>$/;

/**
 * Merge inputs; a VM in two of them is a UsageError naming it and both inputs. So is a redacted input beside
 * others: `<subscription-1>` of one run is not that of another, so merged they would mix subscriptions.
 */
export function mergeSavedAudits(inputs: readonly { name: string; audit: SavedAudit }[]): SavedAudit {
  const holding = inputs.filter(
    ({ audit }) => audit.results.length + audit.unevaluatedSubscriptions.length + audit.notEvaluated.length > 0,
  );
  const redacted = holding.find(({ audit }) =>
    [
      ...audit.results.map((r) => r.vm.subscriptionId),
      ...audit.unevaluatedSubscriptions.map((u) => u.subscriptionId),
      ...audit.notEvaluated.map(subscriptionOf),
    ].some((id) => REDACTED_SUBSCRIPTION.test(id)),
  );
  if (redacted && holding.length > 1)
    throw new UsageError(
      `${redacted.name} was written with --redact: its labels (<subscription-1>, …) are numbered per run and name other subscriptions in another run's output; merge the outputs written without it and pass --redact to report`,
    );
  const seen = new Map<string, string>();
  const results: VmResult[] = [];
  const unevaluated = new Map<string, UnevaluatedSubscription>();
  const notEvaluated = new Set<string>();
  const failedAudits: FailedAudit[] = [];
  // Found nowhere by any input's audit (each shard says so of the same group: once).
  const absent = new Map<string, string>();
  for (const { name, audit } of inputs) {
    failedAudits.push(...audit.failedAudits);
    for (const group of audit.absentResourceGroups ?? []) absent.set(group.toLowerCase(), group);
    // A subscription this input audited in part (listed part way, or interrupted before all of its VMs were listed
    // or evaluated) that a later input audited whole: its VMs are the rerun's to give, each once and as it found them.
    // Once per subscription, not per VM not evaluated (an interrupted run may list thousands).
    const partly = new Set([
      ...audit.unevaluatedSubscriptions.map((entry) => entry.subscriptionId.toLowerCase()),
      ...audit.notEvaluated.map(subscriptionOf),
    ]);
    const rerun = new Set(
      [...partly].filter((id) => id && inputs.some((other) => other.audit !== audit && covers(other.audit, audit, id))),
    );
    for (const result of audit.results) {
      if (rerun.has(result.vm.subscriptionId.toLowerCase())) continue;
      const key = result.vm.id.toLowerCase();
      const first = seen.get(key);
      if (first !== undefined)
        throw new UsageError(
          `VM ${sanitizeLine(result.vm.id)} is in both ${first} and ${name}: merge outputs of different shards or runs, each VM once`,
        );
      seen.set(key, name);
      results.push(result);
    }
    for (const entry of audit.unevaluatedSubscriptions) {
      // A rerun that audited the subscription (another input) makes this "not audited" history.
      if (rerun.has(entry.subscriptionId.toLowerCase())) continue;
      // Shards that each missed it: an interruption's reason wins (its run did not complete: exit 3), in any order.
      const key = entry.subscriptionId.toLowerCase();
      if (unevaluated.get(key)?.reason !== UNLISTED_REASON) unevaluated.set(key, entry);
    }
    for (const id of audit.notEvaluated) if (!rerun.has(subscriptionOf(id))) notEvaluated.add(id);
  }
  return {
    results: results.sort(byVmId),
    mergedScopes: coveredScopes(inputs),
    unevaluatedSubscriptions: [...unevaluated.values()].sort((a, b) => (a.subscriptionId < b.subscriptionId ? -1 : 1)),
    // Evaluated in another input (e.g. a rerun): no longer "not evaluated".
    notEvaluated: [...notEvaluated].filter((id) => !seen.has(id.toLowerCase())).sort(),
    failedAudits,
    ...absentInMerge(absent, inputs, results),
  };
}

/**
 * What merged inputs covered, as the scopes of the complete audits among them (a merged input's own `mergedScopes`
 * included), each once. An input of no scope — jsonl, `--vm` documents, a run interrupted or failed — adds none: what
 * it covered beyond the VMs it holds is not known. Shards 1…n of one scope together cover that scope; fewer, their own.
 */
function coveredScopes(inputs: readonly { audit: SavedAudit }[]): AuditScope[] {
  const scopes = inputs.flatMap(({ audit }) => (audit.scope ? [audit.scope] : (audit.mergedScopes ?? [])));
  return [...new Map(scopes.map((scope) => [JSON.stringify(scope), scope])).values()];
}

/**
 * The `--resource-group` names every input that was scoped to them found nowhere: one whose results hold a VM of the
 * group, or a complete run scoped to it that did not call it absent (it exists in that run's subscriptions), says
 * it exists.
 */
function absentInMerge(
  absent: ReadonlyMap<string, string>,
  inputs: readonly { audit: SavedAudit }[],
  results: readonly VmResult[],
): Pick<SavedAudit, "absentResourceGroups"> {
  const withVms = new Set(results.map((result) => result.vm.resourceGroup.toLowerCase()));
  const found = (group: string) =>
    withVms.has(group) ||
    inputs.some(
      ({ audit }) =>
        audit.scope?.resourceGroups?.some((name) => name.toLowerCase() === group) === true &&
        !audit.absentResourceGroups?.some((name) => name.toLowerCase() === group),
    );
  const names = [...absent].filter(([group]) => !found(group)).map(([, name]) => name);
  return names.length > 0 ? { absentResourceGroups: names.sort() } : {};
}

/**
 * An input's name (or a message holding it) as messages show it. A file name may hold terminal escapes or bidi
 * overrides: shown as `\uXXXX`, not removed, so the name the user sees is the one to rename. With `--redact`, GUIDs
 * in it are masked: a file is often named after the subscription it holds (`audit --subscription $S -o jsonl >
 * $S.jsonl`), and a message about the file may come before any label for that subscription exists.
 */
function shownName(name: string): string {
  const shown = revealInvisible(name);
  return cliIo().labels ? withoutGuids(shown) : shown;
}

/**
 * An input: its bytes (off the heap: a Buffer may be far longer than a string), or for a file too large for a
 * string, its chunks as they are read (a file past 2 GiB cannot be read whole at all).
 */
async function readInput(name: string): Promise<Uint8Array | { large: Iterable<Uint8Array> }> {
  try {
    if (name === "-") {
      const bytes = await readCapped(
        cliIo().stdin,
        MAX_STDIN_BYTES,
        "save it to a file and pass the file (files of any size are read in chunks)",
      );
      return bytes.byteLength > LARGE_INPUT_BYTES ? { large: [bytes] } : bytes;
    }
    const stats = await stat(name);
    // A pipe or device (`<(…)`, /dev/stdin, /dev/zero) has no size to go by and may never end: read it in chunks,
    // parsed as they come, so what is not sc-doctor's output is refused at its first line instead of held whole.
    return !stats.isFile() || stats.size > LARGE_INPUT_BYTES ? { large: fileChunks(name) } : await readFile(name);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(shownName(`cannot read '${name}': ${error instanceof Error ? error.message : String(error)}`));
  }
}

/**
 * One saved output read (`-`: stdin) and checked as `report` reads its inputs; `shown` names it in messages. `keep`
 * trims each result of an input too large for one string, whose results would otherwise all be held whole.
 */
export async function readSavedAudit(name: string, shown: string, keep?: (result: VmResult) => VmResult): Promise<SavedAudit> {
  const bytes = await readInput(name);
  return "large" in bytes ? parseLargeSavedAudit(bytes.large, shown, undefined, keep) : parseSavedAudit(decodeSavedText(bytes), shown);
}

/**
 * What a merge of `audit --shard k/n -o json` outputs lacks to be one audit: shards of the split not among the
 * inputs, or shards of different splits (whose shares overlap and leave gaps). Undefined when nothing is sharded.
 */
function shardGap(inputs: readonly { audit: SavedAudit }[]): string | undefined {
  // A complete run of no shard among them (a rerun of the whole) holds every shard's VMs; jsonl records no shard.
  if (
    inputs.some(({ audit }) => (audit.scope !== undefined && audit.scope.shard === undefined) || (audit.jsonl && audit.results.length > 0))
  )
    return undefined;
  const shards = inputs.flatMap(({ audit }) => {
    const shard = parseShard(audit.scope?.shard ?? audit.shard ?? "");
    return typeof shard === "string" ? [] : [shard];
  });
  const splits = [...new Set(shards.map((shard) => shard.count))].sort((a, b) => a - b);
  if (splits.length > 1)
    return `the inputs are shards of different splits (of ${splits.join(", of ")}): their shares overlap and leave gaps, so this is no one audit's VMs`;
  const count = splits[0];
  if (count === undefined) return undefined;
  const present = new Set(shards.map((shard) => shard.index));
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((index) => !present.has(index));
  if (missing.length === 0) return undefined;
  const named = missing.slice(0, 10).map((index) => `${index}/${count}`);
  return `shard${missing.length === 1 ? "" : "s"} ${named.join(", ")}${missing.length > 10 ? `, … (${missing.length})` : ""} ${missing.length === 1 ? "is" : "are"} not among the inputs: ${missing.length === 1 ? "its" : "their"} VMs are not in this report`;
}

/** The most standard input `report -` holds in memory: a producer that never stops must not exhaust it. */
const MAX_STDIN_BYTES = 1024 * 1024 * 1024;

/** `audit`, after a note for its saved verdicts that contradicted their checks (recomputed), if any. */
function noteRecomputed(audit: SavedAudit, notes: string[]): SavedAudit {
  const recomputed = audit.recomputed ?? [];
  if (recomputed.length > 0)
    notes.push(
      `sc-doctor: ${recomputed.length} saved verdict${recomputed.length === 1 ? "" : "s"} contradicted the checks and ${recomputed.length === 1 ? "was" : "were"} recomputed from them (e.g. ${recomputed[0]})\n`,
    );
  return audit;
}

export async function runReport(files: readonly string[], options: ReportCliOptions, version: string): Promise<ExitCode> {
  if (files.filter((f) => f === "-").length > 1) throw new UsageError("'-' (stdin) can be given once");
  const inputs = [];
  // Written once the results are cleaned: with --redact, an id in a file name is then a known one, and masked.
  const notes: string[] = [];
  let empty = 0;
  for (const name of files) {
    const bytes = await readInput(name);
    const shown = name === "-" ? "stdin" : shownName(name);
    const large = "large" in bytes ? parseLargeSavedAudit(bytes.large, shown) : undefined;
    const text = "large" in bytes ? "" : decodeSavedText(bytes);
    const blank = large ? large.blank === true : text.trim() === "";
    // `audit -o json` writes a document even for no VM: an empty .json file is the output of an audit that failed.
    const failedEmpty = blank && /\.json$/i.test(name);
    if (blank && !failedEmpty) empty++;
    const audit = failedEmpty
      ? { results: [], unevaluatedSubscriptions: [], notEvaluated: [], failedAudits: [emptyInput(shown)] }
      : (large ?? parseSavedAudit(text, shown));
    inputs.push({ name: shown, audit: noteRecomputed(audit, notes) });
  }
  // jsonl holds the VMs an audit evaluated, never the subscriptions it could not list or the VMs it did not reach
  // (its exit code 3 said so): a merge of jsonl shards cannot tell a gap, so it says it cannot.
  const lines = inputs.filter(({ audit }) => audit.jsonl && audit.results.length > 0).map(({ name }) => name);
  if (lines.length > 0)
    notes.push(
      `sc-doctor: ${lines.join(", ")}: jsonl records no subscription its audit could not list and no VM it did not evaluate, so this report cannot show them; merge the audits' -o json outputs to carry them\n`,
    );
  // One empty shard among others drew no VM. Nothing but empty inputs is an audit of no VM (jsonl writes nothing
  // then) — or one that failed upstream, whose own exit code said so: 0 VMs, as that audit, with a word on stderr.
  if (empty === files.length && options.quiet !== true)
    notes.push(
      `sc-doctor: every input is empty (${files.map(shownName).join(", ")}): 0 VMs; if the audits that wrote them failed, their exit codes said so\n`,
    );
  const merged = mergeSavedAudits(inputs);
  for (const failed of merged.failedAudits) {
    const where = `${failed.input}${failed.line === undefined ? "" : `: line ${failed.line}`}${failed.recordedIn === undefined ? "" : ` (recorded in ${failed.recordedIn})`}`;
    notes.push(
      failed.code === EMPTY
        ? `sc-doctor: ${where} is empty: 'sc-doctor audit -o json' writes a document even for no VM, so the audit that wrote it failed (see its exit code and stderr); its VMs are not in this report\n`
        : failed.line === undefined
          ? `sc-doctor: ${where}: the audit that wrote it failed (${failed.code}: ${failed.message}); its VMs are not in this report\n`
          : // A jsonl line: the audit may have streamed results before it failed (those lines are merged), or it is
            // one shard's error line among others' results (`cat shard-*.jsonl`).
            `sc-doctor: ${where}: an audit failed (${failed.code}: ${failed.message}); the VMs it did not evaluate are not in this report\n`,
    );
  }
  // A failed shard's error report records no shard: it may be the one missing.
  const shards = shardGap(inputs);
  if (shards)
    notes.push(`sc-doctor: ${shards}${merged.failedAudits.length > 0 ? " (unless it is an input above whose audit failed)" : ""}\n`);

  const formatter = await loadFormat(chooseFormat(options));
  const redact = redacts(formatter, options.redact);
  // Saved files are input like any other: sanitised and masked again before they reach the terminal.
  const clean = createCleaner(environmentSecrets(), redact);
  const summary = new SummaryBuilder();
  for (const result of merged.results) summary.add(result);
  const tool = { name: "sc-doctor" as const, version };
  const generatedAt = new Date().toISOString();
  // With --redact, labelled as an audit labels them: the subscriptions in sorted order, before anything else is named.
  labelSubscriptionsInOrder([
    ...new Set(
      [...merged.results.map((r) => r.vm.subscriptionId), ...merged.unevaluatedSubscriptions.map((e) => e.subscriptionId)].map((id) =>
        id.toLowerCase(),
      ),
    ),
  ]);
  const results = merged.results.map(clean);
  // No scope: a merge made now is no audit made now (and is no rerun that supersedes an input). What its inputs
  // covered is carried as `mergedScopes`, so a later `audit --baseline` of this output calls no VM outside them new.
  const failedInputs = merged.failedAudits.map(({ recordedIn: _, ...failed }) => failed);
  const cleanSummary = clean({
    ...summary.build(merged.notEvaluated, undefined, merged.unevaluatedSubscriptions),
    ...(failedInputs.length > 0 ? { failedInputs } : {}),
    ...(merged.absentResourceGroups ? { absentResourceGroups: merged.absentResourceGroups } : {}),
  });
  for (const note of notes) cliIo().stderr.write(note);

  const input = { tool, generatedAt, mergedScopes: (merged.mergedScopes ?? []).map(clean), results, summary: cleanSummary };
  const formatOptions = { redact, color: useColor(options), failOn: options.failOn };
  if (formatter.formatParts) {
    // In parts (a large merge's JSON is past V8's longest string), waiting for a slow reader between them.
    const stdout = cliIo().stdout;
    for (const part of formatter.formatParts(input, formatOptions)) if (!stdout.write(part)) await once(stdout, "drain");
  } else {
    const out = formatter.default(input, formatOptions);
    cliIo().stdout.write(out.endsWith("\n") || out === "" ? out : `${out}\n`);
  }
  if (options.quiet !== true && formatter.showsSummary !== true) {
    cliIo().stderr.write(formatSummaryLine(cleanSummary));
    const partial = partialAuditLine(merged.results);
    if (partial) cliIo().stderr.write(`${partial}\n`);
    // Inputs from failed audits were said above, with what became of their VMs.
    const { failedInputs: _said, ...unsaid } = cleanSummary;
    for (const gap of coverageGaps(unsaid)) cliIo().stderr.write(`sc-doctor: ${sanitizeLine(gap, 600)}\n`);
  }
  const leftOut = options.quiet === true ? undefined : formatter.leftOut?.(input);
  if (leftOut) cliIo().stderr.write(`sc-doctor: ${leftOut}\n`);

  const found = exitCodeFor(
    merged.results.flatMap((r) => r.checks),
    { failOn: options.failOn, exitZero: options.exitZero === true },
  );
  // What an interruption left (VMs not evaluated, subscriptions not all listed): 3 whatever was found, as the
  // interrupted audit exited (its run did not complete).
  if (merged.notEvaluated.length > 0 || merged.unevaluatedSubscriptions.some((entry) => entry.reason === UNLISTED_REASON))
    return EXIT.unevaluated;
  // An input from an audit that failed: 3 unless findings make it 1, and with --exit-zero too, as that audit exited.
  if (merged.failedAudits.length > 0) return found === EXIT.findings ? found : EXIT.unevaluated;
  const incomplete = merged.unevaluatedSubscriptions.length > 0 || (merged.absentResourceGroups?.length ?? 0) > 0;
  if (incomplete && found !== EXIT.findings && options.exitZero !== true) return EXIT.unevaluated;
  return found;
}
