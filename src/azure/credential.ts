/**
 * The credential: `DefaultAzureCredential` (environment, workload identity, managed identity, Azure CLI, …), pointed
 * at the sign-in authority of the chosen cloud. Imported lazily by the commands: @azure/identity is the heaviest
 * module we load, and `--help`/`--version` must not pay for it.
 */
import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import type { CloudName } from "./arm.js";

/** Microsoft Entra authority per cloud (AzureAuthorityHosts in @azure/identity). */
export const AUTHORITY: Record<CloudName, string> = {
  AzureCloud: "https://login.microsoftonline.com",
  AzureChinaCloud: "https://login.chinacloudapi.cn",
  AzureUSGovernment: "https://login.microsoftonline.us",
};

/**
 * The chain, or a `CredentialSetupError` naming the environment variable that is wrong (no sign-in is attempted).
 */
export async function createCredential(cloud: CloudName): Promise<TokenCredential> {
  const misset = credentialSetupProblem(process.env);
  if (misset) throw misset;
  const { DefaultAzureCredential } = await import("@azure/identity");
  try {
    // AZURE_AUTHORITY_HOST, when set (Azure Stack, sovereign clouds), wins over the cloud's default.
    return new DefaultAzureCredential({ authorityHost: process.env["AZURE_AUTHORITY_HOST"] || AUTHORITY[cloud] });
  } catch (error) {
    // Its one throw of its own: an unknown AZURE_TOKEN_CREDENTIALS value (the message names it).
    // Values: https://learn.microsoft.com/azure/developer/javascript/sdk/authentication/credential-chains#use-an-environment-variable
    const message = error instanceof Error ? error.message : String(error);
    if (!message.includes("AZURE_TOKEN_CREDENTIALS")) throw error;
    throw new CredentialSetupError(
      message,
      "Set AZURE_TOKEN_CREDENTIALS to 'prod', 'dev' or the name of one credential (e.g. AzureCliCredential), or unset it.",
    );
  }
}

/** An environment variable the credential reads is wrong: signing in again would not help, `fix` says what would. */
export class CredentialSetupError extends Error {
  constructor(
    message: string,
    readonly fix: string,
  ) {
    super(message);
    this.name = "CredentialSetupError";
  }
}

/**
 * A malformed AZURE_TENANT_ID or AZURE_AUTHORITY_HOST. DefaultAzureCredential does not throw on them: it catches the
 * error of each credential that rejects them (environment, workload identity, managed identity) and skips that
 * credential, so the chain would sign in as whoever comes next (the `az login` user) or fail blaming variables that
 * are set (https://github.com/Azure/azure-sdk-for-js/blob/main/sdk/identity/identity/src/credentials/defaultAzureCredential.ts).
 * The rules are the library's own: its checkTenantId (tenantIdUtils.ts) and IdentityClient's https-only authority.
 */
export function credentialSetupProblem(env: NodeJS.ProcessEnv): CredentialSetupError | undefined {
  // AZURE_TOKEN_CREDENTIALS=dev or =AzureCliCredential: no credential of the chain reads them.
  if (!credentialChain(env).some((name) => PROD_CREDENTIALS.some((prod) => prod === name))) return undefined;
  const tenant = env["AZURE_TENANT_ID"];
  if (tenant && readsTenant(env) && !/^[0-9a-zA-Z.-]+$/.test(tenant))
    return new CredentialSetupError(
      `AZURE_TENANT_ID must be a tenant id (a GUID) or domain name (letters, digits, dots and hyphens), got '${tenant}'`,
      "Set AZURE_TENANT_ID to your tenant's id (https://learn.microsoft.com/partner-center/find-ids-and-domain-names), or unset it.",
    );
  const authority = env["AZURE_AUTHORITY_HOST"];
  if (authority && !isHttpsUrl(authority))
    return new CredentialSetupError(
      // Not echoed: a URL may carry credentials.
      "AZURE_AUTHORITY_HOST must be an https:// URL (the Microsoft Entra sign-in host, e.g. https://login.microsoftonline.com)",
      "Set AZURE_AUTHORITY_HOST to your cloud's https:// sign-in host (https://learn.microsoft.com/javascript/api/@azure/identity/azureauthorityhosts), or unset it.",
    );
  return undefined;
}

/**
 * Whether a credential of the chain reads AZURE_TENANT_ID: the environment credential with a secret, certificate or
 * user to sign in with, or workload identity (and managed identity) with a federated token file
 * (https://github.com/Azure/azure-sdk-for-js/blob/main/sdk/identity/identity/src/credentials/defaultAzureCredentialFunctions.ts).
 */
