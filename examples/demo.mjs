// The offline demo: start the bundled Azure simulator and run the real CLI against named scenarios, exactly as a
// user would see it. No Azure account needed. Run with `npm run demo` (builds first).
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { startSimulator } from "../test/azure-sim/index.mjs";

// The package's `bin` (package.json), as `npx sc-doctor` runs it.
const { bin } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
const cli = fileURLToPath(new URL(`../${bin["sc-doctor"]}`, import.meta.url));
const vm = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/vm1";
const scenarios = [
  ["healthy", "A healthy VM with a custom boot diagnostics storage account"],
  ["boot-diagnostics-off", "Boot diagnostics switched off"],
  ["deallocated", "The VM is deallocated"],
  ["storage-firewall-deny", "The boot diagnostics storage account's firewall refuses the Serial Console service"],
  ["rbac-reader", "The caller only has Reader"],
];

const sim = await startSimulator({ scenario: "healthy" });
const env = { ...process.env, ...sim.env };
try {
  for (const [name, title] of scenarios) {
    sim.setScenario(name);
    // -o table: the table a terminal gets by default, here where stdout may be a pipe (which gets JSON).
    process.stdout.write(`\n━━━ ${title} (scenario '${name}') ━━━\n$ sc-doctor --vm ${vm} --no-network -o table\n\n`);
    const run = spawnSync(process.execPath, [cli, "--vm", vm, "--no-network", "-o", "table"], {
      env,
      stdio: ["ignore", "inherit", "inherit"],
    });
    process.stdout.write(`(exit code ${run.status})\n`);
  }
  process.stdout.write(
    `\n━━━ Explaining a pasted error ━━━\n$ sc-doctor explain "A Forbidden response was encountered when accessing this VM's boot diagnostic storage account"\n\n`,
  );
  spawnSync(
    process.execPath,
    [cli, "explain", "A Forbidden response was encountered when accessing this VM's boot diagnostic storage account"],
    { env, stdio: ["ignore", "inherit", "inherit"] },
  );
  process.stdout.write(
    `\nThe network probe was skipped (--no-network): run without it on your own machine to test the path to *.serialconsole.azure.com.\nThe simulator saw ${sim.requests.length} requests and ${sim.writes.length} writes.\n`,
  );
} finally {
  await sim.close();
}
