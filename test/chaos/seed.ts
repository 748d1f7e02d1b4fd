/**
 * The chaos schedule's seed. `npm test` (and so CI) replays a fixed schedule, so a run that passed passes again
 * and a red build always means a change, not a dice roll; `SC_DOCTOR_CHAOS_SEED=random` explores new schedules,
 * and `SC_DOCTOR_CHAOS_SEED=<n>` replays the one a failure printed.
 */
export function chaosSeed(fixed: number): number {
  const value = process.env["SC_DOCTOR_CHAOS_SEED"];
  if (value === undefined || value === "") return fixed;
  if (value === "random") return Date.now() % 1_000_000;
  const seed = Number(value);
  if (!Number.isSafeInteger(seed)) throw new Error(`SC_DOCTOR_CHAOS_SEED must be an integer or 'random', got '${value}'`);
  return seed;
}
