/**
 * `sc-doctor audit`: validate, authenticate, run the fleet audit with client-side throttling, stream or render.
 * Ctrl-C / SIGTERM stop scheduling: what finished is written, what was not evaluated is summarised on stderr
 * (a count per subscription and a few example ids; the per-VM list goes to `-o json`'s summary), exit 3 (a second
 * signal exits at once). Subscriptions that could not be enumerated are reported and make the exit code 3 unless
 * findings make it 1.
 */
import { once, setMaxListeners } from "node:events";
import { AzureCallError } from "../azure/arm.js";
import { MalformedResponseError } from "../azure/json.js";
import { SERIAL_LOG_NOT_READ } from "../azure/serial-log.js";
import { EXIT, exitCodeFor, type ExitCode } from "../engine/exit-code.js";
import { lowerCompare, runAudit, type AuditOutcome } from "../fleet/audit.js";
import { SummaryBuilder, drift } from "../fleet/summary.js";
import { auditPolicies } from "../fleet/policies.js";
import { GRAPH_QUERY } from "../fleet/graph.js";
import { loadFormat, redacts, type NotEvaluatedLists } from "../report/formats.js";
import { createProgress } from "../report/progress.js";
import { sanitizeLine } from "../report/sanitize.js";
import { PartialChecks, notAuditedWords } from "../report/coverage.js";
import { formatDriftLine, formatSummaryLine } from "../report/table.js";
import { UNLISTED_REASON } from "../fleet/unevaluated-reasons.js";
import { type AuditScope, type Status, type UnevaluatedSubscription } from "../types.js";
import { parseArmId } from "../azure/resource-id.js";
import { validateAuditOptions, type AuditCliOptions } from "./audit-options.js";
import { openSession, traceToStderr } from "./session.js";
import { reportFatal } from "./fatal.js";
import { azureStackReason, networkFactFor } from "./network-fact.js";
import { useColor } from "./options.js";
import { createCleaner, environmentSecrets, labelSubscriptionsInOrder } from "./render.js";
import { cliIo } from "./io.js";
import { SIGNAL_HOOK } from "../signal-hook.js";

export type { AuditCliOptions };

interface Interruption {
  signal: AbortSignal;
  interrupted: () => boolean;
  /** The fleet is being read: a signal ends the progress bar (`beforeMessage`) and aborts, keeping what finished. */
  auditing: (beforeMessage: () => void) => void;
  /** Every VM was evaluated and the output is being written: a signal lets it finish whole. */
  writing: () => void;
  dispose: () => void;
}

/** How long a second signal waits for standard output to take what was already written. */
const FLUSH_ON_EXIT_MS = 2000;

/**
 * A second signal: stop now, but not in the middle of a line. Standard output to a pipe is written asynchronously
 * (https://nodejs.org/api/process.html#a-note-on-process-io): exiting at once drops what is still queued, cutting the
 * last line a reader got. Each write is whole lines, so once the queue is handed over every line written is whole.
 */
function exitOnceWritten(): void {
  const { stdout, stderr } = cliIo();
  stderr.write("sc-doctor: interrupted again — stopping now: what was not evaluated is not summarised\n");
  if (!stdout.writableLength) process.exit(EXIT.unevaluated);
  const timer = setTimeout(() => {
    stderr.write(`sc-doctor: standard output took nothing for ${FLUSH_ON_EXIT_MS / 1000} s: its last line may be cut short\n`);
    process.exit(EXIT.unevaluated);
  }, FLUSH_ON_EXIT_MS);
  // An empty write's callback runs once everything queued before it has been handed over ('drain' would not come
  // when less than the stream's high-water mark is queued).
  stdout.write("", () => {
    clearTimeout(timer);
    process.exit(EXIT.unevaluated);
  });
}

/**
 * SIGINT/SIGTERM, from signing in to the last byte written: before the audit starts, exit 3 at once (nothing was
 * written); while it runs, abort it once (what finished is written, the rest summarised); while the output is
 * written, let it finish (a document cut short would be lost whole). A second signal exits with 3 once what was
 * written has left (lines stay whole); a third at once.
 */
