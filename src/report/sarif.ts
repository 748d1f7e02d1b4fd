/**
 * `--output sarif`: SARIF 2.1.0 (OASIS), for code-scanning dashboards and policy tools.
 *
 * - `tool.driver.rules`: every check, with its title as `shortDescription`, a `help` text naming the documented
 *   errors it maps to and the permissions it needs, and `helpUri` pointing at the Microsoft document.
 * - `results`: one per check that did not pass — `fail` → level `error`, `warn` → level `warning`. A check that
 *   could not be evaluated (`error`) is reported with `kind: "open"` and level `none`: SARIF's own word for "the
 *   tool could not decide", and §3.27.9 requires level `none` whenever `kind` is not `fail`. Passed and skipped
 *   checks produce no result.
 * - Location: the VM, as a `logicalLocation` (fully qualified name = resource id, kind `resource`) and as an
 *   `azure://` artifact URI for consumers that require a physical location.
 */
import type { Log, ReportingDescriptor, Result } from "sarif";
import { entriesForCheck } from "../catalog/index.js";
import { CHECKS } from "../checks/index.js";
import type { CheckResult, Status, VmResult } from "../types.js";
import type { FormatOptions, ReportInput } from "./formats.js";
import { sanitizeText } from "./sanitize.js";

const SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
const INFO_URI = "https://github.com/sc-doctor/sc-doctor";
const ERRORS_DOC = "https://learn.microsoft.com/troubleshoot/azure/virtual-machines/windows/serial-console-errors";

const LEVEL: Partial<Record<Status, { level: Result.level; kind: Result.kind }>> = {
  fail: { level: "error", kind: "fail" },
  warn: { level: "warning", kind: "fail" },
  error: { level: "none", kind: "open" },
};

/** One rule per check, in contract order. */
function rules(): ReportingDescriptor[] {
  return CHECKS.map((check) => {
    const documented = entriesForCheck(check.id);
    const help = [
      `${check.title}.`,
      documented.length > 0 ? `Documented errors: ${documented.map((e) => `${e.id} ("${e.message}")`).join("; ")}.` : "",
      `Reads: ${check.needs.join(", ")}. Needs: ${check.permissions.join(", ")}.`,
      `Verify with: sc-doctor --vm <vm-resource-id> --only ${check.id}`,
    ].filter(Boolean);
    return {
      id: check.id,
      name: check.id.replace(/(^|-)([a-z])/g, (_m, _dash: string, c: string) => c.toUpperCase()),
      shortDescription: { text: check.title },
      fullDescription: { text: help.slice(0, 2).join(" ") },
      help: { text: help.join("\n") },
      helpUri: documented.find((e) => e.docUrl)?.docUrl ?? ERRORS_DOC,
      defaultConfiguration: { level: check.advisory === true ? "warning" : "error" },
      properties: { advisory: check.advisory === true, permissions: [...check.permissions] },
    } satisfies ReportingDescriptor;
  });
}

/** `azure:///subscriptions/…`: the resource id as a URI path, percent-encoded (names may hold spaces, labels `<>`). */
export function azureUri(resourceId: string): string {
  const path = resourceId.startsWith("/") ? resourceId : `/${resourceId}`;
  return `azure://${encodeURI(path).replace(/[?#]/g, encodeURIComponent)}`;
}

function result(vm: VmResult, check: CheckResult, ruleIndex: number): Result | undefined {
  const mapped = LEVEL[check.status];
  if (!mapped) return undefined;
  const text = [
    check.reason,
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
        physicalLocation: { artifactLocation: { uri: azureUri(vm.vm.id) } },
        logicalLocations: [{ name: vm.vm.name, fullyQualifiedName: vm.vm.id, kind: "resource" }],
      },
    ],
    partialFingerprints: { "scDoctor/v1": `${vm.vm.id.toLowerCase()}|${check.id}` },
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

/** The SARIF log: one run, every check as a rule, a result per non-passing check per VM. */
export default function formatSarif(input: ReportInput, _options: FormatOptions): string {
  const driverRules = rules();
  const index = new Map(driverRules.map((rule, i) => [rule.id, i]));
  const results = input.results.flatMap((vm) =>
    vm.checks.map((check) => result(vm, check, index.get(check.id) ?? -1)).filter((r): r is Result => r !== undefined),
  );
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
        invocations: [{ executionSuccessful: true, endTimeUtc: input.generatedAt }],
        results,
        properties: input.summary ? { summary: input.summary } : {},
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
