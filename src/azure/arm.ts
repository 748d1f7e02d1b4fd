/**
 * The one place that knows how sc-doctor reaches Azure Resource Manager: the credential, the endpoint and
 * audience of the chosen cloud, and the generated clients (src/azure/clients.ts) sharing one pipeline
 * configuration (src/azure/pipeline/index.ts) and the log of correlation ids that support asks for.
 * `getJson`/`postJson` remain for the calls no generated client covers (the exception list in
 * test/supply-chain/no-hand-built-urls.test.ts); they share the same credential and policies.
 */
import {
  bearerTokenAuthenticationPolicy,
  createDefaultHttpClient,
  createPipelineFromOptions,
  createPipelineRequest,
  isRestError,
  type HttpClient,
  type Pipeline,
  type PipelinePolicy,
} from "@azure/core-rest-pipeline";
import type { TokenCredential } from "@azure/core-auth";
import { ArmClients } from "./clients.js";
import { CorrelationLog, RETRY_OPTIONS, composePolicies } from "./pipeline/index.js";
import { tracePolicy } from "./pipeline/trace-policy.js";
import { THROTTLED_TOO_LONG } from "./pipeline/retry-after-policy.js";
import { readCappedBody } from "./blob-body.js";
import { proxyAuthAdvice } from "../net/advice.js";
import { maskProxy, proxyFor, proxyVariable } from "../net/proxy.js";
import { cutText } from "../report/sanitize.js";
import { trimTrailingSlashes } from "../trim.js";
import { CLOUDS, type CloudName } from "./clouds.js";

export { CorrelationLog } from "./pipeline/index.js";

export { CLOUDS, type CloudName } from "./clouds.js";

/** A failed read, in the words a user (and support) needs: what we read, what Azure answered. */
export class AzureCallError extends Error {
  override name = "AzureCallError";
  constructor(
    readonly operation: string,
    message: string,
    readonly status?: number,
    readonly code?: string,
    readonly correlationId?: string,
    /** The proxy (masked) that answered instead of Azure: the status is its own. */
    readonly proxy?: string,
  ) {
    super(message);
  }

  /** One line for a check's `reason`. */
  describe(): string {
    const answer = [this.status, this.code].filter((x) => x !== undefined && x !== "").join(" ");
    return `could not read ${this.operation}: ${answer ? `${answer} — ` : ""}${this.message}`;
  }
}

/** What a failed read says in a reason: an `AzureCallError`'s one line, else the error's message. */
export function failureText(error: unknown): string {
  return error instanceof AzureCallError ? error.describe() : error instanceof Error ? error.message : String(error);
}

/** Turn whatever a client threw into an `AzureCallError` naming the operation. */
export function toAzureError(operation: string, error: unknown): AzureCallError {
  if (error instanceof AzureCallError) return error;
  // The older generated clients (core-client) throw their own RestError class: same shape, other identity.
  if (isRestError(error) || (error instanceof Error && error.name === "RestError")) {
    const rest = error as {
      statusCode?: number;
      code?: string;
      message: string;
      request?: { url: string };
      response?: { headers: { get(name: string): string | undefined | null }; bodyAsText?: string | null };
    };
    return errorFromAnswer(operation, {
      url: rest.request?.url,
      status: rest.statusCode,
      bodyAsText: rest.response?.bodyAsText ?? undefined,
      correlationId: rest.response?.headers.get("x-ms-correlation-request-id") ?? undefined,
      message: rest.message,
      code: rest.code !== "REST_ERROR" ? rest.code : undefined,
    });
  }
  if (error instanceof Error && error.name === "AbortError") return new AzureCallError(operation, "the request was aborted");
  if (error instanceof Error) return new AzureCallError(operation, firstLine(error.message), undefined, error.name);
  return new AzureCallError(operation, String(error));
}

/** An HTTP answer that is an error, as the client saw it (`message`/`code`: a RestError's own, when there is one). */
export interface ErrorAnswer {
  url?: string;
  status?: number;
  bodyAsText?: string;
  correlationId?: string;
  message?: string;
  code?: string;
}