function interruptOnSignals(): Interruption {
  const controller = new AbortController();
  // Every in-flight request listens on this one signal: thousands of listeners are expected, not a leak.
  setMaxListeners(0, controller.signal);
  let phase: "signing in" | "auditing" | "writing" = "signing in";
  let beforeMessage = () => {};
  let stopping = false;
  const stop = () => {
    if (stopping) process.exit(EXIT.unevaluated); // a third: at once
    if (controller.signal.aborted) {
      stopping = true;
      return exitOnceWritten();
    }
    beforeMessage(); // the progress bar ends first, so it is never redrawn after the message
    const stderr = cliIo().stderr;
    if (phase === "signing in") {
      stderr.write("sc-doctor: interrupted while signing in: no VM was evaluated\n");
      process.exit(EXIT.unevaluated);
    }
    stderr.write(
      phase === "auditing"
        ? "sc-doctor: interrupted — writing what finished; what was not evaluated is summarised below\n"
        : "sc-doctor: interrupted — every VM was evaluated; finishing the output (a second signal stops once what was written has left)\n",
    );
    controller.abort();
  };
  handleSignals(stop);
  return {
    signal: controller.signal,
    interrupted: () => controller.signal.aborted,
    auditing: (before) => {
      phase = "auditing";
      beforeMessage = before;
    },
    writing: () => {
      phase = "writing";
    },
    dispose: () => handleSignals(undefined),
  };
}

let onSignal: (() => void) | undefined;
let listening = false;

/**
 * Route SIGINT/SIGTERM to `handler`, or with none (the audit is over and its output delivered) exit 3 at once.
 * The listeners stay for the life of the process: removed, a signal in the moment between the audit's end and the
 * process's exit would end it by default (130/143) instead of with the contract's 3.
 */
function handleSignals(handler: (() => void) | undefined): void {
  onSignal = handler;
  if (listening) return;
  listening = true;
  const route = () => (onSignal ? onSignal() : process.exit(EXIT.unevaluated));
  // The binary's listeners, there from its first moment (src/bin.ts), call this one instead of exiting.
  const hooks = globalThis as { [SIGNAL_HOOK]?: (() => void) | null };
  if (SIGNAL_HOOK in hooks) {
    hooks[SIGNAL_HOOK] = route;
    return;
  }
  process.on("SIGINT", route);
  process.on("SIGTERM", route);
}

let drained: Promise<unknown> | undefined;
/** Write to stdout, waiting when the reader is slower than we are, so streamed lines never pile up in memory. */
async function writeOut(text: string): Promise<void> {
  if (cliIo().stdout.write(text)) return;
  // One wait shared by every VM that finished meanwhile (not one 'drain' listener each).
  drained ??= once(cliIo().stdout, "drain").finally(() => (drained = undefined));
  await drained;
}

/** Bytes of streamed lines gathered into one write: one write (and syscall) per VM line costs more than the line. */
const BATCH_CHARS = 64 * 1024;

/**
 * Streamed lines, written in batches: what finished in the same turn of the event loop goes out in one write, at
 * the latest on the next turn (`setImmediate`), so results still stream as VMs finish. `flush` before anything
 * else is written to stdout.
 */
function batchedOut(): { write(text: string): Promise<void>; flush(): Promise<void> } {
  let parts: string[] = [];
  let size = 0;
  let scheduled = false;
  // The scheduled batch's write while it waits for a slow reader: the next line waits for it too, so lines do not
  // pile up in memory behind a reader that is not reading.
  let writing: Promise<void> | undefined;
  const flush = async () => {
    scheduled = false;
    await writing;
    if (parts.length === 0) return;
    const text = parts.join("");
    parts = [];
    size = 0;
    await writeOut(text);
  };
  return {
    write: async (text) => {
      parts.push(text);
      size += text.length;
      if (size >= BATCH_CHARS) return flush();
      if (!scheduled) {
        scheduled = true;
        setImmediate(() => {
          const current: Promise<void> = flush()
            .catch(() => undefined)
            .finally(() => {
              if (writing === current) writing = undefined;
            });
          writing = current;
        });
      }
      await writing;
    },
    flush,
  };
}

export async function runAuditCommand(options: AuditCliOptions, version: string): Promise<ExitCode> {
  const valid = await validateAuditOptions(options);
  const interruption = interruptOnSignals();
  try {
    const code = await audit(options, valid, interruption, version);
    // The signals stay handled until what was written reached the reader: a signal while a slow reader (`| …`) still
    // takes the output would otherwise end the process by default (130/143) and drop what Node still holds.
    interruption.writing();
    await delivered();
    return interruption.interrupted() ? EXIT.unevaluated : code;
  } finally {
    interruption.dispose();
  }
}

