/**
 * Where the binary's SIGINT/SIGTERM listeners (src/bin.ts, installed before the bundle loads) look for the running
 * command's handler: a global, because the binary and the bundle are separate builds that share no module. Present
 * (null or a function) only when those listeners are; a command run in-process (tests) installs its own.
 */
export const SIGNAL_HOOK = Symbol.for("sc-doctor.signal-handler");
