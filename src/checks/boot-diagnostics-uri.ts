import { bootDiagnosticsUri } from "../azure/storage-lookup.js";
import { defineCheck } from "./define.js";
import { vmArgs } from "./support/facts-to-args.js";

// Storage account names: 3–24 lower-case letters and digits (Microsoft.Storage spec).
const ACCOUNT_NAME = /^[a-z0-9]{3,24}$/;

/**
 * "The serial console connection to the VM encountered an error: 'Bad Request' (400)" (errors doc 2025): the boot
 * diagnostics URI is wrong, e.g. `http://` instead of `https://`. A valid one is `https://<account>.blob.<suffix>/`.
 */
export default defineCheck({
  id: "boot-diagnostics-uri",
  title: "Boot diagnostics storage URI",
  needs: ["vm"],
  dependsOn: ["boot-diagnostics"],
  permissions: ["Microsoft.Compute/virtualMachines/read"],
  evaluate({ vm }) {
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
    const labels = url?.hostname.toLowerCase().split(".") ?? [];
    const account = labels[0] ?? "";
    const httpsUri = `https://${account || "<account>"}.blob.core.windows.net/`;
    const fail = (reason: string, fixedUri: string) => ({
      status: "fail" as const,
      reason,
      evidence,
      documentedErrorId: "bad-request-400" as const,
      fixArgs: { ...vmArgs(vm), storageUri: fixedUri },
    });
    if (!url) return fail(`the boot diagnostics URI '${uri}' is not a valid URL`, httpsUri);
    if (url.protocol !== "https:")
      return fail(`the boot diagnostics URI uses ${url.protocol.replace(":", "")}:// instead of https://`, `https://${url.host}/`);
    if (labels[1] !== "blob" || !ACCOUNT_NAME.test(account)) {
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
  },
});