/** Settles once everything written to stdout so far has been handed to the reader (or the write failed: EPIPE). */
function delivered(): Promise<void> {
  return new Promise((resolve) => cliIo().stdout.write("", () => resolve()));
}

async function audit(
  options: AuditCliOptions,
  valid: Awaited<ReturnType<typeof validateAuditOptions>>,
  interruption: Interruption,
  version: string,
): Promise<ExitCode> {
  const { policies, stats } = auditPolicies(valid.timeoutMs, options.verbose ? traceToStderr : undefined);
  const session = await openSession({
    cloud: options.cloud,
    armEndpoint: valid.armEndpoint,
    timeoutMs: valid.timeoutMs,
    verbose: options.verbose,
    principal: valid.principal,
    policies,
    output: valid.format,
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
  const out = batchedOut();
  const summary = new SummaryBuilder({ trackVerdicts: valid.baseline !== undefined });
  const statuses = new Set<Status>();
  const partialChecks = new PartialChecks();
  const progress = createProgress(cliIo().stderr, options.quiet !== true);
  interruption.auditing(() => progress.done());

  let outcome: AuditOutcome;
  let subscriptionCount = 0;
  try {
    outcome = await runAudit(arm, {
      source: options.source,
      subscriptions: options.subscription,
      resourceGroups: options.resourceGroup,
      where: options.where,
      tags: valid.tags,
      shard: valid.shard,
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
        noDocumentedEndpoint: () => (session.azureStack ? azureStackReason(valid.armEndpoint) : undefined),
      }),
      signal: interruption.signal,
      keepResults: !streaming,
      onSubscriptions: (ids) => {
        subscriptionCount = ids.length;
        labelSubscriptionsInOrder(ids);
      },
      onTotal: (n) => progress.total(n),
      // Reported as it happens, while the other subscriptions go on streaming.
      onUnevaluatedSubscription: (entry) => reportUnevaluatedSubscription(clean(entry)),
      onResult: async (result) => {
        summary.add(result);
        partialChecks.add(result);
        for (const check of result.checks) statuses.add(check.status);
        progress.tick();
        if (streamed) await out.write(formatter.formatCleanResult ? formatter.formatCleanResult(result, clean) : streamed(clean(result)));
      },
    });
  } catch (error) {
    await out.flush();
    progress.done();
    if (interruption.interrupted()) {
      cliIo().stderr.write("sc-doctor: interrupted before the fleet was enumerated: no VM was evaluated\n");
      return EXIT.unevaluated;
    }
    // json/jsonl (and junit): the error on stdout too, so a saved audit.json says why it holds no results.
    const output = valid.format;
    if (error instanceof AzureCallError) {
      const details =
        options.where && error.status === 400
          ? ["sc-doctor: Resource Graph refused the query: check the --where filter (KQL) against the details above"]
          : [];
      await reportFatal(
        { code: "FleetNotEnumerated", message: `could not enumerate the fleet: ${error.describe()}` },
        { output, version, details },
      );
      return EXIT.unevaluated;
    }
    // A list Azure answered with fields of the wrong type: we could not evaluate, which is exit 3, not a crash.
    if (error instanceof MalformedResponseError) {
      const message = `could not enumerate the fleet: malformed response from Azure: ${error.message}`;
      await reportFatal({ code: "FleetNotEnumerated", message }, { output, version });
      return EXIT.unevaluated;
    }
    throw error;
  }
  await out.flush();
  progress.done();
  // From here a signal lets the output finish; what it says about coverage is what the audit itself got to.
  const interruptedAudit = interruption.interrupted();
  interruption.writing();

  const changes = valid.baseline ? drift(valid.baseline, summary.verdicts.values()) : undefined;
  const scope: AuditScope = {
    subscriptions: options.subscription?.length ? [...options.subscription] : "all",
    ...(options.resourceGroup?.length ? { resourceGroups: [...options.resourceGroup] } : {}),
    ...(options.where ? { where: options.where } : {}),
    ...(options.tag?.length ? { tags: [...options.tag] } : {}),
    ...(valid.shard ? { shard: `${valid.shard.index}/${valid.shard.count}` } : {}),
  };
  // Subscriptions an interruption left part-listed are not audited either: said in JSON, so `report` carries it.
  const unlisted = outcome.unlistedSubscriptions.map((subscriptionId) => ({ subscriptionId, reason: UNLISTED_REASON }));
  const notAudited = [...outcome.unevaluatedSubscriptions, ...unlisted].sort((a, b) => lowerCompare(a.subscriptionId, b.subscriptionId));
  const absentGroups = outcome.absentResourceGroups;
  // In the JSON too, so that `report` over the saved outputs (shards) exits 3 as this audit does.
  const fleetSummary = {
    ...summary.build(outcome.notEvaluated, changes, notAudited),
    ...(absentGroups.length > 0 ? { absentResourceGroups: [...absentGroups] } : {}),
  };
  const complete = outcome.enumerationComplete && !interruptedAudit && outcome.notEvaluated.length === 0;
  const results = outcome.results.map(clean);
  const cleanSummary = clean(fleetSummary);

  if (!streaming) {
    // Only a run that went the whole way says what it covered: an interrupted one covered part of it.
    const input = {
      tool,
      generatedAt,
      results,
      summary: cleanSummary,
      ...(complete ? { scope: clean(scope) } : {}),
      ...(scope.shard ? { shard: scope.shard } : {}),
    };
    const formatOptions = { redact, color: useColor(options), failOn: options.failOn };
    // In parts where the format can (a large fleet's JSON is past V8's longest string), else as one text.
    if (formatter.formatParts) for (const part of formatter.formatParts(input, formatOptions)) await writeOut(part);
    else await writeOut(ensureNewline(formatter.default(input, formatOptions)));
    const leftOut = options.quiet === true ? undefined : formatter.leftOut?.(input);
    if (leftOut) cliIo().stderr.write(`sc-doctor: ${leftOut}\n`);
  }
  if (options.quiet !== true && formatter.showsSummary !== true) {
    const partial = partialChecks.line();
    cliIo().stderr.write(formatSummaryLine(cleanSummary) + (partial ? `${partial}\n` : "") + formatDriftLine(cleanSummary));
  }
  if (interruptedAudit)
    reportInterrupted(
      outcome.notEvaluated,
      outcome.enumerationComplete ? undefined : outcome.unlistedSubscriptions,
      formatter.listsNotEvaluated,
    );
  // Not when a subscription could not be listed: its VMs were not missing, they were not read (said above).
  // Said even with --quiet: it is why the exit code is 3.
  for (const name of outcome.absentResourceGroups)
    cliIo().stderr.write(
      // Resource Graph lists only the groups the caller may read: without that action an existing group is not seen.
      `sc-doctor: resource group ${sanitizeLine(name)} was not found in any of the ${subscriptionCount} audited subscription${subscriptionCount === 1 ? "" : "s"} (or your role lacks Microsoft.Resources/subscriptions/resourceGroups/read there)\n`,
    );
  const absent = absentGroups.length > 0;
  if (options.source !== "arm" && outcome.unevaluatedSubscriptions.some((entry) => noResourceGraph(entry.reason)))
    cliIo().stderr.write(
      `sc-doctor: Resource Graph did not serve its queries here: on a cloud without it (Azure Stack Hub), audit with --source arm${options.where ? " (without --where, a Resource Graph filter; --tag works there)" : ""}\n`,
    );
  if (complete && fleetSummary.vms === 0 && notAudited.length === 0 && !absent && options.quiet !== true)
    cliIo().stderr.write(noVmNote(scope));
  if (options.verbose)
    cliIo().stderr.write(
      // Summed over requests: concurrent waits add up, so this can exceed the run's wall time.
      `sc-doctor: ${stats.requests} Azure requests, ${stats.throttled} throttled (429), ${Math.round(stats.waitedMs)} ms held by the client-side throttle (summed over requests)\n`,
    );

  if (interruption.interrupted() || outcome.notEvaluated.length > 0) return EXIT.unevaluated;
  // With --fail-on-drift, only VMs newly blocked are findings; a check that could not be evaluated still makes it 3
  // (that VM may be newly blocked: we could not tell), as does a subscription not audited below. --exit-zero: 0.
  const found =
    options.failOnDrift && changes
      ? options.exitZero === true
        ? EXIT.ok
        : changes.newlyBlocked.length > 0
          ? EXIT.findings
          : statuses.has("error")
            ? EXIT.unevaluated
            : EXIT.ok
      : exitCodeFor(
          [...statuses].map((status) => ({ status })),
          { failOn: options.failOn, exitZero: options.exitZero === true },
        );
  // A subscription not audited, or a resource group that is not there: could not evaluate (3), unless findings
  // already make it 1.
  if ((outcome.unevaluatedSubscriptions.length > 0 || absent) && found !== EXIT.findings && options.exitZero !== true)
    return EXIT.unevaluated;
  return found;
}

