/**
 * `--output junit`: a `<testsuite>` per VM, a `<testcase>` per check, so CI systems show Serial Console readiness
 * like test results. Shaped to the Apache Ant JUnit schema (the `junit.xsd` most CI servers follow, shipped in
 * test/fixtures/schemas/): `fail` → `<failure>`, `error` → `<error>`, `skip` → `<skipped>`; `pass` and `warn`
 * are passing cases (a warning does not block the console), and warnings are listed in the suite's
 * `<system-out>` so they are not lost — but with `--fail-on warn`, where a warning fails the run, it is a
 * `<failure>` too: a CI test view must show what failed the job.
 */
import { CHECK_IDS, type CheckResult, type ToolInfo, type VmResult } from "../types.js";
import { coverageGaps } from "./coverage.js";
import { xml } from "./escape.js";
import { gathered, type FatalDocument, type FormatOptions, type ReportInput } from "./formats.js";
import { reasonForPeople } from "./reason.js";

const seconds = (ms: number) => (Math.max(0, ms) / 1000).toFixed(3);
/** The Ant schema's timestamp has no time zone: the UTC time without the `Z`. */
const timestamp = (iso: string) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/.exec(iso)?.[0] ?? "1970-01-01T00:00:00";
/** xs:token with minLength 1: collapsed whitespace, never empty. */
const token = (text: string, fallback: string) => text.replace(/\s+/g, " ").trim() || fallback;

function details(check: CheckResult): string {
  const lines = [`${check.status.toUpperCase()} ${check.id}: ${reasonForPeople(check)}`];
  if (check.documentedError) lines.push(`Documented error (${check.documentedError.id}): ${check.documentedError.message}`);
  if (check.mitigation) lines.push(`Mitigation: ${check.mitigation}`);
  for (const fix of check.fix ?? []) lines.push(`Fix: ${fix}`);
  return lines.join("\n");
}

/** Whether a check is a `<failure>`: `fail`, and `warn` under `--fail-on warn`. */
const failing = (check: Pick<CheckResult, "status">, failOn: FormatOptions["failOn"]) =>
  check.status === "fail" || (failOn === "warn" && check.status === "warn");

function testcase(check: CheckResult, classname: string, failOn: FormatOptions["failOn"]): string {
  const open = `    <testcase name="${xml(check.id, true)}" classname="${xml(classname, true)}" time="${seconds(check.durationMs)}"`;
  const type = xml(check.documentedError?.id ?? check.id, true);
  const message = xml(reasonForPeople(check), true);
  if (failing(check, failOn))
    return `${open}>\n      <failure message="${message}" type="${type}">${xml(details(check))}</failure>\n    </testcase>`;
  if (check.status === "error")
    return `${open}>\n      <error message="${message}" type="${type}">${xml(details(check))}</error>\n    </testcase>`;
  if (check.status === "skip") return `${open}>\n      <skipped message="${message}"/>\n    </testcase>`;
  return `${open}/>`;
}

/**
 * Each VM's suite name, unique in the report (CI servers merge suites of one name and key their history on it):
 * `<resource group>/<name>`, as a VM name is unique only in its resource group (a uniform instance's,
 * `<scale set>_<n>`, in its scale set); the resource id for the rare VMs of another subscription with the same group
 * and name in the same report — so a report that merges such subscriptions names those VMs by id, where a report of
 * one of them alone names them short.
 */
function suiteNames(results: readonly VmResult[]): string[] {
  const names = results.map((r) => token(`${r.vm.resourceGroup}/${r.vm.name}`, token(r.vm.id, "vm")));
  const counts = new Map<string, number>();
  for (const name of names) counts.set(name.toLowerCase(), (counts.get(name.toLowerCase()) ?? 0) + 1);
  return names.map((name, i) => ((counts.get(name.toLowerCase()) ?? 0) > 1 ? token(results[i]?.vm.id ?? "", "vm") : name));
}

