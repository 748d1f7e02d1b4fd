/**
 * What must not leave the machine in a report.
 *
 * - **Always**, `--redact` or not: values of our own secrets (`IDENTITY_HEADER`, `AZURE_CLIENT_SECRET`, …, passed
 *   in by the caller) and anything shaped like a credential that Azure might echo back (`secrets.ts`). A report
 *   never needs a credential.
 * - **With `--redact`** (always for markdown): identifiers — subscription ids, tenant ids, object (principal) ids,
 *   user principal names and e-mail addresses. Each distinct value gets one label for the whole report
 *   (`<subscription-1>`, `<tenant-1>`, `<object-1>`, `<user-1>`), so a reader can still tell "the same
 *   subscription" from "another one". A GUID counts as an identifier when it stands in an identifying position
 *   (`/subscriptions/…`, `tenantId`, `object id '…'`, `--assignee …`); once known, it is masked everywhere.
 *   ARM correlation ids stay: they identify a request, not a person or tenant, and support needs them.
 */
import { mapStrings, setOwn } from "./sanitize.js";
import { maskSecrets } from "./secrets.js";
import { boundedMemo } from "../bounded-memo.js";

const GUID = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";
const GUID_ONLY = new RegExp(`^${GUID}$`);

type Kind = "subscription" | "tenant" | "object" | "user";

/**
 * Between a key and its GUID: quotes, `:`/`=` and whitespace, as one bounded run. Adjacent `\s*` runs
 * (`\s*['"]?\s*[:=]?\s*`) split a long run of spaces every way before failing: `tid` and 2,000 spaces took 4 s,
 * 4 KiB 105 s. 32 is room for Format-List's padding (`TenantId             : …`).
 */
const SEPARATOR = `[\\s:='"]{0,32}`;

/** Where a GUID is an identifier of a kind: in free text … */
const TEXT_POSITIONS: [RegExp, Kind][] = [
  // As a path, and percent-encoded inside another URL (`subscriptions%2F<guid>`).
  [new RegExp(`(?:(?<=%2F)|\\b)subscriptions(?:/|%2F)(${GUID})`, "gi"), "subscription"],
  [new RegExp(`\\bsubscription(?:[ _-]?id)?${SEPARATOR}(${GUID})`, "gi"), "subscription"],
  [new RegExp(`(?:(?<=%2F)|\\b)tenants(?:/|%2F)(${GUID})`, "gi"), "tenant"],
  [new RegExp(`\\btenant(?:[ _-]?id|\\s+named)?${SEPARATOR}(${GUID})`, "gi"), "tenant"],
  // Entra ID's sign-in errors: "… was not found in the directory '<tenant>'" (AADSTS700016), and the token's `tid`.
  [new RegExp(`\\bdirectory\\s*['"]?(${GUID})`, "gi"), "tenant"],
  [new RegExp(`\\btid\\b${SEPARATOR}(${GUID})`, "gi"), "tenant"],
  // The sign-in hosts, as tokens' issuers and authorities name them: public, US Government and China clouds
  // (https://learn.microsoft.com/entra/identity-platform/authentication-national-cloud); a v1 token's issuer is
  // sts.windows.net, or sts.chinacloudapi.cn in China, as Resource Manager quotes it in a wrong-issuer 401.
  [
    new RegExp(
      `(?:login\\.microsoftonline\\.(?:com|us)|(?:sts|login)\\.windows\\.net|(?:sts|login)\\.chinacloudapi\\.cn|login\\.partner\\.microsoftonline\\.cn)/(${GUID})`,
      "gi",
    ),
    "tenant",
  ],
  [new RegExp(`#@(${GUID})`, "gi"), "tenant"],
  [
    new RegExp(`\\b(?:object[ _-]?id|principal(?:[ _-]?id)?|clientObjectId|oid|assignee(?:-object-id)?)${SEPARATOR}(${GUID})`, "gi"),
    "object",
  ],
  [new RegExp(`--assignee(?:-object-id)?\\s+['"]?(${GUID})`, "gi"), "object"],
];

/** … and as the value of a JSON key. */
function kindOfKey(key: string): Kind | undefined {
  const k = key.toLowerCase();
  if (k.includes("subscription")) return "subscription";
  if (k.includes("tenant")) return "tenant";
  if (/principal|objectid|object_id|^oid$|assignee|clientid|client_id|userid/.test(k)) return "object";
  return undefined;
}

