/** Why sign-in failed, in one line: the credential that refused leads, and Entra ID's reason is kept. */
import { AggregateAuthenticationError, AuthenticationError, CredentialUnavailableError } from "@azure/identity";
import type { TokenCredential } from "@azure/core-auth";
import { describe, expect, it, vi } from "vitest";
import { SIGN_IN_FLOOR_MS, authenticate, credentialAttempts, pendingCredential, signInProblem } from "../../src/azure/credential.js";

const absent = [
  new CredentialUnavailableError(
    "EnvironmentCredential is unavailable. No underlying credential could be used. To troubleshoot, visit https://aka.ms/azsdk/js/identity/environmentcredential/troubleshoot.",
  ),
  new CredentialUnavailableError(
    "ManagedIdentityCredential: Network unreachable. Message: network_error: See https://aka.ms/msal.js.errors#network_error for details",
  ),
  new CredentialUnavailableError(
    "Visual Studio Code Authentication is not available. Ensure you have have Azure Resources Extension installed in VS Code.",
  ),
  new CredentialUnavailableError("Error: Unable to execute PowerShell. Ensure that it is installed in your system."),
  new CredentialUnavailableError("Azure Developer CLI couldn't be found. To mitigate this issue, see the troubleshooting guidelines."),
];

describe("signInProblem", () => {
  it("leads with the credential that was set up and refused (an expired az login), not the chain's headline", () => {
    const expired = new CredentialUnavailableError(
      "ERROR: AADSTS700082: The refresh token has expired due to inactivity.\nInteractive authentication is needed. Please run:\naz login",
    );
    const chain = new AggregateAuthenticationError(
      [...absent.slice(0, 3), expired, ...absent.slice(3)],
      "ChainedTokenCredential authentication failed.",
    );
    expect(signInProblem(chain)).toBe("ERROR: AADSTS700082: The refresh token has expired due to inactivity.");
    expect(credentialAttempts(chain)).toHaveLength(6);
  });

  it("on an Azure VM with no identity assigned, an expired az login still leads", () => {
    const noIdentity = new CredentialUnavailableError(
      "ManagedIdentityCredential: Authentication failed. Message invalid_request: Identity not found",
    );
    const expired = new CredentialUnavailableError("ERROR: AADSTS700082: The refresh token has expired due to inactivity.");
    const chain = new AggregateAuthenticationError(
      [absent[0], noIdentity, absent[2], expired],
      "ChainedTokenCredential authentication failed.",
    );
    expect(signInProblem(chain)).toBe("ERROR: AADSTS700082: The refresh token has expired due to inactivity.");
    // With nothing else set up, the managed identity's answer is the reason.
    expect(signInProblem(new AggregateAuthenticationError([absent[0], noIdentity, absent[2]]))).toMatch(/Identity not found/);
  });

  it("a user-assigned identity not attached to the VM is the reason, not a missing 'az login'", () => {
    const noIdentity = new CredentialUnavailableError(
      "ManagedIdentityCredential: Authentication failed. Message invalid_request: Identity not found",
    );
    const noLogin = new CredentialUnavailableError(
      "Please run 'az login' from a command prompt to authenticate before using this credential.",
    );
    const chain = new AggregateAuthenticationError(
      [absent[0], noIdentity, noLogin, absent[3]],
      "ChainedTokenCredential authentication failed.",
    );
    expect(signInProblem(chain)).toMatch(/^ManagedIdentityCredential: .*Identity not found/);
  });

  it("keeps the chain's headline when every credential is merely absent", () => {
    const chain = new AggregateAuthenticationError(absent, "ChainedTokenCredential authentication failed.");
    expect(signInProblem(chain)).toBe("ChainedTokenCredential authentication failed.");
  });

  it("adds Entra ID's reason to an AuthenticationError's 'Status code: 400' line", () => {
    const error = new AuthenticationError(400, {
      error: "invalid_client",
      error_description:
        "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value.\r\nTrace ID: 1\r\nCorrelation ID: 2",
    });
    expect(signInProblem(error)).toMatch(/^invalid_client.*AADSTS7000215: Invalid client secret provided\. Ensure .* value\.$/);
    expect(credentialAttempts(error)[0]).toMatch(/^AuthenticationError: .*AADSTS7000215/);
  });

  it("takes the line after 'More details:' when the response had no description", () => {
    const error = new Error(
      "EnvironmentCredential authentication failed. To troubleshoot, visit https://aka.ms/x. Status code: 400\nMore details:\nENOENT: no such file or directory, open '/nonexistent.pem'",
    );
    expect(signInProblem(error)).toBe(
      "EnvironmentCredential authentication failed. To troubleshoot, visit https://aka.ms/x. Status code: 400 ENOENT: no such file or directory, open '/nonexistent.pem'",
    );
  });
});

