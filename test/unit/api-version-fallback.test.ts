/**
 * The api-version a lagging cloud serves, read from its refusal: the messages as Resource Manager words them
 * (NoRegisteredProviderFound quoted in https://github.com/Azure/azure-cli/issues/28496 and
 * https://github.com/pulumi/pulumi-azure-native/issues/584; InvalidApiVersionParameter for Microsoft.Resources).
 */
import { describe, expect, it } from "vitest";
import { createHttpHeaders, createPipelineRequest } from "@azure/core-rest-pipeline";
import { apiVersionFallbackPolicy, fallbackVersion, offeredVersions } from "../../src/azure/pipeline/api-version-fallback-policy.js";

const body = (code: string, message: string) => JSON.stringify({ error: { code, message } });

describe("offeredVersions", () => {
  it("reads NoRegisteredProviderFound's list (previews included, as Azure lists them)", () => {
    const text = body(
      "NoRegisteredProviderFound",
      "No registered resource provider found for location 'northeurope' and API version '2020-09-01' for type 'serverFarms'. The supported api-versions are '2020-06-01, 2019-08-01, 2018-11-01, 2014-04-01-preview, 2018-12-01-alpha'. The supported locations are 'southcentralus, westus'.",
    );
    expect(offeredVersions(text)).toEqual(["2020-06-01", "2019-08-01", "2018-11-01", "2014-04-01-preview", "2018-12-01-alpha"]);
  });

  it("reads InvalidApiVersionParameter's list", () => {
    const text = body(
      "InvalidApiVersionParameter",
      "The api-version '2099-01-01' is invalid. The supported versions are '2022-12-01,2021-04-01'. The supported locations are ''.",
    );
    expect(offeredVersions(text)).toEqual(["2022-12-01", "2021-04-01"]);
  });

  it("nothing from any other 400, a body that is not JSON, or none", () => {
    expect(offeredVersions(body("InvalidQuery", "The supported api-versions are '2020-06-01'."))).toEqual([]);
    expect(offeredVersions("<html>Bad Request</html>")).toEqual([]);
    expect(offeredVersions(undefined)).toEqual([]);
    expect(offeredVersions(JSON.stringify({ error: null }))).toEqual([]);
  });
});

describe("fallbackVersion", () => {
  it("the newest stable version older than the one asked", () => {
    expect(fallbackVersion(["2020-06-01", "2024-03-01", "2026-07-01-preview", "2023-09-01"], "2026-03-01")).toBe("2024-03-01");
  });

  it("never a newer one, a preview or the one refused", () => {
    expect(fallbackVersion(["2026-03-01", "2027-01-01", "2025-01-01-preview"], "2026-03-01")).toBeUndefined();
    expect(fallbackVersion([], "2026-03-01")).toBeUndefined();
  });
});

describe("apiVersionFallbackPolicy", () => {
  const refusal = (code: string, versions: string) =>
    body(
      code,
      `No registered resource provider found for location 'chinaeast2' and API version 'x' for type 'virtualMachines'. The supported api-versions are '${versions}'. The supported locations are 'chinanorth3'.`,
    );
  /** Send `path` through the policy to a Resource Manager that answers `answer(api-version)`; the versions sent, in order. */
  const send = async (policy: ReturnType<typeof apiVersionFallbackPolicy>, path: string, answer: (version: string) => [number, string]) => {
    const sent: string[] = [];
    const request = createPipelineRequest({ url: `https://management.example${path}?api-version=2026-03-01` });
    const response = await policy.sendRequest(request, async (req) => {
      const version = new URL(req.url).searchParams.get("api-version") ?? "";
      sent.push(version);
      const [status, text] = answer(version);
      return { request: req, status, headers: createHttpHeaders(), bodyAsText: text };
    });
    return { sent, status: response.status };
  };
  const VM = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1";

  it("a version that is not served: once more in the newest one served, and that one directly for the type's next requests", async () => {
    const policy = apiVersionFallbackPolicy();
    const lagging = (v: string): [number, string] =>
      v === "2024-03-01" ? [200, "{}"] : [400, refusal("NoRegisteredProviderFound", "2024-03-01, 2022-03-01")];
    expect(await send(policy, VM, lagging)).toEqual({ sent: ["2026-03-01", "2024-03-01"], status: 200 });
    expect(await send(policy, `${VM}/instanceView`, lagging)).toEqual({ sent: ["2024-03-01"], status: 200 });
  });

  it("a refusal that lists the version sent (a location not served) is no api-version problem: answered as is, nothing kept", async () => {
    const policy = apiVersionFallbackPolicy();
    const location = (): [number, string] => [400, refusal("NoRegisteredProviderFound", "2026-03-01, 2024-03-01, 2022-03-01")];
    expect(await send(policy, VM, location)).toEqual({ sent: ["2026-03-01"], status: 400 });
    expect(await send(policy, VM, location)).toEqual({ sent: ["2026-03-01"], status: 400 });
  });
});
