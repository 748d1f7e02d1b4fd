/**
 * Messages no document lists whose source says what causes them, so which documented errors can be behind them:
 * those are listed as candidates, never as a confident match (one message, several causes).
 *
 * - az serial-console's own failures, which hide what Azure answered; its source says which step failed:
 *   https://github.com/Azure/azure-cli-extensions/blob/main/src/serial-console/azext_serialconsole/custom.py
 * - Azure Storage's refusals of a data-plane request, by their error code.
 * - The portal console's HTTP client's own failure ("Request failed with status code 409"), by the status it keeps.
 */
import type { DocumentedErrorId } from "../catalog/index.js";

export interface KnownCauses {
  /** The documented errors that can be behind the message, most likely first. */
  entries: readonly DocumentedErrorId[];
  /** One sentence for the user: which step failed, and what can make it fail. */
  note: string;
}

interface Known extends KnownCauses {
  /** On the normalised paste (lower case, straight quotes, whitespace folded). */
  pattern: RegExp;
}

/** Checked in order: the first message that occurs in the paste names its causes. */
const KNOWN: readonly Known[] = [
  {
    // connect_thread(): load_websocket_url() returned False, i.e. the POST …/serialPorts/0/connect that asks for the
    // websocket URL raised (a bare `except:`), whatever Azure answered; send_nmi/reset/sysrq print the same opening.
    pattern: /an unexpected error occurred\. could not establish connection to vm or vmss/,
    entries: ["rbac-vm-permissions", "scope-locked", "websocket-closed"],
    note:
      "az serial-console prints this when its request for a console connection (POST …/serialPorts/0/connect) fails, and hides Azure's answer: " +
      "a refused connect action (permissions), a ReadOnly lock on the VM or its boot diagnostics account, or no route to Azure. " +
      "Run it again with --debug to see the answer, or sc-doctor --vm to check each.",
  },
  {
    // on_close() before the first websocket message ("… Make sure that it is powered on and press "Enter" try
    // again..."), and connect_and_send_admin_command() when the websocket sent nothing (trycount 0).
    pattern: /could not establish connection to vm or vmss/,
    entries: ["websocket-closed", "vm-not-running"],
    note:
      "az serial-console prints this when the console's websocket closes before the VM sends anything: " +
      "the connection was refused on the way (a proxy or firewall in front of *.serialconsole.azure.com), or the VM is not running.",
  },
  {
    // The portal's console through its HTTP client (axios: code ERR_BAD_REQUEST, "Request failed with status code …")
    // hides Azure's answer but keeps the status. A 409 there was a ReadOnly lock in the public thread
    // https://github.com/microsoft/azserialconsole/issues/115: the service writes a connection string to the boot
    // diagnostics account, which the lock refuses.
    pattern: /request failed with status code 409|'err_bad_request' ?\(409\)/,
    entries: ["scope-locked"],
    note:
      "The portal's console prints this when Azure answered 409 Conflict, without Azure's message: " +
      "in https://github.com/microsoft/azserialconsole/issues/115 that was a ReadOnly lock on the boot diagnostics storage account (or above it). " +
      "sc-doctor --vm … --only resource-locks checks it.",
  },
  {
    // The Blob service's 403 AuthorizationFailure, "This request is not authorized to perform this operation."
    // (https://learn.microsoft.com/rest/api/storageservices/common-rest-api-error-codes): a network rule (firewall,
    // private endpoints only) that does not admit the caller answers it. Not the SAS and role refusals that go on
    // "… using this permission/protocol/source IP …" (https://learn.microsoft.com/rest/api/storageservices/sas-error-codes).
    pattern: /(?<![a-z])authorizationfailure(?![a-z])|this request is not authorized to perform this operation(?! using)/,
    entries: ["storage-forbidden"],
    note:
      "Azure Storage refuses a request with AuthorizationFailure (403) when the account's network rules do not admit the caller: " +
      "for the boot diagnostics account, that is its firewall. sc-doctor --vm … --only storage-firewall checks it.",
  },
];

/** The documented errors a message in `normalized` can stand for, or undefined. */
export function knownCausesIn(normalized: string): KnownCauses | undefined {
  const known = KNOWN.find((message) => message.pattern.test(normalized));
  return known ? { entries: known.entries, note: known.note } : undefined;
}
