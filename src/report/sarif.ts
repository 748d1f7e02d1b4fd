/**
 * `--output sarif`: SARIF 2.1.0 (OASIS) that GitHub code scanning accepts and tracks across runs, following
 * https://docs.github.com/en/code-security/reference/code-scanning/sarif-files/sarif-support-for-code-scanning
 *
 * - `tool.driver.rules`: every check, with its title as `shortDescription`, a `help` text and Markdown naming the
 *   documented errors it maps to (each linked to its Microsoft document) and the permissions it needs, and
 *   `helpUri` pointing at the Microsoft document; after them, a rule for each check of another sc-doctor version
 *   found in the results (`report` merges saved results), so every result names a rule of the run.
 * - `results`: one per check that did not pass — `fail` → level `error`, `warn` → level `warning`. A check that
 *   could not be evaluated (`error`) is reported with `kind: "open"` and level `none`: SARIF's own word for "the
 *   tool could not decide", and §3.27.9 requires level `none` whenever `kind` is not `fail`. Passed and skipped
 *   checks produce no result.
 * - Location: code scanning takes only repository-relative paths (or `file:` URIs), so the VM is the relative
 *   path `azure/subscriptions/…/virtualmachines/<name>` (its resource id, lower-cased because Azure ids are
 *   case-insensitive and Resource Graph and Resource Manager spell them differently) at line 1. The resource id
 *   itself is the result's `logicalLocation`.
 * - `partialFingerprints.primaryLocationLineHash` (the only fingerprint code scanning reads) is a hash of the
 *   lower-cased resource id and the check id, so an alert stays one alert from run to run until it is fixed.
 * - At most 25,000 results per run (GitHub rejects a file with more): the worst are kept, and a tool execution
 *   notification says how many were left out.
 */
import { createHash } from "node:crypto";
import { coverageGaps, partialAuditLine } from "./coverage.js";
import type { Log, Notification, ReportingDescriptor, Result } from "sarif";
import { entriesForCheck } from "../catalog/index.js";
import { CHECKS } from "../checks/index.js";
import type { CheckResult, Status, VmResult } from "../types.js";
import { ERRORS_DOC } from "./doc-links.js";
import type { FormatOptions, ReportInput } from "./formats.js";
import { sanitizeText } from "./sanitize.js";

const SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
const INFO_URI = "https://github.com/sc-doctor/sc-doctor";
/**
 * GitHub code scanning stores at most this many of a run's results and ignores the rest (it rejects more than
 * 25,000): https://docs.github.com/en/rest/code-scanning/code-scanning#upload-an-analysis-as-sarif-data.
 */
export const MAX_RESULTS_PER_RUN = 5_000;
/** GitHub: `shortDescription` / `fullDescription` are limited to 1024 characters. */
const MAX_DESCRIPTION = 1024;

const LEVEL: Partial<Record<Status, { level: Result.level; kind: Result.kind }>> = {
  fail: { level: "error", kind: "fail" },
  warn: { level: "warning", kind: "fail" },
  error: { level: "none", kind: "open" },
};

const limit = (text: string) => (text.length > MAX_DESCRIPTION ? `${text.slice(0, MAX_DESCRIPTION - 1)}…` : text);

/** One rule per check, in contract order. */
function rules(): ReportingDescriptor[] {
  return CHECKS.map((check) => {
    const documented = entriesForCheck(check.id);
    const helpUri = documented.find((e) => e.docUrl)?.docUrl ?? ERRORS_DOC;
    const verify = `sc-doctor --vm <vm-resource-id> --only ${check.id}`;
    const needs = `Reads: ${check.needs.join(", ")}. Needs: ${check.permissions.join(", ")}.`;
    const help = [
      `${check.title}.`,
      documented.length > 0 ? `Documented errors: ${documented.map((e) => `${e.id} ("${e.message}")`).join("; ")}.` : "",
      needs,
      `Microsoft documentation: ${helpUri}`,
      `Verify with: ${verify}`,
    ].filter(Boolean);
    const markdown = [
      `**${check.title}**`,
      "",
      ...(documented.length > 0
        ? ["Documented errors:", "", ...documented.map((e) => `- [${e.id}](${e.docUrl ?? ERRORS_DOC}): "${e.message}"`), ""]
        : []),
      needs,
      "",
      `Read more: [Microsoft documentation](${helpUri})`,
      "",
      `Verify with: \`${verify}\``,
    ];
    const level = check.advisory === true ? "warning" : "error";
    return {
      id: check.id,
      name: check.id.replace(/(^|-)([a-z])/g, (_m, _dash: string, c: string) => c.toUpperCase()),
      shortDescription: { text: limit(check.title) },
      fullDescription: { text: limit(help.slice(0, 2).join(" ")) },
      help: { text: help.join("\n"), markdown: markdown.join("\n") },
      helpUri,
      defaultConfiguration: { level },
      properties: {
        tags: ["azure", "serial-console", ...(check.advisory === true ? ["advisory"] : [])],
        "problem.severity": level,
        advisory: check.advisory === true,
        permissions: [...check.permissions],
      },
    } satisfies ReportingDescriptor;
  });
}

