/**
 * The simulator's routes answered in-process, as an ArmContext: no HTTP, no latency, no throttling. For request
 * budgets in tests (every call is recorded) and for bench/evaluate.mjs (evaluation alone, Azure in memory).
 * The caller's own `createArmContext` builds the context, so the generated clients and the raw calls build each
 * request exactly as they would for Azure; only the HTTP client is replaced. Bodies cross as JSON text both ways,
 * as on the wire, so no object is shared between the world and the caller.
 */
import { createHttpHeaders } from "@azure/core-rest-pipeline";
import { buildFleet } from "./fleet.mjs";
import { GRAPH_PATH, graphQuery } from "./graph.mjs";
import { answer, findRoute } from "./routes.mjs";
import { World } from "./world/world.mjs";

const ORIGIN = "https://arm.invalid";

/** What identifies a request for replay: method, URL and body text. */
const requestKey = (request) => `${request.method} ${request.url}\n${typeof request.body === "string" ? request.body : ""}`;

const credential = { getToken: async () => ({ token: "in-process", expiresOnTimestamp: Date.now() + 3_600_000 }) };

/**
 * @param {import("./index.d.mts").FleetSpec} spec
 * @param {{ createArmContext: Function }} sc the caller's `createArmContext` (src/ in tests, dist/ in benches)
 * @param {{ record?: boolean }} [options] record: keep every answer's status and body text by request (see `replayArm`)
 */
export function inProcessArm(spec, { createArmContext }, options = {}) {
  const world = new World(buildFleet(spec));
  /** @type {{ method: string, path: string, body?: unknown }[]} */
  const calls = [];
  /** @type {Map<string, { status: number, bodyAsText: string }> | undefined} */
  const recording = options.record ? new Map() : undefined;
  const httpClient = {
    async sendRequest(request) {
      const url = new URL(request.url);
      // Repeated slashes are one, as for Resource Manager (the generated clients send `…/Microsoft.Compute//virtualMachines/…`).
      const pathname = url.pathname.replace(/\/{2,}/g, "/");
      const body = typeof request.body === "string" ? JSON.parse(request.body) : undefined;
      calls.push({ method: request.method, path: `${pathname}${url.search}`, body });
      const path = decodeURIComponent(pathname).replace(/\/+$/, "");
      const ctx = { world, method: request.method, path, query: url.searchParams, origin: ORIGIN, body, correlationId: "in-process" };
      const response = path.toLowerCase() === GRAPH_PATH ? graphQuery(ctx) : answer(ctx, findRoute(path));
      const headers = createHttpHeaders({ "content-type": "application/json" });
      const bodyAsText = JSON.stringify(response.body ?? {});
      recording?.set(requestKey(request), { status: response.status, bodyAsText });
      return { request, status: response.status, headers, bodyAsText };
    },
  };
  const arm = createArmContext({ credential, cloud: "AzureCloud", armEndpoint: ORIGIN, httpClient });
  return Object.assign(arm, { world, calls, recording, httpClient });
}

/**
 * A fresh ArmContext (new clients, nothing cached) answering from what `source` (an `inProcessArm` with `record`, or
 * just its `{ recording }`) recorded: the same status and body text, without the simulator's work of building and
 * serialising bodies — Azure's side of the exchange, which is not sc-doctor's CPU. A request that was not recorded is
 * counted in `misses` and answered by the simulator, or, given the recording alone, with a 500 error.
 */
export function replayArm(source, { createArmContext }) {
  const { recording } = source;
  if (!recording) throw new Error("replayArm needs an inProcessArm created with { record: true }");
  /** @type {{ method: string, path: string }[]} */
  const calls = [];
  const misses = [];
  const httpClient = {
    async sendRequest(request) {
      calls.push({ method: request.method, path: request.url.slice(ORIGIN.length) });
      const recorded = recording.get(requestKey(request));
      if (!recorded) {
        misses.push(`${request.method} ${request.url}`);
        if (source.httpClient) return source.httpClient.sendRequest(request);
        const bodyAsText = JSON.stringify({ error: { code: "NotRecorded", message: "this request was not recorded" } });
        return { request, status: 500, headers: createHttpHeaders({ "content-type": "application/json" }), bodyAsText };
      }
      const headers = createHttpHeaders({ "content-type": "application/json" });
      return { request, status: recorded.status, headers, bodyAsText: recorded.bodyAsText };
    },
  };
  const arm = createArmContext({ credential, cloud: "AzureCloud", armEndpoint: ORIGIN, httpClient });
  return Object.assign(arm, { calls, misses });
}
