import { UsageError } from "./options.js";

/**
 * Saved outputs read back (`report` inputs, `audit --baseline`) as text, whatever wrote them to disk. Windows
 * PowerShell 5.1's `>` (Out-File) writes UTF-16LE with a byte order mark, and its `Set-Content -Encoding UTF8` a
 * UTF-8 one: `sc-doctor audit -o jsonl > audit.jsonl` in a Windows PowerShell CI step is such a file. Decoded as
 * plain UTF-8 the first is garbage and the second starts with U+FEFF, which `JSON.parse` refuses. A byte order mark
 * (UTF-8, UTF-16LE, UTF-16BE) decides the encoding and is dropped; without one the bytes are UTF-8, as sc-doctor
 * writes them.
 */

/** How saved text is encoded: what `decodeAs` reads. */
export type TextEncoding = "utf8" | "utf16le" | "utf16be";

/** The byte order mark `bytes` starts with (UTF-8, UTF-16LE, UTF-16BE), if any, and its length. */
export function byteOrderMark(bytes: Uint8Array): { encoding: TextEncoding; length: number } | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: "utf8", length: 3 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: "utf16le", length: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: "utf16be", length: 2 };
  return undefined;
}

/** How many of a sample's bytes `bomlessUtf16` looks at, and how many it needs at least. */
const SNIFF_BYTES = 1024;
const MIN_SNIFF_BYTES = 16;

/**
 * UTF-16 without a byte order mark (.NET's `new UnicodeEncoding(false, false)` writes none), told by
 * its ASCII text: a NUL in nearly every odd byte (little-endian) or even byte (big-endian) and almost none in the
 * others. `sample` starts at an even offset of the file. A UTF-8 log with a run of NULs (a guest's padding) has
 * them in both.
 */
export function bomlessUtf16(sample: Uint8Array): "utf16le" | "utf16be" | undefined {
  const length = Math.min(sample.length, SNIFF_BYTES) & ~1;
  if (length < MIN_SNIFF_BYTES) return undefined;
  let evenNuls = 0;
  let oddNuls = 0;
  for (let i = 0; i < length; i += 2) {
    if (sample[i] === 0) evenNuls++;
    if (sample[i + 1] === 0) oddNuls++;
  }
  const units = length / 2;
  if (oddNuls >= 0.9 * units && evenNuls <= 0.1 * units) return "utf16le";
  if (evenNuls >= 0.9 * units && oddNuls <= 0.1 * units) return "utf16be";
  return undefined;
}

/**
 * Does `sample` — what follows a byte order mark, from an even offset — read as the mark's `encoding`? `FF FE` also
 * starts bytes that are no UTF-16 at all (a guest's stray bytes before its UTF-8 text): a UTF-16 mark is taken only
 * when the text after it shows that encoding's NUL pattern (a serial log is mostly ASCII), or is too short to tell.
 */
export function markConfirmed(sample: Uint8Array, encoding: TextEncoding): boolean {
  if (encoding === "utf8" || Math.min(sample.length, SNIFF_BYTES) < MIN_SNIFF_BYTES) return true;
  return bomlessUtf16(sample) === encoding;
}

/** `bytes` read as `encoding` (no byte order mark expected): UTF-16 cut after an odd byte loses that byte. */
export function decodeAs(bytes: Uint8Array, encoding: TextEncoding): string {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (encoding === "utf8") return buffer.toString("utf8");
  const units = buffer.subarray(0, buffer.length & ~1);
  // Big-endian: swapped into a copy of whole code units.
  return encoding === "utf16le" ? units.toString("utf16le") : Buffer.from(units).swap16().toString("utf16le");
}

/** `bytes` as text: by its byte order mark, else UTF-8. */
export function decodeSavedText(bytes: Uint8Array): string {
  const bom = byteOrderMark(bytes);
  return decodeAs(bytes.subarray(bom?.length ?? 0), bom?.encoding ?? "utf8");
}

/**
 * `stream` whole, up to `maxBytes`: standard input from a producer that never stops must not exhaust memory. More is
 * a UsageError: "standard input holds more than <size>: <advice>".
 */
export async function readCapped(stream: AsyncIterable<unknown>, maxBytes: number, advice: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += bytes.length;
    if (size > maxBytes) throw new UsageError(`standard input holds more than ${shownSize(maxBytes)}: ${advice}`);
    chunks.push(bytes);
  }
  return Buffer.concat(chunks);
}

function shownSize(bytes: number): string {
  return bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toLocaleString("en-US")} GiB` : `${(bytes / 1024 ** 2).toLocaleString("en-US")} MiB`;
}
