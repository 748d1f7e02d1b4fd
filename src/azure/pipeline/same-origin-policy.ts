/**
 * The bearer token must never leave the Resource Manager endpoint: a `nextLink` (followed by the clients' pagers)
 * that points at another origin is refused before the request is signed.
 */
import { RestError, type PipelinePolicy } from "@azure/core-rest-pipeline";

export function sameOriginPolicy(endpoint: string): PipelinePolicy {
  const origin = new URL(endpoint).origin;
  return {
    name: "scDoctorSameOrigin",
    async sendRequest(request, next) {
      const target = new URL(request.url);
      if (target.origin !== origin) {
        throw new RestError(`refusing to follow a link to another host (${target.host})`, { code: "UntrustedNextLink" });
      }
      return next(request);
    },
  };
}