/**
 * The VM as a repository-relative path: `azure/` + its resource id, lower-cased, percent-encoded (names may hold
 * spaces; redaction labels hold `<>`).
 */
export function vmArtifactPath(resourceId: string): string {
  // A lone surrogate (only from a damaged saved result) cannot be percent-encoded: U+FFFD instead, as `toWellFormed`.
  const path = resourceId
    .toLowerCase()
    .replace(/^\/+/, "")
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd");
  return `azure/${encodeURI(path).replace(/[?#]/g, encodeURIComponent)}`;
}

/** Stable across runs for one VM and check: 16 hex digits of SHA-256, `:1` as code scanning's own hashes end. */
export function fingerprint(resourceId: string, checkId: string): string {
  return `${createHash("sha256").update(`${resourceId.toLowerCase()}|${checkId}`).digest("hex").slice(0, 16)}:1`;
}

function result(vm: VmResult, check: CheckResult, ruleIndex: number): Result | undefined {
  const mapped = LEVEL[check.status];
  if (!mapped) return undefined;
  const text = [
    `${vm.vm.name || vm.vm.id}: ${check.reason}`,
    check.documentedError ? `Documented error: "${check.documentedError.message}"` : "",
    check.mitigation ? `Mitigation: ${check.mitigation}` : "",
  ]
    .filter(Boolean)
    .map(sanitizeText)
    .join(" — ");
  return {
    ruleId: check.id,
    ruleIndex,
    kind: mapped.kind,
    level: mapped.level,
    message: { text },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: vmArtifactPath(vm.vm.id), uriBaseId: "%SRCROOT%" },
          region: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 },
        },
        logicalLocations: [{ name: vm.vm.name, fullyQualifiedName: vm.vm.id, kind: "resource" }],
      },
    ],
    partialFingerprints: {
      primaryLocationLineHash: fingerprint(vm.vm.id, check.id),
      "scDoctor/v1": `${vm.vm.id.toLowerCase()}|${check.id}`,
    },
    properties: {
      status: check.status,
      verdict: vm.verdict,
      ...(check.documentedError ? { documentedErrorId: check.documentedError.id } : {}),
      ...(check.fix ? { fix: check.fix } : {}),
      evidence: check.evidence,
      // x-ms-correlation-request-id of the ARM calls made for this VM: what Azure support asks for.
      armCorrelationIds: vm.correlationIds ?? [],
    },
  };
}

const RANK: Partial<Record<Status, number>> = { fail: 0, warn: 1, error: 2 };

/** A check that makes a SARIF result, and its VM. */
interface Flagged {
  vm: VmResult;
  check: CheckResult;
}

/**
 * Keep at most `MAX_RESULTS_PER_RUN`, worst first (fail, warn, error; report order within), and in that order: which
 * results GitHub keeps of too many is not what its documents say (https://github.com/github/docs/issues/38085).
 * Chosen before any SARIF result is made: a fleet's findings may be many times the limit, each a kilobyte or more.
 */
/** `--output sarif`'s note for stderr when the results pass `MAX_RESULTS_PER_RUN`. */
export function leftOut(input: ReportInput): string | undefined {
  const findings = input.results.reduce((n, vm) => n + vm.checks.filter((check) => LEVEL[check.status]).length, 0);
  if (findings <= MAX_RESULTS_PER_RUN) return undefined;
  return `the SARIF holds the ${MAX_RESULTS_PER_RUN.toLocaleString("en-US")} worst of ${findings.toLocaleString("en-US")} results (code scanning stores at most ${MAX_RESULTS_PER_RUN.toLocaleString("en-US")} per run); -o json holds them all`;
}

