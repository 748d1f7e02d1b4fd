/**
 * `sc-doctor audit`: validate, authenticate, run the fleet audit with client-side throttling, stream or render.
 * Ctrl-C / SIGTERM stop scheduling: what finished is written, the rest is listed as not evaluated, exit 3
 * (a second signal exits at once).
 */
import { once, setMaxListeners } from "node:events";
import { AzureCallError } from "../azure/arm.js";
import { MalformedResponseError } from "../azure/json.js";
import { SERIAL_LOG_NOT_READ } from "../azure/serial-log.js";
import { EXIT, exitCodeFor, type ExitCode } from "../engine/exit-code.js";
import { runAudit, type AuditOutcome } from "../fleet/audit.js";
import { SummaryBuilder, drift } from "../fleet/summary.js";
import { periodicCollection } from "../fleet/memory.js";
import { requestTimeoutPolicy } from "../fleet/request-timeout.js";
import { throttlePolicy } from "../fleet/throttle.js";
import { loadFormat, redacts } from "../report/formats.js";
import { createProgress } from "../report/progress.js";
import { sanitizeLine } from "../report/sanitize.js";
import { formatDriftLine, formatSummaryLine } from "../report/table.js";
import type { Status } from "../types.js";
import { validateAuditOptions, type AuditCliOptions } from "./audit-options.js";
import { openSession } from "./session.js";
import { networkFactFor } from "./network-fact.js";
import { useColor } from "./options.js";
import { createCleaner, environmentSecrets } from "./render.js";

export type { AuditCliOptions };

