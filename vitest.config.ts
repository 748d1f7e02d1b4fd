import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores: forks keep the simulator servers and CLI child processes apart without oversubscribing.
    pool: "forks",
    maxWorkers: 2,
  },
});