/** The `AzureCallError` for an error answer: Azure's code and message from its body, or the proxy that answered instead. */
export function errorFromAnswer(operation: string, answer: ErrorAnswer): AzureCallError {
  const { status, correlationId } = answer;
  const parsed = parseArmErrorBody(answer.bodyAsText);
  // Our own error for a wait Azure asked for: Azure answered (a 503 keeps no correlation id, src/azure/pipeline/retry-after-policy.ts).
  const fromAzure = parsed || correlationId || answer.message?.startsWith(THROTTLED_TOO_LONG);
  const proxy = fromAzure ? undefined : proxyAnswered(answer.url, status);
  if (proxy) return new AzureCallError(operation, proxy.message, status, undefined, undefined, proxy.name);
  const message = firstLine(parsed?.message ?? answer.message ?? `HTTP ${status ?? "error"}`);
  return new AzureCallError(operation, message, status, parsed?.code ?? answer.code, correlationId);
}

/**
 * The proxy that answered a request itself, when one did: the request went through HTTPS_PROXY and the answer has
 * neither Azure's error body nor the `x-ms-correlation-request-id` Resource Manager puts on every answer. The
 * pipeline's proxy agent (https-proxy-agent) hands a refused CONNECT's answer back as if it were the target's.
 */
function proxyAnswered(url: string | undefined, status: number | undefined): { name: string; message: string } | undefined {
  if (!url || status === undefined) return undefined;
  let proxy: URL | undefined;
  try {
    const { hostname, port } = new URL(url);
    proxy = proxyFor(hostname.replace(/^\[|\]$/g, ""), port ? Number(port) : 443);
  } catch {
    return undefined;
  }
  if (!proxy) return undefined;
  const name = maskProxy(proxy);
  const variable = proxyVariable() ?? "HTTPS_PROXY";
  const why =
    status === 407
      ? proxyAuthAdvice(name, variable)
      : "it refused the tunnel or could not open it; ask its administrators to allow CONNECT to Azure's hosts, or list them in NO_PROXY";
  return { name, message: `the proxy ${name} (${variable}) answered, not Azure: ${why}` };
}

function firstLine(text: string): string {
  return cutText(text.split("\n")[0] ?? "", 501);
}

/** ARM error bodies are `{error:{code,message}}`; Microsoft.SerialConsole's 404 is `{code,message}` at top level. */
export function parseArmErrorBody(body: string | undefined): { code?: string; message?: string } | undefined {
  if (!body) return undefined;
  try {
    const json: unknown = JSON.parse(body);
    if (!json || typeof json !== "object") return undefined;
    const inner = "error" in json && json.error && typeof json.error === "object" ? json.error : json;
    const code = "code" in inner && typeof inner.code === "string" ? inner.code : undefined;
    const message = "message" in inner && typeof inner.message === "string" ? inner.message : undefined;
    // Resource Graph puts the reason in `details` (the top-level message is only a support correlation line),
    // e.g. https://github.com/Azure/azure-powershell/issues/13762: say the details first.
    const details = "details" in inner && Array.isArray(inner.details) ? inner.details.flatMap(describeDetail) : [];
    const full = details.length > 0 ? `${details.join("; ")}${message ? ` (${message})` : ""}` : message;
    return code || full ? { code, message: full } : undefined;
  } catch {
    return undefined;
  }
}

/** One `error.details[]` item: `code: message`, and where a query parser failed (`token`, line, position). */
function describeDetail(detail: unknown): string[] {
  if (!detail || typeof detail !== "object") return [];
  const field = (name: string): unknown => (detail as Record<string, unknown>)[name];
  const code = typeof field("code") === "string" ? (field("code") as string) : "";
  const message = typeof field("message") === "string" ? (field("message") as string) : "";
  const text = code && message && code !== message ? `${code}: ${message}` : code || message;
  if (!text) return [];
  const token = typeof field("token") === "string" && field("token") !== "" ? ` near '${field("token") as string}'` : "";
  const line = field("line");
  const position = field("characterPositionInLine");
  const at =
    typeof line === "number" && line >= 0
      ? ` at line ${line}${typeof position === "number" && position >= 0 ? `, position ${position}` : ""}`
      : "";
  return [`${text}${token}${at}`];
}

export interface ArmContextOptions {
  credential: TokenCredential;
  cloud: CloudName;
  /** --arm-endpoint / SC_DOCTOR_ARM_ENDPOINT. */
  armEndpoint?: string;
  /** Token audience override (Azure Stack); defaults to the cloud's. */
  audience?: string;
  /** Extra pipeline policies (the audit's client-side throttle). */
  policies?: PipelinePolicy[];
  /**
   * The HTTP client every call goes through (default: core-rest-pipeline's, keep-alive); tests pass one that answers
   * without a network, a session one whose connections another read already opened.
   */
  httpClient?: HttpClient;
  /** --verbose: receives one line per attempt (method, path without query secrets, status, ms, correlation id). */
  trace?: (line: string) => void;
}

