/**
 * Boot diagnostics through SAS links, as Azure serves them: `POST …/retrieveBootDiagnosticsData` (the only POST
 * besides Resource Graph; it changes nothing) answers short-lived SAS URLs, and the blob endpoint serves the serial
 * log behind them honouring `Range` (`bytes=start-end`; 206 + `Content-Range`, 416 past the end) — reference:
 * https://learn.microsoft.com/rest/api/storageservices/specifying-the-range-header-for-blob-service-operations.
 * Blobs live under `/sim-blob/<account>/<container>/<blob>` on the simulator's own origin and need no ARM token: the
 * `sig` is the credential, checked against the ones issued (a wrong or expired one is 403 AuthenticationFailed).
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { errors } from "./arm-errors.mjs";

export const BLOB_PREFIX = "/sim-blob/";
const LOGS = new URL("./logs/", import.meta.url);
const cache = new Map();
/** A realistic log from test/azure-sim/logs/ (bytes, read once). */
export function serialLogFile(name) {
  if (!cache.has(name)) cache.set(name, readFileSync(new URL(name, LOGS)));
  return cache.get(name);
}

/** `*` and `Microsoft.Compute/virtualMachines/*` style actions, as Azure RBAC matches them (case-insensitive). */
function matches(pattern, action) {
  const re = new RegExp(
    `^${pattern
      .split("*")
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
      .join(".*")}$`,
    "i",
  );
  return re.test(action);
}
export function grants(blocks, action) {
  return blocks.some((b) => b.actions.some((a) => matches(a, action)) && !b.notActions.some((a) => matches(a, action)));
}

export class BlobService {
  constructor() {
    /** sig → { path, expires } */
    this.issued = new Map();
  }

  /** POST retrieveBootDiagnosticsData for the VM (or scale set instance) at `vmPath`. */
  retrieve(ctx, vmPath) {
    const record = ctx.world.vms.get(vmPath.toLowerCase());
    if (!record) return undefined;
    const isInstance = /\/virtualMachineScaleSets\//i.test(vmPath);
    const action = isInstance
      ? "Microsoft.Compute/virtualMachineScaleSets/virtualMachines/retrieveBootDiagnosticsData/action"
      : "Microsoft.Compute/virtualMachines/retrieveBootDiagnosticsData/action";
    const scope = isInstance ? vmPath.replace(/\/virtualMachines\/[^/]+$/i, "") : vmPath;
    if (!grants(ctx.world.permissionsAt(scope), action)) return errors.authorizationFailed(action, vmPath);
    // A POST, so a ReadOnly lock at or above the VM refuses it, as it refuses listKeys (microsoft/azserialconsole#12).
    const readOnly = ctx.world.locksAt(vmPath, true).filter((lock) => /^readonly$/i.test(lock.properties?.level ?? ""));
    if (readOnly.length > 0) return errors.scopeLocked(vmPath, readOnly);
    const boot = record.model.properties?.diagnosticsProfile?.bootDiagnostics;
    if (boot?.enabled !== true) {
      return {
        status: 409,
        body: { error: { code: "OperationNotAllowed", message: "Boot diagnostics is not enabled for this virtual machine." } },
      };
    }
    const minutes = Number(ctx.query.get("sasUriExpirationTimeInMinutes") ?? 120);
    if (!Number.isInteger(minutes) || minutes < 1 || minutes > 1440) {
      return {
        status: 400,
        body: { error: { code: "InvalidParameter", message: "sasUriExpirationTimeInMinutes must be between 1 and 1440." } },
      };
    }
    const account = boot.storageUri ? new URL(boot.storageUri).hostname.split(".")[0] : "md-simmanaged";
    const name = record.model.name;
    const id = record.model.properties?.vmId ?? "00000000-0000-0000-0000-0000000000aa";
    const container = `bootdiagnostics-${name.slice(0, 9).toLowerCase()}-${id}`;
    const link = (blob) => {
      const sig = randomBytes(32).toString("base64url");
      const path = `${BLOB_PREFIX}${account}/${container}/${blob}`;
      const expires = Date.now() + minutes * 60_000;
      this.issued.set(sig, { path, expires, vmPath: vmPath.toLowerCase() });
      const se = new Date(expires).toISOString().replace(/\.\d+Z$/, "Z");
      return `${record.blobOrigin ?? ctx.origin}${path}?sv=2022-11-02&sr=b&sp=r&se=${encodeURIComponent(se)}&sig=${encodeURIComponent(sig)}`;
    };
    return {
      status: 200,
      body: {
        consoleScreenshotBlobUri: link(`${name}.${id}.screenshot.bmp`),
        serialConsoleLogBlobUri: link(`${name}.${id}.serialconsole.log`),
      },
    };
  }

