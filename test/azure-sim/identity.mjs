/**
 * The managed-identity token endpoint, App Service style (https://learn.microsoft.com/azure/app-service/overview-managed-identity#rest-endpoint-reference): `GET {IDENTITY_ENDPOINT}?api-version=
 * 2019-08-01&resource=…` with header `X-IDENTITY-HEADER`. This is what lets the real DefaultAzureCredential of
 * @azure/identity (MSAL underneath) sign in to the simulator, with no test hook in sc-doctor.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { CALLER_OBJECT_ID, TENANT_ID } from "./world/builders.mjs";

export const TOKEN_PATH = "/msi/token";
const CLIENT_ID = "66666666-6666-6666-6666-666666666666";
const b64url = (value) => Buffer.from(typeof value === "string" ? value : JSON.stringify(value)).toString("base64url");

export class TokenIssuer {
  constructor() {
    /** The secret App Service puts in IDENTITY_HEADER. */
    this.secret = randomBytes(16).toString("hex");
    /** @type {Set<string>} tokens this simulator issued and ARM therefore accepts */
    this.issued = new Set();
    this.count = 0;
  }

  /**
   * Answer a token request.
   * @param {URLSearchParams} query
   * @param {string | undefined} header the X-IDENTITY-HEADER value
   * @returns {{ status: number, body: unknown }}
   */
  handle(query, header) {
    this.count++;
    if (header !== this.secret) {
      return {
        status: 401,
        body: { error: "invalid_request", error_description: "The X-IDENTITY-HEADER header is missing or does not match IDENTITY_HEADER." },
      };
    }
    if (query.get("api-version") !== "2019-08-01") {
      return {
        status: 400,
        body: {
          error: "invalid_request",
          error_description: `api-version '${query.get("api-version") ?? ""}' is not supported; use 2019-08-01.`,
        },
      };
    }
    const resource = query.get("resource");
    if (!resource) return { status: 400, body: { error: "invalid_request", error_description: "The 'resource' parameter is required." } };
    const now = Math.floor(Date.now() / 1000);
    const expiresOn = now + 3600;
    // JWT-shaped (unsigned-looking signature): tools that peek at `oid` for display can; nothing verifies it.
    const token = [
      b64url({ typ: "JWT", alg: "RS256", kid: "sc-doctor-sim" }),
      b64url({
        aud: resource,
        iss: `https://sts.windows.net/${TENANT_ID}/`,
        iat: now,
        nbf: now,
        exp: expiresOn,
        oid: CALLER_OBJECT_ID,
        sub: CALLER_OBJECT_ID,
        tid: TENANT_ID,
        appid: CLIENT_ID,
        idtyp: "app",
        uti: randomUUID(),
      }),
      randomBytes(32).toString("base64url"),
    ].join(".");
    this.issued.add(token);
    return {
      status: 200,
      body: { access_token: token, expires_on: String(expiresOn), resource, token_type: "Bearer", client_id: CLIENT_ID },
    };
  }

  /** @param {string | undefined} authorization */
  accepts(authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? "");
    return match !== null && this.issued.has(match[1] ?? "");
  }
}
