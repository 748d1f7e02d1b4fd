import type { CheckId } from "../types.js";

/** The Microsoft documents the catalogue is built from (copies in test/fixtures/seeds/). */
export type SourceDoc =
  | "serial-console-errors-2019"
  | "serial-console-errors-2025"
  | "vm-inspector-errors"
  | "vm-error-messages"
  | "serial-console-overview"
  | "azserialconsole-issues"
  | "serial-console-linux"
  | "serial-console-windows"
  | "azure-rbac-deny-assignments";

export const SOURCE_TITLES: Record<SourceDoc, string> = {
  "serial-console-errors-2019": "Common errors within the Azure Serial Console (2019-08-20)",
  "serial-console-errors-2025": "Common errors within the Azure Serial Console (2025-10-16)",
  "vm-inspector-errors": "VM Inspector error messages and solutions (2022-06-06)",
  "vm-error-messages": "Azure Virtual Machine error messages (2017-03-17)",
  "serial-console-overview": "Azure Serial Console overview (prerequisites)",
  "azserialconsole-issues": "Public threads of microsoft/azserialconsole (#12, 2018; #115, 2025)",
  "serial-console-linux": "Azure Serial Console for Linux (2025-03-11)",
  "serial-console-windows": "Azure Serial Console for Windows (2023-05-18)",
  "azure-rbac-deny-assignments": "Understand Azure deny assignments (Azure RBAC), and Resource Manager's refusal they cause",
};

/**
 * One documented error. `message` is the newest wording; `variants` hold older or alternative wordings that
 * people still paste (e.g. the 2019 text of the same error). Placeholders are kept as documented: `{0}`,
 * `{operationId}`, `<VMNAME>`, `''`.
 *
 * Fix templates use `{vm}`, `{rg}`, `{subscription}`, `{storageAccount}`, `{storageRg}`, `{storageUri}`,
 * `{location}`, `{vmId}`, `{scaleSet}`, `{instanceId}`, `{ips}`, `{principal}`, `{scope}`, `{user}`, `{password}`: a check fills them
 * with real names; a template whose placeholder has no value is shown as documented.
 */
export interface CatalogEntry {
  id: string;
  sources: SourceDoc[];
  /** Error code where the document gives one (VM Inspector, VM errors, or a code embedded in the message). */
  code?: string;
  httpStatus?: number;
  message: string;
  variants?: string[];
  /**
   * Other strings that identify this error when pasted on their own, such as a host name in an old message
   * (`console.azure.com`). Matched as substrings of the normalised paste.
   */
  aliases?: string[];
  /**
   * Strings that point at this error without proving it, such as the service's host names, which a session that
   * worked names as well as one that failed: a nearest candidate at most.
   */
  hints?: string[];
  /**
   * What a paste says that rules this error out ("Successfully established WebSocket connection" for a websocket
   * that "couldn't be opened"): the entry is then a candidate at most, unless the paste holds its documented text.
   */
  contradictedBy?: string[];
  mitigation: string;
  fix?: string[];
  /** The sc-doctor checks that verify this condition (empty: no check does; see `detectedBy`). */
  checks: CheckId[];
  /**
   * How sc-doctor shows this condition when no check owns it, e.g. `--vm` stopping with "VM not found" (exit 3).
   * Absent with empty `checks`: not visible from Azure's control plane.
   */
  detectedBy?: string;
  docUrl?: string;
}