describe("a sign-in no credential finished in time", () => {
  const never: TokenCredential = { getToken: () => new Promise(() => {}) };

  it("names what the chain waits on from this machine's environment, as the problem and in --verbose's list", async () => {
    vi.useFakeTimers();
    vi.stubEnv("IDENTITY_ENDPOINT", "http://127.0.0.1:9/msi/token");
    try {
      const pending = authenticate(never, "https://management.azure.com/.default", 1000);
      await vi.advanceTimersByTimeAsync(SIGN_IN_FLOOR_MS);
      const result = await pending;
      expect(result).toEqual({
        problem: `no token within ${SIGN_IN_FLOOR_MS} ms: the managed identity endpoint (IDENTITY_ENDPOINT: 127.0.0.1:9) did not answer in time`,
        attempts: [
          `none finished within ${SIGN_IN_FLOOR_MS} ms; the managed identity endpoint (IDENTITY_ENDPOINT: 127.0.0.1:9) did not answer in time`,
        ],
      });
    } finally {
      vi.unstubAllEnvs();
      vi.useRealTimers();
    }
  });

  it.each([
    [
      { AZURE_CLIENT_SECRET: "x" },
      "Microsoft Entra ID (login.microsoftonline.com) did not answer the sign-in with AZURE_CLIENT_ID's secret",
    ],
    [
      { AZURE_FEDERATED_TOKEN_FILE: "/var/run/token", AZURE_AUTHORITY_HOST: "https://login.microsoftonline.us/" },
      "Microsoft Entra ID (login.microsoftonline.us) did not answer the workload identity sign-in",
    ],
    [{ MSI_ENDPOINT: "http://localhost:8081/msi/token" }, "the managed identity endpoint (MSI_ENDPOINT: localhost:8081)"],
    [{}, "neither the VM's managed identity (IMDS, 169.254.169.254) nor the Azure CLI"],
    // AZURE_TOKEN_CREDENTIALS narrows the chain: only what it left is waited on.
    [{ AZURE_TOKEN_CREDENTIALS: "AzureCliCredential" }, "the Azure CLI (az account get-access-token) did not answer in time"],
    [
      { AZURE_TOKEN_CREDENTIALS: " azureclicredential ", AZURE_CLIENT_SECRET: "x", IDENTITY_ENDPOINT: "http://127.0.0.1:9/msi" },
      "the Azure CLI (az account get-access-token) did not answer in time",
    ],
    [
      { AZURE_TOKEN_CREDENTIALS: "dev", MSI_ENDPOINT: "http://localhost:8081/msi/token" },
      "neither the Azure CLI (az account get-access-token) nor Azure PowerShell",
    ],
    [{ AZURE_TOKEN_CREDENTIALS: "prod" }, "the VM's managed identity (IMDS, 169.254.169.254) did not answer in time"],
    [
      { AZURE_TOKEN_CREDENTIALS: "ManagedIdentityCredential", AZURE_CLIENT_SECRET: "x" },
      "the VM's managed identity (IMDS, 169.254.169.254) did not answer",
    ],
  ])("%j → %s", (env, said) => expect(pendingCredential(env)).toContain(said));

  it("names the sign-in host of the --cloud, not the public one", () => {
    expect(pendingCredential({ AZURE_CLIENT_SECRET: "x" }, "AzureChinaCloud")).toContain("Microsoft Entra ID (login.chinacloudapi.cn)");
    expect(pendingCredential({ AZURE_CLIENT_SECRET: "x" }, "AzureUSGovernment")).toContain("(login.microsoftonline.us)");
  });
});
