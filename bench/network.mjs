// Issue 4 benchmark: the network probe's cost over a bare TLS connect to the same local endpoint, measured side by
// side (interleaved) in one run. Target: probe ≤ 1.5 × bare + 20 ms. Prints figures and the ratio; no assertions
// (results go to bench/RESULTS.md). Needs `npm run build` (imports dist/) and the openssl CLI (throw-away certs).
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect } from "node:tls";
import { fileURLToPath } from "node:url";
import { WebSocketServer } from "ws";
import { probeNetwork } from "../dist/net/index.js";
import { CLI, VM_ID, median, timeCommand } from "./lib.mjs";

const RUNS = Number(process.env.BENCH_RUNS ?? 60);
const GATEWAY = "eastus.gateway.serialconsole.azure.com";
const NAMES = [GATEWAY, "portal.serialconsole.azure.com", "ux.console.azure.com", "bench.sc-doctor.test"];

/** Throw-away CA + leaf for the Serial Console names, in a temporary directory. */
function makeCerts(dir) {
  const ssl = (...args) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
  ssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ca.key");
  ssl(
    "req",
    "-x509",
    "-new",
    "-key",
    "ca.key",
    "-days",
    "1",
    "-subj",
    "/O=Microsoft Corporation/CN=Bench CA",
    "-out",
    "ca.pem",
    "-addext",
    "basicConstraints=critical,CA:TRUE",
    "-addext",
    "keyUsage=critical,keyCertSign,cRLSign",
  );
  ssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "leaf.key");
  ssl("req", "-new", "-key", "leaf.key", "-subj", `/CN=${GATEWAY}`, "-out", "leaf.csr");
  writeFileSync(join(dir, "leaf.ext"), `subjectAltName=${NAMES.map((n) => `DNS:${n}`).join(",")}\n`);
  ssl(
    "x509",
    "-req",
    "-in",
    "leaf.csr",
    "-CA",
    "ca.pem",
    "-CAkey",
    "ca.key",
    "-set_serial",
    "7",
    "-days",
    "1",
    "-extfile",
    "leaf.ext",
    "-out",
    "leaf.pem",
  );
}

// Trust the bench CA the way a user trusts an extra CA (NODE_EXTRA_CA_CERTS, read at start-up), so the bare connect
// and the probe use the same default trust store: the bench re-runs itself in a child with it set.
if (!process.env.SC_DOCTOR_BENCH_DIR) {
  const dir = mkdtempSync(join(tmpdir(), "sc-doctor-bench-"));
  try {
    makeCerts(dir);
    const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url)], {
      stdio: "inherit",
      env: { ...process.env, SC_DOCTOR_BENCH_DIR: dir, NODE_EXTRA_CA_CERTS: join(dir, "ca.pem") },
    });
    process.exitCode = child.status ?? 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  process.exit();
}
const dir = process.env.SC_DOCTOR_BENCH_DIR;
const certs = { cert: readFileSync(join(dir, "leaf.pem"), "utf8"), key: readFileSync(join(dir, "leaf.key"), "utf8") };
const server = createServer({ cert: certs.cert, key: certs.key }, (_req, res) => res.end("ok"));
const wss = new WebSocketServer({ noServer: true });
server.on("upgrade", (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => ws.close()));
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const port = server.address().port;

/** The baseline: TCP connect + a validated TLS handshake for the gateway name, then close. */
function bareTls() {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port, servername: GATEWAY }, () => {
      socket.destroy();
      resolve(performance.now() - started);
    });
    socket.once("error", reject);
  });
}

/** The probe of one host (a name outside the Serial Console domain is probed alone): DNS, TCP, TLS, upgrade. */
async function probeOne() {
  const started = performance.now();
  const facts = await probeNetwork({
    cloud: "AzureCloud",
    consoleEndpoint: `wss://bench.sc-doctor.test:${port}`,
    resolve: [`bench.sc-doctor.test:${port}:127.0.0.1`],
    timeoutMs: 5000,
  });
  if (!facts.targets.every((t) => t.ok)) throw new Error(JSON.stringify(facts.targets));
  return performance.now() - started;
}

/** What a diagnosis runs: gateway, portal and legacy hosts at once. */
async function probeAll() {
  const started = performance.now();
  const facts = await probeNetwork({
    cloud: "AzureCloud",
    consoleEndpoint: `wss://${GATEWAY}:${port}`,
    resolve: NAMES.map((n) => `${n}:${port}:127.0.0.1`),
    timeoutMs: 5000,
  });
  if (!facts.targets.every((t) => t.ok)) throw new Error(JSON.stringify(facts.targets));
  return performance.now() - started;
}

