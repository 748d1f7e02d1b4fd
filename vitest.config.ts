import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * Two lanes (model: core-rest-pipeline's split test lanes):
 * - `unit`: in-process — pure functions, checks, formatters, the security matrices on recorded results, the
 *   simulator and the fleet in one process. The inner loop: `npm run test:unit`, no build needed.
 * - `e2e`: the whole CLI against the simulator. The matrices (scenarios, formats, roles, faults) call `run(argv, io)`
 *   in-process (test/e2e/harness.ts `runInProcess`); each file keeps a few cases on the built CLI (`dist/cli.js`)
 *   as a child process (`runCli`) — exit codes, the stream filter on real stdout/stderr, one spawned case per
 *   format, signals, stdin, the example scripts. `npm run test:e2e` builds first.
 * A test file that spawns the CLI belongs in `E2E`. `npm test` (test/run-suite.mjs) runs the unit lane and the type
 * check while it builds, then the e2e lane.
 * Files share their worker's module cache (`isolate: false`, both lanes): importing src/, the SDK and vitest once
 * per worker instead of once per file halves the unit lane's CPU time (75 → 38 CPU-s) and cuts the e2e lane's by
 * about a third. A file that changes process-wide state (process.env, a module's memo, a server) must restore it
 * (test/net/probe.test.ts, test/unit/colour.test.ts; `runInProcess` restores the environment after each run).
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

/**
 * The files that take longest, longest first. Vitest starts files it has timings for longest first, but a clean
 * checkout (CI) has none: these would otherwise start wherever the glob puts them and one could end alone on a core.
 */
const LONG_FIRST = [
  "test/e2e/audit.test.ts",
  "test/chaos/doctor.chaos.test.ts",
  "test/e2e/audit-isolation.test.ts",
  "test/supply-chain/pack-install.test.ts",
  "test/browser/html-report.test.ts",
  "test/e2e/reports.test.ts",
  "test/chaos/audit.chaos.test.ts",
  "test/e2e/audit-interrupt.test.ts",
  "test/e2e/audit-role.test.ts",
  "test/fleet/request-budget.test.ts",
];

class LongFilesFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (file: TestSpecification) => {
      const index = LONG_FIRST.findIndex((path) => file.moduleId.endsWith(path));
      return index < 0 ? LONG_FIRST.length : index;
    };
    // Array.prototype.sort is stable: the rest keep the order vitest gave them.
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}

export default defineConfig({
  test: {
    testTimeout: 60_000,
    // The simulator's CA, made before the workers start so that they trust it (the CLI run in-process).
    globalSetup: ["test/global-setup.mjs"],
    hookTimeout: 60_000,
    // Two cores: forks keep the simulator servers and CLI child processes apart without oversubscribing.
    pool: "forks",
    sequence: { sequencer: LongFilesFirst },
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: "unit", include: ["test/**/*.test.ts"], exclude: E2E, isolate: false } },
      // Three e2e workers on two cores: its files spend much of their time waiting (timeouts, retry back-offs,
      // quota windows the tests make the CLI honour), and a third worker fills those waits. A project with its own
      // maxWorkers needs its own groupOrder: in one `vitest run`, the unit files go first.
      { extends: true, test: { name: "e2e", include: E2E, isolate: false, maxWorkers: 3, sequence: { groupOrder: 1 } } },
    ],
  },
});
