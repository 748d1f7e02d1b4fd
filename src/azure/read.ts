/**
 * Calling a generated client and keeping Azure's own words: every read goes through `readBody` (one answer) or
 * `forEachPage`/`readPages` (the one pager), which hand on the raw JSON body, so the strict mappers (map-*.ts, one
 * per resource kind) — not the clients' lenient deserializers — decide what a field means. A failure becomes an
 * `AzureCallError` naming the operation.
 */
import { AzureCallError, errorFromAnswer, toAzureError, type ArmContext } from "./arm.js";
import { asObject, isObject, optArray, optString, type JsonObject } from "./json.js";
import { captureRawResponses, type RawResponse } from "./pipeline/index.js";

/** Pages a list may have before we call it runaway. Reaching it is an error, never a silently shortened list. */
export const MAX_PAGES = 10_000;

/** Options every generated operation accepts. */
export interface CallOptions {
  abortSignal?: AbortSignal;
}

function parseBody(operation: string, response: RawResponse): unknown {
  try {
    return JSON.parse(response.bodyAsText ?? "") as unknown;
  } catch {
    throw new AzureCallError(
      operation,
      "the response body is not valid JSON",
      response.status,
      "MalformedResponse",
      response.correlationId,
    );
  }
}

const succeeded = (response: RawResponse | undefined): response is RawResponse =>
  response !== undefined && response.status >= 200 && response.status < 300;

/**
 * One answer: `call` receives the options to pass to the client operation. The client's own result is ignored
 * on purpose (its deserializer may drop or coerce fields); when the client could not deserialize a 2xx answer,
 * the raw body is returned anyway and the strict mapper names what is wrong with it.
 */
export async function readBody(
  operation: string,
  call: (options: CallOptions) => Promise<unknown>,
  signal?: AbortSignal,
): Promise<unknown> {
  const { error, responses } = await captureRawResponses(signal, () => call({ abortSignal: signal }));
  const last = responses.at(-1);
  if (error !== undefined && !(succeeded(last) && !isHttpError(error))) throw toAzureError(operation, error);
  // Some operations declare an error status (e.g. the console status 404) as a valid answer: still an error here.
  if (last && !succeeded(last)) throw errorFromAnswer(operation, last);
  if (!succeeded(last)) throw new AzureCallError(operation, "no response was received", undefined, "NoResponse");
  return parseBody(operation, last);
}

/** An error carrying an HTTP status (RestError of either client generation), as opposed to a deserializer's complaint. */
function isHttpError(error: unknown): boolean {
  return typeof error === "object" && error !== null && "statusCode" in error && typeof error.statusCode === "number";
}

/** What a generated list operation returns: its pages through `byPage()` (the client follows `nextLink`). */
export interface Paged {
  byPage(): AsyncIterableIterator<unknown[]>;
}

/** The rows of one raw list page and its `nextLink`; a page without a `value` array is malformed. */
function pageOf(operation: string, page: RawResponse, index: number): { rows: JsonObject[]; nextLink?: string } {
  const body = asObject(parseBody(operation, page), `${operation} response`);
  const value = optArray(body, "value", operation);
  if (!value)
    throw new AzureCallError(operation, "the list response has no 'value' array", page.status, "MalformedResponse", page.correlationId);
  const rows = value.map((item, row) => asObject(item, `${operation} page ${index + 1} value[${row}]`));
  return { rows, nextLink: optString(body, "nextLink", operation) || undefined };
}

/** Marks an error thrown by the caller's `onPage`, which passes through unchanged. */
class FromOnPage {
  constructor(readonly error: unknown) {}
}

/**
 * The one pager: every page of a list, handed to `onPage` as it arrives (nothing accumulates here), rows as Azure
 * sent them. Each page's raw body must carry a `value` array. Stops with an error — never a shortened list — after
 * `maxPages`. Throws AzureCallError (or what `onPage` throws).
 */
