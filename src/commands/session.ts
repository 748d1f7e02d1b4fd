/** Signing in, shared by `--vm` and `audit`: the cloud's credential, the ARM context, one token read. */
import { CLOUDS, createArmContext, type ArmContext, type CloudName } from "../azure/arm.js";
import { discoverEndpoint } from "../azure/cloud-metadata.js";
import { azureCliCloud } from "../azure/locate.js";
import {
  CredentialSetupError,
  authenticate,
  createCredential,
  describeSignIn,
  signInName,
  objectIdFromToken,
  shareTokens,
  signInProblem,
} from "../azure/credential.js";
import { createDefaultHttpClient, type PipelinePolicy } from "@azure/core-rest-pipeline";
import type { OutputFormat } from "../report/formats.js";
import { reportFatal } from "./fatal.js";
import { cliIo } from "./io.js";
import { normaliseProxyEnvironment } from "../net/proxy.js";
import { UsageError } from "./options.js";

export interface SessionOptions {
  cloud: CloudName;
  armEndpoint?: string;
  timeoutMs: number;
  verbose?: boolean;
  /** --principal: RBAC is evaluated for someone else, so the caller's object id is not needed. */
  principal?: string;
  policies?: PipelinePolicy[];
  /** The output format: a failed sign-in also writes its error to stdout where the format has one (json, jsonl, junit). */
  output?: OutputFormat;
  version: string;
  /**
   * false: return as soon as the token is in, while the client packages still load (`Session.clientsLoaded`), so
   * the caller can send its first requests meanwhile (`--vm`: the VM GET). Default true: return once all are in.
   */
  waitForClients?: boolean;
}

export interface Session {
  arm: ArmContext;
  /** From the token's `oid` claim, for suggested `--assignee` fixes. */
  callerObjectId?: string;
  /** Settles once every client package has loaded (a failed import is reported by the call that needs it). */
  clientsLoaded: Promise<void>;
  /** `--arm-endpoint`'s /metadata/endpoints is Azure Stack Hub's: no Serial Console endpoint is documented for it. */
  azureStack?: true;
}

/** --verbose: one line per ARM call on stderr — method, path, status, time, correlation id; never headers or bodies. */
export function traceToStderr(line: string): void {
  cliIo().stderr.write(`sc-doctor: ${line}\n`);
}

/** Sign in; when no credential works, say so on stderr (with how to sign in) and return undefined (exit 3). */
export async function openSession(options: SessionOptions): Promise<Session | undefined> {
  // Before any client reads them: Azure's pipeline and the network probe must go through the same proxy.
  const proxyProblem = normaliseProxyEnvironment();
  if (proxyProblem) throw new UsageError(proxyProblem);
  // With --arm-endpoint (Azure Stack Hub, private clouds) the audience is the endpoint's own, read alongside the
  // credential's start-up; the cloud's is kept when it cannot be read.
  // One HTTP client for the metadata read and every call after it: its kept-alive connection and TLS session to
  // the endpoint serve the first calls (one round trip and handshake less than a client of its own).
  const httpClient = createDefaultHttpClient();
  const [metadata, credential] = await Promise.all([
    options.armEndpoint ? discoverEndpoint(options.armEndpoint, options.timeoutMs, httpClient) : undefined,
    // A credential that cannot even be built (a malformed AZURE_* variable) is a sign-in failure too.
    createCredential(options.cloud).then(shareTokens, (error: unknown) => ({
      problem: signInProblem(error),
      attempts: [],
      fix: error instanceof CredentialSetupError ? error.fix : undefined,
    })),
  ]);
  if ("problem" in credential) return signInFailed(credential, options);
  if (metadata?.unread && options.verbose)
    traceToStderr(`could not read ${options.armEndpoint}/metadata/endpoints (${metadata.unread}): using ${options.cloud}'s token audience`);
  const arm = createArmContext({
    credential,
    cloud: options.cloud,
    armEndpoint: options.armEndpoint,
    audience: metadata?.audience,
    httpClient,
    policies: options.policies,
    trace: options.verbose ? traceToStderr : undefined,
  });
  // The client packages load while the token is fetched (the Azure CLI credential spawns `az`, seconds of I/O wait)
  // and are in before any check starts its clock. A failed import is reported by the call that needs the package.
  const preloading = arm.clients.preload();
  const signedIn = await authenticate(credential, arm.audience, options.timeoutMs, options.cloud);
  if ("problem" in signedIn) return signInFailed(signedIn, options);
  // Who RBAC verdicts are about: DefaultAzureCredential may answer with a managed identity ahead of `az login`.
  if (options.verbose) {
    const line = describeSignIn(signedIn.token, signedIn.answeredBy);
    // With --redact, the whole sign-in name is labelled here: stderr's e-mail pattern stops at a ' or # a UPN may hold.
    const name = signInName(signedIn.token);
    const labels = cliIo().labels;
    if (name && labels) labels.note("user", name);
    traceToStderr(name && labels ? line.replace(name, labels.get(name) ?? "<user>") : line);
  }
  if (options.waitForClients !== false) await preloading;
  return {
    arm,
    callerObjectId: options.principal ? undefined : objectIdFromToken(signedIn.token),
    clientsLoaded: preloading,
    ...(metadata?.azureStack ? { azureStack: true } : {}),
  };
}

/** Say why sign-in failed (stderr; a JSON error object too for JSON output) and how to sign in; exit 3 follows. */
async function signInFailed(failure: { problem: string; attempts: string[]; fix?: string }, options: SessionOptions): Promise<undefined> {
  const tried = options.verbose
    ? ["sc-doctor: credentials tried (DefaultAzureCredential, in order):", ...failure.attempts.map((line) => `  - ${line}`)]
    : ["sc-doctor: --verbose lists each credential that was tried and why it failed."];
  const otherCloud =
    options.cloud === "AzureCloud"
      ? activeCloudHint(options.cloud)
      : [`With the Azure CLI, sign in to the same cloud: az cloud set --name ${options.cloud} && az login`];
  await reportFatal(
    { code: "AuthenticationFailed", message: `authentication failed: ${failure.problem}`, credentials: failure.attempts },
    {
      output: options.output,
      version: options.version,
      details: failure.fix
        ? [failure.fix]
        : [
            "Sign in with 'az login' (or set AZURE_CLIENT_ID/AZURE_TENANT_ID/AZURE_CLIENT_SECRET, or run where a managed identity is available).",
            ...otherCloud,
            ...(failure.attempts.length > 0 ? tried : []),
          ],
    },
  );
  return undefined;
}

/**
 * For a run at the public cloud (the `--cloud` default) that could not sign in or read the VM: the Azure CLI's active
 * cloud (`az cloud set`) when it is another cloud `--cloud` names. A US Government or China user who left `--cloud`
 * out signs in at the public cloud's authority and asks its Resource Manager
 * (https://learn.microsoft.com/azure/azure-government/documentation-government-get-started-connect-with-cli).
 */
export function activeCloudHint(cloud: CloudName): string[] {
  if (cloud !== "AzureCloud") return [];
  const active = azureCliCloud()?.toLowerCase();
  const other = Object.keys(CLOUDS).find((name) => name !== "AzureCloud" && name.toLowerCase() === active);
  return other ? [`the Azure CLI's active cloud is ${other}: add --cloud ${other}`] : [];
}