/** SIGINT/SIGTERM → abort the audit once; a second signal exits immediately with 3. */
function interruptOnSignals(): { signal: AbortSignal; interrupted: () => boolean; dispose: () => void } {
  const controller = new AbortController();
  // Every in-flight request listens on this one signal: thousands of listeners are expected, not a leak.
  setMaxListeners(0, controller.signal);
  const stop = () => {
    if (controller.signal.aborted) process.exit(EXIT.unevaluated);
    process.stderr.write("\nsc-doctor: interrupted — writing what finished; the rest is listed as not evaluated\n");
    controller.abort();
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  return {
    signal: controller.signal,
    interrupted: () => controller.signal.aborted,
    dispose: () => {
      process.removeListener("SIGINT", stop);
      process.removeListener("SIGTERM", stop);
    },
  };
}

let drained: Promise<unknown> | undefined;
/** Write to stdout, waiting when the reader is slower than we are, so streamed lines never pile up in memory. */
async function writeOut(text: string): Promise<void> {
  if (process.stdout.write(text)) return;
  // One wait shared by every VM that finished meanwhile (not one 'drain' listener each).
  drained ??= once(process.stdout, "drain").finally(() => (drained = undefined));
  await drained;
}

export async function runAuditCommand(options: AuditCliOptions, version: string): Promise<ExitCode> {
  const valid = validateAuditOptions(options);
  const throttle = throttlePolicy();
  const policies = [throttle.policy, requestTimeoutPolicy(valid.timeoutMs)];
  const session = await openSession({
    cloud: options.cloud,
    armEndpoint: valid.armEndpoint,
    timeoutMs: valid.timeoutMs,
    verbose: options.verbose,
    principal: valid.principal,
    policies,
    json: valid.format === "json" || valid.format === "jsonl",
    version,
  });
  if (!session) return EXIT.unevaluated;
  const { arm } = session;

  const formatter = await loadFormat(valid.format);
  const tool = { name: "sc-doctor" as const, version };
  const generatedAt = new Date().toISOString();
  const redact = redacts(formatter, options.redact);
  // One cleaner for the whole audit: a label (<subscription-1>) means the same id on every line and in the summary.
  const clean = createCleaner(environmentSecrets(), redact);
  // Formats with a per-VM text (jsonl) are written VM by VM as each finishes; the others once, at the end.
  const streamed = formatter.formatResult;
  const streaming = streamed !== undefined;
  const summary = new SummaryBuilder();
  const statuses = new Set<Status>();
  const progress = createProgress(process.stderr, options.quiet !== true);
  const interruption = interruptOnSignals();
  // Streaming promises flat memory: collect now and then (see src/fleet/memory.ts). Other formats keep every result anyway.
  const afterVm = streaming ? periodicCollection(1000) : () => undefined;

  let outcome: AuditOutcome;
  try {
    outcome = await runAudit(arm, {
      source: options.source,
      subscriptions: options.subscription,
      resourceGroups: options.resourceGroup,
      where: options.where,
      tags: valid.tags,
      checks: valid.checks,
      timeoutMs: valid.timeoutMs,
      concurrency: valid.concurrency,
      principal: valid.principal,
      callerObjectId: session.callerObjectId,
      // One POST and one or two ranged blob reads per VM: only when asked for (--serial-log).
      skipSerialLog: options.serialLog === true ? undefined : SERIAL_LOG_NOT_READ.audit,
      storagePath: valid.storagePath,
      // Not loaded at all when the network check is not selected (as for --vm).
      network: networkFactFor({
        enabled: options.network && valid.checks.some((check) => check.id === "network"),
        cloud: options.cloud,
        consoleEndpoint: valid.consoleEndpoint,
        resolve: valid.resolve,
        timeoutMs: valid.timeoutMs,
      }),
      signal: interruption.signal,
      keepResults: !streaming,
      onTotal: (n) => progress.total(n),
      onResult: async (result) => {
        summary.add(result);
        for (const check of result.checks) statuses.add(check.status);
        progress.tick();
        if (streamed) await writeOut(streamed(clean(result)));
        afterVm();
      },
    });
  } catch (error) {
    progress.done();
    interruption.dispose();
    if (interruption.interrupted()) {
      process.stderr.write("sc-doctor: interrupted before the fleet was enumerated: no VM was evaluated\n");
      return EXIT.unevaluated;
    }
    if (error instanceof AzureCallError) {
      process.stderr.write(`sc-doctor: could not enumerate the fleet: ${sanitizeLine(error.describe(), 2000)}\n`);
      if (options.where && error.status === 400)
        process.stderr.write("sc-doctor: Resource Graph refused the query: check the --where filter (KQL) against the details above\n");
      return EXIT.unevaluated;
    }
    // A list Azure answered with fields of the wrong type: we could not evaluate, which is exit 3, not a crash.
    if (error instanceof MalformedResponseError) {
      process.stderr.write(`sc-doctor: could not enumerate the fleet: malformed response from Azure: ${sanitizeLine(error.message)}\n`);
      return EXIT.unevaluated;
    }
    throw error;
  }
  progress.done();
  interruption.dispose();

  const changes = valid.baseline ? drift(valid.baseline, summary.verdicts.values()) : undefined;
  const fleetSummary = summary.build(outcome.notEvaluated, changes);
  const results = outcome.results.map(clean);
  const cleanSummary = clean(fleetSummary);

  if (!streaming)
    await writeOut(
      ensureNewline(formatter.default({ tool, generatedAt, results, summary: cleanSummary }, { redact, color: useColor(options) })),
    );
  if (options.quiet !== true && formatter.showsSummary !== true)
    process.stderr.write(formatSummaryLine(cleanSummary) + formatDriftLine(cleanSummary));
  reportNotEvaluated(outcome.notEvaluated, formatter.listsNotEvaluated !== true);
  if (options.verbose)
    process.stderr.write(
      `sc-doctor: ${throttle.stats.requests} Azure requests, ${throttle.stats.throttled} throttled (429), ${Math.round(throttle.stats.waitedMs)} ms waiting for the client-side throttle\n`,
    );

  if (interruption.interrupted() || outcome.notEvaluated.length > 0) return EXIT.unevaluated;
  if (options.failOnDrift && changes) return changes.newlyBlocked.length > 0 ? EXIT.findings : EXIT.ok;
  return exitCodeFor(
    [...statuses].map((status) => ({ status })),
    { failOn: options.failOn, exitZero: options.exitZero === true },
  );
}

const ensureNewline = (text: string) => (text.endsWith("\n") ? text : `${text}\n`);

/** jsonl and the file formats have no place for them: every id goes to stderr. json lists them in the summary. */
function reportNotEvaluated(ids: readonly string[], all: boolean): void {
  if (ids.length === 0) return;
  const shown = all ? ids : ids.slice(0, 20);
  for (const id of shown) process.stderr.write(`not evaluated: ${sanitizeLine(id)}\n`);
  if (shown.length < ids.length)
    process.stderr.write(`… and ${ids.length - shown.length} more not evaluated (all listed in summary.notEvaluated)\n`);
}