/**
 * E-mail addresses and user principal names: what `/[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g` matches,
 * found from each `@` instead of by that regex. The regex retries from every position of a long run of letters and
 * takes quadratic time (a 64 KiB line of a serial log or an echoed error: seconds per string); here the local part is
 * read backwards from the `@` and the domain forwards, so each character is looked at a bounded number of times.
 */
const EMAIL_LOCAL_CHAR = /[A-Za-z0-9._%+-]/;
const EMAIL_DOMAIN = /[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/y;
/**
 * systemd template units look like addresses — `serial-getty@ttyS0.service`, `systemd-fsck@dev-sda1.service` — and
 * are the tool's own fix commands and a guest's log lines, never a person: their unit-type suffixes
 * (https://www.freedesktop.org/software/systemd/man/latest/systemd.unit.html) are no e-mail domain.
 */
const UNIT_SUFFIX = /\.(?:service|socket|target|mount|automount|swap|path|timer|slice|scope|device)$/;

/** [start, end) of every address in `text`, leftmost first, not overlapping (the regex's `matchAll`). */
export function emailSpans(text: string): [start: number, end: number][] {
  const spans: [number, number][] = [];
  let from = 0; // end of the previous address: the next one starts at or after it
  for (let at = text.indexOf("@"); at !== -1; at = text.indexOf("@", at + 1)) {
    if (at < from) continue;
    // The local part stops at the previous `@` (not a local character), so these scans never overlap.
    let start = at;
    while (start > from && EMAIL_LOCAL_CHAR.test(text.charAt(start - 1))) start--;
    if (start === at) continue;
    // The domain stops at the next `@` (not a domain character) either.
    EMAIL_DOMAIN.lastIndex = at + 1;
    if (!EMAIL_DOMAIN.test(text)) continue;
    if (UNIT_SUFFIX.test(text.slice(at + 1, EMAIL_DOMAIN.lastIndex))) {
      from = EMAIL_DOMAIN.lastIndex;
      continue;
    }
    spans.push([start, EMAIL_DOMAIN.lastIndex]);
    from = EMAIL_DOMAIN.lastIndex;
  }
  return spans;
}

/** `text` with every e-mail address replaced by `replace(address)`. */
function replaceEmails(text: string, replace: (email: string) => string): string {
  let out = "";
  let copied = 0;
  for (const [start, end] of emailSpans(text)) {
    out += text.slice(copied, start) + replace(text.slice(start, end));
    copied = end;
  }
  return copied === 0 ? text : out + text.slice(copied);
}
/** The tenant's domain in a portal URL (`https://portal.azure.com/#@contoso.onmicrosoft.com/resource/…`). */
const PORTAL_TENANT = /#@([A-Za-z0-9.-]+\.[A-Za-z]{2,})/g;

/**
 * Assigns one stable label per distinct value, numbered per kind in order of first appearance. One set per run,
 * shared by its report and its stderr (`withRedactedStderr`), so `<subscription-1>` names one id in both.
 */
export class RedactionLabels {
  private readonly byValue = new Map<string, string>();
  private readonly counts: Record<Kind, number> = { subscription: 0, tenant: 0, object: 0, user: 0 };
  note(kind: Kind, value: string): void {
    const key = value.toLowerCase();
    if (this.byValue.has(key)) return;
    this.counts[kind] += 1;
    this.byValue.set(key, `<${kind}-${this.counts[kind]}>`);
  }
  get(value: string): string | undefined {
    return this.byValue.get(value.toLowerCase());
  }
  get size(): number {
    return this.byValue.size;
  }
}

function walk(value: unknown, visit: (text: string, key?: string) => void, key?: string): void {
  if (typeof value === "string") visit(value, key);
  else if (Array.isArray(value)) for (const item of value) walk(item, visit, key);
  else if (value !== null && typeof value === "object") {
    for (const [k, item] of Object.entries(value)) {
      visit(k);
      walk(item, visit, k);
    }
  }
}

/** Redacts values one after another with one set of labels: what an audit streaming VM by VM needs. */
export type Redactor = <T>(value: T) => T;

/**
 * A redactor that can also tell, from a value's JSON text alone, that it would change nothing in that value
 * (`leavesJsonAsIs`; absent when it cannot tell, e.g. with identifier redaction, whose labels must see every value).
 */
export interface Cleaner {
  <T>(value: T): T;
  leavesJsonAsIs?: (json: string) => boolean;
}

/**
 * A redactor for one report: credentials and `secrets` always; identifiers when `redact` is set, with labels
 * that stay the same across every value it is given (`<subscription-1>` is the same subscription on every line).
 * `prepare` (sanitising) is applied to every string first, in the same walk.
 */
export function createRedactor(
  secrets: readonly string[],
  redact: boolean,
  prepare?: (text: string) => string,
  labels = new RedactionLabels(),
): Redactor {
  // An audit masks the same strings (keys, titles, reasons, ids) on every line: remember recent answers. Bounded,
  // and a pure function of the text, so a cached answer is the answer.
  const sorted = [...secrets].sort((a, b) => b.length - a.length);
  const recent = boundedMemo<string>();
  const mask = (text: string): string => recent(text, () => maskSecrets(prepare ? prepare(text) : text, sorted));
  return <T>(value: T): T => {
    const masked = mapStrings(value, mask);
    if (!redact) return masked;
    walk(masked, (text, key) => noteIdentifiers(text, labels, key));
    if (labels.size === 0) return masked;
    return quoteLabelsInFixes(mapStrings(masked, (text) => replaceIdentifiers(text, labels)));
  };
}

/** A word a label made part of (`/subscriptions/<subscription-1>/…`), unquoted: a shell reads `<`/`>` as redirections. */
const LABELLED_WORD = /(?<=^|\s)(?=[^\s'"]*<(?:subscription|tenant|object|user)-\d+>)[^\s'"]+(?=\s|$)/g;

/**
 * `value` with each labelled word of a `fix` command single-quoted: pasted as printed, a redacted fix is refused by az
 * for its placeholder ('<object-1>') instead of the shell redirecting from a file named object-1. Copies only what
 * it changes.
 */
function quoteLabelsInFixes<T>(value: T): T {
  if (Array.isArray(value)) {
    const mapped = value.map((item: unknown) => quoteLabelsInFixes(item));
    return (mapped.some((item, i) => item !== value[i]) ? mapped : value) as T;
  }
  if (value === null || typeof value !== "object") return value;
  let out: Record<string, unknown> | undefined;
  for (const [key, item] of Object.entries(value)) {
    const mapped = key === "fix" && Array.isArray(item) ? quotedCommands(item) : quoteLabelsInFixes(item);
    if (mapped !== item) setOwn((out ??= { ...(value as Record<string, unknown>) }), key, mapped);
  }
  return (out ?? value) as T;
}

function quotedCommands(commands: unknown[]): unknown[] {
  const quoted = commands.map((command) => (typeof command === "string" ? command.replace(LABELLED_WORD, "'$&'") : command));
  return quoted.some((command, i) => command !== commands[i]) ? quoted : commands;
}

/** Label every identifier `text` holds in an identifying position (or as the value of identifying `key`). */
function noteIdentifiers(text: string, labels: RedactionLabels, key?: string): void {
  const kind = key !== undefined ? kindOfKey(key) : undefined;
  if (kind && GUID_ONLY.test(text.trim())) labels.note(kind, text.trim());
  for (const [pattern, kindAt] of TEXT_POSITIONS) for (const match of text.matchAll(pattern)) if (match[1]) labels.note(kindAt, match[1]);
  for (const match of text.matchAll(PORTAL_TENANT)) if (match[1]) labels.note("tenant", match[1]);
  for (const [start, end] of emailSpans(text)) labels.note("user", text.slice(start, end));
}

const ANY_GUID = new RegExp(GUID, "g");

/** `text` with every labelled identifier replaced by its label, wherever it appears. */
function replaceIdentifiers(text: string, labels: RedactionLabels): string {
  return replaceEmails(
    text.replace(PORTAL_TENANT, (whole, domain: string) => `#@${labels.get(domain) ?? domain}`),
    (email) => labels.get(email) ?? email,
  ).replace(ANY_GUID, (id) => labels.get(id) ?? id);
}

/** Several texts that go out together: every identifier any of them holds is replaced in all of them. */
export function redactIdentifiersTogether(texts: readonly string[], labels: RedactionLabels): string[] {
  for (const text of texts) noteIdentifiers(text, labels);
  return texts.map((text) => (labels.size === 0 ? text : replaceIdentifiers(text, labels)));
}

/** Identifiers in free text (a line for stderr) replaced by `labels`' labels; nothing else changed. */
export function redactIdentifiers(text: string, labels: RedactionLabels): string {
  return redactIdentifiersTogether([text], labels)[0] ?? text;
}

/** `text` with every GUID, in any position, replaced by `<guid>` (for names the user chose, such as file names). */
export function withoutGuids(text: string): string {
  return text.replace(ANY_GUID, "<guid>");
}
