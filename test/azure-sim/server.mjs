/**
 * The simulator's HTTPS server. It runs inside a worker thread (worker.mjs), so that callers which block their own
 * thread — the demo runs the CLI with spawnSync — still get answers; index.mjs is the caller-side handle.
 * Writes are refused (405) and recorded: sc-doctor must never change Azure.
 */
import { randomUUID } from "node:crypto";
import { createServer } from "node:https";
import { apiVersionProblem } from "./api-versions.mjs";
import { errors } from "./arm-errors.mjs";
import { FaultList, faultResponse } from "./faults.mjs";
import { TOKEN_PATH, TokenIssuer } from "./identity.mjs";
import { answer, findRoute } from "./routes.mjs";
import { buildScenario } from "./scenarios/index.mjs";
import { World } from "./world/world.mjs";
import { buildFleet, prng } from "./fleet.mjs";
import { GRAPH_PATH, graphQuery } from "./graph.mjs";
import { Throttle } from "./throttle.mjs";
import { BLOB_PREFIX, BlobService } from "./blobs.mjs";

const MAX_BODY = 1024 * 1024;
const API_VERSION = /^\d{4}-\d{2}-\d{2}(-preview)?$/;

/**
 * @param {{ key: string, cert: string, options: import("./index.d.mts").SimulatorOptions }} config
 * @param {{ log: (entry: object) => void, write: (entry: object) => void, token: () => void }} report
 */
