/**
 * Shared fast-check settings. The default keeps `npm test` quick on two cores; SC_DOCTOR_PROPERTY_RUNS raises the
 * number of generated cases, SC_DOCTOR_PROPERTY_SEED replays a failing seed that fast-check printed.
 */
import type { Parameters } from "fast-check";

export function propertyParams<T>(defaultRuns = 300): Parameters<T> {
  const runs = Number(process.env["SC_DOCTOR_PROPERTY_RUNS"] ?? defaultRuns);
  const seed = process.env["SC_DOCTOR_PROPERTY_SEED"];
  return { numRuns: Number.isFinite(runs) && runs > 0 ? runs : defaultRuns, ...(seed ? { seed: Number(seed) } : {}) };
}
