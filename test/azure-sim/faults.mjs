/**
 * Fault injection: Azure misbehaving on purpose. A fault matches requests by a case-insensitive substring of the
 * path (or the whole path, `pathIs`: `/subscriptions` is the subscription list alone) and/or the method, fires `count` times (default: every time) and turns the real answer into a failure —
 * an ARM error, a connection that hangs or resets, or a body that is malformed, truncated, empty, mistyped,
 * missing fields, or huge.
 */
import { actionFor, errors } from "./arm-errors.mjs";

/**
 * @typedef {"429" | "500" | "502" | "503" | "403" | "404" | "401" | "hang" | "reset" | "malformed-json" | "truncated-json" | "empty-body" | "wrong-types" | "missing-fields" | "huge-body" | "409" | "loop-link"} FaultKind
 * @typedef {{ match: { path?: string, pathIs?: string, method?: string, body?: string }, kind: FaultKind, count?: number, retryAfter?: number, message?: string }} Fault
 */

export const FAULT_KINDS = [
  "429",
  "500",
  "502",
  "503",
  "403",
  "404",
  "401",
  "hang",
  "reset",
  "malformed-json",
  "truncated-json",
  "empty-body",
  "wrong-types",
  "missing-fields",
  "huge-body",
];

/**
 * Kinds a test names on purpose but the chaos schedules do not draw (they pick from FAULT_KINDS): `409`
 * (MissingSubscriptionRegistration, a subscription not registered for the namespace it is asked about) and
 * `loop-link` (a list whose next page is the page itself: `nextLink` or Resource Graph's `$skipToken`).
 */
export const TARGETED_FAULT_KINDS = ["409", "loop-link"];

/** Live faults with their remaining counts; copies, so the caller's objects are never mutated. */
export class FaultList {
  /** @param {Fault[]} faults */
  constructor(faults = []) {
    for (const fault of faults) {
      const known = [...FAULT_KINDS, ...TARGETED_FAULT_KINDS];
      if (!known.includes(fault.kind)) throw new Error(`unknown fault kind '${fault.kind}' (known: ${known.join(", ")})`);
    }
    this.faults = faults.map((fault) => ({ ...fault, remaining: fault.count ?? Infinity }));
  }

  /** The first fault that matches and still has shots left; consumes one. `body`: a POST's parsed JSON body. */
  take(method, path, body) {
    const p = path.toLowerCase();
    for (const fault of this.faults) {
      if (fault.remaining <= 0) continue;
      if (fault.match.path !== undefined && !p.includes(fault.match.path.toLowerCase())) continue;
      if (fault.match.pathIs !== undefined && p.replace(/\/$/, "") !== fault.match.pathIs.toLowerCase().replace(/\/$/, "")) continue;
      if (
        fault.match.body !== undefined &&
        !JSON.stringify(body ?? null)
          .toLowerCase()
          .includes(fault.match.body.toLowerCase())
      )
        continue;
      if (fault.match.method !== undefined && fault.match.method.toUpperCase() !== method) continue;
      fault.remaining--;
      return fault;
    }
    return undefined;
  }
}

/**
 * The response for a faulted request. `real()` produces the answer the world would have given (only computed for
 * the kinds that distort a real body). Returns "hang" or "reset" for the connection-level kinds.
 * @param {Fault} fault
 * @param {{ method: string, path: string, correlationId: string, url?: string, body?: unknown }} request
 * @param {() => import("./arm-errors.mjs").SimResponse} real
 * @returns {import("./arm-errors.mjs").SimResponse | "hang" | "reset"}
 */
