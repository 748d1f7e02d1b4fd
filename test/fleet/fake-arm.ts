/** An object-literal ArmContext for unit tests: a route function answers each call; every call is recorded. */
import { AzureCallError, CorrelationLog, type ArmContext } from "../../src/azure/arm.js";

export interface FakeCall {
  method: "GET" | "POST";
  path: string;
  body?: unknown;
}

export type Route = (call: FakeCall) => unknown;

export function fakeArm(route: Route): ArmContext & { calls: FakeCall[] } {
  const calls: FakeCall[] = [];
  const answer = async (call: FakeCall) => {
    calls.push(call);
    await Promise.resolve();
    return route(call);
  };
  return {
    calls,
    credential: { getToken: async () => ({ token: "t", expiresOnTimestamp: Date.now() + 3_600_000 }) },
    endpoint: "https://arm.test",
    audience: "https://arm.test/.default",
    cloud: "AzureCloud",
    correlation: new CorrelationLog(),
    getJson: (_operation, path) => answer({ method: "GET", path }),
    postJson: (_operation, path, body) => answer({ method: "POST", path, body }),
  };
}

export const notFound = (what = "x") => new AzureCallError(what, "not found", 404, "ResourceNotFound");
export const forbidden = (what = "x") => new AzureCallError(what, "denied", 403, "AuthorizationFailed");

/** Path without its query string, lower-case: what most routes match on. */
export const bare = (path: string) => path.split("?")[0]?.toLowerCase() ?? "";
