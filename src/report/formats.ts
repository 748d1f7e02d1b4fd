/**
 * Every output format, looked up by name (the model is ESLint's `lib/cli-engine/formatters/`: one file per format).
 * A new format is its file, whose default export is a `Formatter`, plus one line in `FORMATS`: `OutputFormat`, the
 * CLI's `--output` choices and help, and the format lists of the security tests all come from that record.
 * Formats load on first use: SARIF pulls in every check, and `--help` must start fast.
 */
import type { FleetSummary } from "../fleet/summary.js";
import type { AuditScope, ToolInfo, VmResult } from "../types.js";
import type { Cleaner } from "./redact.js";

/** Where an output lists the VMs not evaluated and the subscriptions not audited, in words for a message. */
export interface NotEvaluatedLists {
  vms: string;
  subscriptions: string;
}

/** What every formatter receives: one VM (`sc-doctor --vm`: one result, no summary) or an audit (with its summary). */
export interface ReportInput {
  tool: ToolInfo;
  /** ISO 8601 UTC time the report was made. */
  generatedAt: string;
  results: VmResult[];
  /** Present for an audit only. */
  summary?: FleetSummary;
  /** An audit's scope, as `-o json` records it (`AuditReport.scope`). */
  scope?: AuditScope;
  /** A sharded audit's `--shard k/n` (`AuditReport.shard`), whether or not it went the whole way. */
  shard?: string;
  /** `report`'s: the scopes of the complete audits it merged (`AuditReport.mergedScopes`). */
  mergedScopes?: AuditScope[];
}

export interface FormatOptions {
  /** Identifiers were masked (the formatter says so in the output where the format has room). */
  redact: boolean;
  color: boolean;
  /** Show per-check timings where the format has room (the table). */
  verbose?: boolean;
  /** `--vm` table only: the verdict and the checks that did not pass, no details. */
  quiet?: boolean;
  /** Table only: wrap long lines at this many columns with a hanging indent; undefined = never wrap (files, pipes). */
  width?: number;
  /** `--fail-on`: with `warn`, a warning fails the run, and JUnit shows it as a failure (undefined: `fail`). */
  failOn?: "fail" | "warn";
}

/** Pure: sanitised, redacted input in, the whole output out. */
export type Formatter = (input: ReportInput, options: FormatOptions) => string;

/** A format's file. Besides the formatter it may say how the audit treats it. */
export interface FormatModule {
  default: Formatter;
  /** An audit in this format is written VM by VM as each finishes, with this text per VM (jsonl). */
  formatResult?: (result: VmResult) => string;
  /** `formatResult(clean(result))`, the same text, computed faster where the format can (jsonl). */
  formatCleanResult?: (result: VmResult, clean: Cleaner) => string;
  /**
   * `default`'s text in parts, for the writers of a whole audit (`audit`, `report`): a large fleet's document as one
   * string would pass V8's limit on a string's length (json).
   */
  formatParts?: (input: ReportInput, options: FormatOptions) => Iterable<string>;
  /**
   * What the output leaves out of an audit's input, where the format holds at most so much (markdown, sarif): said
   * on stderr too, since a reader of the file may never see its own note. Undefined when nothing was left out.
   */
  leftOut?: (input: ReportInput) => string | undefined;
  /** The audit output already holds the fleet summary line, so stderr does not repeat it (table). */
  showsSummary?: boolean;
  /**
   * Where the audit output lists every VM not evaluated and every subscription left part-listed, so stderr shows
   * only a few examples and points there (json: `summary.notEvaluated`, `summary.unevaluatedSubscriptions`).
   */
  listsNotEvaluated?: NotEvaluatedLists;
  /** Always redacted, `--redact` or not: the format is meant to be pasted into tickets (markdown). */
  alwaysRedacts?: boolean;
  /**
   * The output of a run that could not evaluate at all (exit 3), for formats a script or CI reads: json/jsonl (an
   * error object), JUnit (a suite with one error). Absent: stdout stays empty (SARIF: a run without results would
   * close code scanning's open alerts).
   */
  formatFatal?: (error: FatalDocument, tool: ToolInfo, generatedAt: string) => string;
}

/** A run's fatal error as outputs carry it, already sanitised and masked: a stable code, the message, credentials tried. */
export interface FatalDocument {
  code: string;
  message: string;
  credentials?: string[];
}

interface FormatEntry {
  /** Shown after the name in `--help`. */
  note?: string;
  load: () => Promise<FormatModule>;
}

export const FORMATS = {
  table: { note: "default on a TTY", load: () => import("./table.js") },
  json: { load: () => import("./json.js") },
  jsonl: { load: () => import("./jsonl.js") },
  markdown: { load: () => import("./markdown.js") },
  junit: { load: () => import("./junit.js") },
  csv: { load: () => import("./csv.js") },
  sarif: { load: () => import("./sarif.js") },
  html: { load: () => import("./html.js") },
} satisfies Record<string, FormatEntry>;

export type OutputFormat = keyof typeof FORMATS;

export function isOutputFormat(name: string): name is OutputFormat {
  return Object.hasOwn(FORMATS, name);
}

/** The format names in registry order (the CLI's `--output` choices). */
export const OUTPUT_FORMATS: readonly OutputFormat[] = Object.keys(FORMATS).filter(isOutputFormat);

/**
 * `output format (table: default on a TTY)` for `--help`: the formats' notes only, because commander already lists
 * the names after it (`choices: …`, from OUTPUT_FORMATS) and each name should be printed once.
 */
export function outputFormatsHelp(): string {
  const entries: [string, FormatEntry][] = Object.entries(FORMATS);
  const notes = entries.flatMap(([name, entry]) => (entry.note ? [`${name}: ${entry.note}`] : []));
  return notes.length ? `output format (${notes.join("; ")})` : "output format";
}

/** The one result of a single-VM input (a formatter's VM branch); any other count is a bug in the caller. */
export function onlyResult(input: ReportInput): VmResult {
  const [result] = input.results;
  if (result === undefined || input.results.length !== 1)
    throw new Error(`a single-VM report needs exactly one result, got ${input.results.length}`);
  return result;
}

export function loadFormat(format: OutputFormat): Promise<FormatModule> {
  return FORMATS[format].load();
}

/** Redact identifiers when asked, and always for the formats that go into tickets. */
export function redacts(format: FormatModule, redact: boolean | undefined): boolean {
  return redact === true || format.alwaysRedacts === true;
}

/** Characters gathered into one part of a `formatParts` output: few writes, each far below V8's longest string. */
const PART_CHARS = 1 << 20;

/** `pieces` gathered into parts of about `PART_CHARS` (the last may be shorter; an empty input yields ""). */
export function* gathered(pieces: Iterable<string>): Generator<string> {
  let part = "";
  for (const piece of pieces) {
    part += piece;
    if (part.length >= PART_CHARS) {
      yield part;
      part = "";
    }
  }
  yield part;
}
