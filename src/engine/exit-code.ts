import type { CheckResult } from "../types.js";

/** Exit codes as documented in docs/contract.md, "Exit codes". */
export const EXIT = { ok: 0, findings: 1, usage: 2, unevaluated: 3, internal: 4 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export interface ExitOptions {
  failOn: "fail" | "warn";
  exitZero: boolean;
}

/**
 * Findings at or above `--fail-on` → 1; otherwise any check that could not be evaluated → 3; else 0.
 * `--exit-zero` → 0 whenever the run completed (the caller keeps 3 for runs that could not start:
 * authentication failed, VM not found).
 */
export function exitCodeFor(results: readonly Pick<CheckResult, "status">[], options: ExitOptions): ExitCode {
  if (options.exitZero) return EXIT.ok;
  const statuses = new Set(results.map((r) => r.status));
  if (statuses.has("fail") || (options.failOn === "warn" && statuses.has("warn"))) return EXIT.findings;
  if (statuses.has("error")) return EXIT.unevaluated;
  return EXIT.ok;
}
