/**
 * `maskSecrets` (src/report/secrets.ts), also the filter on stdout/stderr: it masks each secret shape, leaves ordinary
 * report text alone, and can never break a format — masking serialised JSON always leaves valid JSON.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { maskSecrets } from "../../src/report/secrets.js";
import { propertyParams } from "../property/config.js";

const KEY = `${"Ab9+".repeat(21)}xY==`;
const JWT = "eyJ0eXAiOiJKV1QifQ.eyJvaWQiOiIxMjMifQ.c2lnbmF0dXJl";

describe("maskSecrets", () => {
  it.each([
    ["a JWT", `token ${JWT} end`, JWT],
    ["a JWT cut short", `token ${JWT.slice(0, 30)}…`, JWT.slice(0, 30)],
    ["a bearer token", "Authorization: Bearer abcdefghijklmnop0123456789", "abcdefghijklmnop0123456789"],
    ["a SAS signature", "https://a.blob.core.windows.net/c?sv=2022-11-02&sig=AbC%2Bdef%3D&se=2030", "AbC%2Bdef%3D"],
    ["a connection string key", `DefaultEndpointsProtocol=https;AccountName=a;AccountKey=${KEY};`, KEY],
    ["a bare account key", `key: ${KEY}`, KEY],
    ["our own secret by value", "header 3817f6a25ee67611", "3817f6a25ee67611"],
  ])("masks %s", (_label, text, secret) => {
    const masked = maskSecrets(text, ["3817f6a25ee67611"]);
    expect(masked).not.toContain(secret);
    expect(masked).toContain("***");
  });

  it("leaves report text alone", () => {
    const text =
      "PASS storage-account found storage account scdiagstore in resource group rg1 /subscriptions/00000000-0000-0000-0000-000000000001";
    expect(maskSecrets(text, [])).toBe(text);
  });

  it("never breaks JSON it masks", () => {
    const secretish = fc.constantFrom(JWT, `sig=${KEY}`, `AccountKey=${KEY}`, KEY, 'sig=a\\"b', 'Bearer 0123456789abcdefghij"');
    const value = fc.jsonValue({ maxDepth: 3 }).chain((json) => fc.tuple(fc.constant(json), fc.array(secretish, { maxLength: 3 })));
    fc.assert(
      fc.property(value, ([json, secrets]) => {
        const text = JSON.stringify({ json, s: secrets.join(" "), [secrets[0] ?? "k"]: secrets });
        expect(() => JSON.parse(maskSecrets(text, []))).not.toThrow();
      }),
      propertyParams(500),
    );
  });
});
