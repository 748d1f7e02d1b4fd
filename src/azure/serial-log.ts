/**
 * Reading the boot diagnostics serial log without storage keys: `POST …/retrieveBootDiagnosticsData` returns
 * short-lived SAS links (https://learn.microsoft.com/rest/api/compute/virtual-machines/retrieve-boot-diagnostics-data),
 * then a ranged GET reads only the log's tail (logs reach megabytes; managed boot diagnostics keeps up to 1 GB).
 *
 * The SAS link is a credential: it is used once, here, and never stored in a fact, an error or a trace line.
 */
import { AzureCallError } from "./arm.js";
import type { ArmContext, BlobRangeResponse } from "./arm.js";
import type { SerialLogFacts, VmFacts } from "./facts.js";
import { asObject, MalformedResponseError, optString } from "./json.js";
import { readBody } from "./read.js";
import type { VmRef } from "./resource-id.js";
import { showsLatestBootStart } from "../checks/support/serial-log.js";

/** Why the serial log was not read, as the `serial-log` check's skip reason. */
export const SERIAL_LOG_NOT_READ = {
  vm: "--no-serial-log: the serial log was not read",
  audit: "audits read the serial log only with --serial-log",
} as const;

/** How much of the log's end is read first: a whole Linux boot with systemd is typically well under this. */
export const SERIAL_LOG_TAIL_BYTES = 256 * 1024;
/**
 * How far back the log is read when its tail holds no boot start: a VM up for weeks may have written megabytes of
 * kernel messages (a firewall's log lines, audit records) after its prompt, and a tail of them alone says nothing
 * about the prompt. Read in growing windows ending at the log's end (the tail, then this), each only when the one
 * before holds no boot start. Bounded: an audit with --serial-log reads every VM's log, several at once.
 */
export const SERIAL_LOG_MAX_BYTES = 2 * 1024 * 1024;
export const SERIAL_LOG_WINDOWS = [SERIAL_LOG_TAIL_BYTES, SERIAL_LOG_MAX_BYTES] as const;
/** The first ranged GET: a one-boot log usually fits, and a bigger log's head is small waste. */
export const FIRST_READ_BYTES = 64 * 1024;
/** The SAS links live 2 minutes (the API's default is 120; 1–1440 allowed): long enough for one read. */
export const SAS_EXPIRY_MINUTES = 2;

/** The permission a 403 from Resource Manager means is missing (Azure RBAC compute operations). */
export function retrieveAction(ref: Pick<VmRef, "kind">): string {
  return ref.kind === "vmss-uniform"
    ? "Microsoft.Compute/virtualMachineScaleSets/virtualMachines/retrieveBootDiagnosticsData/action"
    : "Microsoft.Compute/virtualMachines/retrieveBootDiagnosticsData/action";
}

/** POST retrieveBootDiagnosticsData (the compute client; the scale-set VM variant for uniform instances) → the serial log's SAS link (undefined when Azure has none yet). */
async function serialLogLink(arm: ArmContext, ref: VmRef, signal?: AbortSignal): Promise<string | undefined> {
  const compute = await arm.clients.compute(ref.subscriptionId);
  const sas = { sasUriExpirationTimeInMinutes: SAS_EXPIRY_MINUTES };
  const body = asObject(
    await readBody(
      "the boot diagnostics serial log link",
      (options) =>
        ref.kind === "vmss-uniform"
          ? compute.virtualMachineScaleSetVMs.retrieveBootDiagnosticsData(ref.resourceGroup, ref.scaleSet ?? "", ref.instanceId ?? "", {
              ...options,
              ...sas,
            })
          : compute.virtualMachines.retrieveBootDiagnosticsData(ref.resourceGroup, ref.name, { ...options, ...sas }),
      signal,
    ),
    "the retrieveBootDiagnosticsData response",
  );
  const link = optString(body, "serialConsoleLogBlobUri", "retrieveBootDiagnosticsData");
  if (link === undefined || link === "") return undefined;
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    throw new MalformedResponseError("retrieveBootDiagnosticsData returned a serialConsoleLogBlobUri that is not a URL");
  }
  if (url.protocol !== "https:")
    throw new MalformedResponseError("retrieveBootDiagnosticsData returned a serialConsoleLogBlobUri that is not https");
  return link;
}

