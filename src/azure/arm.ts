/**
 * The one place that knows how sc-doctor reaches Azure Resource Manager: the credential, the endpoint and
 * audience of the chosen cloud, the retry/throttling policy shared by every client, and the log of correlation
 * ids that support asks for. Every call (the GETs and the Resource Graph POST below) goes through it.
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

export type CloudName = "AzureCloud" | "AzureChinaCloud" | "AzureUSGovernment";

/** Resource Manager endpoints and token audiences per cloud (az cloud show; Azure SDK cloud settings). */
export const CLOUDS: Record<CloudName, { arm: string; audience: string; blobSuffix: string }> = {
  AzureCloud: { arm: "https://management.azure.com", audience: "https://management.azure.com/.default", blobSuffix: "core.windows.net" },
  AzureChinaCloud: {
    arm: "https://management.chinacloudapi.cn",
    audience: "https://management.chinacloudapi.cn/.default",
    blobSuffix: "core.chinacloudapi.cn",
  },
  AzureUSGovernment: {
    arm: "https://management.usgovcloudapi.net",
    audience: "https://management.usgovcloudapi.net/.default",
    blobSuffix: "core.usgovcloudapi.net",
  },
};

/**
 * Retry: ARM's documented behaviour is 429 + Retry-After (honoured by the pipeline's throttling policy) and
 * transient 5xx (exponential backoff). Bounded: 3 retries; the per-check `--timeout` bounds the total wait.
 */
export const RETRY_OPTIONS = { maxRetries: 3, retryDelayInMs: 400, maxRetryDelayInMs: 4000 };

/** A failed read, in the words a user (and support) needs: what we read, what Azure answered. */
export class AzureCallError extends Error {
  override name = "AzureCallError";
  constructor(
    readonly operation: string,
    message: string,
    readonly status?: number,
    readonly code?: string,
    readonly correlationId?: string,
  ) {
    super(message);
  }

  /** One line for a check's `reason`. */
  describe(): string {
    const answer = [this.status, this.code].filter((x) => x !== undefined && x !== "").join(" ");
    return `could not read ${this.operation}: ${answer ? `${answer} — ` : ""}${this.message}`;
  }
}

/** Turn whatever a client threw into an `AzureCallError` naming the operation. */
export function toAzureError(operation: string, error: unknown): AzureCallError {
  if (error instanceof AzureCallError) return error;
  if (isRestError(error)) {
    const correlationId = error.response?.headers.get("x-ms-correlation-request-id") ?? undefined;
    const parsed = parseArmErrorBody(error.response?.bodyAsText ?? undefined);
    return new AzureCallError(
      operation,
      firstLine(parsed?.message ?? error.message),
      error.statusCode,
      parsed?.code ?? (error.code !== "REST_ERROR" ? error.code : undefined),
      correlationId,
    );
  }
  if (error instanceof Error && error.name === "AbortError") return new AzureCallError(operation, "the request was aborted");
  if (error instanceof Error) return new AzureCallError(operation, firstLine(error.message), undefined, error.name);
  return new AzureCallError(operation, String(error));
}

function firstLine(text: string): string {
  const line = text.split("\n")[0] ?? "";
  return line.length > 500 ? `${line.slice(0, 500)}…` : line;
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
  /** --verbose: receives one line per attempt (method, path without query secrets, status, ms, correlation id). */
  trace?: (line: string) => void;
}

/** Correlation ids of every ARM response, in order (deduplicated). */
export class CorrelationLog {
  private readonly ids = new Set<string>();
  add(id: string | undefined): void {
    if (id) this.ids.add(id);
  }
  list(): string[] {
    return [...this.ids];
  }
}

export interface ArmContext {
  credential: TokenCredential;
  endpoint: string;
  audience: string;
  cloud: CloudName;
  correlation: CorrelationLog;
  /** GET `path` (absolute ARM path with query) and parse JSON; throws AzureCallError. */
  getJson(operation: string, pathAndQuery: string, signal?: AbortSignal): Promise<unknown>;
  /** POST a read-only query (Resource Graph). */
  postJson(operation: string, pathAndQuery: string, body: unknown, signal?: AbortSignal): Promise<unknown>;
}

/** One line per HTTP attempt for --verbose. The query string is dropped: `$skipToken`s and filters can be long. */
function tracePolicy(trace: (line: string) => void): PipelinePolicy {
  return {
    name: "scDoctorTrace",
    async sendRequest(request, next) {
      const started = performance.now();
      const path = new URL(request.url).pathname;
      try {
        const response = await next(request);
        const correlation = response.headers.get("x-ms-correlation-request-id");
        trace(
          `${request.method} ${path} → ${response.status} in ${Math.round(performance.now() - started)} ms${correlation ? ` (correlation ${correlation})` : ""}`,
        );
        return response;
      } catch (error) {
        trace(
          `${request.method} ${path} → ${error instanceof Error ? error.name : "error"} after ${Math.round(performance.now() - started)} ms`,
        );
        throw error;
      }
    },
  };
}

function correlationPolicy(log: CorrelationLog): PipelinePolicy {
  return {
    name: "scDoctorCorrelation",
    async sendRequest(request, next) {
      const response = await next(request);
      log.add(response.headers.get("x-ms-correlation-request-id") ?? undefined);
      return response;
    },
  };
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
  const endpoint = (options.armEndpoint ?? cloud.arm).replace(/\/+$/, "");
  const audience = options.audience ?? cloud.audience;
  const correlation = new CorrelationLog();
  const correlate = correlationPolicy(correlation);

  const pipeline: Pipeline = createPipelineFromOptions({ retryOptions: RETRY_OPTIONS, userAgentOptions: { userAgentPrefix: "sc-doctor" } });
  pipeline.addPolicy(bearerTokenAuthenticationPolicy({ credential: options.credential, scopes: audience }), { phase: "Sign" });
  pipeline.addPolicy(correlate);
  // Client-side throttling runs per attempt (after retry), so a retried request waits for a token too.
  for (const policy of options.policies ?? []) pipeline.addPolicy(policy, { afterPhase: "Retry" });
  if (options.trace) pipeline.addPolicy(tracePolicy(options.trace), { afterPhase: "Retry" });
  const httpClient: HttpClient = createDefaultHttpClient();

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
    if (response.status >= 400) {
      const parsed = parseArmErrorBody(text);
      throw new AzureCallError(
        operation,
        firstLine(parsed?.message ?? `HTTP ${response.status}`),
        response.status,
        parsed?.code,
        correlationId,
      );
    }
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new AzureCallError(operation, "the response body is not valid JSON", response.status, "MalformedResponse", correlationId);
    }
  }

  return {
    credential: options.credential,
    endpoint,
    audience,
    cloud: options.cloud,
    correlation,
    getJson: (operation, pathAndQuery, signal) => send(operation, "GET", pathAndQuery, undefined, signal),
    postJson: (operation, pathAndQuery, body, signal) => send(operation, "POST", pathAndQuery, body, signal),
  };
}
