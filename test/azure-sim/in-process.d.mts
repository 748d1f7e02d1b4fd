import type { FleetSpec } from "./index.d.mts";
/** An ArmContext (made by the caller's own `createArmContext`) answered in-process by the simulator's routes; every call recorded. */
export function inProcessArm<Arm>(
  spec: FleetSpec,
  // `any`:  the options type is src/ or dist/ (the caller types the context).
  sc: { createArmContext: (options: any) => Arm },
  options?: { record?: boolean },
): Arm & {
  world: unknown;
  calls: { method: string; path: string; body?: unknown }[];
  recording?: Map<string, { status: number; bodyAsText: string }>;
  /** The HTTP client that answers from the simulator's routes (to wrap with faults of a test's own). */
  httpClient: import("@azure/core-rest-pipeline").HttpClient;
};
/** A fresh ArmContext answering from what an `inProcessArm` with `record` recorded (unrecorded requests: the simulator, counted in `misses`). */
export function replayArm<Arm>(
  source: { recording?: Map<string, { status: number; bodyAsText: string }> },
  sc: { createArmContext: (options: any) => Arm },
): Arm & { calls: { method: string; path: string }[]; misses: string[] };