function readsTenant(env: NodeJS.ProcessEnv): boolean {
  const chain = credentialChain(env);
  const signsIn = env["AZURE_CLIENT_ID"] && (env["AZURE_CLIENT_SECRET"] || env["AZURE_CLIENT_CERTIFICATE_PATH"] || env["AZURE_USERNAME"]);
  const federated = env["AZURE_FEDERATED_TOKEN_FILE"];
  return Boolean(
    (chain.includes("EnvironmentCredential") && signsIn) ||
    (federated && (chain.includes("WorkloadIdentityCredential") || chain.includes("ManagedIdentityCredential"))),
  );
}

function isHttpsUrl(value: string): boolean {
  try {
    return new URL(value).protocol === "https:";
  } catch {
    return false;
  }
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

/**
 * Sign-in gets at least this long, whatever `--timeout` (a per-check bound) says: `az account get-access-token`
 * alone takes a second or more, and more on a busy CI runner.
 */
export const SIGN_IN_FLOOR_MS = 10_000;

/**
 * Fail fast, with a clear message, when no credential works (rather than sixteen identical check errors). Signed in:
 * the token, and which credential of the chain answered (`answeredBy`, when @azure/identity said).
 */
export async function authenticate(
  credential: TokenCredential,
  audience: string,
  timeoutMs: number,
  cloud: CloudName = "AzureCloud",
): Promise<{ token: string; answeredBy?: string } | { problem: string; attempts: string[] }> {
  let timer: NodeJS.Timeout | undefined;
  const budgetMs = Math.max(timeoutMs, SIGN_IN_FLOOR_MS);
  const answer = await listenForAnsweringCredential();
  try {
    const token = await Promise.race([
      // The options Azure's bearer policy asks with (`enableCae`), so that every client is served this token.
      credential.getToken(audience, { enableCae: true }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new SignInTimeout()), budgetMs);
      }),
    ]);
    if (!token) return { problem: "the credential returned no token", attempts: [] };
    const answeredBy = answer.heard();
    return answeredBy ? { token: token.token, answeredBy } : { token: token.token };
  } catch (error) {
    if (error instanceof SignInTimeout) {
      // No credential of the chain has finished: say which one this machine's environment has it waiting on.
      const waitingOn = pendingCredential(process.env, cloud);
      return { problem: `no token within ${budgetMs} ms: ${waitingOn}`, attempts: [`none finished within ${budgetMs} ms; ${waitingOn}`] };
    }
    return { problem: signInProblem(error), attempts: credentialAttempts(error) };
  } finally {
    clearTimeout(timer);
    answer.stop();
  }
}

/**
 * Which credential of `DefaultAzureCredential`'s chain answered: the chain says so only in @azure/identity's log, at
 * info level ("ChainedTokenCredential => getToken() => Result for ManagedIdentityCredential: SUCCESS. …",
 * https://github.com/Azure/azure-sdk-for-js/blob/main/sdk/identity/identity/src/credentials/chainedTokenCredential.ts),
 * through its `logger` export (src/util/logging.ts there, an @azure/logger client logger).
 * Only that logger's info level is listened to, while signing in; what it printed before (AZURE_LOG_LEVEL) it still
 * prints, and nothing more.
 */
async function listenForAnsweringCredential(): Promise<{ heard(): string | undefined; stop(): void }> {
  const { logger } = await import("@azure/identity");
  const info = logger.info;
  const { enabled, log } = info;
  let answeredBy: string | undefined;
  info.enabled = true;
  info.log = (...args: unknown[]) => {
    answeredBy ??= /\bChainedTokenCredential => getToken\(\) => Result for (\w+): SUCCESS\b/.exec(args.map(String).join(" "))?.[1];
    if (enabled) log(...args);
  };
  return {
    heard: () => answeredBy,
    stop: () => {
      info.enabled = enabled;
      info.log = log;
    },
  };
}

class SignInTimeout extends Error {}

/** The host of an endpoint URL in the environment (never its query: it names no secret, but say no more than needed). */
function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return "an unparsable URL";
  }
}

/** DefaultAzureCredential's chain, in order (its "prod" credentials, then its "dev" ones). */
const PROD_CREDENTIALS = ["EnvironmentCredential", "WorkloadIdentityCredential", "ManagedIdentityCredential"] as const;
const DEV_CREDENTIALS = [
  "VisualStudioCodeCredential",
  "AzureCliCredential",
  "AzurePowerShellCredential",
  "AzureDeveloperCliCredential",
] as const;
type CredentialName = (typeof PROD_CREDENTIALS)[number] | (typeof DEV_CREDENTIALS)[number];

