import type { FleetSpec, InProcessArm } from "./index.d.mts";
export function inProcessArm(
  spec: FleetSpec,
  errorClass: new (operation: string, message: string, status?: number, code?: string) => Error,
): InProcessArm;