export function faultResponse(fault, request, real) {
  const retry = fault.retryAfter !== undefined ? { "Retry-After": String(fault.retryAfter) } : undefined;
  const withRetry = (response) => (retry ? { ...response, headers: { ...response.headers, ...retry } } : response);
  switch (fault.kind) {
    case "429": {
      const response = errors.throttled(fault.retryAfter ?? 1, fault.message);
      if (fault.retryAfter === undefined) delete response.headers?.["Retry-After"];
      return response;
    }
    case "500":
      return withRetry(errors.internal(request.correlationId, fault.message));
    case "502":
      return withRetry(errors.badGateway(fault.message));
    case "503":
      return withRetry(errors.unavailable(fault.message));
    case "403":
      return errors.authorizationFailed(actionFor(request.method, request.path), request.path.replace(/\/$/, ""), fault.message);
    case "404": {
      const segments = request.path.split("/").filter(Boolean);
      const rg = /\/resourceGroups\/([^/]+)/i.exec(request.path)?.[1] ?? "";
      const at = segments.map((s) => s.toLowerCase()).lastIndexOf("providers");
      const type = at >= 0 ? `${segments[at + 1]}/${segments[at + 2] ?? ""}` : "Microsoft.Resources/subscriptions";
      const response = errors.resourceNotFound(type, segments.at(-1) ?? "", rg);
      return fault.message ? { ...response, body: { error: { code: "ResourceNotFound", message: fault.message } } } : response;
    }
    case "409":
      return errors.missingRegistration(request.path, fault.message);
    // The real page, pointing back at itself: a list's nextLink is the request's own URL, a Resource Graph answer
    // hands back the $skipToken it was sent (its first page keeps its own: the second then loops).
    case "loop-link": {
      const response = real();
      const page = response.body;
      if (typeof page !== "object" || page === null) return response;
      const sent = /** @type {{ options?: Record<string, unknown> }} */ (request.body ?? {}).options?.["$skipToken"];
      if (/\/providers\/Microsoft\.ResourceGraph\//i.test(request.path)) page["$skipToken"] = sent ?? page["$skipToken"];
      else page["nextLink"] = request.url;
      return response;
    }
    case "401":
      return fault.message
        ? { ...errors.invalidToken(), body: { error: { code: "InvalidAuthenticationToken", message: fault.message } } }
        : errors.invalidToken();
    case "hang":
    case "reset":
      return fault.kind;
    case "malformed-json": {
      const text = bodyText(real());
      // Plausible corruption: a proxy's HTML error page glued to the start of the real JSON.
      return { status: 200, text: `<html><body>upstream error</body></html>${text.slice(0, 200)}` };
    }
    case "truncated-json": {
      const text = bodyText(real());
      return { status: 200, text: text.slice(0, Math.max(1, Math.floor(text.length / 2))) };
    }
    case "empty-body":
      return { status: 200, text: "" };
    // A distortion that leaves the body as it was (mistyping `{ "value": [] }`) is the real answer: marked
    // `undistorted`, so the request log does not call it faulted and the chaos oracle does not expect an error.
    case "wrong-types": {
      const response = real();
      return same({ ...response, body: mistype(response.body) }, response);
    }
    case "missing-fields": {
      const response = real();
      return same({ ...response, body: dropFields(response.body) }, response);
    }
    case "huge-body": {
      const response = real();
      return { ...response, body: inflate(response.body) };
    }
    default:
      throw new Error(`unhandled fault kind ${fault.kind}`);
  }
}

function bodyText(response) {
  return response.text ?? JSON.stringify(response.body ?? {});
}

const KEEP_AS_STRING = new Set(["id", "name", "type", "nextLink", "location", "$skipToken"]);

/** Booleans become 0/1 and strings become `{value}` objects (ids, names and links kept, so routing still works). */
/** `distorted`, marked `undistorted` when its body is the real one. */
function same(distorted, real) {
  return JSON.stringify(distorted.body) === JSON.stringify(real.body) ? { ...distorted, undistorted: true } : distorted;
}

export function mistype(value, key = "") {
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "string") return KEEP_AS_STRING.has(key) ? value : { value };
  if (Array.isArray(value)) return value.map((item) => mistype(item, key));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mistype(v, k)]));
  return value;
}

/**
 * Drop what the tool relies on: `properties` of resources (also inside list `value`s and Resource Graph `data`);
 * for bodies without `properties` (subscription, instance view, permission blocks) every key but the identity ones.
 */
export function dropFields(body) {
  if (!body || typeof body !== "object" || Array.isArray(body)) return body;
  if (Array.isArray(body.value)) return { ...body, value: body.value.map(dropFields) };
  if (Array.isArray(body.data)) return { ...body, data: body.data.map(dropFields) };
  if ("properties" in body) {
    const { properties: _dropped, ...rest } = body;
    return rest;
  }
  return Object.fromEntries(Object.entries(body).filter(([k]) => ["id", "name", "type", "subscriptionId"].includes(k)));
}

const HUGE = 6 * 1024 * 1024;

/** The real body plus ~6 MB: base64 user data on a resource, or a padding field elsewhere. */
function inflate(body) {
  const blob = Buffer.alloc((HUGE * 3) / 4, 0x5a).toString("base64");
  if (body && typeof body === "object" && !Array.isArray(body)) {
    if (body.properties && typeof body.properties === "object") return { ...body, properties: { ...body.properties, userData: blob } };
    return { ...body, padding: blob };
  }
  return body;
}