type TailRead =
  { kind: "ok"; text: string; totalBytes: number; bytesRead: number; missing?: boolean } | { kind: "refused"; response: BlobRangeResponse };

/** Ranged reads of the blob's tail: one GET when the log is small, a second for the end of a big one. */
async function readTail(arm: ArmContext, link: string, signal?: AbortSignal): Promise<TailRead> {
  if (!arm.getBlobRange) throw new AzureCallError("the serial log blob", "this Resource Manager context cannot read blobs");
  // The first read also learns the size (`Content-Range`); kept small, as a big log's head is thrown away.
  const head = { start: 0, end: FIRST_READ_BYTES - 1, keepLast: SERIAL_LOG_MAX_BYTES };
  const first = checked(await arm.getBlobRange(link, head, signal));
  // 416: the range starts past the end, i.e. the blob is empty. 404: nothing written yet.
  if (first.status === 416 || first.status === 404)
    return { kind: "ok", text: "", totalBytes: 0, bytesRead: 0, missing: first.status === 404 };
  if (first.status >= 400) return { kind: "refused", response: first };
  // The server ignored the range and sent everything; its end was kept.
  if (sentWhole(first, head)) return wholeBlob(first);
  // Without Content-Range's size (which Blob storage always sends), a full first range says nothing of what follows.
  const total = first.totalBytes ?? (first.bodyBytes < FIRST_READ_BYTES ? first.bodyBytes : undefined);
  if (total === undefined)
    throw new AzureCallError(
      "the serial log blob",
      "the read was answered with HTTP 206 without the log's size (no Content-Range), which Blob storage always sends: a proxy may stand between this machine and the storage account",
      first.status,
    );
  if (total <= FIRST_READ_BYTES) return { kind: "ok", text: first.text, totalBytes: total, bytesRead: total };
  // Windows ending at the log's end, each read only when what was read holds no boot start; `from` is the first byte read.
  let from = total;
  let text = "";
  for (const window of SERIAL_LOG_WINDOWS) {
    const start = Math.max(0, total - window);
    if (start >= from) continue;
    // A window reaching into the head is read from the head's end, and the head put before it: no byte twice (a
    // character cut by that boundary reads as U+FFFD, as at any window's start).
    const reusesHead = start < FIRST_READ_BYTES;
    if (reusesHead && from <= FIRST_READ_BYTES) {
      text = first.text + text;
      from = 0;
      break;
    }
    const range = { start: reusesHead ? FIRST_READ_BYTES : start, end: from - 1, keepLast: SERIAL_LOG_MAX_BYTES };
    const part = checked(await arm.getBlobRange(link, range, signal));
    if (part.status >= 400) return { kind: "refused", response: part };
    if (sentWhole(part, range)) return wholeBlob(part);
    text = (reusesHead ? first.text : "") + part.text + text;
    from = reusesHead ? 0 : start;
    if (from === 0 || showsLatestBootStart(text)) break;
  }
  return { kind: "ok", text, totalBytes: total, bytesRead: total - from };
}

/**
 * A whole blob sent for a ranged GET (the server ignored the range): its end, as much as the windows read (the
 * reader kept at most that much, from a character's first byte).
 */
function wholeBlob(response: BlobRangeResponse): TailRead {
  // Held whole: all of it is judged.
  if (response.bodyBytes <= SERIAL_LOG_MAX_BYTES)
    return { kind: "ok", text: response.text, totalBytes: response.bodyBytes, bytesRead: response.bodyBytes };
  // Its end only (an invalid byte decoded as U+FFFD may have made the text longer): cut in bytes, at a character's first.
  const bytes = Buffer.from(response.text, "utf8");
  let start = Math.max(0, bytes.length - SERIAL_LOG_MAX_BYTES);
  while (start > 0 && start < bytes.length && ((bytes[start] ?? 0) & 0xc0) === 0x80) start++;
  const kept = bytes.subarray(start);
  return { kind: "ok", text: kept.toString("utf8"), totalBytes: response.bodyBytes, bytesRead: Math.min(kept.length, response.bodyBytes) };
}

/**
 * The whole blob sent for a ranged GET: a 200, or a 206 longer than the range asked for (a lenient server): read as a
 * part, it would be put before or after the rest and read twice.
 */
