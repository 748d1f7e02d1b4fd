/**
 * No known high/critical advisory in what users run: the packages whose code dist/sc-doctor.cjs bundles (what src/
 * imports and what they depend on, by package-lock.json). They are devDependencies — an install fetches none of
 * them — so `npm audit --omit=dev` would look at nothing: the whole tree is audited and the bundled ones must be clean.
 *
 * This needs the registry's advisory endpoint. When it cannot be reached (offline, or a mirror that does not
 * serve `/-/npm/v1/security/advisories/bulk`), the test cannot know, and it says so:
 * - by default it is skipped, with the reason printed (a laptop on a train, or a registry mirror without the
 *   advisory endpoint — this project's own CI answers 405 there — should still run the suite);
 * - with `SC_DOCTOR_REQUIRE_AUDIT=1` (set it in a release pipeline that reaches the advisory database) it fails —
 *   a release gate must never pass on "could not check".
 * Advisories found always fail, everywhere.
 */
import { describe, expect, it } from "vitest";
import { bundledClosure, npm } from "./npm.js";

interface AuditJson {
  metadata?: { vulnerabilities?: Record<string, number> };
  vulnerabilities?: Record<string, { severity: string; via: unknown[] }>;
  error?: { code?: string; summary?: string; detail?: string };
  message?: string;
  statusCode?: number;
}

const mustAudit = process.env["SC_DOCTOR_REQUIRE_AUDIT"] === "1";

describe("npm audit (the bundled packages)", () => {
  it("has no high or critical advisories", (context) => {
    const run = npm(["audit", "--json"], 90_000);
    let report: AuditJson | undefined;
    try {
      report = JSON.parse(run.stdout) as AuditJson;
    } catch {
      report = undefined;
    }
    const counts = report?.metadata?.vulnerabilities;
    if (!counts) {
      const why =
        report?.message ??
        report?.error?.summary ??
        run.error?.message ??
        (run.stderr.split("\n")[0] || `npm audit exited ${run.code} without a report`);
      const note = `npm audit could not reach the advisory database: ${why}`;
      if (mustAudit) throw new Error(`${note} (SC_DOCTOR_REQUIRE_AUDIT=1: a supply-chain gate must not pass unchecked)`);
      process.stderr.write(`\n[supply-chain] SKIPPED: ${note}. Set SC_DOCTOR_REQUIRE_AUDIT=1 to make this a failure.\n`);
      context.skip(note);
      return;
    }
    const bundled = bundledClosure();
    const serious = Object.entries(report?.vulnerabilities ?? {}).filter(
      ([name, v]) => bundled.has(name) && (v.severity === "high" || v.severity === "critical"),
    );
    expect(serious.map(([name, v]) => `${name}: ${v.severity}`)).toEqual([]);
  });
});