export async function createSimServer({ key, cert, options }, report) {
  const tokens = new TokenIssuer();
  const sockets = new Set();
  const timers = new Set();
  let world;
  let scenarioFaults;
  let faults = new FaultList([]);
  let latencyMs = options.latencyMs ?? 0;
  let metadataLatency = true;
  const throttle = new Throttle(options.throttle === true);
  const blobs = new BlobService();
  /** POST …/retrieveBootDiagnosticsData: read-only, like a Resource Graph query (returns SAS links, changes nothing). */
  const BOOT_DIAGNOSTICS_DATA =
    /^(.*\/providers\/Microsoft\.Compute\/(?:virtualMachines\/[^/]+|virtualMachineScaleSets\/[^/]+\/virtualMachines\/[^/]+))\/retrieveBootDiagnosticsData$/i;

  function loadScenario(name) {
    const data = buildScenario(name);
    world = new World(data);
    scenarioFaults = new FaultList(data.faults ?? []);
    faultRate = 0;
  }
  /** A fleet's `faultRate`: that share of requests gets a transient 500/503, drawn from the fleet's seed. */
  let flakyRandom = () => 1;
  let faultRate = 0;
  const flaky = () => {
    if (faultRate <= 0 || flakyRandom() >= faultRate) return undefined;
    return { match: {}, kind: flakyRandom() < 0.5 ? "500" : "503", remaining: 1 };
  };
  function loadFleet(spec) {
    world = new World(buildFleet(spec));
    scenarioFaults = new FaultList([]);
    faultRate = spec.faultRate ?? 0;
    flakyRandom = prng((spec.seed ?? 1) ^ 0x5eed);
  }
  if (options.fleet) loadFleet(options.fleet);
  else loadScenario(options.scenario ?? "healthy");

  const server = createServer({ key, cert }, (req, res) => {
    handle(req, res).catch((error) => {
      if (!res.headersSent)
        send(res, { status: 500, body: { error: { code: "SimulatorBug", message: String(error?.stack ?? error) } } }, {});
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(undefined)));
  const address = server.address();
  const origin = `https://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;

  const sleep = (ms) =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve(undefined);
      }, ms);
      timers.add(timer);
    });

  /** @param {import("node:http").IncomingMessage} req @param {import("node:http").ServerResponse} res */
  async function handle(req, res) {
    const started = performance.now();
    const url = new URL(req.url ?? "/", origin);
    const method = (req.method ?? "GET").toUpperCase();
    if (url.pathname === TOKEN_PATH) {
      report.token();
      const header = req.headers["x-identity-header"];
      return send(res, tokens.handle(url.searchParams, Array.isArray(header) ? header[0] : header), {});
    }
    if (url.pathname.startsWith(BLOB_PREFIX) && (method === "GET" || method === "HEAD")) return serveBlob(req, res, url, method, started);
    const path = decodePath(url.pathname);
    const correlationId = headerValue(req, "x-ms-correlation-request-id") ?? randomUUID();
    const body = method === "GET" || method === "HEAD" ? undefined : await readBody(req);
    const query = Object.fromEntries(url.searchParams);
    const isGraph = method === "POST" && path.toLowerCase() === GRAPH_PATH;
    const bootData = method === "POST" ? BOOT_DIAGNOSTICS_DATA.exec(path) : null;
    const found = method === "GET" ? findRoute(path) : undefined;
    const isMetadata = method === "GET" && path.toLowerCase() === "/metadata/endpoints";
    const kind = isGraph
      ? "resource-graph"
      : bootData
        ? "boot-diagnostics-data"
        : isMetadata
          ? "cloud-metadata"
          : (found?.route.kind ?? (method === "GET" ? "unrouted" : "write"));
    /** @type {import("./index.d.mts").RequestLogEntry} */
    const entry = { method, path, query, status: 0, ms: 0, correlationId, kind, ...(isGraph ? { graphTable: graphTableOf(body) } : {}) };
    const done = (status) => {
      entry.status = status;
      entry.ms = Math.round(performance.now() - started);
      report.log(entry);
    };

    const finish = async (response, extraHeaders = {}) => {
      if (latencyMs > 0 && (metadataLatency || !isMetadata)) await sleep(latencyMs);
      done(response.status);
      send(res, response, { ...armHeaders(correlationId), ...extraHeaders });
    };

    // Cloud metadata is public (no token): Azure Stack Hub's object shape when the world names its own audience,
    // else the public clouds' array shape.
    if (isMetadata) return finish(metadataEndpoints(world));

    // Read-only enforcement comes first: a write is recorded whoever sends it and however it is authenticated.
    if (!isGraph && !bootData && method !== "GET") {
      report.write({ method, path, query, body });
      return finish(errors.writeRejected(method, path));
    }
    const authorization = headerValue(req, "authorization");
    if (!authorization) return finish(errors.noAuthHeader());
    if (!tokens.accepts(authorization)) return finish(errors.invalidToken());
    // An Azure Stack world accepts only tokens for its own audience (what a client that ignores the metadata gets wrong).
    const stackAudience = world.data.armAudience;
    if (stackAudience && !tokens.audienceMatches(authorization, stackAudience)) return finish(errors.invalidAudience(stackAudience));
    if (!url.searchParams.has("api-version")) return finish(errors.missingApiVersion());
    const apiVersion = url.searchParams.get("api-version") ?? "";
    if (!API_VERSION.test(apiVersion)) return finish(errors.invalidApiVersion(apiVersion));
    const unsupported = apiVersionProblem(path, apiVersion, world.data.apiVersions);
    if (unsupported) return finish(unsupported);

    const budget = isGraph ? throttle.graph() : throttle.arm(path);
    if (!budget.allowed) {
      entry.fault = "throttled";
      return finish(budget.response, budget.headers);
    }
    const ctx = { world, method, path, query: url.searchParams, origin, body, correlationId };
    const real = () =>
      isGraph ? graphQuery(ctx) : bootData ? (blobs.retrieve(ctx, bootData[1] ?? "") ?? answer(ctx, undefined)) : answer(ctx, found);
    const fault = scenarioFaults.take(method, path, body) ?? faults.take(method, path, body) ?? flaky();
    if (fault) {
      entry.fault = fault.kind;
      const response = faultResponse(fault, { method, path, correlationId, url: `${origin}${url.pathname}${url.search}`, body }, real);
      if (response === "hang") return done(0); // never answered; close() destroys the socket
      if (response === "reset") {
        done(0);
        return void req.socket.destroy();
      }
      if (response.undistorted) delete entry.fault;
      return finish(response, budget.headers);
    }
    return finish(real(), budget.headers);
  }

  /** A SAS-protected blob: no ARM token, the `sig` decides; logged with the signature masked. */
  async function serveBlob(req, res, url, method, started) {
    const path = decodePath(url.pathname);
    const range = headerValue(req, "range") ?? headerValue(req, "x-ms-range");
    const response = blobs.serve(world, path, url.searchParams, range);
    const query = Object.fromEntries(url.searchParams);
    if (query.sig) query.sig = "***";
    if (latencyMs > 0) await sleep(latencyMs);
    report.log({
      method,
      path,
      query,
      status: response.status,
      ms: Math.round(performance.now() - started),
      correlationId: "",
      kind: "blob",
      range,
    });
    const body = response.bytes ?? Buffer.from(response.text ?? "", "utf8");
    res.writeHead(response.status, {
      "content-length": body.length,
      "x-ms-request-id": randomUUID(),
      "x-ms-version": "2022-11-02",
      ...response.headers,
    });
    res.end(method === "HEAD" ? undefined : body);
  }

  return {
    origin,
    identitySecret: tokens.secret,
    setScenario: loadScenario,
    setFleet: loadFleet,
    setFaults: (list) => {
      faults = new FaultList(list);
    },
    setLatency: (ms, options = {}) => {
      latencyMs = ms;
      metadataLatency = options.metadata !== false;
    },
    setThrottle: (on) => throttle.enable(on),
    resetThrottle: () => throttle.reset(),
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      const closed = new Promise((resolve) => server.close(() => resolve(undefined)));
      server.closeAllConnections();
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

function headerValue(req, name) {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * ARM paths are URL-encoded; compare decoded, without a trailing slash. Repeated slashes are one: the generated
 * clients send `…/Microsoft.Compute//virtualMachines/…` for a top-level resource (an empty `parentResourcePath`),
 * which Resource Manager handles (https://github.com/Azure/oav/issues/660).
 */
function decodePath(pathname) {
  const collapsed = pathname.replace(/\/{2,}/g, "/");
  const trimmed = collapsed.length > 1 ? collapsed.replace(/\/+$/, "") : collapsed;
  return trimmed
    .split("/")
    .map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        return segment;
      }
    })
    .join("/");
}

function readBody(req) {
  return new Promise((resolve) => {
    const chunks = [];
    let size = 0;
    req.on("data", (chunk) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      try {
        resolve(text ? JSON.parse(text) : undefined);
      } catch {
        resolve(text);
      }
    });
    req.on("error", () => resolve(undefined));
  });
}

