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

/**
 * @param {import("./index.d.mts").FleetSpec} spec
 * @param {{ createArmContext: Function }} sc the caller's `createArmContext` (src/ in tests, dist/ in benches)
 */
export function inProcessArm(spec, { createArmContext }) {
  const world = new World(buildFleet(spec));
  /** @type {{ method: string, path: string, body?: unknown }[]} */
  const calls = [];
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
      return { request, status: response.status, headers, bodyAsText: JSON.stringify(response.body ?? {}) };
    },
  };
  const arm = createArmContext({
    credential: { getToken: async () => ({ token: "in-process", expiresOnTimestamp: Date.now() + 3_600_000 }) },
    cloud: "AzureCloud",
    armEndpoint: ORIGIN,
    httpClient,
  });
  return Object.assign(arm, { world, calls });
}