/**
 * The credentials the chain tries, as AZURE_TOKEN_CREDENTIALS narrows it: `prod`, `dev` or one credential's name,
 * any case (https://learn.microsoft.com/azure/developer/javascript/sdk/authentication/credential-chains#use-an-environment-variable).
 * An unknown value never gets this far: the credential is not built (createCredential).
 */
export function credentialChain(env: NodeJS.ProcessEnv): readonly CredentialName[] {
  const chosen = env["AZURE_TOKEN_CREDENTIALS"]?.trim().toLowerCase();
  if (!chosen) return [...PROD_CREDENTIALS, ...DEV_CREDENTIALS];
  if (chosen === "prod") return PROD_CREDENTIALS;
  if (chosen === "dev") return DEV_CREDENTIALS;
  return [...PROD_CREDENTIALS, ...DEV_CREDENTIALS].filter((name) => name.toLowerCase() === chosen);
}

/** What a credential that can hang waits on: an endpoint or a process. */
const WAITS_ON: Partial<Record<CredentialName, string>> = {
  ManagedIdentityCredential: "the VM's managed identity (IMDS, 169.254.169.254)",
  AzureCliCredential: "the Azure CLI (az account get-access-token)",
  AzurePowerShellCredential: "Azure PowerShell (Get-AzAccessToken)",
  AzureDeveloperCliCredential: "the Azure Developer CLI (azd auth token)",
};

/**
 * Which credential `DefaultAzureCredential` is most likely still waiting on, from the environment it reads
 * (https://learn.microsoft.com/javascript/api/@azure/identity/defaultazurecredential): a client secret or certificate
 * and workload identity sign in at Microsoft Entra ID; App Service, Functions, Container Apps and Arc set a managed
 * identity endpoint; elsewhere the VM's managed identity (IMDS) and the Azure CLI are tried in turn. Only the
 * credentials AZURE_TOKEN_CREDENTIALS leaves in the chain are named.
 */
export function pendingCredential(env: NodeJS.ProcessEnv, cloud: CloudName = "AzureCloud"): string {
  const chain = credentialChain(env);
  // The authority the credential was given (createCredential): AZURE_AUTHORITY_HOST, else the cloud's own.
  const authority = hostOf(env["AZURE_AUTHORITY_HOST"] || AUTHORITY[cloud]);
  if (chain.includes("EnvironmentCredential") && (env["AZURE_CLIENT_SECRET"] || env["AZURE_CLIENT_CERTIFICATE_PATH"]))
    return `Microsoft Entra ID (${authority}) did not answer the sign-in with AZURE_CLIENT_ID's secret or certificate in time`;
  if (chain.includes("WorkloadIdentityCredential") && env["AZURE_FEDERATED_TOKEN_FILE"])
    return `Microsoft Entra ID (${authority}) did not answer the workload identity sign-in (AZURE_FEDERATED_TOKEN_FILE) in time`;
  const endpoint = env["IDENTITY_ENDPOINT"] ?? env["MSI_ENDPOINT"];
  if (chain.includes("ManagedIdentityCredential") && endpoint)
    return `the managed identity endpoint (${env["IDENTITY_ENDPOINT"] ? "IDENTITY_ENDPOINT" : "MSI_ENDPOINT"}: ${hostOf(endpoint)}) did not answer in time`;
  // The first two that can hang: a later one is reached only once they gave up.
  const [first, second] = chain.flatMap((name) => WAITS_ON[name] ?? []);
  if (first && second) return `neither ${first} nor ${second} answered in time`;
  return `${first ?? chain.join(", ")} did not answer in time`;
}

/**
 * Why sign-in failed, in one line. When every credential of the chain failed, the one that was set up and refused
 * (an expired `az login`: AADSTS700082) says more than the chain's "authentication failed", so it leads; the
 * credentials merely absent from this machine (no environment variables, no managed identity, no VS Code, no
 * PowerShell) are left to `--verbose`.
 */
export function signInProblem(error: unknown): string {
  const errors = chainErrors(error);
  const telling = errors.filter((item) => !NOT_SET_UP.test(errorMessage(item)));
  // On an Azure VM with no identity assigned, IMDS answers "Identity not found": the managed identity is tried on
  // every Azure host, so a credential after it that refused (an expired `az login`) says more.
  const lead =
    telling.find((item) => !/^ManagedIdentityCredential\b/.test(errorMessage(item))) ??
    telling[0] ??
    (errors.length === 1 ? errors[0] : error);
  return errorMessage(lead);
}

