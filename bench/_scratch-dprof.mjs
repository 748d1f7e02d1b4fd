import { spawnSync } from "node:child_process";
import { startSimulator } from "../test/azure-sim/index.mjs";
import { VM_ID } from "./lib.mjs";
const sim = await startSimulator({ scenario: "healthy" });
const env = { ...process.env, ...sim.env, NO_COLOR: "1" };
for (let i = 0; i < 4; i++) {
  const prof = i === 3 ? ["--cpu-prof", "--cpu-prof-dir=/tmp/dprof", "--cpu-prof-interval=200"] : [];
  const t = performance.now();
  const r = spawnSync(process.execPath, [...prof, "dist/cli.js", "--vm", VM_ID, "-o", "json", "--no-network"], { env, encoding: "utf8" });
  console.log(i, r.status, (performance.now() - t).toFixed(0), "ms");
}
await sim.close();
