/**
 * Rank catalogue entries against a paste. Deterministic and cheap (one pass over ~80 entries): each entry gets the
 * best of several signals, strongest first, every score in [0, 1] —
 *
 * | signal     | score        | when |
 * |---|---|---|
 * | `id`       | 1            | the paste is an entry's id (`storage-forbidden`, as `--vm -o json` prints it in `documentedError.id`) |
 * | `message`  | 0.95–0.98    | a documented message (or variant), placeholders filled or not, occurs in the paste (longer text: higher) |
 * | `code`     | 0.94; 0.6    | the paste names the entry's error code (`VMNotFound`); 0.6 for a code every service returns (`InternalServerError`) said alone |
 * | `fragment` | 0.88–0.93    | the paste is a piece (≥ 12 characters) of a documented message, or holds its first sentence among other text (36+ fixed characters, placeholders filled by names, and no other error code named in the paste); 0.40–0.45 (a candidate) when it is two words found in three or more entries ("serial console") |
 * | `alias`    | 0.87; 0.4    | the paste names something only this error names (`Key based authentication is not permitted`), or a hint of it (the service's host, `*.serialconsole.azure.com`) with words of a network failure (refused, timed out, firewall); 0.4 (a candidate) for a hint alone |
 * | `resource` | 0.75         | an ARM ResourceNotFound names the resource type this error is about (see not-found.ts) |
 * | `words`    | ≤ 0.8        | rarity-weighted word overlap (IDF), shared and client boilerplate, status mentions and field names (`"message":`, `Code:`) left out: precision × recall; at least 0.55 when two or more words shared are this entry's alone (4+ letters, said within ten words); half when the paste names error codes, none of them the entry's |
 * | `status`   | 0.5          | the paste is an HTTP status the entry carries, or names it next to words the entry shares |
 * | `cause`    | 0.45         | (candidates only) a message no document lists whose source names this error among its causes: az serial-console's own failures, Azure Storage's refusals (see known-causes.ts) |
 * | `spelling` | < 0.3        | (candidates only, see `nearest`) trigram similarity |
 *
 * Then evidence against: an entry the paste rules out (a websocket it says was opened) is a candidate at most,
 * unless the paste holds its documented text; a paste that names HTTP statuses weighs half for an entry documented with another one,
 * an entry whose message carries its own code ('Forbidden'(SubscriptionNotEnabled)) weighs half when the
 * paste does not name that code (a real copy of it would), and an entry with a generic code weighs half when the paste
 * names that code next to words that are not its message. Small bonuses go to a matching status (unless the entry's
 * own message, which prints it, matched), to the deeper
 * part of an ARM error (the root cause) and to wording agreement (tie-break).
 */
import { CATALOG, getEntry, type CatalogEntry } from "../catalog/index.js";
import { withoutBoilerplate } from "./boilerplate.js";
import { knownCausesIn } from "./known-causes.js";
import { decodeJsonEscapes, normalize, tokens } from "./normalize.js";
import { notFoundSubject } from "./not-found.js";
import { codesIn, parsePaste } from "./parse.js";
import { entryStatus, isReasonPhraseCode, isStatusOnly, statusesIn, withoutStatusMentions, withoutStatusWords } from "./status.js";
import { compileTemplate, escape, type CompiledTemplate } from "./template.js";

export type MatchKind = "id" | "message" | "code" | "fragment" | "alias" | "resource" | "trace" | "status" | "cause" | "words" | "spelling";

export interface ExplainMatch {
  entry: CatalogEntry;
  /** In [0, 1]; ≥ `MATCH_THRESHOLD` counts as a match. */
  score: number;
  matchedBy: MatchKind;
  /** Why a paste that is not the documented text still points here (a ResourceNotFound, a client crash). */
  note?: string;
  /** Commands to show instead of the entry's fix, when the paste says more than the entry (a scale set's name given as a VM's). */
  fix?: { templates: readonly string[]; args: Readonly<Record<string, string>> };
}

/** Below this an entry is only a "nearest candidate". */
export const MATCH_THRESHOLD = 0.5;

/** Below this, an entry shares too little with the paste to be shown even as a nearest candidate. */
export const CANDIDATE_FLOOR = 0.3;

