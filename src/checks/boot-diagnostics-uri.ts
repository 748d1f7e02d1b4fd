import { bootDiagnosticsUri } from "../azure/boot-diagnostics.js";
import { hostWithoutScheme } from "../azure/map-storage.js";
import type { VmFacts } from "../azure/facts.js";
import type { Finding } from "../types.js";
import { defineCheck } from "./define.js";
import { onStoragePath } from "./support/storage.js";
import { vmArgs } from "./support/facts-to-args.js";

// Storage account names: 3–24 lower-case letters and digits (Microsoft.Storage spec).
const ACCOUNT_NAME = /^[a-z0-9]{3,24}$/;

/**
 * Azure DNS-zone blob endpoints: `<account>.z<NN>.blob.storage.azure.net`
 * (https://learn.microsoft.com/azure/storage/blobs/storage-blob-query-endpoint-srp; the
 * storage spec's example StorageAccountCreateDnsEndpointTypeToAzureDnsZone).
 */
const DNS_ZONE = /^z\d{2}$/;

/**
 * The storage suffixes of Azure's clouds: public, China, US Government
 * (https://learn.microsoft.com/azure/china/resources-developer-guide,
 * https://learn.microsoft.com/azure/azure-government/compare-azure-government-global-azure), and the DNS-zone
 * endpoints'. Azure Stack Hub's are its operator's own, so any other suffix is taken as one — but not one that
 * continues past a known suffix (`acct.blob.core.windows.net.example.com` is a host of example.com, not Azure's).
 */
const KNOWN_SUFFIXES = ["core.windows.net", "core.chinacloudapi.cn", "core.usgovcloudapi.net", "storage.azure.net"];

/** The blob endpoint host of an account, if `labels` (a host split at dots) is one: standard, sovereign or DNS-zone. */
function isBlobHost(labels: readonly string[]): boolean {
  const at = labels[1] === "blob" ? 2 : DNS_ZONE.test(labels[1] ?? "") && labels[2] === "blob" ? 3 : -1;
  if (at < 0) return false;
  const suffix = labels.slice(at).join(".");
  return !KNOWN_SUFFIXES.some((known) => suffix.startsWith(`${known}.`));
}

/** The other services of an account (https://learn.microsoft.com/azure/storage/common/storage-account-overview#standard-endpoints). */
const SERVICE = /^(?:file|queue|table|dfs|web)$/;

/**
 * What to give `az vm boot-diagnostics enable --storage` for a URI that is not a blob endpoint, in the URI's own cloud:
 * another service's endpoint of the account becomes its blob endpoint (`acct.file.core.chinacloudapi.cn` →
 * `acct.blob.core.chinacloudapi.cn`: China and US Government accounts are not under `blob.core.windows.net`,
 * https://learn.microsoft.com/azure/china/resources-developer-guide); any other host gives the account name, which
 * `--storage` also takes ("Name or URI of a storage account", https://learn.microsoft.com/cli/azure/vm/boot-diagnostics)
 * and az resolves to the account's blob endpoint in the VM's subscription.
 */
function blobEndpointFor(labels: readonly string[]): string {
  const [account = "", ...rest] = labels;
  const at = SERVICE.test(rest[0] ?? "") ? 0 : DNS_ZONE.test(rest[0] ?? "") && SERVICE.test(rest[1] ?? "") ? 1 : -1;
  if (ACCOUNT_NAME.test(account) && at >= 0) return `https://${[account, ...rest.map((l, i) => (i === at ? "blob" : l))].join(".")}/`;
  return ACCOUNT_NAME.test(account) ? account : "<account>";
}

/**
 * "The serial console connection to the VM encountered an error: 'Bad Request' (400)" (errors doc, ms.date
 * 10/16/2025, https://learn.microsoft.com/troubleshoot/azure/virtual-machines/windows/serial-console-errors): the boot
 * diagnostics URI is wrong, e.g. `http://` instead of `https://`. Valid: `https://<account>.blob.<suffix>/` (public
 * and sovereign clouds) or `https://<account>.z<NN>.blob.storage.azure.net/` (DNS-zone endpoints). On the default,
 * end-2025 storage path a bad URI breaks the serial log and screenshot, not the connection (`onStoragePath`).
 */
export default defineCheck({
  id: "boot-diagnostics-uri",
  title: "Boot diagnostics storage URI",
  needs: ["vm", "storagePath"],
  dependsOn: ["boot-diagnostics"],
  permissions: ["Microsoft.Compute/virtualMachines/read"],
  evaluate({ vm, storagePath }) {
    return onStoragePath(judge(vm), storagePath);
  },
});

function judge(vm: VmFacts): Finding {
  if (vm.bootDiagnostics.enabled !== true) return { status: "skip", reason: "boot diagnostics is not enabled", evidence: {} };
  const uri = bootDiagnosticsUri(vm);
  if (!uri)
    return { status: "skip", reason: "managed boot diagnostics: there is no storage URI to get wrong", evidence: { mode: "managed" } };
  const evidence = { storageUri: uri };
  let url: URL | undefined;
  try {
    url = new URL(uri);
  } catch {
    url = undefined;
  }
  // A URI without its scheme (`acct.blob.core.windows.net`) is invalid, but names its host: the fix keeps it.
  const host = url?.hostname ?? hostWithoutScheme(uri);
  // A fully qualified name's trailing dot (`…core.windows.net.`) is the same host.
  const labels = host?.toLowerCase().replace(/\.$/, "").split(".") ?? [];
  const account = labels[0] ?? "";
  // Keep the host's own suffix when it is a blob endpoint: a fix must name a host the account has.
  const httpsUri = isBlobHost(labels) ? `https://${url?.host ?? host}/` : blobEndpointFor(labels);
  const fail = (reason: string, fixedUri: string) => ({
    status: "fail" as const,
    reason,
    evidence,
    documentedErrorId: "bad-request-400" as const,
    fixArgs: { ...vmArgs(vm), storageUri: fixedUri },
  });
  if (!url) return fail(`the boot diagnostics URI '${uri}' is not a valid URL`, httpsUri);
  if (url.protocol !== "https:")
    return fail(`the boot diagnostics URI uses ${url.protocol.replace(":", "")}:// instead of https://`, httpsUri);
  if (!isBlobHost(labels) || !ACCOUNT_NAME.test(account)) {
    return fail(`the boot diagnostics URI '${uri}' is not a storage blob endpoint (https://<account>.blob.<suffix>/)`, httpsUri);
  }
  // Boot diagnostics wants the bare endpoint; a query string is usually a pasted SAS token, readable by anyone
  // who can read the VM model. Not a documented Serial Console error, so a warning, and the URI shown without it.
  if (url.search) {
    const bare = `https://${url.host}/`;
    return {
      status: "warn",
      reason: `the boot diagnostics URI carries a query string (a SAS token?): use the bare endpoint ${bare}`,
      evidence: { storageUri: bare, hasQueryString: true },
      documentedErrorId: "bad-request-400",
      fixArgs: { ...vmArgs(vm), storageUri: bare },
    };
  }
  return { status: "pass", reason: `the boot diagnostics URI is a valid https blob endpoint (${url.host})`, evidence };
}
