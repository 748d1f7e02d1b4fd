/**
 * ARM error bodies in the common-types ErrorResponse shape `{error:{code,message}}` (https://github.com/Azure/azure-rest-api-specs/blob/main/specification/common-types/resource-management/v5/types.json), with the
 * messages real ARM uses, so that what sc-doctor prints for them is what users paste into search engines.
 */
import { CALLER_OBJECT_ID } from "./world/builders.mjs";

/** @typedef {{ status: number, body?: unknown, text?: string, headers?: Record<string, string> }} SimResponse */

/** @returns {SimResponse} */
export function armError(status, code, message, headers) {
  return { status, body: { error: { code, message } }, ...(headers ? { headers } : {}) };
}

/** The RBAC action a GET/POST on `path` needs, as ARM names it in AuthorizationFailed messages. */
export function actionFor(method, path) {
  const segments = path.split("/").filter(Boolean);
  const at = segments.map((s) => s.toLowerCase()).lastIndexOf("providers");
  if (at < 0)
    return segments.length <= 2 ? "Microsoft.Resources/subscriptions/read" : "Microsoft.Resources/subscriptions/resourceGroups/read";
  const namespace = segments[at + 1] ?? "";
  const types = segments.slice(at + 2).filter((_, i) => i % 2 === 0);
  return `${namespace}/${types.join("/")}/${method === "GET" ? "read" : "action"}`;
}

export const errors = {
  missingApiVersion: () =>
    armError(400, "MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests."),
  invalidApiVersion: (v) =>
    armError(
      400,
      "InvalidApiVersionParameter",
      `The api-version '${v}' is invalid. The supported versions are '2025-04-01,2024-11-01,2024-07-01,2024-03-01,2023-07-01,2022-12-01,2022-09-01'.`,
    ),
  noAuthHeader: () =>
    armError(401, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing.", {
      "WWW-Authenticate":
        'Bearer authorization_uri="https://login.microsoftonline.com/common", error="invalid_token", error_description="The authentication failed because of missing \'Authorization\' header."',
    }),
  invalidToken: () =>
    armError(401, "InvalidAuthenticationToken", "The access token is invalid.", {
      "WWW-Authenticate":
        'Bearer authorization_uri="https://login.microsoftonline.com/common", error="invalid_token", error_description="The access token is invalid."',
    }),
  authorizationFailed: (action, scope, message) =>
    armError(
      403,
      "AuthorizationFailed",
      message ??
        `The client '${CALLER_OBJECT_ID}' with object id '${CALLER_OBJECT_ID}' does not have authorization to perform action '${action}' over scope '${scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
    ),
  subscriptionNotFound: (sub) => armError(404, "SubscriptionNotFound", `The subscription '${sub}' could not be found.`),
  resourceGroupNotFound: (rg) => armError(404, "ResourceGroupNotFound", `Resource group '${rg}' could not be found.`),
  resourceNotFound: (type, name, rg) =>
    armError(
      404,
      "ResourceNotFound",
      `The Resource '${type}/${name}' under resource group '${rg}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
    ),
  writeRejected: (method, path) =>
    armError(
      405,
      "WriteRejectedBySimulator",
      `The Azure simulator is read-only: ${method} ${path} was rejected and recorded. sc-doctor must never change anything.`,
    ),
  throttled: (retryAfter, message) =>
    armError(
      429,
      "TooManyRequests",
      message ??
        "The request is being throttled as the limit has been reached for operation type - Read_ObservationWindow_00:05:00. For more information, see - https://aka.ms/srpthrottlinglimits",
      { "Retry-After": String(retryAfter) },
    ),
  internal: (correlationId, message) =>
    armError(
      500,
      "InternalServerError",
      message ??
        `Encountered internal server error. Diagnostic information: timestamp '${new Date().toISOString()}', tracking id '${correlationId}', request correlation id '${correlationId}'.`,
    ),
  badGateway: (message) =>
    armError(
      502,
      "BadGateway",
      message ?? "The gateway did not receive a response from 'Microsoft.Compute' within the specified time period.",
    ),
  unavailable: (message) =>
    armError(
      503,
      "ServiceUnavailable",
      message ??
        "The server (leased) is currently unable to handle the request due to a temporary overloading or maintenance. Please retry later.",
    ),
  invalidAudience: (audience) =>
    armError(
      401,
      "InvalidAuthenticationTokenAudience",
      `The access token has been obtained for wrong audience or resource. It should exactly match one of the allowed audiences '${audience}'.`,
    ),
  /** A subscription not registered for the provider of `path` (ARM's 409 for it). */
  /** A POST or write under a ReadOnly lock, in ARM's words (microsoft/azserialconsole#12). */
  scopeLocked: (path, locks) => {
    const scopes = locks.map((lock) => `'${lock.id.replace(/\/providers\/Microsoft\.Authorization\/locks\/[^/]+$/i, "")}'`);
    return armError(
      409,
      "ScopeLocked",
      `The scope '${path}' cannot perform write operation because following scope(s) are locked: ${scopes.join(", ")}. Please remove the lock and try again.`,
    );
  },
  missingRegistration: (path, message) => {
    const namespace = /\/providers\/([^/]+)/i.exec(path)?.[1] ?? "Microsoft.Resources";
    return armError(
      409,
      "MissingSubscriptionRegistration",
      message ??
        `The subscription is not registered to use namespace '${namespace}'. See https://aka.ms/rps-not-found for how to register subscriptions.`,
    );
  },
  badRequest: (message) => armError(400, "BadRequest", message),
};