function withinLimit(findings: readonly Flagged[]): { kept: readonly Flagged[]; dropped: number } {
  if (findings.length <= MAX_RESULTS_PER_RUN) return { kept: findings, dropped: 0 };
  // Array.prototype.sort is stable: report order stays within a status.
  const rank = (finding: Flagged) => RANK[finding.check.status] ?? 3;
  const kept = [...findings].sort((a, b) => rank(a) - rank(b)).slice(0, MAX_RESULTS_PER_RUN);
  return { kept, dropped: findings.length - kept.length };
}

/**
 * A rule for a check this version does not know: `report` merges saved results of other sc-doctor versions (a newer
 * one's new check). Without it the result's `ruleId` names no rule of the run and its `ruleIndex` is -1, which code
 * scanning cannot show as a rule. Told from the saved check (its title) and level `error`, as checks that block are.
 */
function unknownRule(check: CheckResult): ReportingDescriptor {
  const title = sanitizeText(check.title) || check.id;
  const help = `${title}. A check of another sc-doctor version (from a saved result): run that version's 'sc-doctor checks' for what it reads.`;
  return {
    id: check.id,
    name: check.id.replace(/(^|[-._])([A-Za-z0-9])/g, (_m, _sep: string, c: string) => c.toUpperCase()).slice(0, 255),
    shortDescription: { text: limit(title) },
    fullDescription: { text: limit(help) },
    help: { text: `${help}\nMicrosoft documentation: ${ERRORS_DOC}` },
    helpUri: ERRORS_DOC,
    defaultConfiguration: { level: "error" },
    properties: { tags: ["azure", "serial-console"], "problem.severity": "error" },
  };
}

/** The SARIF log: one run, every check as a rule, a result per non-passing check per VM. */
export default function formatSarif(input: ReportInput, _options: FormatOptions): string {
  const driverRules = rules();
  const known = new Set(driverRules.map((rule) => rule.id));
  for (const check of input.results.flatMap((vm) => vm.checks))
    if (!known.has(check.id) && LEVEL[check.status] !== undefined) {
      known.add(check.id);
      driverRules.push(unknownRule(check));
    }
  const index = new Map(driverRules.map((rule, i) => [rule.id, i]));
  const findings = input.results.flatMap((vm) => vm.checks.flatMap((check) => (LEVEL[check.status] ? [{ vm, check }] : [])));
  const { kept: keptFindings, dropped } = withinLimit(findings);
  const kept = keptFindings.flatMap(({ vm, check }) => result(vm, check, index.get(check.id) ?? -1) ?? []);
  // What the audit did not cover: the run did not go the whole way (its exit code was 3), and code scanning would
  // otherwise take the missing VMs' earlier alerts for fixed.
  const gaps = coverageGaps(input.summary);
  // With --only/--skip the checks left out have no results, which code scanning would also take for fixed alerts.
  const partial = partialAuditLine(input.results);
  const notifications: Notification[] = [
    ...gaps.map((text): Notification => ({ level: "error", message: { text } })),
    ...(partial
      ? [
          {
            level: "warning" as const,
            message: {
              text: `${partial}: for those VMs the checks left out have no results in this run, so code scanning may take their earlier alerts for fixed`,
            },
          },
        ]
      : []),
    ...(dropped > 0
      ? [
          {
            level: "warning" as const,
            message: {
              text: `${dropped} results left out: code scanning stores at most ${MAX_RESULTS_PER_RUN} per run. The failures and warnings come first; every result is in 'sc-doctor audit --output json'.`,
            },
          },
        ]
      : []),
  ];
  const log: Log = {
    $schema: SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: input.tool.name,
            version: input.tool.version,
            semanticVersion: input.tool.version,
            informationUri: INFO_URI,
            rules: driverRules,
          },
        },
        invocations: [
          {
            executionSuccessful: gaps.length === 0,
            endTimeUtc: input.generatedAt,
            ...(notifications.length > 0 ? { toolExecutionNotifications: notifications } : {}),
          },
        ],
        results: kept,
        properties: input.summary ? { summary: input.summary } : {},
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
