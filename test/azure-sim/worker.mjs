/**
 * Worker-thread host of the simulator's server. Control calls arrive on `control`, are acknowledged through a
 * shared flag (so index.mjs can make them synchronous), and every logged request goes out on `log`.
 */
import { workerData, parentPort } from "node:worker_threads";
import { createSimServer } from "./server.mjs";

const { key, cert, options, logPort, controlPort, resultPort, flag } = workerData;
const server = await createSimServer(
  { key, cert, options },
  {
    log: (entry) => logPort.postMessage({ type: "log", entry }),
    write: (entry) => logPort.postMessage({ type: "write", entry }),
    token: () => logPort.postMessage({ type: "token" }),
  },
);

controlPort.on("message", async ({ op, args }) => {
  let result = { ok: true };
  try {
    await server[op](...args);
  } catch (error) {
    result = { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  resultPort.postMessage(result);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
  if (op === "close") controlPort.close();
});

parentPort?.postMessage({ type: "ready", origin: server.origin, identitySecret: server.identitySecret });