/** The same for a candidate by spelling alone (scaled below 0.3): "the printer is on fire" resembles nothing. */
export const SPELLING_FLOOR = 0.12;

const AGAINST = 0.5;

/** A message with several possible causes (known-causes.ts): each is a candidate, none a match. */
const CAUSE_CANDIDATE = 0.45;

/** A hint (`CatalogEntry.hints`): below a known cause's score, so a known cause's note is what a candidate says. */
const HINT = 0.4;

/**
 * Words saying a connection failed on the network, which make a hint (a host) proof: "wss://…gateway.serialconsole.
 * azure.com … connection refused" is a websocket that couldn't be opened. Not "could not establish connection": az
 * serial-console says that of a VM that is not running too (known-causes.ts).
 */
const NETWORK_FAILURE =
  /\b(?:refused|econnrefused|econnreset|etimedout|enotfound|connection reset|timed[ _]out|unreachable|firewall|failed|can ?not establish|can't establish|name not resolved|err_[a-z_]+)\b/;

/** The most a words match scores when every word it shares is three letters or fewer: a nearest candidate. */
const WORDS_WITHOUT_CONTENT = 0.45;

interface Indexed {
  entry: CatalogEntry;
  /** The entry's id normalised as a paste is ("websocket-closed" → "web socket-closed"). */
  id: string;
  order: number;
  templates: CompiledTemplate[];
  words: Set<string>;
  weight: number;
  status?: number;
  code?: RegExp;
  /** Its code is one every Azure service returns (`GENERIC_CODES`): alone it says little, next to other words less. */
  genericCode: boolean;
  /** The message itself prints the code: a paste without the code is not this error. */
  codeInMessage: boolean;
  /** How people describe it (`aliasPattern`): "no password" is not in "no password-less rule". */
  aliases: RegExp[];
  hints: RegExp[];
  contradictedBy: RegExp[];
}

/**
 * `alias` as whole words, its last one allowed to go on only as "into" or a plural ("cannot log in" is in "cannot log
 * into the console"; not in "cannot log incoming", nor "no password" in "no passwordless" or "no password-less").
 */
function aliasPattern(alias: string): RegExp {
  return new RegExp(`(?<![a-z0-9])${escape(normalize(alias))}(?:to|s)?(?![a-z0-9]|-[a-z0-9])`);
}

/**
 * Codes Resource Manager and every resource provider return for any request of their kind (the ARM common error
 * codes: https://learn.microsoft.com/azure/azure-resource-manager/troubleshooting/common-deployment-errors), which
 * VM Inspector's document also uses. A paste naming one is that error only if its words are the entry's: ARM's own
 * "Encountered internal server error. Diagnostic information: …" is no VM Inspector failure.
 */
const GENERIC_CODES = new Set(["InternalServerError", "InvalidParameter", "ResourceNotSupported"]);

/** A generic code said with nothing else (a status at most): every entry with it is a match, none a confident one. */
const GENERIC_CODE_ALONE = 0.6;
/** A words score from most of an entry's own wording (its message retyped without quotes or values). */
const MOST_WORDS = 0.75;

function codePattern(code: string): RegExp {
  const text = escape(normalize(code));
  return new RegExp(`(?:^|[^a-z0-9])${text}(?:$|[^a-z0-9])`);
}

/**
 * A paste's words that are compared: without boilerplate, nor where it says a status — "'Bad Request'" or
 * "HTTP/1.1 400 Bad Request" is a 400 (compared as one, see status.ts), any 400, not the documented message that
 * prints it. An entry keeps its reason phrase as words: `A "Forbidden" response …` is what storage-forbidden is about.
 */
function pastedWords(normalized: string): string[] {
  return tokens(withoutStatusMentions(withoutBoilerplate(withoutFieldNames(normalized))));
}

/**
 * The names of an error's fields, not its words: JSON keys (`"code":`, `\"message\":`) and the labels clients print
 * (`Code:`, `Message:`, `statusCode:`, `statusMessage:`, `Target:`). Counted as words, every ARM error says "message"
 * and "code", and "message" is one entry's alone ("… error message: '{3}'"): a deployment failure became that entry.
 */
const FIELD_NAMES = /'[a-z_][a-z0-9_]*' ?:|(?<![a-z0-9'-])(?:code|message|status ?code|status ?message|target|details|error ?code):/g;

function withoutFieldNames(normalized: string): string {
  return normalized.replace(FIELD_NAMES, " ");
}

/** Fixed characters the text after a code must have to be a template of its own: as many as a headline's. */
const MIN_MESSAGE_AFTER_CODE = 36;

/**
 * The text after the code a message prints ("…'Forbidden'(SubscriptionNotEnabled) - Subscription name undefined, id
 * <subscription id> is in non-Enabled state undefined"): the error's own message, which people copy without the
 * console's prefix — a copy of the documented text, not a description missing the code.
 */
function messageAfter(code: RegExp, normalized: string): string[] {
  const found = code.exec(normalized);
  if (!found) return [];
  const after = normalized.slice(found.index + found[0].length).replace(/^[\s:-]+/, "");
  return compileTemplate(after).literalLength >= MIN_MESSAGE_AFTER_CODE ? [after] : [];
}

const BASE = CATALOG.map((entry, order) => {
  const texts = [entry.message, ...(entry.variants ?? [])].map(normalize);
  const code = entry.code ? codePattern(entry.code) : undefined;
  const status = entryStatus(entry.httpStatus, texts[0] ?? "");
  const genericCode = entry.code !== undefined && GENERIC_CODES.has(entry.code);
  // A generic code is no word of this entry's: "(InvalidParameter) The value of parameter … is invalid" shares it
  // with every service's error.
  const codeWords = entry.code && !genericCode ? tokens(normalize(entry.code)) : [];
  return {
    entry,
    id: normalize(entry.id),
    order,
    templates: [entry.message, ...(entry.variants ?? []), ...(code ? texts.flatMap((text) => messageAfter(code, text)) : [])].map(
      compileTemplate,
    ),
    words: new Set(texts.flatMap((text) => tokens(withoutBoilerplate(text))).concat(codeWords)),
    aliases: (entry.aliases ?? []).map(aliasPattern),
    hints: (entry.hints ?? []).map(aliasPattern),
    contradictedBy: (entry.contradictedBy ?? []).map(aliasPattern),
    codeInMessage: code !== undefined && texts.every((text) => code.test(text)),
    genericCode,
    ...(status !== undefined ? { status } : {}),
    ...(code ? { code } : {}),
  };
});

// Inverse document frequency: a word in one entry ("hierarchical") says far more than one in thirty ("vm").
const DF = new Map<string, number>();
for (const item of BASE) for (const word of item.words) DF.set(word, (DF.get(word) ?? 0) + 1);
const idf = (word: string): number => Math.log(1 + BASE.length / (DF.get(word) ?? BASE.length));
const sumIdf = (words: Iterable<string>): number => {
  let total = 0;
  for (const word of words) total += idf(word);
  return total;
};

const INDEX: Indexed[] = BASE.map((item) => ({ ...item, weight: sumIdf(item.words) }));

/**
 * A closing piece of advice ("Please retry later.", "Try again later.", "Please wait and retry the request.") ends
 * many errors, documented or not: alone it names none of them.
 */
const ADVICE = /^(?:please\s+)?(?:wait|try|retry|refresh|reload|contact)\b/;

/** The words an entry's messages say outside their closing advice: what the error is, not what to do about it. */
function statementWords(entry: CatalogEntry): Set<string> {
  const sentences = [entry.message, ...(entry.variants ?? [])].flatMap((text) => normalize(text).split(/(?<=[.!?])\s+/));
  return new Set(sentences.filter((sentence) => !ADVICE.test(sentence)).flatMap((sentence) => tokens(withoutBoilerplate(sentence))));
}

/**
 * A word only one entry uses, long enough to be telling: "do", "run", "add" and "new" are each in one document
 * only because the catalogue is small; any sentence (or enough random bytes) holds them. Nor a word of the entry's
 * closing advice: "wait" is another-connection's alone ("Please wait and retry the request."), and any error that
 * asks to wait says it ("Run command extension execution is in progress. Please wait for completion …").
 */
const OWNER = new Map(
  INDEX.flatMap((item) => {
    const statement = statementWords(item.entry);
    return [...item.words]
      .filter((word) => DF.get(word) === 1 && word.length >= 4 && statement.has(word))
      .map((word) => [word, item.order] as const);
  }),
);

/** Own words count together only this close (in compared words): one phrase, not two ends of a 3 MB paste. */
const OWN_WINDOW = 10;

/** Per entry, the most distinct own words of it that occur within `OWN_WINDOW` words of one another. */
function ownWordsTogether(words: readonly string[]): Map<number, number> {
  const seen: { at: number; word: string; order: number }[] = [];
  const most = new Map<number, number>();
  words.forEach((word, at) => {
    const order = OWNER.get(word);
    if (order === undefined) return;
    seen.push({ at, word, order });
    const near = new Set<string>();
    for (let i = seen.length - 1; i >= 0; i--) {
      const other = seen[i];
      if (other === undefined || at - other.at >= OWN_WINDOW) break;
      if (other.order === order) near.add(other.word);
    }
    most.set(order, Math.max(most.get(order) ?? 0, near.size));
  });
  return most;
}

function wordScore(item: Indexed, part: Part): number {
  const { known, knownWeight } = part;
  if (knownWeight === 0 || item.weight === 0) return 0;
  let overlap = 0;
  let telling = false;
  for (const word of known)
    if (item.words.has(word)) {
      overlap += idf(word);
      telling ||= word.length >= 4;
    }
  const overlapScore = 0.8 * Math.sqrt((overlap / knownWeight) * (overlap / item.weight));
  // Only short everyday words in common ("I do not know how to run this": do, run) is a candidate at most.
  const score = telling ? overlapScore : Math.min(overlapScore, WORDS_WITHOUT_CONTENT);
  // Two words no other documented error uses ("hierarchical namespace") name the error even in another wording.
  const own = part.own.get(item.order) ?? 0;
  return own >= 2 ? Math.max(score, Math.min(0.55 + 0.05 * (own - 2), 0.65)) : score;
}

interface Part {
  text: string;
  depth: number;
  known: Set<string>;
  knownWeight: number;
  /** `known` without the words that only say a status: "forbidden" names every 403, not the one that says it. */
  knownBeyondStatus: Set<string>;
  /** Per entry (by catalogue order): how many of its own words the part says together. */
  own: Map<number, number>;
  /** The text without its closing `.`/`!`: what a message's own text may contain. */
  fragment: string;
  /** Generic wording: a closing piece of advice, or two words or fewer found in `FRAGMENT_SHARED` or more entries' messages. */
  fragmentShared: boolean;
}

/**
 * "serial console" or "boot diagnostics" is in many messages and names none of them. A longer piece that several
 * share ("Disk inspection isn't supported for the spec…", cut before the detail) still lists them all as matches.
 */
const FRAGMENT_SHARED = 3;

function isGenericPhrase(fragment: string): boolean {
  if (fragment.length <= 60 && ADVICE.test(fragment) && tokens(fragment).length <= 6) return true;
  // Length first: a paste too long to be two words is not tokenised again.
  if (fragment.length < 12 || fragment.length > 80 || tokens(fragment).length > 2) return false;
  return INDEX.filter((item) => item.templates.some((template) => template.text.includes(fragment))).length >= FRAGMENT_SHARED;
}

/**
 * Whether `text` says nothing but the code `code` matches (as often as it is said: the Azure CLI prints
 * "(InternalServerError)" and "Code: InternalServerError"), a status and client wording around it.
 */
function saysOnly(code: RegExp, text: string): boolean {
  return !/[a-z0-9]/.test(withoutStatusWords(withoutBoilerplate(withoutCodeLabel(text.split(code).join(" ")))));
}

/** The labels clients print before an error's parts (`ERROR:`, `Message:`, `Code:`), lower-cased as normalised. */
const LABELS = /(?:^|\s)(?:error|message|code):(?=\s|$)/;

/**
 * Text a code was cut out of, without what labelled it: the brackets or colon around it (`() …`, `…: …`) and the
 * SDKs' `ErrorCode:`/`Code:` labels (azure-core's and .NET's `Status: 500 (Internal Server Error) ErrorCode: …`).
 */
function withoutCodeLabel(text: string): string {
  return text
    .replace(/\b(?:error ?)?code:?(?= |$)/g, " ")
    .replace(/\(\s*\)|\[\s*\]|^\s*:|\s:\s/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/**
 * `headlines`: whether a template's first sentence may match among other text — not when the paste names an error
 * code other than the entry's ("Failed to … (AccountIsDisabled) …" is that error, whatever sentence it shares).
 */
function partScore(item: Indexed, part: Part, headlines: boolean): { score: number; matchedBy: MatchKind } {
  let best = { score: wordScore(item, part), matchedBy: "words" as MatchKind };
  const consider = (score: number, matchedBy: MatchKind) => {
    if (score > best.score) best = { score, matchedBy };
  };
  const { text } = part;
  if (text === item.id) consider(1, "id");
  const messages = (text: string, fragment: string) => {
    for (const template of item.templates) {
      const length = template.literalLength;
      if (template.regex.test(text)) consider(0.95 + (0.03 * length) / (length + 100), "message");
      else if (fragment.length >= 12 && template.text.includes(fragment))
        // A generic phrase (see FRAGMENT_SHARED) is a candidate only.
        consider((part.fragmentShared ? 0.4 : 0.88) + (0.05 * fragment.length) / template.text.length, "fragment");
      else {
        const fixed = fragment.length >= 12 ? template.openingLength(fragment) : 0;
        if (fixed >= 12) consider(0.88 + (0.05 * fixed) / template.text.length, "fragment");
        else if (headlines && template.headline?.regex.test(text))
          consider(0.88 + (0.05 * template.headline.literalLength) / template.literalLength, "fragment");
      }
    }
  };
  messages(text, part.fragment);
  // A generic code before the message, as the az CLI prints it ("ERROR: (InternalServerError) Failed to register …",
  // then "Code: …" and "Message: …" again): the message is what tells, so each piece between the code and the
  // labels is matched on its own.
  if (item.genericCode && item.code?.test(text))
    for (const piece of text.split(item.code).flatMap((between) => withoutCodeLabel(between).split(LABELS))) {
      const message = piece.trim();
      if (message.length >= 12) messages(message, withoutClosingPunctuation(message));
    }
  if (item.code?.test(text)) consider(!item.genericCode ? 0.94 : saysOnly(item.code, text) ? GENERIC_CODE_ALONE : 0, "code");
  if (item.aliases.some((alias) => alias.test(text))) consider(0.87, "alias");
  else if (item.hints.some((hint) => hint.test(text))) consider(NETWORK_FAILURE.test(text) ? 0.87 : HINT, "alias");
  return best;
}

/**
 * `text` without the `.` and `!` it ends with. Not `/[.!]+$/`: on a paste of many dots followed by another
 * character that expression tries every start in the run and takes quadratic time (20,000 dots: 40 s).
 */
export function withoutClosingPunctuation(text: string): string {
  let end = text.length;
  while (end > 0 && (text[end - 1] === "." || text[end - 1] === "!")) end--;
  return text.slice(0, end);
}

function partOf(text: string, depth: number): Part {
  const normalized = normalize(text);
  const words = pastedWords(normalized);
  const known = new Set(words.filter((word) => DF.has(word)));
  const fragment = withoutClosingPunctuation(normalized);
  return {
    text: normalized,
    depth,
    known,
    knownWeight: sumIdf(known),
    knownBeyondStatus: new Set(tokens(withoutBoilerplate(withoutStatusWords(normalized))).filter((word) => known.has(word))),
    own: ownWordsTogether(words),
    fragment,
    fragmentShared: isGenericPhrase(fragment),
  };
}

/**
 * Whether `part` says, beyond its status, words that point at this entry: one only it uses ("locked"), or two of 4+
 * letters when none of them is another entry's own. One everyday word is not enough: "operation" is in ScopeLocked's
 * message and in most 409s Compute returns ("Operation 'powerOff' is not allowed on VM 'zzz' since the VM is either
 * deallocated or marked to be deallocated", https://github.com/hashicorp/terraform-provider-azurerm/issues/28218);
 * nor are two ("operation", "cannot") beside a word that names another error ("deallocated": vm-not-running).
 */
function sharesTellingWords(item: Indexed, part: Part): boolean {
  let shared = 0;
  let othersOwn = false;
  for (const word of part.knownBeyondStatus) {
    const owner = OWNER.get(word);
    if (owner === item.order) return true;
    if (owner !== undefined) othersOwn = true;
    if (item.words.has(word) && word.length >= 4) shared++;
  }
  return shared >= 2 && !othersOwn;
}

/** The HTTP statuses a normalised paste names, in prose or as its ARM document's `status`. */
function pasteStatuses(whole: string, documented: number | undefined): Set<number> {
  const statuses = statusesIn(whole);
  if (documented !== undefined) statuses.add(documented);
  return statuses;
}

/** Every entry scored against the paste, best first (ties keep catalogue order). */
export function rank(paste: string): ExplainMatch[] {
  const parsed = parsePaste(paste);
  const parts = parsed.parts.map((part) => partOf(part.text, part.depth));
  const whole = normalize(paste);
  const statuses = pasteStatuses(whole, parsed.status);
  // "403" asks for every 403; "…encountered an error: 'Forbidden' (403)" is a status with the console's wording
  // around it: still no words of its own, but a real SubscriptionNotEnabled error would have printed that code.
  const statusOnly = isStatusOnly(withoutBoilerplate(whole));
  const nothingButStatus = isStatusOnly(whole);
  const resource = notFoundSubject(decodeJsonEscapes(paste));
  const causes = knownCausesIn(whole);
  const codes = codesIn(paste).map(normalize);
  // "code": "Conflict" is a status said as a code (a deployment's wrapper): it names no error.
  const errorCodes = codes.filter((code) => !isReasonPhraseCode(code));
  const scored = INDEX.map((item) => {
    let best: { score: number; matchedBy: MatchKind; note?: string; fix?: ExplainMatch["fix"] } = { score: 0, matchedBy: "words" };
    let words = 0;
    const headlines = codes.every((code) => item.code?.test(code) === true);
    for (const part of parts) {
      const found = partScore(item, part, headlines);
      // The root cause is nested deepest in an ARM error: prefer what matched there.
      const score = found.score > 0 ? found.score + 0.001 * Math.min(part.depth, 5) : 0;
      if (score > best.score) best = { score, matchedBy: found.matchedBy };
      words = Math.max(words, wordScore(item, part));
    }
    const pointed = resource ? (resource.entries as readonly string[]).indexOf(item.entry.id) : -1;
    if (resource && pointed >= 0 && best.score < 0.75)
      best = { score: 0.75 - 0.001 * pointed, matchedBy: "resource", note: resource.note, ...(resource.fix ? { fix: resource.fix } : {}) };
    const cause = causes ? (causes.entries as readonly string[]).indexOf(item.entry.id) : -1;
    if (causes && cause >= 0 && best.score < CAUSE_CANDIDATE)
      best = { score: CAUSE_CANDIDATE - 0.001 * cause, matchedBy: "cause", note: causes.note };
    const exact = best.matchedBy === "id" || best.matchedBy === "message" || best.matchedBy === "code";
    const agrees = item.status !== undefined && statuses.has(item.status);
    // A status the paste names next to words of this entry: the entry's, as a match. Its reason phrase alone
    // ("…(AuthorizationFailed) … (403) Forbidden") is no such word: it names every entry with that status; nor is one
    // everyday word (see sharesTellingWords).
    const sharesWords = best.score > 0 && parts.some((part) => sharesTellingWords(item, part));
    if (agrees && best.score < MATCH_THRESHOLD && (statusOnly || sharesWords)) best = { score: MATCH_THRESHOLD, matchedBy: "status" };
    // Not for a documented message, which prints its status already: the console's "'Bad Request' (400)" line would
    // outrank the longer message after it ("(400) - Provisioning for this VM has not yet succeeded…"), documented
    // without one.
    if (agrees && best.matchedBy !== "message") best.score += 0.01;
    else if (!exact && statuses.size > 0 && item.status !== undefined) best.score *= AGAINST;
    // A generic code said next to a message that is not this entry's (some shared words, not most of its wording):
    // every service says that code with its own message, so the message tells, and it says another error.
    if (item.genericCode && best.matchedBy === "words" && best.score < MOST_WORDS && parts.some((part) => item.code?.test(part.text)))
      best.score *= AGAINST;
    // Words shared with an entry whose code the paste does not name, when it names others: those codes are the error
    // ("(StorageAccountTypeNotSupported) … Boot Diagnostics supports …"), as for a headline (see partScore).
    if (best.matchedBy === "words" && errorCodes.length > 0 && !errorCodes.some((code) => item.code?.test(code) === true))
      best.score *= AGAINST;
    if (!exact && !nothingButStatus && item.codeInMessage && !parts.some((part) => item.code?.test(part.text))) best.score *= AGAINST;
    // The portal's own text is that error whatever else the paste says; anything weaker is ruled out.
    const documented = best.matchedBy === "id" || best.matchedBy === "message";
    if (!documented && item.contradictedBy.some((pattern) => pattern.test(whole))) best.score = Math.min(best.score, CAUSE_CANDIDATE);
    // Tie-break equal signals (e.g. six entries sharing a code) by how much of the wording agrees.
    if (best.score > 0) best.score += 0.005 * words;
    const score = Math.round(Math.min(best.score, 1) * 10_000) / 10_000;
    return {
      entry: item.entry,
      score,
      matchedBy: best.matchedBy,
      order: item.order,
      ...(best.note ? { note: best.note } : {}),
      ...(best.fix ? { fix: best.fix } : {}),
    };
  });
  return scored
    .filter((match) => match.score > 0)
    .sort((a, b) => b.score - a.score || a.order - b.order)
    .map(({ order: _order, ...match }) => match);
}

/** The entry for a documented id, as a match of the given kind (used for client crashes). */
export function pointAt(id: string, score: number, matchedBy: MatchKind, note: string): ExplainMatch | undefined {
  const entry = getEntry(id);
  return entry ? { entry, score, matchedBy, note } : undefined;
}

function trigrams(text: string): Set<string> {
  const padded = ` ${text} `;
  const out = new Set<string>();
  for (let i = 0; i + 3 <= padded.length; i++) out.add(padded.slice(i, i + 3));
  return out;
}

// Spelling compares what is left without boilerplate, or every console paste would resemble the two errors that
// begin with the console's own opening.
const TRIGRAMS = INDEX.map((item) => item.templates.map((template) => trigrams(withoutBoilerplate(template.text))));

/**
 * The nearest entries by spelling alone (trigram Dice coefficient), for a paste that shares no word with any
 * documented error: a typo'd or truncated message still points somewhere. Scores are scaled below 0.3, so these
 * are only ever candidates, never matches; a status the paste names weighs against entries with another one.
 */
export function nearest(paste: string, count: number): ExplainMatch[] {
  const whole = normalize(paste);
  const query = trigrams(withoutBoilerplate(whole));
  if (query.size === 0) return [];
  const statuses = pasteStatuses(whole, parsePaste(paste).status);
  return INDEX.map((item, i) => {
    let best = 0;
    for (const grams of TRIGRAMS[i] ?? []) {
      let shared = 0;
      for (const gram of query) if (grams.has(gram)) shared++;
      best = Math.max(best, (2 * shared) / (query.size + grams.size));
    }
    // A paste with another status is not this error, however alike the spelling ('ERR_BAD_REQUEST' (409)).
    if (statuses.size > 0 && item.status !== undefined && !statuses.has(item.status)) best *= AGAINST;
    return { entry: item.entry, score: Math.round(0.3 * best * 10_000) / 10_000, matchedBy: "spelling" as MatchKind, order: item.order };
  })
    .filter((match) => match.score > 0)
    .sort((a, b) => b.score - a.score || a.order - b.order)
    .slice(0, count)
    .map(({ entry, score, matchedBy }) => ({ entry, score, matchedBy }));
}
