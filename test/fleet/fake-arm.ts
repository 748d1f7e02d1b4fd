/**
 * An ArmContext for unit tests whose HTTP client is a route function: the real generated clients and raw calls
 * build the requests; the route answers each (a value is a 200 JSON body; a thrown AzureCallError becomes its status
 * and ARM error body); every call is recorded.
 */
import { createHttpHeaders, type HttpClient } from "@azure/core-rest-pipeline";
import { AzureCallError, createArmContext, type ArmContext } from "../../src/azure/arm.js";

export interface FakeCall {
  method: "GET" | "POST";
  path: string;
  body?: unknown;
}

export type Route = (call: FakeCall) => unknown;

/** A core-rest-pipeline HttpClient answering from `route`; `path` is the URL's path and query, as sent (slashes collapsed). */
export function fakeHttpClient(route: Route, calls: FakeCall[] = []): HttpClient {
  return {
    async sendRequest(request) {
      const url = new URL(request.url);
      const body = typeof request.body === "string" ? (JSON.parse(request.body) as unknown) : undefined;
      const call: FakeCall = {
        method: request.method as FakeCall["method"],
        // Repeated slashes are one, as for Resource Manager: the generated clients send `…/Microsoft.Compute//virtualMachines/…`
        // for a top-level resource (an empty parentResourcePath; https://github.com/Azure/oav/issues/660).
        path: `${url.pathname.replace(/\/{2,}/g, "/")}${url.search}`,
        ...(body !== undefined ? { body } : {}),
      };
      calls.push(call);
      await Promise.resolve();
      const headers = createHttpHeaders({ "content-type": "application/json" });
      try {
        const answer = await route(call);
        return { request, status: 200, headers, bodyAsText: JSON.stringify(answer) };
      } catch (error) {
        if (!(error instanceof AzureCallError)) throw error;
        const bodyAsText = JSON.stringify({ error: { code: error.code ?? "Error", message: error.message } });
        return { request, status: error.status ?? 500, headers, bodyAsText };
      }
    },
  };
}

export function fakeArm(route: Route): ArmContext & { calls: FakeCall[] } {
  const calls: FakeCall[] = [];
  const arm = createArmContext({
    credential: { getToken: async () => ({ token: "t", expiresOnTimestamp: Date.now() + 3_600_000 }) },
    cloud: "AzureCloud",
    armEndpoint: "https://arm.test",
    httpClient: fakeHttpClient(route, calls),
  });
  return Object.assign(arm, { calls });
}

export const notFound = (what = "x") => new AzureCallError(what, "not found", 404, "ResourceNotFound");
export const forbidden = (what = "x") => new AzureCallError(what, "denied", 403, "AuthorizationFailed");

/** Path without its query string, lower-case: what most routes match on. */
export const bare = (path: string) => path.split("?")[0]?.toLowerCase() ?? "";
