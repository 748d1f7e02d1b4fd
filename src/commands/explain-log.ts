import { open } from "node:fs/promises";
import { SERIAL_LOG_MAX_BYTES, SERIAL_LOG_WINDOWS } from "../azure/serial-log.js";
import { showsLatestBootStart } from "../checks/support/serial-log.js";
import { explainSerialLog, explainSerialLogExitCode, formatSerialLogExplanation } from "../explain/serial-log.js";
import { UsageError, useColor } from "./options.js";
import { cliIo } from "./io.js";

/**
 * A saved log may be as big as the blob (up to 1 GB): its end is judged, as much as the check judges (same verdict) —
 * the smallest of the check's windows that shows where the latest boot starts, at most `SERIAL_LOG_MAX_BYTES`.
 */
const LOCAL_TAIL_BYTES = SERIAL_LOG_MAX_BYTES;

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
  const { tail, totalBytes } = path === "-" ? await streamTail(cliIo().stdin) : await fileTail(path);
  // Nothing at all is no evidence of a blank console: `az vm boot-diagnostics get-boot-log … |` that failed (sign-in,
  // VM not found) pipes nothing too. A blank console is judged on the VM itself, where the log's absence is known.
  if (totalBytes === 0)
    throw new UsageError(
      `--log: ${path === "-" ? "standard input" : `'${path}'`} is empty: nothing to judge (did the command that ${path === "-" ? "piped" : "wrote"} it fail?). ` +
        "To judge a console that stays blank, run sc-doctor --vm <vm-resource-id> --only serial-log",
    );
  const log = judgedPart(tail);
  const explanation = explainSerialLog(log, { complete: log.byteLength >= totalBytes });
  cliIo().stdout.write(formatSerialLogExplanation(explanation, { output: options.output ?? "table", color: useColor(options) }));
  return explainSerialLogExitCode(explanation);
}

async function fileTail(path: string): Promise<{ tail: Uint8Array; totalBytes: number }> {
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
    const length = Math.min(size, LOCAL_TAIL_BYTES);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    return { tail: buffer, totalBytes: size };
  } catch (error) {
    const code = error instanceof Error && "code" in error ? String(error.code) : "error";
    throw new UsageError(`--log: cannot read '${path}' (${code})`);
  } finally {
    await handle.close();
  }
}

/** A stream's end (standard input, a pipe), keeping only that much in memory. */
async function streamTail(stream: AsyncIterable<unknown>): Promise<{ tail: Uint8Array; totalBytes: number }> {
  const chunks: Buffer[] = [];
  let kept = 0;
  let totalBytes = 0;
  for await (const chunk of stream) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    chunks.push(buffer);
    kept += buffer.length;
    totalBytes += buffer.length;
    while (chunks.length > 1 && kept - (chunks[0]?.length ?? 0) >= LOCAL_TAIL_BYTES) kept -= chunks.shift()?.length ?? 0;
  }
  const all = Buffer.concat(chunks);
  return { tail: all.subarray(Math.max(0, all.length - LOCAL_TAIL_BYTES)), totalBytes };
}
