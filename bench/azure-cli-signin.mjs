// Signed in with `az login` (the Azure CLI credential): how many times a diagnosis and an audit start
// `az account get-access-token`, and their wall time, with a stand-in `az` (test/fixtures/fake-az/az) that takes
// FAKE_AZ_DELAY_MS per call (default 800: the real one starts Python). Prints figures; no assertions.
//
// Side by side with another build: BENCH_BASELINE_CLI=<that build's dist/cli.cjs> runs each measurement on both
// CLIs, alternately, in the same run.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startSimulator } from "../test/azure-sim/index.mjs";
import { CLI, VM_ID, fmt, median, timeCommand } from "./lib.mjs";

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const DELAY = process.env.FAKE_AZ_DELAY_MS ?? "800";
const clis = process.env.BENCH_BASELINE_CLI ? [CLI, process.env.BENCH_BASELINE_CLI] : [CLI];
const fakeAz = fileURLToPath(new URL("../test/fixtures/fake-az/", import.meta.url));
const log = join(mkdtempSync(join(tmpdir(), "sc-doctor-bench-az-")), "calls.log");

const [healthy, fleet] = await Promise.all([
  startSimulator({ scenario: "healthy" }),
  startSimulator({ fleet: { vms: 100, subscriptions: 10, storageAccounts: 10, seed: 7 } }),
]);

function signedInWithAz(sim) {
  const { IDENTITY_ENDPOINT, IDENTITY_HEADER, ...rest } = sim.env;
  return {
    ...process.env,
    ...rest,
    PATH: `${fakeAz}${delimiter}${process.env.PATH ?? ""}`,
    AZURE_TOKEN_CREDENTIALS: "AzureCliCredential",
    FAKE_AZ_LOG: log,
    FAKE_AZ_IDENTITY: IDENTITY_ENDPOINT,
    FAKE_AZ_SECRET: IDENTITY_HEADER,
    FAKE_AZ_DELAY_MS: DELAY,
    NO_COLOR: "1",
  };
}

const cases = [
  { name: "diagnosis (--vm)", sim: healthy, args: ["--vm", VM_ID, "-o", "json", "--no-network"] },
  { name: "audit, 10 subscriptions, 100 VMs", sim: fleet, args: ["audit", "-o", "jsonl", "--no-network"] },
];

console.log(`fake az: ${DELAY} ms per call; ${RUNS} runs each, builds alternating`);
for (const { name, sim, args } of cases) {
  const samples = clis.map(() => ({ ms: [], calls: [] }));
  for (let run = 0; run < RUNS; run++) {
    for (const [i, cli] of clis.entries()) {
      writeFileSync(log, "");
      const result = await timeCommand([cli, ...args], signedInWithAz(sim));
      if (result.code !== 0 && result.code !== 1) throw new Error(`${cli} ${name}: exit ${result.code}\n${result.stderr}`);
      samples[i].ms.push(result.ms);
      samples[i].calls.push(readFileSync(log, "utf8").split("\n").filter(Boolean).length);
    }
  }
  const [mine, base] = samples.map((s) => ({ ms: median(s.ms), calls: median(s.calls) }));
  const against = base ? ` | baseline ${fmt(base.ms)}, ${base.calls} az calls | ratio ${(mine.ms / base.ms).toFixed(2)}×` : "";
  console.log(`${name}: ${fmt(mine.ms)}, ${mine.calls} az calls${against}`);
}
await Promise.all([healthy.close(), fleet.close()]);
