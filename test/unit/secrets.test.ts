/**
 * Every credential shape of src/report/secrets.ts through both paths that can print it: the report pipeline
 * (`createRedactor`, which every formatter's input passes, with and without --redact) and the stdout/stderr filter
 * (`maskStream`, string and Buffer writes). The same table for both, so the two can no longer drift apart.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { propertyParams } from "../property/config.js";
import { createRedactor } from "../../src/report/redact.js";
import { xml } from "../../src/report/escape.js";
import { sanitizeLine } from "../../src/report/sanitize.js";
import {
  CREDENTIAL_PATTERNS,
  environmentSecretValues,
  maskSecrets,
  maskStream,
  maskWrappedSecrets,
  stringifyMasked,
} from "../../src/report/secrets.js";

const OWN = "3817f6a25ee67611-own";
const KEY = `${"Ab9+".repeat(21)}xY==`;
const JWT = "eyJ0eXAiOiJKV1QifQ.eyJvaWQiOiIxMjMifQ.c2lnbmF0dXJl";
const SIG = "AbC%2Bdef%2FSECRETSIG%3D";
// The shape of retrieveBootDiagnosticsData's answer: blob URIs with a read-only SAS as their query.
const SAS_URI = `https://bootdiag01.blob.core.windows.net/bootdiagnostics-vm1-0f1e/vm1.0f1e.serialconsole.log?sv=2021-08-06&st=2026-11-30T10%3A00%3A00Z&se=2026-11-30T12%3A00%3A00Z&sr=b&sp=r&sig=${SIG}`;

/** [pattern it exercises, text, the part that must not come out]. */
const CASES: readonly [string, string, string][] = [
  ["JWT", `token ${JWT} end`, JWT.split(".")[2] ?? JWT],
  ["JWT", `token cut short ${JWT.slice(0, 30)}…`, JWT.slice(3, 30)],
  ["bearer token", "Authorization: Bearer abc.def.ghi", "abc.def.ghi"],
  ["SAS signature", "https://a.blob.core.windows.net/c?sv=2022-11-02&sig=AbC%2Bdef%3D&se=2030", "AbC%2Bdef%3D"],
  ["SAS signature", `{"serialConsoleLogBlobUri":"${SAS_URI}"}`, "SECRETSIG"],
  ["SAS signature", `<a href="${SAS_URI.replace(/&/g, "&amp;")}">log</a>`, "SECRETSIG"],
  ["SAS signature", `https://portal.example/?next=${encodeURIComponent(SAS_URI)}`, "SECRETSIG"],
  ["connection string key", `DefaultEndpointsProtocol=https;AccountName=a;AccountKey=${KEY};`, KEY],
  [
    "connection string key",
    "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=r;SharedAccessKey=c2VjcmV0S0VZMTIz=;",
    "c2VjcmV0S0VZMTIz",
  ],
  ["connection string key", "BlobEndpoint=https://a.blob.core.windows.net;SharedAccessSignature=SECRETSAS0123", "SECRETSAS0123"],
  ["storage account key", `key: ${KEY}`, KEY],
  ["client secret, password or refresh token", "client_secret=Sup3r~Secret.Value_1&grant_type=client_credentials", "Sup3r~Secret.Value_1"],
  ["client secret, password or refresh token", "AZURE_CLIENT_SECRET=Sup3r~Secret.Value_2", "Sup3r~Secret.Value_2"],
  ["client secret, password or refresh token", 'login failed: {"password": "hunter2-hunter2"}', "hunter2-hunter2"],
  ["identity header", "X-IDENTITY-HEADER: 0c9d8e7f-header-value", "0c9d8e7f-header-value"],
  ["client secret, password or refresh token", 'cloud-init: password: "correct horse battery"', "horse battery"],
  ["client secret, password or refresh token", "client-secret = 'Sup3r Secret Value'", "Secret Value"],
  ["client secret, password or refresh token", "client-secret: Sup3rSecretHyphen", "Sup3rSecretHyphen"],
  ["password or secret argument", "az login --service-principal -u app --password S3cr3tValue!! --tenant t", "S3cr3tValue"],
  ["password or secret argument", 'az ad sp credential reset --client-secret "S3cr3t Value99"', "S3cr3t Value99"],
  ["basic credentials", "Authorization: Basic dXNlcjpzZWNyZXQ=", "dXNlcjpzZWNyZXQ="],
  ["client secret, password or refresh token", '{"refreshToken": "0.AXoAOpaqueRefresh-Token_1"}', "OpaqueRefresh"],
  ["client secret, password or refresh token", "grant_type=refresh_token&refresh_token=1.AQ4AOpaqueRefresh2&scope=x", "OpaqueRefresh2"],
  ["SAS signature", "next=https%3A%2F%2Fa.blob.core.windows.net%2Fc%3Fsv%3D1%26sig%253DDoubleEncodedSig1234", "DoubleEncodedSig1234"],
  // An opaque access token (not a JWT) is told only by its key: the az CLI's JSON, an OAuth form or answer.
  ["client secret, password or refresh token", '{"accessToken": "OpaqueAccess-Token_0123"}', "OpaqueAccess"],
  ["client secret, password or refresh token", "access_token=OpaqueAccess2&token_type=Bearer", "OpaqueAccess2"],
  // Azure's own names for them, a word joined before the key: ARM bodies, Terraform, az's flags, PowerShell.
  ["client secret, password or refresh token", '{"details":[{"adminPassword":"Sup3rS3cret!Pass"}]}', "Sup3rS3cret"],
  ["client secret, password or refresh token", 'admin_password = "Hunter2Secret!"', "Hunter2Secret"],
  ["client secret, password or refresh token", "$env:ARM_CLIENT_SECRET='TfSecretValue~1'", "TfSecretValue"],
  ["client secret, password or refresh token", "TF_VAR_client_secret=TfVarSecret~2", "TfVarSecret"],
  ["password or secret argument", "az vm create -n vm1 --admin-password 'Sup3rS3cret!Pass' --image Ubuntu2204", "Sup3rS3cret"],
  ["password or secret argument", "az vm user update -g rg1 -n vm1 -u azureuser -p 'Hunter2Secret!'", "Hunter2Secret"],
  ["password or secret argument", "az login -u alice@contoso.com -p Hunter2Bare!", "Hunter2Bare"],
  ["password or secret argument", "$p = ConvertTo-SecureString 'Hunter2Secret!' -AsPlainText -Force", "Hunter2Secret"],
  ["password or secret argument", 'ConvertTo-SecureString -String "Hunter2 Spaced" -AsPlainText -Force', "Hunter2 Spaced"],
  // Credentials in a URL's user information (RFC 3986 §3.2.1), e.g. a storage URI or a proxy named in a message.
  ["URL credentials", "storageUri https://admin:Hunter2Pass@acct.blob.core.windows.net/", "Hunter2Pass"],
];

