/** `shareTokens`: one token request per scopes for the run, never a stale, failed or challenged token handed on. */
import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import { describe, expect, it } from "vitest";
import { shareTokens } from "../../src/azure/credential.js";

const SCOPE = "https://management.azure.com/.default";
const MINUTE = 60_000;

/** A credential that answers each request with the next of `answers` (a token lifetime in ms, or an error). */
function credentialAnswering(...answers: (number | Error)[]) {
  const asked: GetTokenOptions[] = [];
  const credential: TokenCredential = {
    getToken(_scopes, options = {}) {
      asked.push(options);
      const answer = answers[asked.length - 1] ?? 60 * MINUTE;
      if (answer instanceof Error) return Promise.reject(answer);
      return Promise.resolve({ token: `token-${asked.length}`, expiresOnTimestamp: Date.now() + answer });
    },
  };
  return { credential, asked };
}

const tokenOf = (token: AccessToken | null) => token?.token;

describe("shareTokens", () => {
  it("asks once for callers at the same time and after, with the same scopes", async () => {
    const { credential, asked } = credentialAnswering();
    const shared = shareTokens(credential);
    const first = await Promise.all([1, 2, 3].map(() => shared.getToken(SCOPE, { enableCae: true })));
    const later = await shared.getToken([SCOPE], { enableCae: true });
    expect([...first, later].map(tokenOf)).toEqual(["token-1", "token-1", "token-1", "token-1"]);
    expect(asked).toHaveLength(1);
  });

  it("asks again for other scopes, another tenant, or without CAE", async () => {
    const { credential, asked } = credentialAnswering();
    const shared = shareTokens(credential);
    await shared.getToken(SCOPE, { enableCae: true });
    await shared.getToken("https://storage.azure.com/.default", { enableCae: true });
    await shared.getToken(SCOPE, { enableCae: true, tenantId: "other" });
    await shared.getToken(SCOPE);
    expect(asked).toHaveLength(4);
  });

  it("asks again when the shared token has five minutes or less left", async () => {
    const { credential, asked } = credentialAnswering(4 * MINUTE, 60 * MINUTE);
    const shared = shareTokens(credential);
    expect(tokenOf(await shared.getToken(SCOPE))).toBe("token-1");
    expect(tokenOf(await shared.getToken(SCOPE))).toBe("token-2");
    expect(tokenOf(await shared.getToken(SCOPE))).toBe("token-2");
    expect(asked).toHaveLength(2);
  });

  it("asks again with a claims challenge, and the new token replaces the shared one", async () => {
    const { credential, asked } = credentialAnswering();
    const shared = shareTokens(credential);
    await shared.getToken(SCOPE, { enableCae: true });
    expect(tokenOf(await shared.getToken(SCOPE, { enableCae: true, claims: '{"access_token":{}}' }))).toBe("token-2");
    expect(asked[1]?.claims).toBe('{"access_token":{}}');
    expect(tokenOf(await shared.getToken(SCOPE, { enableCae: true }))).toBe("token-2");
  });

  it("does not keep a failed request", async () => {
    const { credential, asked } = credentialAnswering(new Error("az: not logged in"));
    const shared = shareTokens(credential);
    await expect(shared.getToken(SCOPE)).rejects.toThrow("not logged in");
    expect(tokenOf(await shared.getToken(SCOPE))).toBe("token-2");
    expect(asked).toHaveLength(2);
  });

  it("an aborted caller's signal is neither passed on nor honoured: it gets the shared token like the others", async () => {
    let answer: (token: AccessToken) => void = () => undefined;
    const asked: GetTokenOptions[] = [];
    const shared = shareTokens({
      getToken: (_scopes, options = {}) => {
        asked.push(options);
        return new Promise((resolve) => (answer = resolve));
      },
    });
    const controller = new AbortController();
    const aborting = shared.getToken(SCOPE, { abortSignal: controller.signal });
    const patient = shared.getToken(SCOPE);
    controller.abort();
    answer({ token: "late", expiresOnTimestamp: Date.now() + 60 * MINUTE });
    expect([await aborting, await patient].map(tokenOf)).toEqual(["late", "late"]);
    // Azure's token cycler retries a refresh with the first asker's options, an aborted signal among them.
    expect(tokenOf(await shared.getToken(SCOPE, { abortSignal: AbortSignal.abort() }))).toBe("late");
    expect(asked).toHaveLength(1);
    expect(asked[0]?.abortSignal).toBeUndefined();
  });
});
