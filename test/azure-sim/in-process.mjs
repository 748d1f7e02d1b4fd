/**
 * The simulator's routes answered in-process, as an ArmContext: no HTTP, no latency, no throttling. For request
 * budgets in tests (every call is recorded) and for bench/evaluate.mjs (evaluation alone, Azure in memory).
 * Bodies go through JSON text both ways, as on the wire, so no object is shared between the world and the caller.
 */
import { buildFleet } from "./fleet.mjs";
import { graphQuery } from "./graph.mjs";
import { answer, findRoute } from "./routes.mjs";
import { World } from "./world/world.mjs";

const ORIGIN = "https://arm.invalid";

/**
 * @param {import("./index.d.mts").FleetSpec} spec
 * @param errorClass the caller's AzureCallError (src/ in tests, dist/ in benches: `instanceof` must match theirs)
 */
export function inProcessArm(spec, errorClass) {
  const world = new World(buildFleet(spec));
  /** @type {{ method: string, path: string, body?: unknown }[]} */
  const calls = [];
  const reply = (method, pathAndQuery, body) => {
    calls.push({ method, path: pathAndQuery, body });
    const url = new URL(pathAndQuery, ORIGIN);
    const path = decodeURIComponent(url.pathname).replace(/\/+$/, "");
    const ctx = { world, method, path, query: url.searchParams, origin: ORIGIN, body, correlationId: "in-process" };
    const response = method === "POST" ? graphQuery(ctx) : answer(ctx, findRoute(path));
    const text = JSON.stringify(response.body ?? {});
    if (response.status >= 400) {
      const error = JSON.parse(text).error ?? {};
      throw new errorClass("in-process", error.message ?? `HTTP ${response.status}`, response.status, error.code);
    }
    return JSON.parse(text);
  };
  return {
    world,
    calls,
    endpoint: ORIGIN,
    correlation: { add: () => undefined, list: () => [] },
    getJson: async (_operation, path) => reply("GET", path),
    postJson: async (_operation, path, body) => reply("POST", path, JSON.parse(JSON.stringify(body))),
  };
}
