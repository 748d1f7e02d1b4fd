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
}

export function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

export function compileTemplate(template: string): CompiledTemplate {
  const text = normalize(template).replace(/[.!]+$/, "");
  const pieces = text.split(PLACEHOLDER);
  const placeholders = text.match(PLACEHOLDER) ?? [];
  let source = "";
  pieces.forEach((piece, index) => {
    source += escape(piece);
    const placeholder = placeholders[index];
    // A filled '' keeps its quotes ('mystorage'); a filled {0} may or may not be quoted by the message itself.
    if (placeholder === "''") source += `'${ANY}'`;
    else if (placeholder !== undefined) source += ANY;
  });
  return { text, regex: new RegExp(source), literalLength: pieces.join("").length };
}