export interface ArmContext {
  credential: TokenCredential;
  endpoint: string;
  audience: string;
  cloud: CloudName;
  correlation: CorrelationLog;
  /**
   * The generated clients (one per package and subscription), sharing this context's credential and pipeline. In
   * the built package, the @azure/arm-compute client has only the operation groups sc-doctor calls
   * (`virtualMachines`, `virtualMachineScaleSets`, `virtualMachineScaleSetVMs`; scripts/prune-compute.mjs).
   */
  clients: ArmClients;
  /** Calls no generated client covers only (documented exception list): GET `path` (absolute ARM path with query) and parse JSON; throws AzureCallError. */
  getJson(operation: string, pathAndQuery: string, signal?: AbortSignal): Promise<unknown>;
  /** POST a read-only query (Resource Graph) or action (`retrieveBootDiagnosticsData`). */
  postJson(operation: string, pathAndQuery: string, body: unknown, signal?: AbortSignal): Promise<unknown>;
  /**
   * GET a byte range of a blob through a SAS link: no ARM token is sent (the link is its own credential), the
   * same retry/proxy pipeline otherwise. Optional so test fakes need not provide it (the serial log then errors).
   */
  getBlobRange?(url: string, range: { start: number; end: number; keepLast: number }, signal?: AbortSignal): Promise<BlobRangeResponse>;
}

/**
 * A blob GET's answer: status, `Content-Range` total size when given, and the body as (lossy UTF-8) text — of a
 * body longer than `keepLast` (a server that ignored the range), its end only, `bodyBytes` saying how long it was.
 */
export interface BlobRangeResponse {
  status: number;
  totalBytes?: number;
  text: string;
  /** How many bytes the body had (more than `text` holds when only its end was kept). */
  bodyBytes: number;
  /** `Content-Type`, lower-case: a proxy's or portal's page is `text/html`, never a serial log. */
  contentType?: string;
  /** The storage error code (`x-ms-error-code`, or `<Code>` of the XML body) of a 4xx/5xx. */
  errorCode?: string;
}

/** Node's codes for a TLS certificate this machine does not trust (a TLS-inspecting proxy's, without its CA). */
const UNTRUSTED_CERTIFICATE =
  /^(?:UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|UNABLE_TO_GET_ISSUER_CERT_LOCALLY|CERT_HAS_EXPIRED|ERR_TLS_CERT_ALTNAME_INVALID)$/;

/**
 * A blob read that got no answer, with Node's code for why (refused, DNS, reset, an untrusted certificate) — never
 * the request or the error's message, which may echo the URL and its SAS signature.
 */
function blobReadError(error: unknown): AzureCallError {
  const name = error instanceof Error ? error.name : undefined;
  if (name === "AbortError") return new AzureCallError("the serial log blob", "the request was aborted", undefined, name);
  const code = typeof (error as { code?: unknown })?.code === "string" ? (error as { code: string }).code : undefined;
  const why =
    code && UNTRUSTED_CERTIFICATE.test(code)
      ? `this machine does not trust the TLS certificate that answered (${code}): a TLS-inspecting proxy's CA may be missing (NODE_EXTRA_CA_CERTS)`
      : `the storage service did not answer${code ? ` (${code})` : ""}`;
  return new AzureCallError("the serial log blob", why, undefined, code ?? name);
}

/**
 * ARM paths are relative to the endpoint; `nextLink`s are absolute. A nextLink to another origin is refused: the
 * bearer token must never leave the Resource Manager endpoint.
 */