/** The words @azure/identity 4 uses for a credential that is not set up here (not one that refused). */
const NOT_SET_UP =
  /Please run '(?:az|azd auth) login'|Connect-AzAccount|is unavailable|is not available|not available\.|could ?n[o']t be found|not installed|Unable to execute|Network unreachable|No underlying credential|not configured|environment variables? (?:are|is) not/i;

/**
 * Each credential the chain tried and why it failed, one line each (for `--verbose` and the JSON error).
 * `DefaultAzureCredential` throws an `AggregateAuthenticationError` whose `errors` hold one error per credential
 * when none was available; a credential that was available but failed stops the chain with its own error.
 */
export function credentialAttempts(error: unknown): string[] {
  return chainErrors(error).map((item) => {
    const name = item instanceof Error && item.name !== "Error" ? `${item.name}: ` : "";
    return `${name}${errorMessage(item)}`;
  });
}

function chainErrors(error: unknown): unknown[] {
  return error && typeof error === "object" && "errors" in error && Array.isArray(error.errors) ? (error.errors as unknown[]) : [error];
}

/**
 * An identity error's first line, and what Microsoft Entra ID said when that line does not: an
 * `AuthenticationError` reads "EnvironmentCredential authentication failed. … Status code: 400", with the reason
 * (AADSTS7000215: invalid client secret; AADSTS7000222: expired secret) in `errorResponse.errorDescription` and after
 * "More details:" (https://learn.microsoft.com/entra/identity-platform/reference-error-codes).
 */
function errorMessage(item: unknown): string {
  const lines = (item instanceof Error ? item.message : String(item))
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
  const first = lines[0] ?? "";
  const response = item && typeof item === "object" && "errorResponse" in item ? item.errorResponse : undefined;
  const description =
    response && typeof response === "object" && "errorDescription" in response && typeof response.errorDescription === "string"
      ? response.errorDescription
      : undefined;
  // @azure/identity's placeholder when Entra ID's answer had no description: "More details:" may still say more.
  const told = description && !/no additional details are available/i.test(description) ? description : undefined;
  const more = lines.findIndex((line) => /^More details:?$/i.test(line));
  const reason = (told ?? (more >= 0 ? lines[more + 1] : undefined) ?? "").split(/\r?\n|\s+Trace ID:/)[0]?.trim();
  return reason && !first.includes(reason) ? `${first} ${reason}` : first;
}

/** The string claims of a JWT's payload; none of an opaque token. Not verified here (Azure verifies it). */
function tokenClaims(token: string): Record<string, string> {
  try {
    const payload: unknown = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8"));
    if (!payload || typeof payload !== "object") return {};
    return Object.fromEntries(Object.entries(payload).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
  } catch {
    return {};
  }
}

const asGuid = (value: string | undefined) => (value && /^[0-9a-f-]{36}$/i.test(value) ? value.toLowerCase() : undefined);

/**
 * The caller's object id, read from the `oid` claim of the ARM token — only to fill `--assignee` in suggested
 * fixes. The token is not verified here (Azure verifies it); an opaque token simply yields undefined.
 */
export function objectIdFromToken(token: string): string | undefined {
  return asGuid(tokenClaims(token)["oid"]);
}

/** A user's sign-in name (`upn`, else `unique_name`), as the token gives it; undefined for an app's token. */
export function signInName(token: string): string | undefined {
  return nameIn(tokenClaims(token));
}

const nameIn = (claims: Record<string, string>) => claims["upn"] ?? claims["unique_name"];

/**
 * Who the token was issued to, in one line for --verbose: user, app or managed identity, its object id and tenant,
 * a user's sign-in name — never the token. From the claims Microsoft Entra ID documents
 * (https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference): `idtyp` (`user` or `app`),
 * `upn`/`unique_name` (users only), `appid`/`azp` (the app), `oid`, `tid`; a managed identity's token is an app's
 * that carries `xms_mirid` (its resource id), and ManagedIdentityCredential's is one whatever it carries.
 */
export function describeSignIn(token: string, answeredBy?: string): string {
  const claims = tokenClaims(token);
  const userName = nameIn(claims);
  const kind =
    answeredBy === "ManagedIdentityCredential" || claims["xms_mirid"]
      ? "a managed identity"
      : claims["idtyp"] === "user" || (claims["idtyp"] !== "app" && userName)
        ? `user ${userName ?? "(no sign-in name in the token)"}`
        : claims["idtyp"] === "app" || claims["appid"] || claims["azp"]
          ? "an application (service principal)"
          : "an identity the token does not name";
  const details = [
    ...(asGuid(claims["oid"]) ? [`object id ${asGuid(claims["oid"])}`] : []),
    ...(asGuid(claims["tid"]) ? [`tenant ${asGuid(claims["tid"])}`] : []),
  ];
  return `signed in${answeredBy ? ` with ${answeredBy}` : ""} as ${kind}${details.length > 0 ? ` (${details.join(", ")})` : ""}`;
}
