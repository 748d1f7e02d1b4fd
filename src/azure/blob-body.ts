/**
 * A blob GET's body, read with a bound on memory: a storage endpoint (or whatever answers in its place: a proxy, a
 * captive portal) may ignore the `Range` asked for and send the whole blob, hundreds of MB of it. Only the end of
 * such a body is kept (the log's end is what is judged); how long it was is counted.
 */

/** What was kept of a body: its last bytes (starting at a character's first byte) and how many bytes it had in all. */
export interface CappedBody {
  kept: Buffer;
  totalBytes: number;
}

/**
 * Read `stream` to its end, keeping only its last `keepLast` bytes (the whole body is still counted). Errors of the
 * stream are thrown.
 */
export async function readCappedBody(stream: NodeJS.ReadableStream, options: { keepLast: number }): Promise<CappedBody> {
  const chunks: Buffer[] = [];
  let held = 0;
  let totalBytes = 0;
  for await (const chunk of stream) {
    const bytes = Buffer.isBuffer(chunk) ? chunk : typeof chunk === "string" ? Buffer.from(chunk) : Buffer.from(chunk as Uint8Array);
    totalBytes += bytes.length;
    chunks.push(bytes);
    held += bytes.length;
    // Drop whole chunks from the front while what is left still holds `keepLast` bytes.
    while (chunks.length > 1 && held - (chunks[0]?.length ?? 0) >= options.keepLast) held -= chunks.shift()?.length ?? 0;
  }
  let kept = Buffer.concat(chunks, held);
  if (kept.length > options.keepLast) {
    let start = kept.length - options.keepLast;
    // Not inside a UTF-8 character: skip its continuation bytes (10xxxxxx).
    while (start < kept.length && ((kept[start] ?? 0) & 0xc0) === 0x80) start++;
    kept = kept.subarray(start);
  }
  return { kept, totalBytes };
}
