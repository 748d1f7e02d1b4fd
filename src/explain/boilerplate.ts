/**
 * Text that says nothing about which error it is. Two kinds, both removed before words are compared (never before
 * a documented message is looked for, so an exact copy still matches in full):
 *
 * - wording that several documented errors share: "The serial console connection to the VM encountered an error:"
 *   opens both the 'Bad Request' (400) and the 'Forbidden'(SubscriptionNotEnabled) errors, and the portal prints
 *   it before every error, documented or not. Found from the catalogue itself, so new entries are covered.
 * - what clients wrap around an error: the console's "Preparing console connection to …" and help links, the
 *   Azure CLI's "Code: … Message: …" and crash banner, an HTTP library's "Request failed with status code".
 */
import { CATALOG, type CatalogEntry } from "../catalog/index.js";
import { normalize } from "./normalize.js";

/**
 * Client wording seen around errors in public reports (microsoft/azserialconsole, Azure/azure-cli issues), written
 * already normalised (lower case, straight quotes); the spaces around "code:" and "message:" keep them whole words.
 */
const CLIENT_WRAPPING = [
  // Serial Console in the portal and in Cloud Shell (e.g. https://github.com/microsoft/azserialconsole/issues/84).
  "the serial console connection to the vm encountered an error",
  "for more information on the azure serial console, see",
  // az serial-console's banner while it connects to a Windows VM (connect_loading_message_windows in
  // https://github.com/Azure/azure-cli-extensions/blob/main/src/serial-console/azext_serialconsole/custom.py): printed
  // before every outcome, so "SAC is not enabled" in it says nothing about the guest.
  "windows serial console requires special administration console (sac) to be enabled within the windows vm",
  "if you do not see sac> in the console below after the connection is made, sac is not enabled",
  "for more information on the azure serial console and sac, see",
  "preparing console connection to",
  "connecting to console of",
  "please retry your connection",
  "if this issue persists please visit",
  "for more information see",
  "to reconnect, press 'enter'",
  "to reconnect, press enter",
  // Azure CLI (knack) error layout and crash banner.
  "the command failed with an unexpected error. here is the traceback:",
  "traceback (most recent call last):",
  "for more details please go to",
  " code: ",
  " message: ",
  // msrest / azure-core's HttpResponseError around any status ("Operation returned an invalid status 'Forbidden'").
  "operation returned an invalid status",
  // axios, which the portal uses: "'ERR_BAD_REQUEST' (409) - Request failed with status code 409" (any 4xx).
  "request failed with status code",
  "err_bad_request",
  // Resource Manager's refusal of any action (AuthorizationFailed): the action it names tells the errors apart.
  "the client ",
  " with object id ",
  "does not have authorization to perform action",
  " over scope ",
  "or the scope is invalid",
  "if access was recently granted, please refresh your credentials",
  // Any client's timeout ("ssh: connect to host … port 22: Connection timed out", "The operation has timed out."):
  // not the words of one documented error.
  "timed out",
];

const MIN_SHARED_WORDS = 6;

/** Text up to the first placeholder: a shared opening must be literal to be removed from a paste. */
function literalOpening(text: string): string {
  const cut = text.search(/\{|<|''/);
  return cut < 0 ? text : text.slice(0, cut);
}

/**
 * Openings of at least six words shared by documented errors that are not the same error under one code (the six
 * InternalServerError messages may share words: that is what tells them apart from the rest).
 */
export function sharedOpenings(entries: readonly CatalogEntry[]): string[] {
  const texts = entries.flatMap((entry) =>
    [entry.message, ...(entry.variants ?? [])].map((text) => ({
      code: entry.code,
      id: entry.id,
      words: literalOpening(normalize(text)).split(" "),
    })),
  );
  const found = new Set<string>();
  for (let i = 0; i < texts.length; i++) {
    for (let j = i + 1; j < texts.length; j++) {
      const a = texts[i];
      const b = texts[j];
      if (a === undefined || b === undefined || a.id === b.id || (a.code !== undefined && a.code === b.code)) continue;
      let n = 0;
      while (n < a.words.length && a.words[n] === b.words[n]) n++;
      if (n >= MIN_SHARED_WORDS)
        found.add(
          a.words
            .slice(0, n)
            .join(" ")
            .replace(/[:,;.-]+$/, ""),
        );
    }
  }
  return [...found];
}

const PHRASES = [...new Set([...sharedOpenings(CATALOG), ...CLIENT_WRAPPING])].sort((a, b) => b.length - a.length);

/** The console's progress line names the VM (any name): the name goes with the wording. Linear: one fixed opening. */
const NAMING_WRAPPING = /(?:preparing console connection to|connecting to console of) [^ ]+/g;

/** `normalized` with the shared and client wording cut out (each occurrence becomes one space). */
export function withoutBoilerplate(normalized: string): string {
  let text = ` ${normalized.replace(NAMING_WRAPPING, " ")} `;
  for (const phrase of PHRASES) if (text.includes(phrase)) text = text.split(phrase).join(" ");
  return text.trim();
}

/** The phrases in use, for tests and the ranking bench. */
export const BOILERPLATE: readonly string[] = PHRASES;
