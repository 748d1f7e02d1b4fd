import { FACT_DESCRIPTIONS, type FactName } from "../checks/define.js";
import type { CheckResult } from "../types.js";

/**
 * A check's reason as people read it. JSON keeps the contract's bare `timeout` (scripts match it); the text formats
 * add how long the check waited and for what (`evidence.timeoutMs` and `evidence.waitingFor`, from the engine), so
 * an on-call engineer knows which read of Azure did not answer.
 */
export function reasonForPeople(check: Pick<CheckResult, "status" | "reason" | "evidence">): string {
  if (check.status !== "error" || check.reason !== "timeout") return check.reason;
  const { timeoutMs, waitingFor } = check.evidence as { timeoutMs?: unknown; waitingFor?: unknown };
  const within = typeof timeoutMs === "number" ? ` within ${timeoutMs} ms (--timeout)` : "";
  const names = Array.isArray(waitingFor) ? waitingFor.filter((name): name is FactName => Object.hasOwn(FACT_DESCRIPTIONS, name)) : [];
  const what = names.length > 0 ? `: no answer for ${names.map((name) => FACT_DESCRIPTIONS[name]).join(", ")}` : "";
  return `timeout — not evaluated${within}${what}`;
}
