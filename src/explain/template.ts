/**
 * Documented messages carry placeholders — `{0}`, `{operationId}`, `<VMNAME>`, `<subscription id>`, or an empty
 * `''` where the portal would show a name. A paste has them filled with real values, so each template becomes a
 * regular expression in which a placeholder matches any short run of text.
 */
import { normalize } from "./normalize.js";

// In normalised text: {name}, <name>, or '' (an empty quoted name, as in "The storage account '' used for …").
const PLACEHOLDER = /\{[^{}]{0,40}\}|<[^<>]{1,40}>|''/g;
const ANY = "[\\s\\S]{0,300}?";

export interface CompiledTemplate {
  /** The template normalised, final full stop dropped (pastes often lose it). */
  text: string;
  /** Matches the template anywhere in a normalised paste, placeholders filled or not. */
  regex: RegExp;
  /** Characters of fixed text: more fixed text means a more specific match. */
  literalLength: number;
  /**
   * The template's first sentence, when more follow (the error's statement, the rest is advice), matched anywhere in
   * a paste — `az serial-console` prints "…requires boot diagnostics to be enabled." and then its own advice, not
   * the portal's; its characters of fixed text.
   */
  headline?: { regex: RegExp; literalLength: number };
  /**
   * When `fragment` (normalised, closing punctuation dropped) is the template's opening cut anywhere after its first
   * placeholder, placeholders filled ("Virtual machine 'vm01' is not found", the rest missing): the characters of
   * fixed text it spells out; else 0. (An opening cut before the first placeholder is fixed text: `text` holds it.)
   */
  openingLength: (fragment: string) => number;
}

export function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** `text`'s pieces between placeholders, and a regular expression source matching it with placeholders filled. */
function pattern(text: string, value = ANY): { pieces: string[]; source: string } {
  const pieces = text.split(PLACEHOLDER);
  const placeholders = text.match(PLACEHOLDER) ?? [];
  let source = "";
  pieces.forEach((piece, index) => {
    source += escape(piece);
    const placeholder = placeholders[index];
    // A filled '' keeps its quotes ('mystorage'); a filled {0} may or may not be quoted by the message itself.
    if (placeholder === "''") source += `'${value}'`;
    else if (placeholder !== undefined) source += value;
  });
  return { pieces, source };
}

/**
 * A headline shorter than this is too plain to name an error among other text: "Failed to update storage account."
 * and "The input parameter is invalid." open unrelated Azure errors too; "Provisioning for this VM isn't done." (36)
 * does not.
 */
const MIN_HEADLINE = 36;

/**
 * A headline's placeholder value: a name, not a run of text — no quote (in normalised text every quote is '), so
 * "Virtual machine '{0}' is not found" does not read "Virtual machine 'vm1' cannot start: the disk 'd1' is not found".
 */
const HEADLINE_VALUE = "[^'\\n]{1,120}?";

/** The first sentence, when more follow and it is long enough, its placeholders filled with names. */
function headlineOf(text: string): CompiledTemplate["headline"] {
  const sentences = text.split(/(?<=[.!?])\s+/);
  const first = sentences[0];
  if (sentences.length < 2 || first === undefined) return undefined;
  const { pieces, source } = pattern(first.replace(/[.!?]+$/, ""), HEADLINE_VALUE);
  const literalLength = pieces.join("").length;
  return literalLength >= MIN_HEADLINE ? { regex: new RegExp(source), literalLength } : undefined;
}

export function compileTemplate(template: string): CompiledTemplate {
  const text = normalize(template).replace(/[.!]+$/, "");
  const { pieces, source } = pattern(text);
  // Fixed characters before each piece, worked out once per template (every paste's every part asks `openingLength`).
  const fixedBefore = pieces.map((_, i) => pieces.slice(0, i).join("").length);
  const headline = headlineOf(text);
  return {
    text,
    regex: new RegExp(source),
    literalLength: pieces.join("").length,
    ...(headline ? { headline } : {}),
    openingLength: (fragment) => opening(pieces, fixedBefore, fragment),
  };
}

/** A placeholder's value: at most as long as `ANY` lets one be. */
const MAX_VALUE = 300;

/**
 * Fixed characters of `pieces` (the template's text between placeholders; `fixedBefore[i]`: those before piece i)
 * that `fragment` spells out from its start, each placeholder filled with up to MAX_VALUE characters, the fragment
 * ending after the first piece: inside a later piece or inside a value, the last value one word (a name, `…settings
 * for myvm01`); 0 when it does not. Each (piece, position) is tried once, so a paste cannot make this take more than
 * pieces × length × MAX_VALUE steps.
 */
function opening(pieces: readonly string[], fixedBefore: readonly number[], fragment: string): number {
  const tried = new Map<number, number>();
  const from = (piece: number, at: number): number => {
    const key = piece * (fragment.length + 1) + at;
    const known = tried.get(key);
    if (known !== undefined) return known;
    const found = fromUntried(piece, at);
    tried.set(key, found);
    return found;
  };
  const fromUntried = (piece: number, at: number): number => {
    const text = pieces[piece] ?? "";
    const rest = fragment.length - at;
    // Ends inside this piece: at least one of its characters, or the value before it was all there was (`fits` below).
    if (rest <= text.length) return piece > 0 && rest > 0 && text.startsWith(fragment.slice(at)) ? (fixedBefore[piece] ?? 0) + rest : 0;
    if (!fragment.startsWith(text, at) || piece === pieces.length - 1) return 0;
    const after = at + text.length;
    const next = pieces[piece + 1] ?? "";
    let oneWord = true;
    for (let value = after; value < Math.min(after + MAX_VALUE + 1, fragment.length); value++) {
      oneWord &&= value === after || !/\s/.test(fragment[value - 1] ?? "");
      // The next piece starts here with more after it, or the fragment ends in it here — after a one-word value, as
      // below: with no text of the template after it, "'alice' with object id '…' … over scope '/…'" would pass for
      // one value before a closing quote, and any sentence opening like a message would match it.
      const fits =
        fragment.length - value <= next.length ? oneWord && next.startsWith(fragment.slice(value)) : fragment.startsWith(next, value);
      const found = fits ? from(piece + 1, value) : 0;
      if (found > 0) return found;
    }
    const value = fragment.slice(after);
    return value.length > 0 && value.length <= MAX_VALUE && !/\s/.test(value) ? (fixedBefore[piece] ?? 0) + text.length : 0;
  };
  return from(0, 0);
}