function testsuite(
  result: VmResult,
  index: number,
  name: string,
  generatedAt: string,
  tool: string,
  failOn: FormatOptions["failOn"],
): string {
  const count = (status: CheckResult["status"]) => result.checks.filter((c) => c.status === status).length;
  const time = seconds(result.checks.reduce((sum, c) => sum + c.durationMs, 0));
  const classname = `sc-doctor.${name}`;
  const properties = [
    ["vm.id", result.vm.id],
    ["vm.resourceGroup", result.vm.resourceGroup],
    ["vm.subscriptionId", result.vm.subscriptionId],
    ["vm.location", result.vm.location],
    ["verdict", result.verdict],
    // `--only`/`--skip` left checks out: the verdict is about the checks that ran (docs/contract.md, "partial").
    ["partial", result.partial ? "true" : undefined],
    ["tool", tool],
    ...(result.correlationIds ?? []).map((id, i) => [`arm.correlationId.${i + 1}`, id]),
  ].filter((p): p is [string, string] => typeof p[1] === "string" && p[1] !== "");
  const warnings = result.checks.filter((c) => c.status === "warn").map(details);
  return [
    `  <testsuite package="sc-doctor" id="${index}" name="${xml(name, true)}" timestamp="${timestamp(generatedAt)}" hostname="azure" tests="${result.checks.length}" failures="${result.checks.filter((c) => failing(c, failOn)).length}" errors="${count("error")}" skipped="${count("skip")}" time="${time}">`,
    "    <properties>",
    ...properties.map(([k, v]) => `      <property name="${xml(k, true)}" value="${xml(v, true)}"/>`),
    "    </properties>",
    ...result.checks.map((check) => testcase(check, classname, failOn)),
    `    <system-out>${xml([`verdict: ${result.verdict}${partialWords(result)}`, ...warnings].join("\n\n"))}</system-out>`,
    "    <system-err></system-err>",
    "  </testsuite>",
  ].join("\n");
}

/** What the audit did not cover (src/report/coverage.ts), as a suite of errors: CI shows the run was not complete. */
function coverageSuite(gaps: readonly string[], index: number, generatedAt: string): string {
  return [
    `  <testsuite package="sc-doctor" id="${index}" name="sc-doctor audit coverage" timestamp="${timestamp(generatedAt)}" hostname="azure" tests="${gaps.length}" failures="0" errors="${gaps.length}" skipped="0" time="0.000">`,
    "    <properties/>",
    ...gaps.map(
      (gap, i) =>
        `    <testcase name="not-covered-${i + 1}" classname="sc-doctor.coverage" time="0.000">\n      <error message="${xml(gap, true)}" type="not-covered">${xml(gap)}</error>\n    </testcase>`,
    ),
    "    <system-out></system-out>",
    "    <system-err></system-err>",
    "  </testsuite>",
  ].join("\n");
}

/**
 * A run that could not evaluate (exit 3): one suite with one `<error>` naming the code and message, so a CI test
 * view shows why instead of finding no results.
 */
export function formatFatal(error: FatalDocument, tool: ToolInfo, generatedAt: string): string {
  const details = [`${error.code}: ${error.message}`, ...(error.credentials ?? []).map((line) => `tried: ${line}`)].join("\n");
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    "<testsuites>",
    `  <testsuite package="sc-doctor" id="0" name="sc-doctor" timestamp="${timestamp(generatedAt)}" hostname="azure" tests="1" failures="0" errors="1" skipped="0" time="0.000">`,
    `    <properties>\n      <property name="tool" value="${xml(`${tool.name} ${tool.version}`, true)}"/>\n    </properties>`,
    `    <testcase name="run" classname="sc-doctor.run" time="0.000">\n      <error message="${xml(error.message, true)}" type="${xml(error.code, true)}">${xml(details)}</error>\n    </testcase>`,
    "    <system-out></system-out>",
    "    <system-err></system-err>",
    "  </testsuite>",
    "</testsuites>",
    "",
  ].join("\n");
}

/**
 * `formatJunit`'s text in parts, suite by suite: a large fleet's document as one string passes V8's limit on a
 * string's length (about 512 MiB; some 6 KB per VM) and ended the audit with nothing written (exit 4).
 */
export function formatParts(input: ReportInput, options?: FormatOptions): Iterable<string> {
  return gathered(
    (function* () {
      const tool = `${input.tool.name} ${input.tool.version}`;
      const names = suiteNames(input.results);
      yield `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n`;
      for (const [i, result] of input.results.entries())
        yield `${i > 0 ? "\n" : ""}${testsuite(result, i, names[i] as string, input.generatedAt, tool, options?.failOn)}`;
      const gaps = coverageGaps(input.summary);
      if (gaps.length > 0) yield `${input.results.length > 0 ? "\n" : ""}${coverageSuite(gaps, input.results.length, input.generatedAt)}`;
      yield "\n</testsuites>\n";
    })(),
  );
}

/** The whole run as one `<testsuites>` document (UTF-8). */
export default function formatJunit(input: ReportInput, options: FormatOptions): string {
  return [...formatParts(input, options)].join("");
}

/** " (about the checks that ran: 2 of 20 checks run)" for a partial verdict, else nothing. */
function partialWords(result: VmResult): string {
  return result.partial ? ` (about the checks that ran: ${result.checks.length} of ${CHECK_IDS.length} checks run)` : "";
}
