import { defineConfig } from "vitest/config";

/**
 * Two lanes (model: core-rest-pipeline's split test lanes):
 * - `unit`: in-process — pure functions, checks, formatters, the security matrices on recorded results, the
 *   simulator and the fleet in one process. The inner loop: `npm run test:unit`, no build needed.
 * - `e2e`: the whole CLI against the simulator. The matrices (scenarios, formats, roles, faults) call `run(argv, io)`
 *   in-process (test/e2e/harness.ts `runInProcess`); each file keeps a few cases on the built CLI (`dist/cli.js`)
 *   as a child process (`runCli`) — exit codes, the stream filter on real stdout/stderr, one spawned case per
 *   format, signals, stdin, the example scripts. `npm run test:e2e` builds first.
 * A test file that spawns the CLI belongs in `E2E`. `npm test` type-checks while vitest runs (test/run-suite.mjs).
 * The unit files share their worker's module cache (`isolate: false`): importing src/, the SDK and vitest once per
 * worker instead of once per file halves the lane's CPU time (75 → 38 CPU-s). A unit file that changes
 * process-wide state (process.env, a module's memo) must restore it (test/net/probe.test.ts, test/unit/colour.test.ts).
 */
const E2E = [
  "test/e2e/**/*.test.ts",
  "test/browser/**/*.test.ts",
  "test/hostile/cli-output.test.ts",
  "test/hostile/audit-output.test.ts",
  "test/hostile/bad-ids.test.ts",
  "test/net/cli.test.ts",
  "test/chaos/audit.chaos.test.ts",
  "test/chaos/doctor.chaos.test.ts",
  "test/chaos/fleet-limits.test.ts",
  "test/supply-chain/package-contents.test.ts",
  "test/supply-chain/pack-install.test.ts",
];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    // The simulator's CA, made before the workers start so that they trust it (the CLI run in-process).
    globalSetup: ["test/global-setup.mjs"],
    hookTimeout: 60_000,
    // Two cores: forks keep the simulator servers and CLI child processes apart without oversubscribing.
    pool: "forks",
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: "unit", include: ["test/**/*.test.ts"], exclude: E2E, isolate: false } },
      { extends: true, test: { name: "e2e", include: E2E } },
    ],
  },
});
