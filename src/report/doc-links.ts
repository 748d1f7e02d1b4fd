/** The Microsoft document to read for a check or a documented error: the catalogue's link, else the errors page. */
import { entriesForCheck, getEntry } from "../catalog/index.js";

/** "Common errors within the Azure Serial Console", the page most documented errors come from. */
export const ERRORS_DOC = "https://learn.microsoft.com/troubleshoot/azure/virtual-machines/windows/serial-console-errors";

/** The documented error's own page when it has one, else the first page of the check's documented errors. */
export function docUrlFor(checkId: string, documentedErrorId?: string): string {
  const own = documentedErrorId !== undefined ? getEntry(documentedErrorId)?.docUrl : undefined;
  return own ?? entriesForCheck(checkId).find((entry) => entry.docUrl)?.docUrl ?? ERRORS_DOC;
}
