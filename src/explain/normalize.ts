/**
 * What people paste is rarely the documented text byte for byte: terminals wrap it, chat tools curl the quotes,
 * HTML turns `<` into `&lt;`, markdown adds `*` and backticks. `normalize` maps all of that to one plain form, and
 * the same function is applied to the catalogue, so both sides compare in the same alphabet.
 */

const ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'", nbsp: " " };

/** Decode the handful of HTML entities seen in pasted portal/docs text, including numeric ones. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (match, name: string) => {
    if (name[0] === "#") {
      const code = name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : match;
    }
    return ENTITIES[name.toLowerCase()] ?? match;
  });
}

// Every quote character becomes `'`: documents and pastes disagree on ' vs " vs curly quotes (2019 vs 2025 texts).
const QUOTES = /["'\u00ab\u00bb\u2018-\u201f\u2032\u2033\u00b4]/g;
const DASHES = /[\u2010-\u2015\u2212]/g;

/**
 * Lower-case, entity-decoded, quote- and dash-unified, markdown emphasis and backslash escapes removed, all
 * whitespace (line breaks, doubled spaces, NBSP) collapsed to one space, and negative contractions written out
 * ("didn't", "didnt" → "did not"): the 2018 console said "did not respond", the 2025 document says "didn't respond".
 */
/**
 * JSON's `\uXXXX` escapes decoded: a line copied out of an ARM error body without its braces keeps them (`\u0027`
 * for a quote), which a parsed body would not.
 */
export function decodeJsonEscapes(text: string): string {
  return text.includes("\\u") ? text.replace(/\\u([0-9a-fA-F]{4})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))) : text;
}

/**
 * Words the documents write in two ("Web socket is closed…") that browsers and clients write as one (Chrome's
 * "WebSocket is closed before the connection is established", "websocket is closed"): one spelling for both.
 */
const SPLIT_SPELLINGS: Record<string, string> = { websocket: "web socket", websockets: "web sockets" };
const JOINED_SPELLINGS = new RegExp(`\\b(?:${Object.keys(SPLIT_SPELLINGS).join("|")})\\b`, "g");

export function normalize(text: string): string {
  return (
    decodeEntities(decodeJsonEscapes(text))
      .normalize("NFKC")
      .replace(/\\([<>*_`'"\\[\]])/g, "$1")
      // Markdown emphasis and code spans (`uploadSasUri`, **Blob**) are presentation, not text.
      .replace(/[*`]/g, "")
      .replace(QUOTES, "'")
      .replace(DASHES, "-")
      .replace(/\s+/g, " ")
      // French typography puts a space before a colon ("clientObjectId : '…'").
      .replace(/ :/g, ":")
      .trim()
      .toLowerCase()
      .replace(/\b(can|won)'t\b/g, (_m, verb: string) => (verb === "can" ? "cannot" : "will not"))
      .replace(/\b([a-z]+)n't\b/g, "$1 not")
      // The same typed without the apostrophe ("couldnt"); not "cant" or "wont", which are words of their own.
      .replace(/\b(could|would|should|did|does|do|is|are|was|were|has|have|had)nt\b/g, "$1 not")
      .replace(JOINED_SPELLINGS, (word: string) => SPLIT_SPELLINGS[word] ?? word)
  );
}

const STOP = new Set(
  "a an and are as at be by for from has have in is it of on or the this to was with you your please not be can may".split(" "),
);

/**
 * Fold a plural to its singular ("namespaces", "accounts", "diagnostics" → "namespace", "account", "diagnostic";
 * "policies" → "policy"). Deliberately crude: the same fold runs on the catalogue and on the paste, so all it must
 * do is map both forms of a word to one key. Short words and -ss/-us/-is endings ("access", "status") are kept.
 */
export function fold(word: string): string {
  if (word.length < 4 || !word.endsWith("s") || /(?:ss|us|is|[0-9._/-]s)$/.test(word)) return word;
  if (word.endsWith("ies")) return `${word.slice(0, -3)}y`;
  return word.slice(0, -1);
}

/**
 * Words worth comparing, plurals folded: letters/digits (and dots/slashes inside names), stop words and 1-letter
 * tokens dropped.
 */
export function tokens(normalized: string): string[] {
  const words = normalized.match(/[a-z0-9][a-z0-9._/-]*[a-z0-9]|[a-z0-9]/g) ?? [];
  return words.filter((word) => word.length > 1 && !STOP.has(word)).map(fold);
}
