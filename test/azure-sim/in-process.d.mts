import type { FleetSpec } from "./index.d.mts";
/** An ArmContext (made by the caller's own `createArmContext`) answered in-process by the simulator's routes; every call recorded. */
export function inProcessArm<Arm>(
  spec: FleetSpec,
  // `any`:  the options type is src/ or dist/ (the caller types the context).
  sc: { createArmContext: (options: any) => Arm },
): Arm & { world: unknown; calls: { method: string; path: string; body?: unknown }[] };