try {
  const bareThree = async () => {
    const started = performance.now();
    await Promise.all([bareTls(), bareTls(), bareTls()]);
    return performance.now() - started;
  };
  for (let i = 0; i < 5; i++) await Promise.all([bareTls(), probeOne(), probeAll()]); // warm-up (JIT, TLS code paths)
  const samples = { bare: [], one: [], bare3: [], all: [] };
  for (let i = 0; i < RUNS; i++) {
    samples.bare.push(await bareTls());
    samples.one.push(await probeOne());
    samples.bare3.push(await bareThree());
    samples.all.push(await probeAll());
  }
  const p95 = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length * 0.95)];
  const show = (label, key, baseKey) => {
    const m = median(samples[key]);
    const bare = median(samples[baseKey]);
    const budget = 1.5 * bare + 20;
    console.log(`${label.padEnd(34)} median ${m.toFixed(2)} ms, p95 ${p95(samples[key]).toFixed(2)} ms`);
    console.log(
      `${"".padEnd(34)} vs bare ${bare.toFixed(2)} ms: ratio ${(m / bare).toFixed(2)}×, overhead ${(m - bare).toFixed(2)} ms; budget 1.5×bare+20 ms = ${budget.toFixed(2)} ms → ${m <= budget ? "within" : "OVER"}`,
    );
  };
  console.log(`runs: ${RUNS} (interleaved), node ${process.version}, local endpoint 127.0.0.1:${port}, trust via NODE_EXTRA_CA_CERTS`);
  console.log(
    `${"bare TLS connect (1 host)".padEnd(34)} median ${median(samples.bare).toFixed(2)} ms, p95 ${p95(samples.bare).toFixed(2)} ms`,
  );
  console.log(
    `${"bare TLS connect (3 hosts at once)".padEnd(34)} median ${median(samples.bare3).toFixed(2)} ms, p95 ${p95(samples.bare3).toFixed(2)} ms`,
  );
  show("probe, gateway only (4 stages)", "one", "bare");
  show("probe, gateway+portal+legacy", "all", "bare3");
  await fullDiagnosis();
} finally {
  server.close();
}

/**
 * The probe runs alongside the Azure-side checks: a full diagnosis with it should take no longer than one without
 * it plus the probe's own duration. Needs the simulator (test/azure-sim/) and the built CLI; skipped without them.
 */
async function fullDiagnosis() {
  const simModule = new URL("../test/azure-sim/index.mjs", import.meta.url);
  if (!existsSync(simModule) || !existsSync(CLI)) {
    console.log("full diagnosis: skipped (needs test/azure-sim/ and dist/cli.js)");
    return;
  }
  const { startSimulator } = await import(simModule.href);
  const sim = await startSimulator({ scenario: "healthy" });
  const cas = join(dir, "cli-cas.pem");
  writeFileSync(cas, sim.ca + readFileSync(join(dir, "ca.pem"), "utf8"));
  const env = { ...process.env, ...sim.env, NODE_EXTRA_CA_CERTS: cas, NO_COLOR: "1" };
  const resolve = NAMES.flatMap((n) => ["--resolve", `${n}:${port}:127.0.0.1`]);
  const base = [CLI, "--vm", VM_ID, "-o", "json"];
  const withProbe = [...base, "--console-endpoint", `wss://${GATEWAY}:${port}`, ...resolve];
  const runs = Number(process.env.BENCH_CLI_RUNS ?? 15);
  try {
    await timeCommand([...base, "--no-network"], env); // warm the file cache
    // 0 ms: everything is CPU on two cores, so loading the probe's code (ws) adds to the total; 50 ms per ARM call
    // (closer to real Resource Manager latency): the probe overlaps the Azure reads.
    for (const latency of [0, 50]) {
      sim.setLatency(latency);
      const without = [];
      const withIt = [];
      const probeMs = [];
      for (let i = 0; i < runs; i++) {
        without.push((await timeCommand([...base, "--no-network"], env)).ms);
        const run = await timeCommand(withProbe, env);
        withIt.push(run.ms);
        const network = JSON.parse(run.stdout).checks.find((c) => c.id === "network");
        if (network.status !== "pass") throw new Error(`network check: ${network.status} ${network.reason}`);
        probeMs.push(network.evidence.durationMs);
      }
      // On a shared machine the medians swing by ±100 ms; the minimum (the run least disturbed) is shown too.
      for (const [label, pick] of [
        ["median", median],
        ["minimum", (v) => Math.min(...v)],
      ]) {
        const delta = pick(withIt) - pick(without);
        console.log(
          `full diagnosis, ARM latency ${latency} ms, ${label} of ${runs} interleaved CLI runs: --no-network ${pick(without).toFixed(0)} ms, with the probe ${pick(withIt).toFixed(0)} ms`,
        );
        console.log(
          `${"".padEnd(34)} difference ${delta.toFixed(1)} ms vs the probe's own duration ${median(probeMs).toFixed(1)} ms (median) → ${delta <= median(probeMs) ? "within" : "OVER"}`,
        );
      }
    }
  } finally {
    await sim.close();
  }
}
