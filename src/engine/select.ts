import { CHECKS } from "../checks/index.js";
import type { CheckDefinition } from "../checks/define.js";
import type { CheckId } from "../types.js";

/** `--only` / `--skip` choose checks before running (options apply at the edges). */
export function selectChecks(only?: readonly CheckId[], skip?: readonly CheckId[]): CheckDefinition[] {
  return CHECKS.filter((check) => (!only || only.includes(check.id)) && !(skip ?? []).includes(check.id));
}
