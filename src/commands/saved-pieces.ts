/**
 * Saved outputs too large for one string. V8 caps a string at 2^29 − 24 characters (about 512 MiB): an `audit -o
 * json` of some 40,000 VMs, pretty-printed, or an `-o jsonl` of 60,000 is longer, and `report` or `audit --baseline`
 * reading it whole failed. Read in slices instead: each top-level JSON value's text apart, and of a top-level object
 * with a `results` list, each element apart (its place left as `"results":[]`), so no text is longer than one VM's
 * result. Only the structure is scanned here (strings, nesting, lines); `JSON.parse` judges each piece.
 */
import { closeSync, openSync, readSync } from "node:fs";
import { StringDecoder } from "node:string_decoder";

/** A piece of a saved output, with the line it starts on (1-based). */
export type SavedPiece =
  /** A top-level value; an object's `results` list is left empty (its elements came before, as `result` pieces). */
  | { kind: "value"; text: string; line: number }
  /** One element of a top-level object's `results` list (`index` from 0). */
  | { kind: "result"; text: string; line: number; index: number };

/** The input is not JSON values one after another (what is wrong, and on which line). */
export class SavedStructureError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

/** Inputs of more bytes than this are read in slices: well under V8's longest string, whatever the encoding. */
export const LARGE_INPUT_BYTES = 256 * 1024 * 1024;
/** Bytes decoded at a time, and read from a file at a time. */
const SLICE_BYTES = 4 * 1024 * 1024;

/**
 * The most characters one piece (a VM result, a jsonl line, a document without its results) may hold: far more than
 * sc-doctor writes (a result is kilobytes; a summary listing a million VMs not evaluated, some 150 MiB), and well
 * under V8's longest string (2^29 − 24 characters), past which joining the piece would throw.
 */
export const MAX_PIECE_CHARS = 256 * 1024 * 1024;
const CHUNK_BYTES = SLICE_BYTES;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NEWLINE = 0x0a;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
const isSpace = (c: number) => c === 0x20 || c === NEWLINE || c === 0x0d || c === 0x09;

