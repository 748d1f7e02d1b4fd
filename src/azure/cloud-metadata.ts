/**
 * The token audience of a Resource Manager endpoint given with `--arm-endpoint`, read from its
 * `/metadata/endpoints`. Azure Stack Hub publishes one object, `{ authentication: { audiences: [...] } }`
 * (api-version 2015-01-01: https://learn.microsoft.com/azure-stack/user/azure-stack-rest-api-use); public and sovereign
 * clouds an array of clouds, each `{ resourceManager, authentication: { audiences } }` (api-version 2019-05-01, the
 * default of Azure CLI's ARM_CLOUD_METADATA_URL). Without an answer the caller keeps its `--cloud`'s audience.
 */
import { createDefaultHttpClient, createPipelineFromOptions, createPipelineRequest, type HttpClient } from "@azure/core-rest-pipeline";
import { trimTrailingSlashes } from "../trim.js";

/** The public and sovereign clouds' Resource Manager audiences (`az cloud show`: activeDirectoryResourceId, resourceManager). */
const PUBLIC_AUDIENCE =
  /^https:\/\/management\.(?:core\.windows\.net|azure\.com|chinacloudapi\.cn|core\.chinacloudapi\.cn|usgovcloudapi\.net|core\.usgovcloudapi\.net)\/\.default$/i;
const isPublicAudience = (audience: string) => PUBLIC_AUDIENCE.test(audience);

const sameEndpoint = (a: string, b: string) => trimTrailingSlashes(a).toLowerCase() === trimTrailingSlashes(b).toLowerCase();

/** The audiences of the metadata document for `armEndpoint`, whichever of the two shapes it has. */
export function audienceFromMetadata(body: unknown, armEndpoint: string): string | undefined {
  const entry = Array.isArray(body)
    ? body.find((cloud: unknown) => {
        const rm = cloud && typeof cloud === "object" && "resourceManager" in cloud ? cloud.resourceManager : undefined;
        return typeof rm === "string" && sameEndpoint(rm, armEndpoint);
      })
    : body;
  if (!entry || typeof entry !== "object" || !("authentication" in entry)) return undefined;
  const auth = entry.authentication;
  const audiences = auth && typeof auth === "object" && "audiences" in auth ? auth.audiences : undefined;
  const first: unknown = Array.isArray(audiences) ? audiences[0] : undefined;
  if (typeof first !== "string" || !/^https:\/\/[^\s]+$/i.test(first)) return undefined;
  return `${trimTrailingSlashes(first)}/.default`;
}

/**
 * What `<armEndpoint>/metadata/endpoints` says: the token audience, whether it is Azure Stack Hub's document (one
 * object, not the public clouds' array), or why it could not be read (`unread`; the caller keeps its `--cloud`'s
 * audience).
 */
export interface EndpointMetadata {
  audience?: string;
  azureStack?: boolean;
  unread?: string;
}

/**
 * GET `<armEndpoint>/metadata/endpoints` (no token; proxies honoured). With the `httpClient` the Resource Manager
 * calls will use, its connection (and TLS session) is theirs to reuse.
 */
export async function discoverEndpoint(
  armEndpoint: string,
  timeoutMs: number,
  httpClient: HttpClient = createDefaultHttpClient(),
): Promise<EndpointMetadata> {
  try {
    const pipeline = createPipelineFromOptions({ retryOptions: { maxRetries: 0 } });
    const request = createPipelineRequest({
      url: `${trimTrailingSlashes(armEndpoint)}/metadata/endpoints?api-version=2015-01-01`,
      method: "GET",
      timeout: Math.min(timeoutMs, 5000),
    });
    const response = await pipeline.sendRequest(httpClient, request);
    if (response.status !== 200 || !response.bodyAsText) return { unread: `HTTP ${response.status}` };
    const body: unknown = JSON.parse(response.bodyAsText);
    const audience = audienceFromMetadata(body, armEndpoint);
    // Azure Stack Hub's own document, and an audience of its own (`https://management.<tenant>/<guid>`): a document of
    // that shape naming a public cloud's audience is a stand-in for that cloud, not a Stack.
    const azureStack = !Array.isArray(body) && audience !== undefined && !isPublicAudience(audience);
    return audience ? { audience, azureStack } : { unread: "no audience for this endpoint in it" };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const why = error instanceof SyntaxError ? "not JSON" : typeof code === "string" ? code : (error as Error).message?.split("\n")[0];
    return { unread: why || "no answer" };
  }
}
