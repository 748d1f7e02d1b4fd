/** ARM list paging for fleet-sized lists: items are handed out page by page, nothing accumulates here. */
import { AzureCallError, type ArmContext } from "../azure/arm.js";
import { asObject, isObject, optArray, optString, type JsonObject } from "../azure/json.js";

/** Guard against a server that keeps handing out next links. */
const MAX_PAGES = 10_000;

/** Follow an ARM list's `nextLink`s, calling `onItem` for every item of every page. */
export async function forEachItem(
  arm: ArmContext,
  operation: string,
  firstPath: string,
  onItem: (item: JsonObject) => void,
  signal?: AbortSignal,
): Promise<void> {
  let next: string | undefined = firstPath;
  for (let page = 0; next; page++) {
    if (page >= MAX_PAGES) throw new AzureCallError(operation, `more than ${MAX_PAGES} pages`, undefined, "TooManyPages");
    const body = asObject(await arm.getJson(operation, next, signal), `${operation} response`);
    const value = optArray(body, "value", operation);
    if (!value) throw new AzureCallError(operation, "the list response has no 'value' array", undefined, "MalformedResponse");
    value.forEach((item, index) => onItem(isObject(item) ? item : asObject(item, `${operation} value[${index}]`)));
    next = optString(body, "nextLink", operation) || undefined;
  }
}
