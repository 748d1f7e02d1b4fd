import { open } from "node:fs/promises";
import { SERIAL_LOG_MAX_BYTES, SERIAL_LOG_WINDOWS } from "../azure/serial-log.js";
import { showsLatestBootStart } from "../checks/support/serial-log.js";
import { explainSerialLog, explainSerialLogExitCode, formatSerialLogExplanation } from "../explain/serial-log.js";
import { UsageError, useColor } from "./options.js";
import { cliIo } from "./io.js";
import { bomlessUtf16, byteOrderMark, decodeAs, markConfirmed } from "./text-input.js";

/**
 * A saved log may be as big as the blob (up to 1 GB): its end is judged, as much as the check judges (same verdict) —
 * the smallest of the check's windows that shows where the latest boot starts, at most `SERIAL_LOG_MAX_BYTES`.
 */
const LOCAL_TAIL_BYTES = SERIAL_LOG_MAX_BYTES;
/**
 * The bytes read from a saved log's end: twice that, as a log saved as UTF-16 takes two bytes for each character the
 * serial port wrote as one; `asUtf8` keeps the last `LOCAL_TAIL_BYTES` of the text, so either way the same text is judged.
 */
const READ_BYTES = 2 * LOCAL_TAIL_BYTES;

/** A saved log's end: `tail` is its last `READ_BYTES` (from an even offset), `head` its first few (a byte order mark). */
interface SavedTail {
  tail: Uint8Array;
  totalBytes: number;
  head: Uint8Array;
}

/**
 * The tail as UTF-8, the serial port's own bytes: Windows PowerShell 5.1's `>` saves `az vm boot-diagnostics
 * get-boot-log` as UTF-16LE with a byte order mark, which read as UTF-8 hides every phrase behind NULs
 * (https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_redirection). The mark sits
 * at the file's start, which a big file's tail leaves out: `head` tells it. At most the last `LOCAL_TAIL_BYTES` of the
 * text, as the check reads (`fromStart` when that is the whole log).
 */
function asUtf8({ tail, totalBytes, head }: SavedTail): { text: Uint8Array; fromStart: boolean } {
  const fromStart = tail.byteLength >= totalBytes;
  const mark = byteOrderMark(head);
  // A UTF-16 mark only before UTF-16 text: else `FF FE` are a guest's bytes, read as the check reads them.
  const bom = mark && markConfirmed(fromStart ? tail.subarray(mark.length) : tail, mark.encoding) ? mark : undefined;
  const body = bom && fromStart ? tail.subarray(bom.length) : tail;
  const encoding = bom?.encoding ?? bomlessUtf16(body) ?? "utf8";
  const text = encoding === "utf8" ? body : Buffer.from(decodeAs(body, encoding), "utf8");
  const kept = text.subarray(Math.max(0, text.byteLength - LOCAL_TAIL_BYTES));
  return { text: kept, fromStart: fromStart && kept.byteLength === text.byteLength };
}

