/**
 * A seeded random fault schedule. Run `i` of a chaos test with base seed `s` uses seed `s + i`, so one failing run
 * replays alone with SC_DOCTOR_CHAOS_SEED=<its seed> SC_DOCTOR_CHAOS_RUNS=1.
 */
import { FAULT_KINDS, prng, type Fault } from "../azure-sim/index.mjs";

/** mulberry32, shared with the simulator's fleet generator: deterministic across platforms. */
export { prng };

export const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

/** Every route the single-VM doctor reads (substring match on the path, as the simulator does). */
export const DOCTOR_ROUTES = [
  "/virtualMachines/vm1",
  "/virtualMachineScaleSets/ss1/virtualMachines/0",
  "/instanceView",
  "/subscriptions/00000000-0000-0000-0000-000000000001", // the subscription, and (as a prefix) everything under it
  "Microsoft.SerialConsole/consoleServices/default",
  "Microsoft.Storage/storageAccounts",
  "/providers/Microsoft.Authorization/permissions",
  "Microsoft.Compute/virtualMachines/vm1/providers/Microsoft.Authorization/permissions",
  "storageAccounts/scdiagstore/providers/Microsoft.Authorization/permissions",
  "/subscriptions",
  "Microsoft.Authorization/roleAssignments",
  "Microsoft.Authorization/roleDefinitions",
] as const;

/** Scenarios and the VM id that fits each: healthy ones (where a lie would be a pass) and broken ones. */
const VM = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/vm1";
const VMSS =
  "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachineScaleSets/ss1/virtualMachines/0";
export const DOCTOR_SCENARIOS: readonly { scenario: string; vm: string }[] = [
  { scenario: "healthy", vm: VM },
  { scenario: "healthy", vm: VM },
  { scenario: "healthy-managed", vm: VM },
  { scenario: "vmss-uniform", vm: VMSS },
  { scenario: "storage-other-rg", vm: VM },
  { scenario: "storage-other-subscription", vm: VM },
  { scenario: "storage-firewall-ok", vm: VM },
  { scenario: "rbac-reader", vm: VM },
  { scenario: "deallocated", vm: VM },
];

export interface RunPlan {
  seed: number;
  scenario: string;
  vm: string;
  faults: Fault[];
  /** Extra arguments: sometimes --principal, which reads role assignments and definitions instead of the Permissions API. */
  args: string[];
}

/** 1–4 faults on random routes: any kind, sometimes once, sometimes twice, sometimes on every request. */
export function planRun(seed: number): RunPlan {
  const random = prng(seed);
  const principal = random() < 0.2;
  const { scenario, vm } = principal ? { scenario: "principal-group", vm: VM } : pick(random, DOCTOR_SCENARIOS);
  const faults: Fault[] = [];
  const n = 1 + Math.floor(random() * 4);
  for (let i = 0; i < n; i++) {
    const kind = pick(random, FAULT_KINDS);
    const fault: Fault = { match: { path: pick(random, DOCTOR_ROUTES) }, kind };
    const count = pick(random, [1, 1, 2, 3, undefined] as const);
    if (count !== undefined) fault.count = count;
    // 429 with and without Retry-After (0 or 1 s); 5xx sometimes with one.
    if (kind === "429") {
      const retryAfter = pick(random, [undefined, 0, 1] as const);
      if (retryAfter !== undefined) fault.retryAfter = retryAfter;
    } else if (kind.startsWith("5") && random() < 0.3) fault.retryAfter = 0;
    faults.push(fault);
  }
  return {
    seed,
    scenario,
    vm,
    faults,
    args: principal ? ["--principal", pick(random, ["33333333-3333-3333-3333-333333333333", "11111111-1111-1111-1111-111111111111"])] : [],
  };
}
