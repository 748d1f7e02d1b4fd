/** `--arm-endpoint`'s /metadata/endpoints: the audience, and whether it is Azure Stack Hub's own document. */
import { createHttpHeaders, type HttpClient } from "@azure/core-rest-pipeline";
import { describe, expect, it } from "vitest";
import { discoverEndpoint } from "../../src/azure/cloud-metadata.js";

/** A Resource Manager stand-in answering every request with `body`. */
const answering = (body: unknown, status = 200): HttpClient => ({
  sendRequest: async (request) => ({ request, status, headers: createHttpHeaders(), bodyAsText: JSON.stringify(body) }),
});
const ENDPOINT = "https://management.local.azurestack.external";

describe("discoverEndpoint", () => {
  it("Azure Stack Hub's document with its own audience: the audience, and azureStack", async () => {
    const client = answering({ authentication: { audiences: ["https://management.contoso.onmicrosoft.com/8f2e"] } });
    expect(await discoverEndpoint(ENDPOINT, 5000, client)).toEqual({
      audience: "https://management.contoso.onmicrosoft.com/8f2e/.default",
      azureStack: true,
    });
  });

  it("the same shape naming a public cloud's audience is a stand-in for that cloud, not a Stack", async () => {
    const client = answering({ authentication: { audiences: ["https://management.core.windows.net/"] } });
    expect(await discoverEndpoint(ENDPOINT, 5000, client)).toEqual({
      audience: "https://management.core.windows.net/.default",
      azureStack: false,
    });
  });

  it("unreadable: says why (the caller keeps its --cloud's audience)", async () => {
    expect(await discoverEndpoint(ENDPOINT, 5000, answering({}, 404))).toEqual({ unread: "HTTP 404" });
    expect(await discoverEndpoint(ENDPOINT, 5000, answering({ authentication: {} }))).toEqual({
      unread: "no audience for this endpoint in it",
    });
  });
});
