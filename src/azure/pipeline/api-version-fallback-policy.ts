/**
 * Clouds that lag the public one — Azure Stack Hub's API profiles, and sovereign clouds where a new api-version
 * arrives later (https://github.com/Azure/azure-cli/issues/23985) — refuse the generated clients' api-version with
 * 400 and name what they serve: "No registered resource provider found for location '…' and API version '…' for
 * type '…'. The supported api-versions are '2020-06-01, 2019-12-01, …'." (NoRegisteredProviderFound), or "The
 * api-version '…' is invalid. The supported versions are '…'." (InvalidApiVersionParameter, Microsoft.Resources).
 * Such a request is sent once more with the newest stable version offered that is not newer than ours, and that
 * choice is kept for the provider's later requests of the run (a fleet audit pays the refusal once, not per VM).
 * The documents an older version returns carry the fields the checks read under the same names; what a version
 * lacks is absent, and the checks say so rather than guess.
 */
import { isRestError, type PipelinePolicy, type PipelineResponse } from "@azure/core-rest-pipeline";

const REFUSALS = new Set(["NoRegisteredProviderFound", "InvalidApiVersionParameter"]);
const STABLE = /^\d{4}-\d{2}-\d{2}$/;

/** The api-versions a refusal names (`The supported api-versions are '…'` / `The supported versions are '…'`). */
export function offeredVersions(body: string | undefined): string[] {
  if (!body) return [];
  let error: unknown;
  try {
    error = (JSON.parse(body) as { error?: unknown }).error;
  } catch {
    return [];
  }
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code !== "string" || !REFUSALS.has(code) || typeof message !== "string") return [];
  const listed = /The supported (?:api-)?versions are '([^']*)'/i.exec(message)?.[1] ?? "";
  return listed
    .split(",")
    .map((version) => version.trim())
    .filter(Boolean);
}

/** The newest stable version of `offered` no newer than `wanted` (ISO dates compare as strings), if any. */
export function fallbackVersion(offered: readonly string[], wanted: string): string | undefined {
  return offered
    .filter((version) => STABLE.test(version) && version < wanted)
    .sort()
    .at(-1);
}

/**
 * The resource type whose api-versions a path's request uses: the last `providers/<namespace>/<type>`, else
 * Microsoft.Resources' (versions are served per type: a profile may serve VMs and scale sets differently).
 */
function typeOf(pathname: string): string {
  const segments = pathname.toLowerCase().split("/").filter(Boolean);
  const at = segments.lastIndexOf("providers");
  return at >= 0 ? `${segments[at + 1] ?? ""}/${segments[at + 2] ?? ""}` : "microsoft.resources";
}

export function apiVersionFallbackPolicy(trace?: (line: string) => void): PipelinePolicy {
  /** `<namespace> <version asked>` → the version this Resource Manager serves instead. */
  const chosen = new Map<string, string>();
  return {
    name: "scDoctorApiVersionFallback",
    async sendRequest(request, next) {
      const url = new URL(request.url);
      const wanted = url.searchParams.get("api-version");
      if (!wanted) return next(request);
      const type = typeOf(url.pathname);
      const key = `${type} ${wanted}`;
      const known = chosen.get(key);
      const sent = known ?? wanted;
      if (known) {
        url.searchParams.set("api-version", known);
        request.url = url.toString();
      }
      // The generated clients of @azure/core-client throw a 400 from their deserialization step (inside this policy's
      // `next`) instead of returning it: the refusal is then the error's response.
      let response: PipelineResponse;
      try {
        response = await next(request);
      } catch (error) {
        const refused = isRestError(error) && error.statusCode === 400 ? error.response : undefined;
        const retried = refused ? await retry(refused) : undefined;
        if (retried) return retried;
        throw error;
      }
      return (await retry(response)) ?? response;

      /** The request again with a version the refusal offers, or undefined when `answer` is no such refusal. */
      async function retry(answer: PipelineResponse): Promise<PipelineResponse | undefined> {
        if (answer.status !== 400) return undefined;
        const offered = offeredVersions(answer.bodyAsText ?? undefined);
        // The same code answers a location that is not served: the version sent is then among those offered.
        if (offered.includes(sent)) return undefined;
        const fallback = fallbackVersion(offered, sent);
        if (!fallback) return undefined;
        chosen.set(key, fallback);
        trace?.(`api-version ${sent} is not served here for ${type}: using ${fallback}`);
        url.searchParams.set("api-version", fallback);
        request.url = url.toString();
        return next(request);
      }
    },
  };
}
