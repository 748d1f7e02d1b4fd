/**
 * A blob GET's body, read with a bound on memory: a storage endpoint (or whatever answers in its place: a proxy, a
 * captive portal) may ignore the `Range` asked for and send the whole blob, hundreds of MB of it. Only the end of
 * such a body is kept, and a ranged answer longer than its range is refused instead of read on.
 */

/** What was kept of a body: its last bytes (starting at a character's first byte) and how many bytes it had in all. */
export interface CappedBody {
  kept: Buffer;
  totalBytes: number;
}

/** The body was longer than the range asked for (a 206 must hold exactly that range). */
export class BodyTooLongError extends Error {
  constructor(readonly limit: number) {
    super(`the answer held more than the ${limit} bytes asked for`);
  }
}

/**
 * Read `stream` to its end. `limit`: the most bytes it may hold (else BodyTooLongError, the rest unread); `keepLast`:
 * only this many of its last bytes are kept (the whole body is still counted). Errors of the stream are thrown.
 */
export async function readCappedBody(stream: NodeJS.ReadableStream, options: { limit?: number; keepLast: number }): Promise<CappedBody> {
  const chunks: Buffer[] = [];
  let held = 0;
  let totalBytes = 0;
  for await (const chunk of stream) {
    const bytes = typeof chunk === "string" ? Buffer.from(chunk) : Buffer.from(chunk as Uint8Array);
    totalBytes += bytes.length;
    if (options.limit !== undefined && totalBytes > options.limit) {
      (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
      throw new BodyTooLongError(options.limit);
    }
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