/**
 * A complete audit of no VM: exit 0 is right (nothing was found), but a typo in a scope option or a credential
 * of the wrong tenant looks the same, so stderr names what the scope was.
 */
function noVmNote(scope: AuditScope): string {
  const filters = [
    scope.subscriptions === "all" ? "" : `--subscription ${scope.subscriptions.join(" ")}`,
    scope.resourceGroups ? `--resource-group ${scope.resourceGroups.join(" ")}` : "",
    scope.tags ? `--tag ${scope.tags.join(" ")}` : "",
    scope.where !== undefined ? `--where ${scope.where}` : "",
    scope.shard ? `--shard ${scope.shard}` : "",
  ].filter(Boolean);
  const where = filters.length
    ? `matched ${sanitizeLine(filters.join(", "), 400)}`
    : "was found in the subscriptions this credential can see (is it signed in to the right tenant?)";
  return `sc-doctor: no VM ${where}\n`;
}

/**
 * A subscription's reason that says Resource Graph itself is missing — its query path not found (404), or its
 * provider not registered or unknown — not that one query failed.
 */
function noResourceGraph(reason: string): boolean {
  // Its own query's failure, not a read after it answered.
  return (
    reason.includes(`could not read ${GRAPH_QUERY}`) &&
    /\b404\b|NoRegisteredProviderFound|MissingSubscriptionRegistration|InvalidResourceNamespace/.test(reason)
  );
}

