import { describe, expect, it } from "vitest";
import { describeSignIn } from "../../src/azure/credential.js";

const OID = "11111111-1111-1111-1111-111111111111";
const TID = "22222222-2222-2222-2222-222222222222";
const APP = "66666666-6666-6666-6666-666666666666";
/** A JWT-shaped token with these claims (unsigned: the doctor never verifies tokens, Azure does). */
const token = (claims: Record<string, unknown>) =>
  ["{}", JSON.stringify(claims)].map((part) => Buffer.from(part).toString("base64url")).join(".") + ".sig";

describe("describeSignIn: who the token names, never the token", () => {
  it.each<[string, string, string | undefined, string]>([
    [
      "a user (az login): idtyp user, upn",
      token({ idtyp: "user", upn: "alice@contoso.com", oid: OID, tid: TID, appid: APP }),
      "AzureCliCredential",
      `signed in with AzureCliCredential as user alice@contoso.com (object id ${OID}, tenant ${TID})`,
    ],
    [
      "a user of a v1 token without idtyp: unique_name",
      token({ unique_name: "live.com#bob@outlook.com", oid: OID, tid: TID, appid: APP }),
      "AzureCliCredential",
      `signed in with AzureCliCredential as user live.com#bob@outlook.com (object id ${OID}, tenant ${TID})`,
    ],
    [
      "a service principal (client secret): idtyp app",
      token({ idtyp: "app", appid: APP, oid: OID, tid: TID }),
      "EnvironmentCredential",
      `signed in with EnvironmentCredential as an application (service principal) (object id ${OID}, tenant ${TID})`,
    ],
    [
      "a managed identity, known by its token's xms_mirid",
      token({ idtyp: "app", appid: APP, oid: OID, tid: TID, xms_mirid: "/subscriptions/s/resourcegroups/rg/providers/x/y/mi" }),
      undefined,
      `signed in as a managed identity (object id ${OID}, tenant ${TID})`,
    ],
    [
      "a managed identity, known by the credential that answered",
      token({ idtyp: "app", appid: APP, oid: OID, tid: TID }),
      "ManagedIdentityCredential",
      `signed in with ManagedIdentityCredential as a managed identity (object id ${OID}, tenant ${TID})`,
    ],
    ["an opaque token", "not-a-jwt", "AzureCliCredential", "signed in with AzureCliCredential as an identity the token does not name"],
  ])("%s", (_, signedIn, answeredBy, line) => {
    expect(describeSignIn(signedIn, answeredBy)).toBe(line);
    expect(line).not.toContain(signedIn);
  });
});
