// The naive fleet audit, for the parity e2e test and bench/audit.mjs: one single-VM diagnosis (`diagnoseVm`, what
// `sc-doctor --vm` runs) per VM, in-process, N at a time, nothing shared between VMs. Run it as a child process with
// the simulator's environment (its CA, managed identity and ARM endpoint), from the built dist/.
//
//   node test/fleet/naive-runner.mjs <file with one VM id per line> <concurrency> [<results.jsonl>]
//
// Prints one JSON line on stdout: { vms, ms, maxRssKb }. SC_DOCTOR_PRINCIPAL=<objectId> diagnoses as --principal.
import { createWriteStream, readFileSync } from "node:fs";
import pLimit from "p-limit";
import { createArmContext } from "../../dist/azure/arm.js";
import { createCredential, objectIdFromToken } from "../../dist/azure/credential.js";
import { parseVmResourceId } from "../../dist/azure/resource-id.js";
import { SERIAL_LOG_NOT_READ } from "../../dist/azure/serial-log.js";
import { networkFactFor } from "../../dist/commands/network-fact.js";
import { diagnoseVm } from "../../dist/engine/diagnose.js";
import { selectChecks } from "../../dist/engine/select.js";
import { sanitizeDeep } from "../../dist/report/sanitize.js";

const [idsFile, concurrencyText, outFile] = process.argv.slice(2);
if (!idsFile) throw new Error("usage: naive-runner.mjs <ids-file> <concurrency> [<out.jsonl>]");
const ids = readFileSync(idsFile, "utf8").split("\n").filter(Boolean);
const concurrency = Number(concurrencyText ?? 32);
const out = outFile ? createWriteStream(outFile) : undefined;

const credential = await createCredential("AzureCloud");
const network = networkFactFor({ enabled: false, cloud: "AzureCloud", resolve: [], timeoutMs: 15000 });
const checks = selectChecks();
const limit = pLimit(concurrency);
// As `sc-doctor --vm` does: the caller's object id fills `--assignee` in RBAC fixes.
const principal = process.env.SC_DOCTOR_PRINCIPAL || undefined;
const token = await credential.getToken("https://management.azure.com/.default");
const caller = principal || !token ? undefined : objectIdFromToken(token.token);
const started = performance.now();
await Promise.all(
  ids.map((id) =>
    limit(async () => {
      // A fresh context per VM, as `sc-doctor --vm` run once per VM would have (the token is cached by the credential).
      const arm = createArmContext({ credential, cloud: "AzureCloud", armEndpoint: process.env.SC_DOCTOR_ARM_ENDPOINT });
      const { result } = await diagnoseVm(arm, parseVmResourceId(id), {
        checks,
        timeoutMs: 15000,
        concurrency: 16,
        network,
        principal,
        callerObjectId: caller,
        // As the audit it is compared with (which reads serial logs only with --serial-log).
        skipSerialLog: SERIAL_LOG_NOT_READ.audit,
      });
      out?.write(`${JSON.stringify(sanitizeDeep(result))}\n`);
    }),
  ),
);
const ms = performance.now() - started;
if (out) await new Promise((resolve) => out.end(resolve));
process.stdout.write(`${JSON.stringify({ vms: ids.length, ms: Math.round(ms), maxRssKb: process.resourceUsage().maxRSS })}\n`);
