import { AzureCallError } from "../azure/arm.js";
import type { Evidence } from "../types.js";

/** A failed fact or a throwing check, as a reason and evidence for that check's `error`. */
export function describeError(error: unknown): { reason: string; evidence: Evidence } {
  if (error instanceof AzureCallError) {
    const evidence: Evidence = { operation: error.operation };
    if (error.status !== undefined) evidence["statusCode"] = error.status;
    if (error.code) evidence["code"] = error.code;
    if (error.correlationId) evidence["correlationId"] = error.correlationId;
    if (error.proxy) evidence["proxy"] = error.proxy;
    return { reason: error.describe(), evidence };
  }
  if (error instanceof Error) {
    return { reason: `internal error while evaluating: ${error.message || error.name}`, evidence: { error: error.name } };
  }
  return { reason: `internal error while evaluating: ${String(error)}`, evidence: {} };
}