const ensureNewline = (text: string) => (text.endsWith("\n") ? text : `${text}\n`);

/** One line for a subscription that could not be enumerated (the reason is Azure's answer, sanitised). */
function reportUnevaluatedSubscription(entry: UnevaluatedSubscription): void {
  cliIo().stderr.write(
    `sc-doctor: subscription ${sanitizeLine(entry.subscriptionId)} ${notAuditedWords(entry.reason)}: ${sanitizeLine(entry.reason)}\n`,
  );
}

/** How many examples an interruption names: enough to look one up, never one line per VM. */
const EXAMPLES = 3;

/**
 * After an interruption: how many VMs were not evaluated, per subscription, with a few example ids. The full list
 * is in `-o json`'s `summary.notEvaluated`.
 */
export function interruptSummary(
  ids: readonly string[],
  unlisted: readonly string[] | undefined,
  listed: NotEvaluatedLists | undefined,
): string {
  const bySubscription = new Map<string, number>();
  for (const id of ids) {
    const sub = (parseArmId(id).subscriptionId ?? "(unknown)").toLowerCase();
    bySubscription.set(sub, (bySubscription.get(sub) ?? 0) + 1);
  }
  const lines = [`sc-doctor: ${ids.length} VM${ids.length === 1 ? "" : "s"} not evaluated (interrupted)`];
  for (const [sub, count] of [...bySubscription].sort(([a], [b]) => (a < b ? -1 : 1)))
    lines.push(`  subscription ${sanitizeLine(sub)}: ${count}`);
  if (ids.length > 0)
    lines.push(
      `  e.g. ${ids
        .slice(0, EXAMPLES)
        .map((id) => sanitizeLine(id))
        .join(", ")}${listed ? ` (all listed in ${listed.vms})` : ""}`,
    );
  if (unlisted?.length)
    lines.push(
      `  enumeration was interrupted too: ${unlisted.length} subscription${unlisted.length === 1 ? " was" : "s were"} not fully listed (${unlisted
        .slice(0, EXAMPLES)
        .map((id) => sanitizeLine(id))
        .join(
          ", ",
        )}${unlisted.length > EXAMPLES ? ", …" : ""}${listed ? `; all in ${listed.subscriptions}` : ""}): VMs not yet listed are not counted`,
    );
  else if (unlisted) lines.push("  enumeration was interrupted too: VMs not yet listed are not counted");
  return `${lines.join("\n")}\n`;
}

function reportInterrupted(ids: readonly string[], unlisted: readonly string[] | undefined, listed: NotEvaluatedLists | undefined): void {
  cliIo().stderr.write(interruptSummary(ids, unlisted, listed));
}