/** The bytes of a file, `CHUNK_BYTES` at a time (a file may be longer than a Buffer read whole: 2 GiB). */
export function* fileChunks(path: string): Generator<Uint8Array> {
  const fd = openSync(path, "r");
  try {
    const buffer = Buffer.alloc(CHUNK_BYTES);
    // The chunk is decoded before the next is read (`decodedSlices` pulls one at a time), so one buffer serves.
    for (let read = readSync(fd, buffer); read > 0; read = readSync(fd, buffer)) yield buffer.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

/** `chunks` cut to at most `sliceBytes` each. */
function* slicesOf(chunks: Iterable<Uint8Array>, sliceBytes: number): Generator<Buffer> {
  for (const chunk of chunks) {
    const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    for (let at = 0; at < bytes.length; at += sliceBytes) yield bytes.subarray(at, Math.min(at + sliceBytes, bytes.length));
  }
}

/** `chunks` as text slice by slice, by its byte order mark (UTF-8, UTF-16LE, UTF-16BE; dropped), else UTF-8. */
function* decodedSlices(chunks: Iterable<Uint8Array>, sliceBytes: number): Generator<string> {
  let decoder: StringDecoder | undefined;
  let bigEndian = false;
  // UTF-16BE: each slice swapped in a copy of whole code units; an odd byte waits for the next slice.
  let odd: Buffer | undefined;
  // The first bytes wait until there are three (a UTF-8 byte order mark's length) or the input ends.
  let head = Buffer.alloc(0);
  const slices = slicesOf(chunks, sliceBytes);
  // Pulled by hand: closed by hand too, so a reader that stops early closes the file (fileChunks' finally).
  try {
    for (let next = slices.next(); !next.done || head.length > 0; next = slices.next()) {
      let slice = next.done ? Buffer.alloc(0) : next.value;
      if (!decoder) {
        head = Buffer.concat([head, slice]);
        if (head.length < 3 && !next.done) continue;
        [slice, head] = [head, Buffer.alloc(0)];
        const bom = slice[0] === 0xef && slice[1] === 0xbb && slice[2] === 0xbf ? 3 : slice[0] === 0xff && slice[1] === 0xfe ? 2 : 0;
        bigEndian = slice[0] === 0xfe && slice[1] === 0xff;
        decoder = new StringDecoder(bom === 2 || bigEndian ? "utf16le" : "utf8");
        slice = slice.subarray(bigEndian ? 2 : bom);
      }
      if (bigEndian) {
        const units = odd ? Buffer.concat([odd, slice]) : slice;
        // Copied: a file's chunk buffer is read into again (fileChunks).
        odd = units.length % 2 ? Buffer.from(units.subarray(units.length - 1)) : undefined;
        slice = Buffer.from(units.subarray(0, units.length & ~1)).swap16();
      }
      yield decoder.write(slice);
    }
    // A big-endian file cut after an odd byte loses that byte, as read whole (src/commands/text-input.ts).
    if (decoder) yield decoder.end();
  } finally {
    slices.return(undefined);
  }
}

/** A key's text as JSON means it (`"\u0072esults"` is `results`); as written when it is no JSON string. */
function keyText(raw: string): string {
  if (!raw.includes("\\")) return raw;
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return raw;
  }
}

/**
 * The pieces of the input whose bytes are `chunks`, in order. Throws `SavedStructureError` for text between top-level
 * values, something other than objects in a `results` list, a `results` key twice in one object, or an input that
 * ends inside a value (cut short), or a value longer than `maxPieceChars`. `sliceBytes`: bytes decoded at a time.
 */
export function* savedPieces(
  chunks: Iterable<Uint8Array>,
  sliceBytes = SLICE_BYTES,
  maxPieceChars = MAX_PIECE_CHARS,
): Generator<SavedPiece> {
  let depth = 0;
  let inString = false;
  let escaped = false;
  let line = 1;
  // The top-level value being read: its text so far (`valueParts`, then the slice from `valueFrom`; -1 while a
  // results element is read instead), where it started, and whether it is an object.
  let valueParts: string[] = [];
  let valueFrom = -1;
  let valueLine = 0;
  let topIsObject = false;
  // Inside a top-level object: its keys at depth 1, to find `results`.
  let expectKey = false;
  let key: string[] | undefined;
  let lastKey = "";
  let afterColon = false;
  let resultsSeen = false;
  // Inside that object's `results` list: the element being read.
  let inResults = false;
  // What the list read last at its own level: its `[`, an element, or a comma.
  let listAt: "start" | "element" | "comma" | "end" = "start";
  let elementParts: string[] = [];
  let elementFrom = -1;
  let elementLine = 0;
  let index = 0;

  for (const text of decodedSlices(chunks, sliceBytes)) {
    const pieces: SavedPiece[] = [];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (inString) {
        if (escaped) escaped = false;
        else if (c === BACKSLASH) escaped = true;
        else if (c === QUOTE) {
          inString = false;
          if (key) [lastKey, key] = [keyText(key.join("")), undefined];
          continue;
        }
        key?.push(text[i] as string);
        continue;
      }
      if (c === NEWLINE) line++;
      if (isSpace(c)) continue;
      if (depth === 0) {
        if (c !== OPEN_OBJECT && c !== OPEN_ARRAY)
          throw new SavedStructureError(`line ${line} is not JSON: neither 'sc-doctor audit -o json' nor '-o jsonl' output`, line);
        [valueParts, valueFrom, valueLine, topIsObject, expectKey, lastKey, afterColon, resultsSeen] = [
          [],
          i,
          line,
          c === OPEN_OBJECT,
          true,
          "",
          false,
          false,
        ];
        depth = 1;
        continue;
      }
      if (inResults && depth === 2) {
        // Between the list's elements only JSON's own punctuation, in its order (the text between is in no piece,
        // so JSON.parse never sees it): an element after `[` or `,`, then `,` or `]`.
        const next = c === OPEN_OBJECT ? "element" : c === COMMA ? "comma" : c === CLOSE_ARRAY ? "end" : undefined;
        if (next === undefined) throw new SavedStructureError(`line ${line}: the results list holds something other than VM results`, line);
        const allowed = next === "element" ? listAt !== "element" : next === "comma" ? listAt === "element" : listAt !== "comma";
        if (!allowed) throw new SavedStructureError(`line ${line}: the results list is not JSON (a missing or extra comma)`, line);
        listAt = next;
      }
      if (c === QUOTE) {
        inString = true;
        if (depth === 1 && topIsObject && expectKey) key = [];
        if (depth === 1) afterColon = false;
      } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
        depth++;
        if (depth === 2 && topIsObject && afterColon && lastKey === "results") {
          // JSON.parse keeps the last of a repeated key; the elements of the first are already out.
          if (resultsSeen) throw new SavedStructureError(`line ${line}: a second "results" in one document`, line);
          resultsSeen = true;
        }
        if (depth === 2 && c === OPEN_ARRAY && topIsObject && afterColon && lastKey === "results") {
          // The list's elements are pieces of their own: the value's text keeps `[`, then resumes at `]`.
          inResults = true;
          listAt = "start";
          valueParts.push(text.slice(valueFrom, i + 1));
          valueFrom = -1;
        } else if (inResults && depth === 3) [elementParts, elementFrom, elementLine] = [[], i, line];
        if (depth === 2) afterColon = false;
      } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
        depth--;
        if (inResults && depth === 2) {
          elementParts.push(text.slice(elementFrom, i + 1));
          pieces.push({ kind: "result", text: elementParts.join(""), line: elementLine, index: index++ });
          [elementParts, elementFrom] = [[], -1];
        } else if (inResults && depth === 1) {
          inResults = false;
          valueFrom = i;
        } else if (depth === 0) {
          valueParts.push(text.slice(valueFrom, i + 1));
          pieces.push({ kind: "value", text: valueParts.join(""), line: valueLine });
          [valueParts, valueFrom] = [[], -1];
        }
      } else if (depth === 1 && c === COMMA) expectKey = true;
      else if (depth === 1 && c === COLON) [expectKey, afterColon] = [false, true];
      else if (depth === 1) afterColon = false;
    }
    // The slice ends inside a piece: keep its text so far.
    if (valueFrom >= 0) [valueParts, valueFrom] = [[...valueParts, text.slice(valueFrom)], 0];
    if (elementFrom >= 0) [elementParts, elementFrom] = [[...elementParts, text.slice(elementFrom)], 0];
    const held = inResults ? elementParts : valueParts;
    if (depth > 0 && held.reduce((sum, part) => sum + part.length, 0) > maxPieceChars)
      throw new SavedStructureError(
        `the value that starts on line ${inResults ? elementLine : valueLine} runs past ${(maxPieceChars / 1024 / 1024).toLocaleString("en-US")} MiB: no sc-doctor output holds one that long (a damaged line missing its closing bracket, or another file)`,
        line,
      );
    yield* pieces;
  }
  if (depth > 0 || inString)
    throw new SavedStructureError(
      `it ends inside the value that starts on line ${inResults ? elementLine : valueLine}: cut short (the audit that wrote it was stopped, or the file was truncated), or that value is missing a closing bracket`,
      line,
    );
}