/** Everything the stream filter lets through, for string and Buffer writes. */
function throughStream(text: string): string {
  const written: string[] = [];
  const stream = { write: (chunk: string) => (written.push(String(chunk)), true) } as unknown as NodeJS.WriteStream;
  maskStream(stream, [OWN]);
  stream.write(text);
  stream.write(Buffer.from(text, "utf8"));
  return written.join("\n");
}

/** What a formatter receives: the text as a reason, an evidence key and value, and in a list. */
function throughReport(text: string, redact: boolean): string {
  return JSON.stringify(createRedactor([OWN], redact)({ reason: text, evidence: { [text]: text, list: [text] } }));
}

const PATHS = {
  "stdout/stderr filter": throughStream,
  "report without --redact": (text: string) => throughReport(text, false),
  "report with --redact": (text: string) => throughReport(text, true),
};

describe.each(Object.entries(PATHS))("%s", (_path, mask) => {
  it.each(CASES)("masks a %s: %j", (_pattern, text, secret) => {
    const out = mask(text);
    expect(out).not.toContain(secret);
    expect(out).toContain("***");
  });

  it("masks our own secret by value, also inside a longer one", () => {
    const out = mask(`header ${OWN} and ${OWN}-longer`);
    expect(out).not.toContain(OWN);
  });

  it.each([
    "storage account scdiagstore in rg1: /subscriptions/x/resourceGroups/rg1 (signature=valid, Bearer token)",
    // A kernel audit line's signal number is no SAS signature.
    'audit: type=1701 audit(1.2:3): exe="/usr/lib/systemd/systemd" sig=6 res=1',
    // A prompt at the end of a line: the next line is not its value.
    "Give root password for maintenance\n(or press Control-D to continue):",
    "Enter root password:\ndo: sign in",
    // A fix's placeholder is the reader's to fill in.
    "az vm user update --name vm1 --resource-group rg1 --username '<user>' --password '<password>'",
    "disablePasswordAuthentication: true",
    "az vm create --admin-username azureuser --admin-password '<password>'",
    "ssh -p 2222 azureuser@vm1",
    "Enter password: ",
  ])("leaves ordinary text alone: %j", (text) => {
    // The report paths give JSON text: the text as JSON writes it.
    expect(mask(text)).toContain(mask === throughStream ? text : JSON.stringify(text).slice(1, -1));
  });
});

