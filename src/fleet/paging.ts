/** ARM list paging for fleet-sized lists: pages are handed out as they arrive, nothing accumulates here. */
import { AzureCallError, type ArmContext } from "../azure/arm.js";
import { asObject, optArray, optString, type JsonObject } from "../azure/json.js";

/** Guard against a server that keeps handing out next links: an error, never a silently shortened list. */
const MAX_PAGES = 10_000;

/** Follow an ARM list's `nextLink`s, calling `onPage` with the items of every page. Throws AzureCallError. */
export async function forEachPage(
  arm: ArmContext,
  operation: string,
  firstPath: string,
  signal: AbortSignal | undefined,
  onPage: (items: JsonObject[]) => void | Promise<void>,
): Promise<void> {
  let next: string | undefined = firstPath;
  for (let page = 0; next; page++) {
    if (page >= MAX_PAGES) throw new AzureCallError(operation, `more than ${MAX_PAGES} pages`, undefined, "TooManyPages");
    const body = asObject(await arm.getJson(operation, next, signal), `${operation} response`);
    const value = optArray(body, "value", operation);
    if (!value) throw new AzureCallError(operation, "the list response has no 'value' array", undefined, "MalformedResponse");
    await onPage(value.map((item, index) => asObject(item, `${operation} value[${index}]`)));
    next = optString(body, "nextLink", operation) || undefined;
  }
}
