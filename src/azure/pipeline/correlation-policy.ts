/**
 * Records the `x-ms-correlation-request-id` of every Resource Manager response: the id support asks for
 * (https://learn.microsoft.com/azure/azure-resource-manager/management/request-limits-and-throttling).
 */
import type { PipelinePolicy } from "@azure/core-rest-pipeline";

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

export function correlationPolicy(log: CorrelationLog): PipelinePolicy {
  return {
    name: "scDoctorCorrelation",
    async sendRequest(request, next) {
      const response = await next(request);
      log.add(response.headers.get("x-ms-correlation-request-id") ?? undefined);
      return response;
    },
  };
}
