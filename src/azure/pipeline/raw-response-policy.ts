/**
 * Hands the raw body of each Resource Manager answer to whoever asked for it, so that sc-doctor validates what Azure
 * sent, not what a generated client's lenient deserializer made of it. The asker runs its call inside
 * `captureRawResponses`; the context follows the call through the client (pages 2… of a pager included, which the
 * generated pagers send without the caller's options), so the abort signal is applied to those too.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { PipelinePolicy } from "@azure/core-rest-pipeline";

export interface RawResponse {
  url: string;
  status: number;
  bodyAsText: string | undefined;
  correlationId?: string;
}

interface Capture {
  responses: RawResponse[];
  signal?: AbortSignal;
}

const current = new AsyncLocalStorage<Capture>();
/**
 * Captures under way. While an AsyncLocalStorage is enabled, Node runs its promise hooks for every promise in the
 * process (node:async_hooks), which an audit evaluating thousands of VMs from memory pays on every check; so the
 * storage is enabled only while a capture runs (`run` enables it) and disabled when the last one ends.
 */
let active = 0;

/**
 * Run `call` and collect every final (post-retry) response it received, in order. `call` sees the list as it grows
 * (a pager hands each page on as it arrives).
 */
export async function captureRawResponses<T>(
  signal: AbortSignal | undefined,
  call: (responses: readonly RawResponse[]) => Promise<T>,
): Promise<{ result?: T; error?: unknown; responses: RawResponse[] }> {
  const capture: Capture = { responses: [], signal };
  active++;
  try {
    return { result: await current.run(capture, () => call(capture.responses)), responses: capture.responses };
  } catch (error) {
    return { error, responses: capture.responses };
  } finally {
    if (--active === 0) current.disable();
  }
}

/** Per call (before retry): sees the response the caller gets, not each failed attempt. */
export function rawResponsePolicy(): PipelinePolicy {
  return {
    name: "scDoctorRawResponse",
    async sendRequest(request, next) {
      const capture = current.getStore();
      if (capture?.signal && !request.abortSignal) request.abortSignal = capture.signal;
      const response = await next(request);
      capture?.responses.push({
        url: request.url,
        status: response.status,
        bodyAsText: response.bodyAsText ?? undefined,
        correlationId: response.headers.get("x-ms-correlation-request-id") ?? undefined,
      });
      return response;
    },
  };
}