  /** GET a blob behind a SAS link. @returns {{ status: number, text?: string, bytes?: Buffer, headers: Record<string,string> }} */
  serve(world, path, query, rangeHeader) {
    const grant = this.issued.get(query.get("sig") ?? "");
    if (!grant || grant.path !== path || grant.expires < Date.now()) {
      return storageError(
        403,
        "AuthenticationFailed",
        "Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature.",
      );
    }
    const record = world.vms.get(grant.vmPath);
    if (record?.serialLogRefused) {
      return storageError(403, "AuthorizationFailure", "This request is not authorized to perform this operation.");
    }
    if (path.endsWith(".screenshot.bmp")) return { status: 200, bytes: Buffer.from("BM"), headers: { "content-type": "image/bmp" } };
    // What a proxy or captive portal between the reader and the account answers instead (`record.blobAnswer`).
    if (record?.blobAnswer === "html-page")
      return {
        status: 200,
        bytes: Buffer.from("<html><body><h1>Corporate proxy</h1><p>Please sign in to continue.</p></body></html>"),
        headers: { "content-type": "text/html; charset=utf-8" },
      };
    if (record?.blobAnswer === "redirect")
      return { status: 302, bytes: Buffer.alloc(0), headers: { location: "https://portal.example/login" } };
    const log = logOf(record);
    if (log === null) return storageError(404, "BlobNotFound", "The specified blob does not exist.");
    const total = log.length;
    const headers = { "content-type": "text/plain", "accept-ranges": "bytes", "x-ms-blob-type": "AppendBlob" };
    if (record?.blobAnswer === "ignore-range") return { status: 200, bytes: log, headers };
    // A lenient server: the whole log as a 206, whatever range was asked for.
    if (record?.blobAnswer === "whole-206")
      return { status: 206, bytes: log, headers: { ...headers, "content-range": `bytes 0-${total - 1}/${total}` } };
    if (!rangeHeader) return { status: 200, bytes: log, headers };
    // A proxy that answers ranges as 206 but drops Content-Range: the log's size is unknown.
    const withoutSize = record?.blobAnswer === "no-content-range";
    const m = /^bytes=(\d+)-(\d*)$/.exec(rangeHeader.trim());
    if (!m) return { status: 200, bytes: log, headers }; // Azure ignores a range it does not understand
    const start = Number(m[1]);
    const end = Math.min(m[2] === "" ? total - 1 : Number(m[2]), total - 1);
    if (start >= total)
      return {
        ...storageError(416, "InvalidRange", "The range specified is invalid for the current size of the resource."),
        headers: { "content-range": `bytes */${total}` },
      };
    const range = withoutSize ? {} : { "content-range": `bytes ${start}-${end}/${total}` };
    return { status: 206, bytes: log.subarray(start, end + 1), headers: { ...headers, ...range } };
  }
}

/** The VM's serial log: its own (`record.serialLog`), or a healthy one for its OS; null means no blob yet. */
function logOf(record) {
  if (!record) return null;
  if (record.serialLog === null) return null;
  if (record.serialLog !== undefined) return Buffer.isBuffer(record.serialLog) ? record.serialLog : Buffer.from(record.serialLog);
  const windows = record.model.properties?.storageProfile?.osDisk?.osType === "Windows";
  return serialLogFile(windows ? "healthy-windows-sac.log" : "healthy-ubuntu.log");
}

function storageError(status, code, message) {
  return {
    status,
    text: `\uFEFF<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${message}\nRequestId:${randomBytes(16).toString("hex")}\nTime:${new Date().toISOString()}</Message></Error>`,
    headers: { "content-type": "application/xml", "x-ms-error-code": code },
  };
}
