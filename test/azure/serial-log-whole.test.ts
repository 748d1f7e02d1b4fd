/**
 * A blob service that ignores `Range` sends the whole serial log (200): its end is kept as the ranged reads keep it,
 * cut in bytes, so the fact says exactly whether the log was read whole.
 */
import { createHttpHeaders, type HttpClient } from "@azure/core-rest-pipeline";
import { describe, expect, it } from "vitest";
import { createArmContext } from "../../src/azure/arm.js";
import { parseVmResourceId } from "../../src/azure/resource-id.js";
import type { VmFacts } from "../../src/azure/facts.js";
import { SERIAL_LOG_MAX_BYTES, loadSerialLog } from "../../src/azure/serial-log.js";

const VM_ID = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/vm1";

/** Resource Manager answering retrieveBootDiagnosticsData, and a blob service that ignores `Range` (200, the whole log). */
function rangeIgnored(log: string) {
  const httpClient: HttpClient = {
    async sendRequest(request) {
      const post = /retrieveBootDiagnosticsData/i.test(request.url);
      const body = post
        ? JSON.stringify({ serialConsoleLogBlobUri: "https://acct.blob.core.windows.net/bootdiag/vm1.serialconsole.log?sv=1&sig=x" })
        : log;
      const headers = createHttpHeaders({ "content-type": post ? "application/json" : "text/plain" });
      return { request, status: 200, headers, bodyAsText: body };
    },
  };
  const credential = { getToken: async () => ({ token: "t", expiresOnTimestamp: Date.now() + 3_600_000 }) };
  const arm = createArmContext({ credential, cloud: "AzureCloud", armEndpoint: "https://arm.invalid", httpClient });
  return { arm, ref: parseVmResourceId(VM_ID) };
}

const facts = async () => ({ bootDiagnostics: { enabled: true } }) as VmFacts;

describe("the whole serial log sent for a ranged read", () => {
  it("multi-byte text under the byte limit but over it in characters' count alone: read whole, and said so", async () => {
    // 1.2 Mi characters of two bytes each: 2.4 MiB, more than the limit in bytes — and fewer characters than it.
    const log = `${"é".repeat(1.2 * 1024 * 1024)}\nvm1 login: \n`;
    const { arm, ref } = rangeIgnored(log);
    const read = await loadSerialLog(arm, ref, facts);
    if (read.kind !== "read") throw new Error(`not read: ${read.kind}`);
    expect(read.totalBytes).toBe(Buffer.byteLength(log));
    // At most the limit, cut at a character's first byte (no U+FFFD from half a character).
    expect(read.bytesRead).toBeGreaterThan(SERIAL_LOG_MAX_BYTES - 4);
    expect(read.bytesRead).toBeLessThanOrEqual(SERIAL_LOG_MAX_BYTES);
    expect(read.tail).not.toContain("\ufffd");
    expect(Buffer.byteLength(read.tail)).toBe(read.bytesRead);
    expect(read.complete).toBe(false);
    expect(read.tail.endsWith("vm1 login: \n")).toBe(true);
  });

  it("a small log is read whole", async () => {
    const log = "é\nvm1 login: \n";
    const { arm, ref } = rangeIgnored(log);
    const read = await loadSerialLog(arm, ref, facts);
    expect(read).toMatchObject({ kind: "read", tail: log, complete: true, totalBytes: Buffer.byteLength(log) });
  });
});
