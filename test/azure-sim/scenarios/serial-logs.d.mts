/** serial-<log name> scenarios (one per file in test/azure-sim/logs/) and the other serial-log scenarios. */
export declare const LOG_SCENARIOS: Record<string, (world: unknown) => void>;
export declare const SERIAL_SCENARIOS: Record<string, (world: unknown) => void>;