describe("text cut short and JSON strings", () => {
  it("a key or signature at the end of a long line is masked before the line is cut", () => {
    for (const secret of [KEY, `sig=${SIG}`, JWT]) {
      // The secret starts 12 characters before the cut.
      const prefix = "Kernel panic - not syncing: ";
      const cut = sanitizeLine(`${prefix}${"p".repeat(300 - prefix.length - 13)} ${secret}`, 300);
      expect(cut, secret).toContain("***");
      expect(cut, secret).not.toContain(secret.slice(0, 12));
    }
  });

  it('JSON text of strings holding a quoted secret (written as \\" in JSON) is masked', () => {
    const json = stringifyMasked({ query: '{"client_secret":"Tr1ckyS3cret","password":"Hunter22"}', list: [`p password: "a b"`] }, 2);
    expect(json).not.toMatch(/Tr1ckyS3cret|Hunter22|a b/);
    expect(JSON.parse(json).query).toBe('{"client_secret":"***","password":"***"}');
  });
});

describe("a paste wrapped by a terminal", () => {
  const SAS_SIG = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdEFG%3D";
  it.each([
    [
      "a SAS signature",
      `https://a.blob.core.windows.net/c/b?sv=2022-11-02&sig=${SAS_SIG.slice(0, 16)}\n${SAS_SIG.slice(16)}&se=1`,
      SAS_SIG.slice(16, 30),
    ],
    [
      "a storage key, neither half of which has its shape",
      `az storage blob list --account-key ${KEY.slice(0, 40)}\r\n  ${KEY.slice(40)}`,
      KEY.slice(40, 60),
    ],
    ["a bearer token", `Authorization: Bearer ${JWT.slice(0, 30)}\n${JWT.slice(30)}`, JWT.slice(30)],
  ])("masks %s across the line break", (_what, text, tail) => {
    expect(maskSecrets(text, [])).toContain(tail);
    expect(maskWrappedSecrets(text, [])).not.toContain(tail);
  });

  it("keeps the lines as they are when no credential crosses a break", () => {
    const text = "Storage account 'diag01' not found.\nsig=AbCdEfGhIjKl0123 se=1\nnext line";
    expect(maskWrappedSecrets(text, [])).toBe(maskSecrets(text, []));
    expect(maskWrappedSecrets(text, [])).toContain("\nnext line");
  });

  it("masks a signature or key through the JSON escapes of the tool that printed it (\\u002B, \\/)", () => {
    const text = String.raw`"url": "https://a.blob.core.windows.net/c?sv=1\u0026sig=AbCdEfGhIj\u002BKlMnOpQr\/StUv%3D\u0026se=2"`;
    const masked = maskSecrets(text, []);
    expect(masked).not.toMatch(/KlMnOpQr|StUv/);
    expect(masked).toContain(String.raw`sig=***\u0026se=2`);
    expect(maskSecrets(String.raw`AccountKey=abc\u002Bdef\/ghi;`, [])).toBe("AccountKey=***;");
  });
});

describe("the table", () => {
  it("exercises every credential pattern", () => {
    expect(new Set(CASES.map(([pattern]) => pattern))).toEqual(new Set(CREDENTIAL_PATTERNS.map(([name]) => name)));
  });
});

// The hints skip a pattern on text that fails them, so a hint that fails where its pattern matches lets a credential
// through: on the text itself (`maskSecrets`) and on its JSON text (the audit line written as it is).
const FRAGMENTS = [
  "password",
  "PassWord",
  "client_secret",
  "clientsecret",
  "client-secret",
  "refresh_token",
  "RefreshToken",
  "access_token",
  "accessToken",
  "https://u:",
  "--password ",
  "--admin-password ",
  "--secret=",
  "adminPassword",
  "ARM_CLIENT_SECRET",
  "-u a -p ",
  "ConvertTo-SecureString ",
  "AZURE_",
  "x-identity-header",
  "Authorization: Basic ",
  "sig",
  "SIG",
  "%3d",
  "%3D",
  "%253D",
];
const BETWEEN = ["=", ":", '"', "'", " ", "\n", "\t", "\u000b", "\u00a0", "&amp;", "?", ";"];
const BODY = ["eyJ", "0eXAiOiJKV1Qi", ".", "Bearer ", "AccountKey=", "SharedAccessKey=", "SharedAccessSignature=", KEY, "==", "abc", "+/"];
const piece = fc.oneof(fc.constantFrom(...FRAGMENTS, ...BETWEEN, ...BODY), fc.string({ maxLength: 3 }));
// A key, what may stand between it and its value, a value; or any run of the pieces.
const credentialish = fc.oneof(
  fc
    .tuple(fc.constantFrom(...FRAGMENTS), fc.array(fc.constantFrom(...BETWEEN), { maxLength: 3 }), fc.constantFrom(...BODY))
    .map(([key, between, value]) => key + between.join("") + value),
  fc.array(piece, { maxLength: 12 }).map((parts) => parts.join("")),
);

