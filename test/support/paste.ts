/**
 * Turn a documented message into what people actually paste: placeholders filled with realistic values, quotes
 * curled by a chat tool, the text wrapped by a terminal (with indentation and doubled spaces), `<`/`>` as
 * HTML entities.
 */

const VALUES: Record<string, string> = {
  "0": "prod-web-01",
  "1": "prod-web-01_OsDisk_1_3f2a9c",
  "2": "Microsoft.Compute/virtualMachines/read",
  "3": "1023",
  "4": "4095",
  operationid: "6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f",
  location: "westeurope",
  subscriptionid: "11111111-2222-4333-8444-555555555555",
  parametername: "uploadSasUri",
  vmname: "prod-web-01",
  storageaccountname: "bootdiagsa01",
  "subscription id": "11111111-2222-4333-8444-555555555555",
  name: "alice@contoso.com",
  value: "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
  scope: "/subscriptions/11111111-2222-4333-8444-555555555555",
};

/** Fill `{0}`, `{operationId}`, `<VMNAME>`, `<subscription id>` and `''` with values like real ones. */
export function fillPlaceholders(template: string): string {
  return template
    .replace(/\{([^{}]+)\}/g, (_m, name: string) => VALUES[name.toLowerCase()] ?? "some-value")
    .replace(/<([^<>]+)>/g, (_m, name: string) => VALUES[name.toLowerCase()] ?? "some-value")
    .replace(/''/g, "'bootdiagsa01'");
}

/** Curly quotes, as Word, Teams or Outlook produce them. */
export function curlQuotes(text: string): string {
  let open = true;
  return text
    .replace(/"/g, () => ((open = !open) ? "\u201d" : "\u201c"))
    .replace(/'/g, "\u2019");
}

/** Wrap at ~`width` characters the way a terminal copy does, with an indented continuation and a doubled space. */
export function wrap(text: string, width = 38): string {
  const words = text.split(" ");
  const lines: string[] = [];
  let line = "";
  for (const word of words) {
    if (line && line.length + word.length + 1 > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  lines.push(line);
  return lines.join("\r\n    ").replace(/\. /g, ".  ");
}

/** All three at once, plus `<`/`>` as entities: the "mangled paste" form. */
export function mangle(template: string): string {
  return wrap(curlQuotes(fillPlaceholders(template))).replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