function sentWhole(response: BlobRangeResponse, range: { start: number; end: number }): boolean {
  return response.status === 200 || (response.status === 206 && response.bodyBytes > range.end - range.start + 1);
}

/**
 * What only stands in for the storage service answers: a redirect or another 2xx/3xx than 200/206 (Blob storage
 * answers a SAS read with neither), or an HTML page (a proxy's sign-in, a captive portal) — never a serial log, so
 * never read as an empty or prompt-less one.
 */
function checked(response: BlobRangeResponse): BlobRangeResponse {
  const { status } = response;
  const stranger =
    status >= 400
      ? undefined
      : status !== 200 && status !== 206
        ? `HTTP ${status}, which Blob storage never sends for it`
        : response.contentType?.startsWith("text/html")
          ? `an HTML page (HTTP ${status}), not the log`
          : undefined;
  if (stranger)
    throw new AzureCallError(
      "the serial log blob",
      `the read was answered with ${stranger}: a proxy or captive portal may stand between this machine and the storage account`,
      status,
    );
  return response;
}

/**
 * Load the serial-log fact. The POST starts at once (it needs only the VM's id), so it runs beside the VM GET
 * instead of after it; the VM facts only decide whether its answer is used — when it is not (boot diagnostics
 * off, or no VM facts), the POST is cancelled rather than left in flight behind the diagnosis.
 */
export async function loadSerialLog(
  arm: ArmContext,
  ref: VmRef,
  vm: () => Promise<VmFacts>,
  signal?: AbortSignal,
): Promise<SerialLogFacts> {
  const unneeded = new AbortController();
  const cancel = () => unneeded.abort();
  if (signal?.aborted) cancel();
  else signal?.addEventListener("abort", cancel, { once: true });
  const link = serialLogLink(arm, ref, unneeded.signal).finally(() => signal?.removeEventListener("abort", cancel));
  link.catch(() => undefined);
  let facts: VmFacts;
  try {
    facts = await vm();
  } catch (error) {
    cancel();
    throw error;
  }
  if (facts.bootDiagnostics.enabled !== true) {
    cancel();
    return { kind: "boot-diagnostics-off" };
  }
  let url: string | undefined;
  try {
    url = await link;
  } catch (error) {
    // 403 is a missing role; a 401 is a token Resource Manager rejects, said as Azure says it (the error below).
    if (error instanceof AzureCallError && error.status === 403) {
      return {
        kind: "refused",
        by: "resource-manager",
        status: error.status,
        code: error.code,
        message: error.message,
        action: retrieveAction(ref),
      };
    }
    // A POST, so a ReadOnly lock at or above the VM refuses it, as it refuses a storage account's listKeys
    // (https://learn.microsoft.com/azure/azure-resource-manager/management/lock-resources; microsoft/azserialconsole#12).
    if (error instanceof AzureCallError && error.status === 409 && error.code?.toLowerCase() === "scopelocked") {
      return { kind: "refused", by: "lock", status: error.status, code: error.code, message: error.message };
    }
    throw error;
  }
  const storage = facts.bootDiagnostics.storageUri ? "custom" : "managed";
  // Both of the answer's links are optional in the spec (RetrieveBootDiagnosticsDataResult): without this one there is
  // no log to read, which says nothing about what the guest writes (not an empty log).
  if (url === undefined)
    throw new AzureCallError(
      "the boot diagnostics serial log link",
      "retrieveBootDiagnosticsData returned no serialConsoleLogBlobUri",
      200,
      "NoSerialLogLink",
    );
  const read = await readTail(arm, url, signal);
  if (read.kind === "refused") {
    const { status, errorCode } = read.response;
    const message = `HTTP ${status}${errorCode ? ` ${errorCode}` : ""}`;
    if (status === 403) return { kind: "refused", by: "storage", status, code: errorCode, message };
    throw new AzureCallError("the serial log blob", `the storage service answered ${message}`, status, errorCode);
  }
  return {
    kind: "read",
    tail: read.text,
    totalBytes: read.totalBytes,
    bytesRead: read.bytesRead,
    complete: read.bytesRead >= read.totalBytes,
    storage,
    ...(read.missing ? { missing: true } : {}),
  };
}
