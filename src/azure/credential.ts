/**
 * The credential: `DefaultAzureCredential` (environment, workload identity, managed identity, Azure CLI, …), pointed
 * at the sign-in authority of the chosen cloud. Imported lazily by the commands: @azure/identity is the heaviest
 * module we load, and `--help`/`--version` must not pay for it.
 */
import type { TokenCredential } from "@azure/core-auth";
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

/** Fail fast, with a clear message, when no credential works (rather than sixteen identical check errors). */
export async function authenticate(
  credential: TokenCredential,
  audience: string,
  timeoutMs: number,
): Promise<{ token: string } | { problem: string; attempts: string[] }> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const token = await Promise.race([
      credential.getToken(audience),
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
