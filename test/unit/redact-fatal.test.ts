/**
 * With --redact, what a run prints outside its report is redacted with the report's labels too: the JSON error
 * object a failed sign-in writes to stdout, and an error that escapes the command (printed by src/program.ts).
 */
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { reportFatal } from "../../src/commands/fatal.js";
import { cliIo, withCliIo } from "../../src/commands/io.js";
import { withRedactedStderr } from "../../src/commands/render.js";
import { RedactionLabels, redactIdentifiersTogether } from "../../src/report/redact.js";

const TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const SUB = "00000000-0000-0000-0000-000000000001";

function streams() {
  const text = { stdout: "", stderr: "" };
  const sink = (key: "stdout" | "stderr") => {
    const stream = new PassThrough() as unknown as NodeJS.WriteStream;
    stream.write = ((chunk: unknown) => ((text[key] += String(chunk)), true)) as NodeJS.WriteStream["write"];
    return stream;
  };
  return { io: { stdout: sink("stdout"), stderr: sink("stderr"), stdin: new PassThrough() }, text };
}

describe("--redact beyond the report", () => {
  it("a failed sign-in's JSON error object on stdout: the ids get the run's labels, as its stderr line", async () => {
    const { io, text } = streams();
    await withCliIo({ ...io, labels: new RedactionLabels() }, async () =>
      reportFatal(
        {
          code: "AuthenticationFailed",
          message: `authentication failed for tenant '${TENANT}'`,
          credentials: [`AzureCliCredential: no access to tenant '${TENANT}'. Subscription ${SUB}`],
        },
        { output: "json", version: "1.0.0" },
      ),
    );
    expect(text.stdout).not.toContain(TENANT);
    expect(text.stdout).not.toContain(SUB);
    expect(JSON.parse(text.stdout).error.message).toContain("<tenant-1>");
  });

  it("an id first named in a later credential line, or as AADSTS700016's directory, is masked in every line and on stderr", async () => {
    const { io, text } = streams();
    const credentials = [
      `EnvironmentCredential: AADSTS700016: Application with identifier 'abc' was not found in the directory '${TENANT}'`,
      `AzureCliCredential: Please run 'az login --tenant ${TENANT}'`,
    ];
    await withCliIo({ ...io, labels: new RedactionLabels() }, async () =>
      reportFatal(
        { code: "AuthenticationFailed", message: "authentication failed", credentials },
        { output: "json", version: "1", details: credentials },
      ),
    );
    expect(text.stdout).not.toContain(TENANT);
    expect(text.stderr).not.toContain(TENANT);
    expect(JSON.parse(text.stdout).error.credentials[1]).toContain("<tenant-1>");
  });

  it.each([
    `The access token is from the wrong issuer 'https://sts.windows.net/${TENANT}/'`,
    `authority (URL) 'https://login.windows.net/${TENANT}'`,
    `https://login.chinacloudapi.cn/${TENANT}/oauth2/v2.0/token`,
    `The access token is from the wrong issuer 'https://sts.chinacloudapi.cn/${TENANT}/'`,
    `AADSTS500011: ... in the tenant named ${TENANT}`,
    `AADSTS700016: ... was not found in the directory '${TENANT}'`,
    `{"tenantId":"${TENANT}"}`,
  ])("a tenant id in Entra ID's wording is a tenant: %s", (line) => {
    const [out] = redactIdentifiersTogether([line], new RedactionLabels());
    expect(out).toContain("<tenant-1>");
    expect(out).not.toContain(TENANT);
  });

  it("an error that escapes the command leaves its scope with its ids redacted", async () => {
    const { io } = streams();
    const escaped = await withCliIo(io, () =>
      withRedactedStderr({ redact: true }, async () => {
        cliIo().stderr.write(`GET /subscriptions/${SUB}/resourceGroups/rg1\n`);
        throw new Error(`VM /subscriptions/${SUB}/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/vm1 is in both a and b`);
      }).catch((error: Error) => error),
    );
    expect(escaped.message).toContain("/subscriptions/<subscription-1>/");
    expect(escaped.message).not.toContain(SUB);
    expect(escaped.stack ?? "").not.toContain(SUB);
  });
});
