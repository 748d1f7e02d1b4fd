/** The Microsoft document to read for a check or a documented error: the catalogue's link, else the errors page. */
import { entriesForCheck, getEntry } from "../catalog/index.js";
import type { CheckResult } from "../types.js";

/** "Common errors within the Azure Serial Console", the page most documented errors come from. */
export const ERRORS_DOC = "https://learn.microsoft.com/troubleshoot/azure/virtual-machines/windows/serial-console-errors";

/**
 * The page a result names itself (`evidence.doc`: a serial-log failure's article, or the Windows page of a documented
 * error whose catalogue link is Linux's), when it is a Microsoft Learn URL.
 */
export function resultDoc(check: Pick<CheckResult, "evidence">): string | undefined {
  const doc = check.evidence["doc"];
  return typeof doc === "string" && doc.startsWith("https://learn.microsoft.com/") ? doc : undefined;
}

/** The result's own page, else its documented error's, else the first page of the check's documented errors. */
export function docUrlFor(check: Pick<CheckResult, "id" | "evidence" | "documentedError">): string {
  const own = resultDoc(check) ?? (check.documentedError ? getEntry(check.documentedError.id)?.docUrl : undefined);
  return own ?? entriesForCheck(check.id).find((entry) => entry.docUrl)?.docUrl ?? ERRORS_DOC;
}
