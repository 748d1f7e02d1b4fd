// Run every benchmark in sequence (npm run bench). Each prints its own figures; see bench/RESULTS.md.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

const dir = fileURLToPath(new URL(".", import.meta.url));
for (const file of readdirSync(dir)
  // suite.mjs installs and runs the whole test suite twice (minutes): run it on its own.
  .filter((f) => f.endsWith(".mjs") && !["lib.mjs", "run-all.mjs", "suite.mjs"].includes(f))
  .sort()) {
  console.log(`\n## ${file}`);
  const run = spawnSync(process.execPath, [`${dir}${file}`], { stdio: "inherit" });
  if (run.status !== 0) process.exitCode = 1;
}
