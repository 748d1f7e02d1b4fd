/**
 * A bound on each attempt of each Resource Manager request: a server that accepts a connection and never answers
 * would otherwise hold a run (a scheduled audit, a CI job) until it dies. The bound is on the response headers
 * (what the Node HTTP client's `timeout` covers). Not retried: the retry policy retries only the system errors it
 * knows (ECONNRESET, ETIMEDOUT, …), and a server that held one attempt that long would hold the next past the
 * check's own --timeout.
 */
import { RestError, type PipelinePolicy } from "@azure/core-rest-pipeline";

export function requestTimeoutPolicy(timeoutMs: number): PipelinePolicy {
  return {
    name: "scDoctorRequestTimeout",
    async sendRequest(request, next) {
      if (!(request.timeout > 0)) request.timeout = timeoutMs;
      try {
        return await next(request);
      } catch (error) {
        // Our timeout aborts the attempt; a user's Ctrl-C aborts the outer signal and stays an abort.
        if (error instanceof Error && error.name === "AbortError" && !request.abortSignal?.aborted) {
          throw new RestError(`no response within ${request.timeout} ms`, { code: "RequestTimeout", request });
        }
        throw error;
      }
    },
  };
}
