import { UsageError } from "./options.js";

/**
 * Saved outputs read back (`report` inputs, `audit --baseline`) as text, whatever wrote them to disk. Windows
 * PowerShell 5.1's `>` (Out-File) writes UTF-16LE with a byte order mark, and its `Set-Content -Encoding UTF8` a
 * UTF-8 one: `sc-doctor audit -o jsonl > audit.jsonl` in a Windows PowerShell CI step is such a file. Decoded as
 * plain UTF-8 the first is garbage and the second starts with U+FEFF, which `JSON.parse` refuses. A byte order mark
 * (UTF-8, UTF-16LE, UTF-16BE) decides the encoding and is dropped; without one the bytes are UTF-8, as sc-doctor
 * writes them.
 */

/** `bytes` as text: by its byte order mark, else UTF-8. */
export function decodeSavedText(bytes: Uint8Array): string {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf) return buffer.toString("utf8", 3);
  if (buffer[0] === 0xff && buffer[1] === 0xfe) return buffer.toString("utf16le", 2);
  if (buffer[0] === 0xfe && buffer[1] === 0xff) {
    // Big-endian: swapped into a copy of whole code units (a file cut after an odd byte loses that byte).
    const units = Buffer.from(buffer.subarray(2, 2 + ((buffer.length - 2) & ~1)));
    return units.swap16().toString("utf16le");
  }
  return buffer.toString("utf8");
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
