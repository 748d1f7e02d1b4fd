/**
 * Secrets and identifiers in every field that reaches output, through the real output pipeline (sanitise →
 * redact → format) for every format: none may come out. Without --redact, credentials and our own secrets are
 * still masked while identifiers stay — which also proves these assertions can fail.
 */
import { describe, expect, it } from "vitest";
import { environmentSecrets, renderVmText } from "../../src/commands/render.js";
import { OUTPUT_FORMATS, type OutputFormat } from "../../src/report/formats.js";
import fc from "fast-check";
import { createRedactor, emailSpans } from "../../src/report/redact.js";
import { CREDENTIALS, ENV_SECRET, HOSTILE, IDENTIFIERS, OBJECT_ID, SUB, TENANT, UPN } from "../fixtures/results.js";
import { assertValidJunit, assertValidSarif } from "../fixtures/validate.js";

const meta = { tool: { name: "sc-doctor" as const, version: "1.2.3" }, generatedAt: "2026-11-25T02:00:00.000Z" };
const render = (format: OutputFormat, redact: boolean) =>
  renderVmText(format, HOSTILE, meta, { redact, color: false, secrets: [ENV_SECRET] });

/** The forms a value can take in an output: as is, XML-escaped, percent-encoded, JSON-escaped. */
const forms = (value: string) => [value, encodeURI(value), encodeURIComponent(value), value.replace(/@/g, "&#64;")];

describe.each(OUTPUT_FORMATS)("%s", (format) => {
  it("with --redact: no identifier, credential or own secret comes out", async () => {
    const text = await render(format, true);
    for (const secret of [...IDENTIFIERS, ...CREDENTIALS])
      for (const form of forms(secret)) expect(text, `${format} leaks ${secret}`).not.toContain(form);
    expect(text).toContain(
      "<subscription-1>".replace(/[<>]/g, (c) =>
        format === "junit" || format === "markdown" || format === "html" ? (c === "<" ? "&lt;" : "&gt;") : c,
      ),
    );
    if (format === "junit") await assertValidJunit(text);
    if (format === "sarif") assertValidSarif(text);
  });

  it("without --redact: credentials and own secrets are still masked", async () => {
    const text = await render(format, false);
    for (const secret of CREDENTIALS) expect(text, `${format} leaks ${secret}`).not.toContain(secret);
    if (format === "markdown") for (const id of IDENTIFIERS) expect(text).not.toContain(id);
    else expect(text).toContain(SUB);
  });

  it("no terminal escapes or bidi overrides from Azure text", async () => {
    const text = await render(format, false);
    expect(text).not.toMatch(/[\u001b\u0007\u202e\u0000]/);
  });

  it("keeps the ARM correlation ids support needs", async () => {
    expect(await render(format, true)).toContain(format === "table" ? "" : "dddddddd-1111-4222-8333-444444444444");
  });
});

describe("redaction rules", () => {
  it("labels each distinct identifier consistently across a whole report", () => {
    const redact = createRedactor([], true);
    const first = redact({ subscriptionId: SUB, text: `object id '${OBJECT_ID}' in tenant ${TENANT}` });
    const second = redact({
      id: `/subscriptions/${SUB}/resourceGroups/x`,
      other: `/subscriptions/11111111-2222-4333-8444-555555555555`,
      who: UPN,
      again: OBJECT_ID,
    });
    expect(first).toEqual({ subscriptionId: "<subscription-1>", text: "object id '<object-1>' in tenant <tenant-1>" });
    expect(second).toEqual({
      id: "/subscriptions/<subscription-1>/resourceGroups/x",
      other: "/subscriptions/<subscription-2>",
      who: "<user-1>",
      again: "<object-1>",
    });
  });

  it("labels ids percent-encoded inside another URL", () => {
    const redact = createRedactor([], true);
    expect(redact(`see https://x.example/?next=%2Fsubscriptions%2F${SUB}%2FresourceGroups%2Frg1 and tenants%2F${TENANT}`)).toBe(
      "see https://x.example/?next=%2Fsubscriptions%2F<subscription-1>%2FresourceGroups%2Frg1 and tenants%2F<tenant-1>",
    );
  });

  it("masks the tenant domain of a portal URL", () => {
    const redact = createRedactor([], true);
    expect(redact(`https://portal.azure.com/#@contoso.onmicrosoft.com/resource/subscriptions/${SUB}/overview`)).toBe(
      "https://portal.azure.com/#@<tenant-1>/resource/subscriptions/<subscription-1>/overview",
    );
  });

  it("masks credentials whether or not identifiers are redacted", () => {
    const redact = createRedactor(["s3cr3t-value"], false);
    expect(redact("https://a.blob.core.windows.net/c/b?sv=1&sig=abc%2Fdef&se=2 AccountKey=xyz== Bearer abc.def.ghi s3cr3t-value")).toBe(
      "https://a.blob.core.windows.net/c/b?sv=1&sig=***&se=2 AccountKey=*** Bearer *** ***",
    );
  });

  it("reads our own secrets from the environment", () => {
    expect(environmentSecrets({ IDENTITY_HEADER: "header-value-123", AZURE_CLIENT_SECRET: "x", MSI_SECRET: "msi-secret-456" })).toEqual([
      "header-value-123",
      "msi-secret-456",
    ]);
  });
});

