/** `--verbose`: one line per HTTP attempt — method, path (query dropped: skip tokens and filters are long), status, ms, correlation id. */
import type { PipelinePolicy } from "@azure/core-rest-pipeline";

export function tracePolicy(trace: (line: string) => void): PipelinePolicy {
  return {
    name: "scDoctorTrace",
    async sendRequest(request, next) {
      const started = performance.now();
      // Repeated slashes (an empty parentResourcePath in a generated client's path) read as one, as Resource Manager reads them.
      const path = new URL(request.url).pathname.replace(/\/{2,}/g, "/");
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