describe("each pattern's hints", () => {
  it.each(CREDENTIAL_PATTERNS.map((entry) => [entry[0], entry] as const))(
    "pass wherever %s matches, as text and as JSON",
    (_name, entry) => {
      const [, pattern, , hint, jsonHint = hint] = entry;
      const matches = (text: string) => new RegExp(pattern.source, pattern.flags.replace("g", "")).test(text);
      for (const [, text] of CASES.filter(([name]) => name === entry[0])) {
        expect(hint.test(text), text).toBe(true);
        expect(jsonHint.test(JSON.stringify(text)), text).toBe(true);
      }
      fc.assert(
        fc.property(credentialish, (text) => {
          if (!matches(text)) return;
          expect(hint.test(text)).toBe(true);
          expect(jsonHint.test(JSON.stringify(text))).toBe(true);
        }),
        propertyParams(2000),
      );
    },
  );
});

// The stream filter masks serialised text: compact JSON (jsonl lines, the fatal error) must stay JSON.
describe("masking JSON text on the stream", () => {
  it.each([
    '{"lines":["login: root","Password:","Login incorrect"]}',
    '{"reason":"enter the password:","fix":"x"}',
    '{"a":"client_secret=","b":"y"}',
    '{"lastLine":"Enter password:","storage":"custom"}',
    // Attributes in XML (junit) and HTML: the quote after the key closes the attribute.
    '<failure message="password:" type="x"/>',
    '<td title="enter password:">x</td>',
    '<input value="password:"/>',
  ])("a string ending in a secret's key leaves the next string alone: %s", (json) => {
    expect(maskSecrets(json, [], true)).toBe(json);
  });

  it("keeps markup's attributes whole, whatever their values hold", () => {
    const quotes = (text: string) => text.split('"').length;
    fc.assert(
      fc.property(fc.array(credentialish, { maxLength: 3 }), (strings) => {
        const markup = strings.map((text) => `<e a="${xml(text, true)}" b="${xml(text, true)}"/>`).join("");
        expect(quotes(maskSecrets(markup, [], true)), maskSecrets(markup, [], true)).toBe(quotes(markup));
      }),
      propertyParams(3000),
    );
  });

  it("a single-quoted value holding a comma is masked whole on the stream too", () => {
    expect(maskSecrets("x password='Abc,123xyz!' y", [], true)).toBe("x password='***' y");
    expect(maskSecrets("az login --password 'Abc,123xyz!'", [], true)).toBe("az login --password '***'");
  });

  it("keeps any one-line JSON valid, whatever its strings hold", () => {
    fc.assert(
      fc.property(fc.array(credentialish, { maxLength: 4 }), (strings) => {
        const json = JSON.stringify({ list: strings, joined: strings.join(" ") });
        expect(() => JSON.parse(maskSecrets(json, [], true)), maskSecrets(json, [], true)).not.toThrow();
      }),
      propertyParams(3000),
    );
  });

  it("a quoted value holding the other quote is masked whole", () => {
    expect(maskSecrets(`password: "it's a secret"`, [])).toBe('password: "***"');
  });

  // Plain strings (a result's texts before any format) have no delimiters to respect: a password may start with any
  // character, a scheme or flag be written in any case.
  it.each([
    ['password: "]hunter2xyz"', "hunter2xyz"],
    ["password=',hunter2'", "hunter2"],
    ['password: ":a b"', "a b"],
    ["authorization: basic dXNlcjpodW50ZXIy", "dXNlcjpodW50ZXIy"],
    ["Proxy-Authorization: Basic dXNlcjpodW50ZXIy", "dXNlcjpodW50ZXIy"],
    ["az login --PASSWORD hunter2xyz", "hunter2xyz"],
  ])("a plain string: %s is masked", (text, secret) => {
    expect(maskSecrets(text, [])).not.toContain(secret);
  });
});

describe("our environment's secrets", () => {
  it("AZURE_CLIENT_ID is masked when it is not a GUID (a secret pasted there, which Entra ID quotes back)", () => {
    const pasted = "s3cr3t~Value.ABCdef123456";
    const message = `AADSTS700016: Application with identifier '${pasted}' was not found in the directory 'Contoso'.`;
    expect(maskSecrets(message, environmentSecretValues({ AZURE_CLIENT_ID: pasted }))).not.toContain(pasted);
    const guid = "11111111-2222-3333-4444-555555555555";
    expect(environmentSecretValues({ AZURE_CLIENT_ID: guid })).toEqual([]);
  });
});
