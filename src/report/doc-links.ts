/** The Microsoft document to read for a check or a documented error: the catalogue's link, else the errors page. */
import { entriesForCheck, getEntry } from "../catalog/index.js";
import type { CheckResult } from "../types.js";

/** "Common errors within the Azure Serial Console", the page most documented errors come from. */
export const ERRORS_DOC = "https://learn.microsoft.com/troubleshoot/azure/virtual-machines/windows/serial-console-errors";

/**
 * The page a result names itself (`evidence.doc`: a serial-log failure's article, or the Windows page of a documented
 * error whose catalogue link is Linux's), when it is a Microsoft Learn URL.
 */
function resultDoc(check: Pick<CheckResult, "evidence">): string | undefined {
  const doc = check.evidence["doc"];
  return typeof doc === "string" && doc.startsWith("https://learn.microsoft.com/") ? doc : undefined;
}

/** The result's own page, else its documented error's (undefined without either). */
export function findingDoc(check: Pick<CheckResult, "evidence" | "documentedError">): string | undefined {
  return resultDoc(check) ?? (check.documentedError ? getEntry(check.documentedError.id)?.docUrl : undefined);
}

/** `findingDoc`, else the first page of the check's documented errors, else the errors page. */
export function docUrlFor(check: Pick<CheckResult, "id" | "evidence" | "documentedError">): string {
  return findingDoc(check) ?? entriesForCheck(check.id).find((entry) => entry.docUrl)?.docUrl ?? ERRORS_DOC;
}