function resolveUrl(endpoint: string, pathOrUrl: string, operation: string): string {
  if (!/^https?:\/\//i.test(pathOrUrl)) return `${endpoint}${pathOrUrl}`;
  if (new URL(pathOrUrl).origin !== new URL(endpoint).origin) {
    throw new AzureCallError(
      operation,
      `refusing to follow a link to another host (${new URL(pathOrUrl).host})`,
      undefined,
      "UntrustedNextLink",
    );
  }
  return pathOrUrl;
}

export function createArmContext(options: ArmContextOptions): ArmContext {
  const cloud = CLOUDS[options.cloud];
  const endpoint = trimTrailingSlashes(options.armEndpoint ?? cloud.arm);
  const audience = options.audience ?? cloud.audience;
  const correlation = new CorrelationLog();
  const policies = composePolicies({ endpoint, correlation, trace: options.trace, throttles: options.policies });
  const httpClient: HttpClient = options.httpClient ?? createDefaultHttpClient();
  const clients = new ArmClients({ credential: options.credential, endpoint, audience, policies, httpClient });

  // The raw calls (the exception list) get the same policies as the clients, in the same positions.
  const pipeline: Pipeline = createPipelineFromOptions({ retryOptions: RETRY_OPTIONS, userAgentOptions: { userAgentPrefix: "sc-doctor" } });
  pipeline.addPolicy(bearerTokenAuthenticationPolicy({ credential: options.credential, scopes: audience }), { phase: "Sign" });
  for (const { policy, position } of policies) pipeline.addPolicy(policy, position === "perRetry" ? { afterPhase: "Retry" } : {});

  async function send(operation: string, method: "GET" | "POST", pathAndQuery: string, body: unknown, signal?: AbortSignal) {
    const request = createPipelineRequest({ url: resolveUrl(endpoint, pathAndQuery, operation), method, abortSignal: signal });
    if (body !== undefined) {
      request.body = JSON.stringify(body);
      request.headers.set("content-type", "application/json");
    }
    let response;
    try {
      response = await pipeline.sendRequest(httpClient, request);
    } catch (error) {
      throw toAzureError(operation, error);
    }
    const correlationId = response.headers.get("x-ms-correlation-request-id") ?? undefined;
    const text = response.bodyAsText ?? "";
    if (response.status >= 400)
      throw errorFromAnswer(operation, { url: request.url, status: response.status, bodyAsText: text, correlationId });
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new AzureCallError(operation, "the response body is not valid JSON", response.status, "MalformedResponse", correlationId);
    }
  }

  // SAS reads go to storage, not Resource Manager: their own pipeline, without the bearer-token policy.
  const blobPipeline: Pipeline = createPipelineFromOptions({
    retryOptions: RETRY_OPTIONS,
    // Blob storage answers a SAS read itself, never with a redirect: one is a proxy's or a portal's (readTail says so).
    redirectOptions: { maxRetries: 0 },
    userAgentOptions: { userAgentPrefix: "sc-doctor" },
  });
  if (options.trace) blobPipeline.addPolicy(tracePolicy(options.trace), { afterPhase: "Retry" });

  async function getBlobRange(
    url: string,
    range: { start: number; end: number; keepLast: number },
    signal?: AbortSignal,
  ): Promise<BlobRangeResponse> {
    const request = createPipelineRequest({ url, method: "GET", abortSignal: signal });
    // Blob storage accepts `bytes=start-end` in every version (no suffix ranges):
    // https://learn.microsoft.com/rest/api/storageservices/specifying-the-range-header-for-blob-service-operations
    request.headers.set("range", `bytes=${range.start}-${range.end}`);
    // Read as a stream, with a bound on what is held: a server that ignores the range may send hundreds of MB.
    request.streamResponseStatusCodes = new Set([200, 206]);
    let response;
    try {
      response = await blobPipeline.sendRequest(httpClient, request);
    } catch (error) {
      throw blobReadError(error);
    }
    const total = /\/(\d+)\s*$/.exec(response.headers.get("content-range") ?? "")?.[1];
    const contentType = response.headers.get("content-type")?.toLowerCase();
    let text = response.bodyAsText ?? "";
    let bodyBytes = Buffer.byteLength(text);
    if (response.readableStreamBody) {
      try {
        // A 206 longer than its range is read the same way: its end is kept, as for a whole blob.
        const body = await readCappedBody(response.readableStreamBody, { keepLast: range.keepLast });
        text = body.kept.toString("utf8");
        bodyBytes = body.totalBytes;
      } catch (error) {
        throw blobReadError(error);
      }
    }
    const errorCode =
      response.status >= 400 ? (response.headers.get("x-ms-error-code") ?? /<Code>([^<]{1,100})<\/Code>/.exec(text)?.[1]) : undefined;
    return {
      status: response.status,
      totalBytes: total === undefined ? undefined : Number(total),
      text,
      bodyBytes,
      contentType,
      errorCode,
    };
  }

  return {
    credential: options.credential,
    endpoint,
    audience,
    cloud: options.cloud,
    correlation,
    clients,
    getJson: (operation, pathAndQuery, signal) => send(operation, "GET", pathAndQuery, undefined, signal),
    postJson: (operation, pathAndQuery, body, signal) => send(operation, "POST", pathAndQuery, body, signal),
    getBlobRange,
  };
}