/** A JSON string escape: `\r`, `\n`, `\u0000`, … */
const JSON_ESCAPE = /\\(?:u([0-9a-fA-F]{4})|(["\\/bfnrt]))/g;
const SIMPLE_ESCAPES: Readonly<Record<string, string>> = { b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };

/**
 * The log itself when `text` is it as one JSON string: `az vm boot-diagnostics get-boot-log` prints it so with its
 * default `--output json` (`"…vm1 login: \u0000\u0000…"`, https://github.com/Azure/azure-cli/issues/29374), every
 * line break an escape, so the log would read as a single line that no prompt or failure can be found in. Told by
 * escaped line breaks in text with no real one; a big log's tail may have lost the opening quote.
 */
function unquotedLog(text: Uint8Array): Uint8Array {
  const body = Buffer.from(text.buffer, text.byteOffset, text.byteLength).toString("utf8").trimEnd();
  if (!body.endsWith('"') || body.includes("\n") || !/\\[rn]/.test(body)) return text;
  const inner = body.slice(body.startsWith('"') ? 1 : 0, -1);
  const decoded = inner.replace(JSON_ESCAPE, (_, code: string | undefined, simple: string | undefined) =>
    code !== undefined ? String.fromCharCode(parseInt(code, 16)) : (SIMPLE_ESCAPES[simple ?? ""] ?? simple ?? ""),
  );
  return Buffer.from(decoded, "utf8");
}

/** The part of a log's end the check would judge: the first window (from the end) that holds a boot start. */
function judgedPart(tail: Uint8Array): Uint8Array {
  for (const window of SERIAL_LOG_WINDOWS) {
    const part = tail.subarray(Math.max(0, tail.byteLength - window));
    if (part.byteLength === tail.byteLength || showsLatestBootStart(part)) return part;
  }
  return tail;
}

/**
 * `sc-doctor explain --log <file|->`: name the boot state of a saved serial log. Exit 0 when the latest boot reached
 * a prompt, 1 when it shows a failure or a blank console, 2 when the file cannot be read or is empty.
 */
export async function runExplainLog(path: string, options: { output?: "table" | "json"; color: boolean }): Promise<number> {
  const saved = path === "-" ? await streamTail(cliIo().stdin) : await fileTail(path);
  const { totalBytes } = saved;
  // Nothing at all is no evidence of a blank console: `az vm boot-diagnostics get-boot-log … |` that failed (sign-in,
  // VM not found) pipes nothing too. A blank console is judged on the VM itself, where the log's absence is known.
  if (totalBytes === 0)
    throw new UsageError(
      `--log: ${path === "-" ? "standard input" : `'${path}'`} is empty: nothing to judge (did the command that ${path === "-" ? "piped" : "wrote"} it fail?). ` +
        "To judge a console that stays blank, run sc-doctor --vm <vm-resource-id> --only serial-log",
    );
  const utf8 = asUtf8(saved);
  const { fromStart } = utf8;
  const text = unquotedLog(utf8.text);
  const log = judgedPart(text);
  const explanation = explainSerialLog(log, { complete: fromStart && log.byteLength >= text.byteLength });
  cliIo().stdout.write(formatSerialLogExplanation(explanation, { output: options.output ?? "table", color: useColor(options) }));
  return explainSerialLogExitCode(explanation);
}

/** The first bytes kept as `head`: the longest byte order mark. */
const HEAD_BYTES = 3;

async function fileTail(path: string): Promise<SavedTail> {
  let handle;
  try {
    handle = await open(path, "r");
  } catch (error) {
    const code = error instanceof Error && "code" in error ? String(error.code) : "error";
    throw new UsageError(`--log: cannot read '${path}' (${code})`);
  }
  try {
    const stats = await handle.stat();
    // A pipe (`--log <(…)`, `--log /dev/stdin`) has no size to seek from: read it through.
    if (!stats.isFile()) return await streamTail(handle.createReadStream({ autoClose: false }));
    const { size } = stats;
    // From an even offset: a UTF-16 file's code units start there.
    const length = size <= READ_BYTES ? size : READ_BYTES - ((size - READ_BYTES) % 2);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    const head = Buffer.alloc(Math.min(size, HEAD_BYTES));
    await handle.read(head, 0, head.length, 0);
    return { tail: buffer, totalBytes: size, head };
  } catch (error) {
    const code = error instanceof Error && "code" in error ? String(error.code) : "error";
    throw new UsageError(`--log: cannot read '${path}' (${code})`);
  } finally {
    await handle.close();
  }
}

/** A stream's end (standard input, a pipe), keeping only that much in memory. */
async function streamTail(stream: AsyncIterable<unknown>): Promise<SavedTail> {
  const chunks: Buffer[] = [];
  let head = Buffer.alloc(0);
  let kept = 0;
  let totalBytes = 0;
  for await (const chunk of stream) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    if (head.length < HEAD_BYTES) head = Buffer.concat([head, buffer.subarray(0, HEAD_BYTES - head.length)]);
    chunks.push(buffer);
    kept += buffer.length;
    totalBytes += buffer.length;
    while (chunks.length > 1 && kept - (chunks[0]?.length ?? 0) >= READ_BYTES) kept -= chunks.shift()?.length ?? 0;
  }
  const all = Buffer.concat(chunks);
  // From an even offset of the stream, as a file's (what was dropped before `all` is whole chunks).
  let start = Math.max(0, all.length - READ_BYTES);
  if ((totalBytes - all.length + start) % 2 === 1) start++;
  return { tail: all.subarray(start), totalBytes, head };
}