export async function forEachPage(
  operation: string,
  list: (options: CallOptions) => Paged,
  signal: AbortSignal | undefined,
  onPage: (rows: JsonObject[]) => void | Promise<void>,
  maxPages = MAX_PAGES,
): Promise<void> {
  let handed = 0;
  // A nextLink to a page already read (the first page's own URL included) is a loop: the list would never end (or
  // end at maxPages, its rows repeated); once alone, the rows it led back to would be handed on twice.
  const links = new Set<string>();
  const handOn = async (responses: readonly RawResponse[]) => {
    for (; handed < responses.length; handed++) {
      const page = responses[handed] as RawResponse;
      if (!succeeded(page)) continue;
      if (handed >= maxPages) {
        throw new AzureCallError(
          operation,
          `the list did not end after ${maxPages} pages; refusing to report part of it`,
          undefined,
          "TooManyPages",
        );
      }
      const { rows, nextLink } = pageOf(operation, page, handed);
      links.add(sameUrl(page.url));
      if (nextLink !== undefined && links.has(sameUrl(nextLink))) {
        throw new AzureCallError(
          operation,
          `page ${handed + 1}'s nextLink leads back to a page already read: the list loops; refusing to report part of it`,
          page.status,
          "NextLinkLoop",
          page.correlationId,
        );
      }
      if (nextLink !== undefined) links.add(sameUrl(nextLink));
      try {
        await onPage(rows);
      } catch (error) {
        throw new FromOnPage(error);
      }
      page.bodyAsText = undefined; // handed on: a fleet-sized list keeps no page's text
    }
  };
  const { error, responses } = await captureRawResponses(signal, async (seen) => {
    for await (const _page of list({ abortSignal: signal }).byPage()) await handOn(seen);
  });
  if (error instanceof FromOnPage) throw error.error;
  if (error instanceof AzureCallError && (error.code === "TooManyPages" || error.code === "NextLinkLoop")) throw error;
  // Pages Azure answered that the client could not deserialize: named as malformed before the client's complaint.
  try {
    await handOn(responses);
  } catch (problem) {
    throw problem instanceof FromOnPage ? problem.error : problem;
  }
  if (error === undefined) return;
  if (error instanceof AzureCallError) throw error;
  // The newer clients' pagers throw "Pagination failed with unexpected statusCode 403", Azure's words left out:
  // the refused page itself says what was refused.
  const last = responses.at(-1);
  if (isHttpError(error) && last && !succeeded(last)) throw errorFromAnswer(operation, last);
  throw toAzureError(operation, error);
}

/** A URL as WHATWG URL writes it (`https://h:443/p` and `https://h/p` alike), or as given when it is none. */
function sameUrl(url: string): string {
  return URL.canParse(url) ? new URL(url).href : url;
}

/** Every row of a list, all pages (see `forEachPage`). */
export async function readPages(
  operation: string,
  list: (options: CallOptions) => Paged,
  signal?: AbortSignal,
  maxPages = MAX_PAGES,
): Promise<JsonObject[]> {
  const rows: JsonObject[] = [];
  await forEachPage(operation, list, signal, (page) => void rows.push(...page), maxPages);
  return rows;
}

/**
 * A list no generated client serves (the documented exceptions only), paged like the clients' lists: GET the first
 * path, then each `nextLink` (same-origin only: src/azure/pipeline/same-origin-policy.ts). For `forEachPage`/`readPages`.
 */
export function rawList(arm: ArmContext, operation: string, firstPath: string): (options: CallOptions) => Paged {
  return (options) => {
    async function* pages(): AsyncGenerator<unknown[]> {
      let next: string | undefined = firstPath;
      while (next) {
        const body: unknown = await arm.getJson(operation, next, options.abortSignal);
        const page = isObject(body) ? body : {};
        yield Array.isArray(page["value"]) ? (page["value"] as unknown[]) : [];
        next = typeof page["nextLink"] === "string" && page["nextLink"] !== "" ? page["nextLink"] : undefined;
      }
    }
    return { byPage: pages };
  };
}
