/**
 * The credential: `DefaultAzureCredential` (environment, workload identity, managed identity, Azure CLI, …), pointed
 * at the sign-in authority of the chosen cloud. Imported lazily by the commands: @azure/identity is the heaviest
 * module we load, and `--help`/`--version` must not pay for it.
 */
import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import type { CloudName } from "./arm.js";

/** Microsoft Entra authority per cloud (AzureAuthorityHosts in @azure/identity). */
const AUTHORITY: Record<CloudName, string> = {
  AzureCloud: "https://login.microsoftonline.com",
  AzureChinaCloud: "https://login.chinacloudapi.cn",
  AzureUSGovernment: "https://login.microsoftonline.us",
};

export async function createCredential(cloud: CloudName): Promise<TokenCredential> {
  const { DefaultAzureCredential } = await import("@azure/identity");
  // AZURE_AUTHORITY_HOST, when set (Azure Stack, sovereign clouds), wins over the cloud's default.
  return new DefaultAzureCredential({ authorityHost: process.env["AZURE_AUTHORITY_HOST"] || AUTHORITY[cloud] });
}

/** A shared token is handed out while it has more than this left (Azure's bearer policy refreshes 2 min ahead). */
const SHARE_MARGIN_MS = 5 * 60_000;

/**
 * One token request per scopes and tenant for the whole run, shared by every client. Each Azure SDK client asks for
 * its token from its own pipeline (a diagnosis makes seven clients, an audit several per subscription), and
 * AzureCliCredential answers every ask by running `az account get-access-token` — it keeps no cache
 * (https://github.com/Azure/azure-sdk-for-js/blob/main/sdk/identity/identity/src/credentials/azureCliCredential.ts),
 * and `az` takes about a second of CPU each time. A token is shared while it has over five minutes left; a claims
 * challenge (continuous access evaluation) always asks anew and replaces it; a failed request is not kept.
 * Callers' abort signals are not passed on, nor raced: one request's abort must not fail the others' token, and
 * Azure's token cycler refreshes with the options of whichever request asked first — were its abort honoured, the
 * refresh would fail every 3 s until the old token expired and every request with it. An aborted request still
 * ends, as soon as its token is in (the HTTP client sees the signal).
 */
export function shareTokens(credential: TokenCredential): TokenCredential {
  const shared = new Map<string, { pending: Promise<AccessToken | null>; token?: AccessToken }>();
  return {
    getToken(scopes: string | string[], options: GetTokenOptions = {}): Promise<AccessToken | null> {
      const key = JSON.stringify([[scopes].flat().sort(), options.tenantId ?? "", options.enableCae === true]);
      const held = shared.get(key);
      const usable = held && (!held.token || held.token.expiresOnTimestamp - Date.now() > SHARE_MARGIN_MS);
      if (held && usable && !options.claims) return held.pending;
      const entry: { pending: Promise<AccessToken | null>; token?: AccessToken } = {
        pending: credential.getToken(scopes, { ...options, abortSignal: undefined }),
      };
      shared.set(key, entry);
      entry.pending.then(
        (token) => {
          if (token) entry.token = token;
          else if (shared.get(key) === entry) shared.delete(key);
        },
        () => {
          if (shared.get(key) === entry) shared.delete(key);
        },
      );
      return entry.pending;
    },
  };
}

/** Fail fast, with a clear message, when no credential works (rather than sixteen identical check errors). */
export async function authenticate(
  credential: TokenCredential,
  audience: string,
  timeoutMs: number,
): Promise<{ token: string } | { problem: string; attempts: string[] }> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const token = await Promise.race([
      // The options Azure's bearer policy asks with (`enableCae`), so that every client is served this token.
      credential.getToken(audience, { enableCae: true }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no token within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return token ? { token: token.token } : { problem: "the credential returned no token", attempts: [] };
  } catch (error) {
    return { problem: (error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "", attempts: credentialAttempts(error) };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Each credential the chain tried and why it failed, one line each (for `--verbose` and the JSON error).
 * `DefaultAzureCredential` throws an `AggregateAuthenticationError` whose `errors` hold one error per credential
 * when none was available; a credential that was available but failed stops the chain with its own error.
 */
export function credentialAttempts(error: unknown): string[] {
  const errors =
    error && typeof error === "object" && "errors" in error && Array.isArray(error.errors) ? (error.errors as unknown[]) : [error];
  return errors.map((item) => {
    const message = item instanceof Error ? item.message : String(item);
    const name = item instanceof Error && item.name !== "Error" ? `${item.name}: ` : "";
    return `${name}${message.split("\n")[0] ?? ""}`;
  });
}

/**
 * The caller's object id, read from the `oid` claim of the ARM token — only to fill `--assignee` in suggested
 * fixes. The token is not verified here (Azure verifies it); an opaque token simply yields undefined.
 */
export function objectIdFromToken(token: string): string | undefined {
  try {
    const payload = token.split(".")[1];
    if (!payload) return undefined;
    const claims: unknown = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
    const oid = claims && typeof claims === "object" && "oid" in claims ? claims.oid : undefined;
    return typeof oid === "string" && /^[0-9a-f-]{36}$/i.test(oid) ? oid.toLowerCase() : undefined;
  } catch {
    return undefined;
  }
}
