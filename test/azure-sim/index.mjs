/**
 * The fake Azure Resource Manager that sc-doctor's end-to-end tests, demo and benchmarks run against: HTTPS with a
 * throw-away CA, a managed-identity token endpoint the real DefaultAzureCredential signs in to, read-only ARM
 * routes answering from a scenario's world, fault injection, latency, a request log, opt-in throttling and a
 * generated fleet for the audit.
 *
 * The server runs in a worker thread, so a caller may block its own thread (spawnSync) and still be answered.
 * Control calls (setScenario, setFaults, …) are synchronous: they return once the server has applied them, so
 * the next request is guaranteed to see them. The log is drained synchronously whenever it is read.
 */
import { MessageChannel, Worker, receiveMessageOnPort } from "node:worker_threads";
import { testCertificates } from "./certs.mjs";
import { SUB1 } from "./world/base.mjs";

export { FAULT_KINDS } from "./faults.mjs";
export { SCENARIOS } from "./scenarios/index.mjs";
export { buildFleet, prng } from "./fleet.mjs";

/** @param {import("./index.d.mts").SimulatorOptions} [options] */
export async function startSimulator(options = {}) {
  const certs = await testCertificates();
  const log = new MessageChannel();
  const control = new MessageChannel();
  const result = new MessageChannel();
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const pause = new Int32Array(new SharedArrayBuffer(4)); // never notified: Atomics.wait on it is a short sleep
  const worker = new Worker(new URL("./worker.mjs", import.meta.url), {
    workerData: {
      key: certs.key,
      cert: certs.cert,
      options,
      logPort: log.port2,
      controlPort: control.port2,
      resultPort: result.port2,
      flag,
    },
    transferList: [log.port2, control.port2, result.port2],
  });
  /** @type {{ origin: string, identitySecret: string }} */
  const ready = await new Promise((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
    worker.once("exit", (code) => reject(new Error(`the simulator worker exited (${code}) before it was ready`)));
  });
  // From here on the simulator never keeps the process alive by itself (a forgotten close() can't hang a run).
  worker.unref();
  log.port1.unref();
  control.port1.unref();
  result.port1.unref();

  /** @type {import("./index.d.mts").RequestLogEntry[]} */
  let requests = [];
  /** @type {import("./index.d.mts").WriteLogEntry[]} */
  let writes = [];
  let tokens = 0;
  let closed = false;

  function drain() {
    for (let m = receiveMessageOnPort(log.port1); m; m = receiveMessageOnPort(log.port1)) {
      const message = m.message;
      if (message.type === "log") requests.push(message.entry);
      else if (message.type === "write") writes.push(message.entry);
      else tokens++;
    }
  }

  /** Run a control operation in the worker and wait for it to be applied. */
  function call(op, ...args) {
    if (closed) throw new Error(`the simulator is closed (${op})`);
    Atomics.store(flag, 0, 0);
    control.port1.postMessage({ op, args });
    if (Atomics.wait(flag, 0, 0, 60_000) === "timed-out") throw new Error(`the simulator did not apply ${op} within 60 s`);
    // The flag can be seen a moment before the posted answer is: wait (bounded) for the answer instead of
    // reporting a failure that did not happen (seen under load as "failed to apply setFaults" with no message).
    let answer = receiveMessageOnPort(result.port1)?.message;
    for (let waited = 0; answer === undefined && waited < 5_000; waited += 2) {
      Atomics.wait(pause, 0, 0, 2);
      answer = receiveMessageOnPort(result.port1)?.message;
    }
    if (!answer?.ok) throw new Error(answer?.message ?? `the simulator failed to apply ${op}`);
  }

  let scenario = options.fleet ? `fleet` : (options.scenario ?? "healthy");

  /** @type {import("./index.d.mts").Simulator} */
  const sim = {
    origin: ready.origin,
    ca: certs.ca,
    env: {
      IDENTITY_ENDPOINT: `${ready.origin}/msi/token`,
      IDENTITY_HEADER: ready.identitySecret,
      NODE_EXTRA_CA_CERTS: certs.caPath,
      SC_DOCTOR_ARM_ENDPOINT: ready.origin,
      AZURE_SUBSCRIPTION_ID: SUB1,
    },
    get scenario() {
      return scenario;
    },
    get requests() {
      drain();
      return requests;
    },
    get writes() {
      drain();
      return writes;
    },
    setScenario(name) {
      call("setScenario", name);
      scenario = name;
    },
    setFleet(spec) {
      call("setFleet", spec);
      scenario = "fleet";
    },
    setFaults: (faults) => call("setFaults", faults),
    setLatency: (ms, options) => call("setLatency", ms, options),
    setThrottle: (on) => call("setThrottle", on),
    resetLog() {
      drain();
      requests = [];
      writes = [];
      tokens = 0;
    },
    stats() {
      drain();
      /** @type {Record<string, number>} */
      const byKind = {};
      let faulted = 0;
      let throttled = 0;
      for (const entry of requests) {
        byKind[entry.kind] = (byKind[entry.kind] ?? 0) + 1;
        if (entry.fault === "throttled") throttled++;
        else if (entry.fault) faulted++;
      }
      return { requests: requests.length, writes: writes.length, tokens, faulted, throttled, byKind };
    },
    async close() {
      if (closed) return;
      drain();
      call("close");
      closed = true;
      await worker.terminate();
    },
  };
  return sim;
}