describe("e-mail addresses in long text", () => {
  // The regex the scanner replaced: the scanner must find exactly what it found.
  const EMAIL_REGEX = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g;
  const regexSpans = (text: string) => [...text.matchAll(EMAIL_REGEX)].map((m) => [m.index, m.index + m[0].length]);

  it("finds what the e-mail regex finds, on strings made of its edge characters", () => {
    const text = fc.string({ unit: fc.constantFrom("a", "B", "1", ".", "_", "%", "+", "-", "@", " ", "#", "é"), maxLength: 40 });
    fc.assert(
      fc.property(text, (value) => {
        expect(emailSpans(value)).toEqual(regexSpans(value));
      }),
      { numRuns: 3000 },
    );
    expect(emailSpans("mail ada@contoso.com, bob.x@b.co.uk. user@example.com_x@y.com a@b")).toEqual(
      regexSpans("mail ada@contoso.com, bob.x@b.co.uk. user@example.com_x@y.com a@b"),
    );
  });

  it("labels every address of a text", () => {
    const redact = createRedactor([], true);
    expect(redact("from ada@contoso.com to bob@b.co.uk, again ada@contoso.com.")).toBe("from <user-1> to <user-2>, again <user-1>.");
  });

  it("leaves systemd template units alone: the blank-console fix must still run after redaction", () => {
    const redact = createRedactor([], true);
    expect(redact('--scripts "systemctl enable --now serial-getty@ttyS0.service" for ada@contoso.com')).toBe(
      '--scripts "systemctl enable --now serial-getty@ttyS0.service" for <user-1>',
    );
    expect(redact("Starting systemd-fsck@dev-disk-by-uuid-1a2b.service and getty@tty1.service, user@host.timer.example.com")).toBe(
      "Starting systemd-fsck@dev-disk-by-uuid-1a2b.service and getty@tty1.service, <user-2>",
    );
  });

  // 64 KiB without an address boundary: the regex retried from every position (quadratic, ~20 s each on two cores).
  // Linear, each takes milliseconds; the generous per-test timeout fails the test if that ever regresses.
  it.each([
    ["letters then @", "a".repeat(65_536) + "@"],
    ["letters only", "a".repeat(65_536)],
    ["@ then a domain without a dot", "a@" + "b".repeat(65_536)],
    ["a portal tenant without a dot", "#@" + "a".repeat(65_536)],
    ["dotted letters then @", "a.".repeat(32_768) + "@"],
    ["many @", "x@".repeat(32_768)],
  ])("64 KiB of %s is redacted in linear time", { timeout: 10_000 }, (_name, text) => {
    const redact = createRedactor([], true);
    expect(redact({ reason: text, subscriptionId: SUB })).toEqual({ reason: text, subscriptionId: "<subscription-1>" });
  });
});

describe("a redacted fix command", () => {
  it("single-quotes each word a label is part of: pasted, the shell does not read '<' and '>' as redirections", () => {
    const vmId = `/subscriptions/${SUB}/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/vm1`;
    const fix = [
      `az role assignment create --assignee ${OBJECT_ID} --role "Virtual Machine Contributor" --scope ${vmId}`,
      `az vm user update --name vm1 --username '<user>' --password '<password>'`,
    ];
    const out = createRedactor([], true)({ checks: [{ id: "rbac-vm", reason: `denied at ${vmId}`, fix }] });
    expect(out.checks[0]?.fix).toEqual([
      `az role assignment create --assignee '<object-1>' --role "Virtual Machine Contributor" --scope '/subscriptions/<subscription-1>/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/vm1'`,
      fix[1],
    ]);
    // Prose is left as written.
    expect(out.checks[0]?.reason).toBe(
      "denied at /subscriptions/<subscription-1>/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/vm1",
    );
  });
});