/** Headers every ARM response carries (correlation for support; routing id as ARM formats it). */
function armHeaders(correlationId) {
  const requestId = randomUUID();
  const stamp = new Date()
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
  return {
    "x-ms-correlation-request-id": correlationId,
    "x-ms-request-id": requestId,
    "x-ms-routing-request-id": `WESTEUROPE:${stamp}:${requestId}`,
    "cache-control": "no-cache",
    "x-content-type-options": "nosniff",
  };
}

/** @param {import("node:http").ServerResponse} res */
function send(res, response, headers) {
  const text = response.text ?? (response.body === undefined ? "" : JSON.stringify(response.body));
  res.writeHead(response.status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    ...headers,
    ...response.headers,
  });
  res.end(text);
}

/** `GET /metadata/endpoints`: Azure Stack Hub's object (2015-01-01) or the public clouds' array (2019-05-01). */
function metadataEndpoints(world) {
  const stack = world.data.armAudience;
  if (stack) {
    return {
      status: 200,
      body: {
        galleryEndpoint: "https://portal.local.azurestack.external:30015/",
        graphEndpoint: "https://graph.windows.net/",
        portalEndpoint: "https://portal.local.azurestack.external/",
        authentication: { loginEndpoint: "https://login.microsoftonline.com/", audiences: [stack] },
      },
    };
  }
  return {
    status: 200,
    body: [
      {
        name: "AzureCloud",
        resourceManager: "https://management.azure.com/",
        authentication: {
          loginEndpoint: "https://login.microsoftonline.com",
          audiences: ["https://management.core.windows.net/", "https://management.azure.com/"],
        },
      },
    ],
  };
}

/** The table a Resource Graph query (its parsed body) reads: the query's first word (`Resources | where …`), lower-case. */
function graphTableOf(body) {
  const query = body && typeof body === "object" ? body.query : undefined;
  return typeof query === "string" ? (/^\s*(\w+)/.exec(query)?.[1] ?? "").toLowerCase() : undefined;
}
