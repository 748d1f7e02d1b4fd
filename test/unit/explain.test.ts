/**
 * `explain` finds every catalogue entry first from the three paste forms — its own message, its error code, a
 * mangled copy — and handles the shapes people paste (ARM JSON, statuses, fragments, old host names).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CATALOG, type CatalogEntry } from "../../src/catalog/index.js";
import { explain, explainExitCode, formatExplain } from "../../src/explain/index.js";
import { MATCH_THRESHOLD } from "../../src/explain/match.js";
import { fillPlaceholders, mangle } from "../fixtures/paste.js";

const top = (text: string) => explain(text).matches[0]?.entry.id;
const ids = (text: string) => explain(text).matches.map((m) => m.entry.id);
const sharesCode = (entry: CatalogEntry) => CATALOG.filter((e) => e.code === entry.code).length > 1;

describe("every entry, three paste forms", () => {
  const cases = CATALOG.map((entry) => [entry.id, entry] as const);

  it.each(cases)("%s: its own message (and each variant) ranks it first", (id, entry) => {
    for (const text of [entry.message, ...(entry.variants ?? [])]) expect(top(text), text).toBe(id);
  });

  it.each(cases.filter(([, e]) => e.code !== undefined))("%s: its code finds it", (id, entry) => {
    const code = entry.code ?? "";
    if (sharesCode(entry)) expect(ids(code)).toContain(id);
    else expect(top(code)).toBe(id);
  });

  it.each(cases)("%s: a mangled paste (filled, curly quotes, wrapped, entities) ranks it first", (id, entry) => {
    for (const text of [entry.message, ...(entry.variants ?? [])]) {
      const pasted = mangle(text);
      expect(top(pasted), pasted).toBe(id);
    }
  });
});

describe("the opening of a filled-in message, cut short", () => {
  // Its first sentence, or cut mid-way as a narrow UI or a chat preview does: names filled in, the rest missing.
  const openings = (message: string): string[] => {
    const filled = fillPlaceholders(message);
    const sentence = /^.*?[.!?](?=\s|$)/.exec(filled)?.[0] ?? filled;
    return [sentence, filled.slice(0, Math.ceil(filled.length * 0.7)), filled.slice(0, Math.ceil(filled.length * 0.5))];
  };
  const templated = CATALOG.flatMap((entry) =>
    [entry.message, ...(entry.variants ?? [])]
      .filter((message) => fillPlaceholders(message) !== message)
      .map((message) => [entry.id, message] as const),
  );

  it.each(templated)("%s: %s", (id, message) => {
    const filled = fillPlaceholders(message);
    // Cut before the first placeholder's value, the opening is plain text of the message (matched as a fragment
    // already); an opening too short to name one message is not asked for.
    for (const opening of openings(message)) {
      if (opening.length < 24 || filled.indexOf(opening) !== 0) continue;
      expect(ids(opening), opening).toContain(id);
    }
  });

  it("a sentence that only opens like a message, then says something else, is no match", () => {
    for (const text of [
      "Provisioning of VM extension 'CustomScript' succeeded",
      "The storage account is full of old logs and I want to delete them",
      "Virtual machine 'web01' restarted yesterday after patching",
    ])
      expect(ids(text), text).toEqual([]);
  });

  it("a paste ending in a quote is no opening whose one value runs over words up to that quote", () => {
    // Truncated AuthorizationFailed: not the deny assignment's "The client '{name}' with object id …" opening.
    const authorization =
      "The client 'alice@contoso.com' with object id '00000000-0000-0000-0000-000000000000' does not have authorization to perform action 'Microsoft.Compute/virtualMachines/read' over scope '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg1'";
    expect(ids(authorization)).toEqual([]);
    expect(ids("Disk inspection is not supported for VM 'vm1' with encrypted OS disk 'vm1_OsDisk_1'")).toEqual([
      "vmi-resource-not-supported-2",
    ]);
    expect(ids("Storage Account 'diag' is locked by policy 'deny-public'")).toEqual([]);
    // One-word values up to the cut still make an opening.
    expect(ids("The client 'alice@contoso.com' with object id '00000000-0000-0000-0000-000000000000' has permission to")).toContain(
      "deny-assignment",
    );
  });

  it("examples", () => {
    expect(top("Unable to retrieve boot diagnostics settings for myvm01.")).toBe(
      ids("Unable to retrieve boot diagnostics settings for {0}.")[0],
    );
    expect(ids("Virtual machine 'vm01' is not found.").length).toBeGreaterThan(0);
    expect(ids("Provisioning of VM extension 'CustomScript' has timed out.").length).toBeGreaterThan(0);
  });
});

describe("what people paste", () => {
  it("error codes from the issue", () => {
    expect(top("EncryptedDiskNotSupported")).toBe("vmi-encrypted-disk-not-supported");
    expect(top("VMNotFound")).toBe("vm-vm-not-found");
    expect(top("SubscriptionNotEnabled")).toBe("subscription-not-enabled");
    expect(top("vmnotfound")).toBe("vm-vm-not-found");
  });

  it.each([
    ["Microsoft.SerialConsole/serialPorts/connect/action", "rbac-vm-permissions"],
    ["Microsoft.Storage/storageAccounts/listKeys/action", "rbac-storage-write"],
  ])("ARM's AuthorizationFailed for %s: the documented error of the access it lacks", (action, id) => {
    const paste = `ERROR: (AuthorizationFailed) The client 'x@y.com' with object id 'abc' does not have authorization to perform action '${action}' over scope '/subscriptions/s/resourceGroups/rg1/providers/x' or the scope is invalid.`;
    expect(top(paste)).toBe(id);
  });

  it("an error's field names are no words of it: a numeric-coded JSON error is not the extension error that says 'code' and 'message'", () => {
    const paste = `{"code": 409, "message": "The resource operation completed with terminal provisioning state 'Failed'."}`;
    expect(ids(paste)).not.toContain("vm-vm-extension-handler-non-transient-error");
  });

  it("words shared with an entry whose code the paste does not name, when it names another, are no match", () => {
    const paste = "(OperationNotAllowed) The handler reported a terminal failure for extension CustomScript.";
    expect(ids(paste)).toEqual([]);
  });

  it("az's ResourceDeploymentFailure, with its Code: and Message: labels, names no documented error", () => {
    const paste =
      "(ResourceDeploymentFailure) The resource operation completed with terminal provisioning state 'Failed'.\nCode: ResourceDeploymentFailure\nMessage: The resource operation completed with terminal provisioning state 'Failed'.";
    const result = explain(paste);
    expect(result.matches).toEqual([]);
    expect(result.unknownCodes).toEqual(["ResourceDeploymentFailure"]);
  });

  it("'Bad Request' (400), with or without quotes", () => {
    expect(top("'Bad Request' (400)")).toBe("bad-request-400");
    expect(top("Bad Request (400)")).toBe("bad-request-400");
  });

  it("'Bad Request' as any client prints a 400 is that status, not the console's documented 400", () => {
    // At most "documented with this status": never the console's message, whose mitigation is about an http:// URI.
    const invalidStatus = explain("ERROR: Operation returned an invalid status 'Bad Request'").matches;
    expect(invalidStatus.map((m) => m.matchedBy)).toEqual(invalidStatus.map(() => "status"));
    const otherCode = `HTTP/1.1 400 Bad Request\n${JSON.stringify({ error: { code: "InvalidTemplate", message: "Deployment template validation failed." } })}`;
    const other = explain(otherCode);
    expect([...other.matches, ...other.candidates].map((m) => m.entry.id)).not.toContain("bad-request-400");
  });

  it.each([
    ["HTTP/1.1 409 Conflict", 409],
    ["HTTP/1.1 409", 409],
    ["HTTP/2 403", 403],
    ["HTTP/1.1 400 Bad Request", 400],
  ])("a status line alone (%s) is that status, as 'HTTP %i' is", (line, status) => {
    const ids = (paste: string) => explain(paste).matches.map((m) => [m.entry.id, m.matchedBy]);
    expect(ids(line).length).toBeGreaterThan(0);
    expect(ids(line)).toEqual(ids(`HTTP ${status}`));
  });

  it("a 409 with a word only the lock's message uses is the lock; with one everyday word ('operation') it is not", () => {
    expect(ids("409 the resource is locked")).toEqual(["scope-locked"]);
    expect(explain("(409) Conflict: the operation failed").matches).toEqual([]);
    // Two everyday words ("operation", "cannot") beside one that names another error ("deallocated") are no lock either.
    const deallocated =
      '{"error":{"code":"Conflict","message":"The operation cannot be completed because the VM \'web-01\' is deallocated."}}';
    expect(ids(deallocated)).not.toContain("scope-locked");
  });

  it.each([
    ["(ResourceGroupNotFound) Resource group 'rg-prod' could not be found.", "resource group 'rg-prod'"],
    ["The subscription '0f0e0d0c-1111-4222-8333-944455556666' could not be found.", "subscription '0f0e0d0c-1111-4222-8333-944455556666'"],
    [
      "VM not found: /subscriptions/0f0e0d0c-1111-4222-8333-944455556666/resourceGroups/rg-web/providers/Microsoft.Compute/virtualMachines/web-07 (ResourceGroupNotFound).",
      "resource group 'rg-web'",
    ],
    ["SubscriptionNotFound", "knows no such subscription"],
    // sc-doctor's own stderr for a name it found nowhere, and for an instance id (not "no VM '0'").
    [
      "sc-doctor: VM not found: no VM 'web-07' in resource group 'rg-web' in the 2 subscription(s) you can see",
      "No VM 'web-07' in resource group 'rg-web'",
    ],
    [
      "VM not found: /subscriptions/0f0e0d0c-1111-4222-8333-944455556666/resourceGroups/rg-web/providers/Microsoft.Compute/virtualMachineScaleSets/web-ss/virtualMachines/3 (ResourceNotFound).",
      "no instance '3' of scale set 'web-ss'",
    ],
    // ARM's 404 for an instance of a scale set that does not exist.
    [
      "(ParentResourceNotFound) Can not perform requested operation on nested resource. Parent resource 'web-ss' not found.",
      "no parent resource 'web-ss'",
    ],
    ["ParentResourceNotFound", "no parent resource the request was nested under"],
  ])("a missing scope (%s) is 'VM not found', and the note says which part is missing", (paste, part) => {
    const [match] = explain(paste).matches;
    expect(match?.entry.id).toBe("vm-vm-not-found");
    expect(match?.note).toContain(part);
  });

  it("az serial-console given a scale set's name: its ResourceNotFound says so, and the fix lists the instances, not VMs", () => {
    const notFound =
      "(ResourceNotFound) The Resource 'Microsoft.Compute/virtualMachines/web-ss' under resource group 'rg-prod' was not found.";
    const paste = `ERROR: ${notFound}\nWe found that you specified a Virtual Machine Scale Set and not a VM. Use the --instance-id parameter to select the VMSS instance you want to connect to.`;
    const [match] = explain(paste).matches;
    expect(match?.entry.id).toBe("vm-vm-not-found");
    expect(match?.note).toContain("'web-ss' is a scale set");
    const text = formatExplain(explain(paste), { output: "table", color: false });
    expect(text).toContain("az vmss list-instances --name web-ss --resource-group rg-prod");
    expect(text).toContain("--instance-id '<instanceId>'");
    expect(text).not.toContain("--resource-type Microsoft.Compute/virtualMachines");
    // Without the recommendation, a missing VM is a missing VM.
    expect(formatExplain(explain(notFound), { output: "table", color: false })).toContain(
      "--resource-type Microsoft.Compute/virtualMachines",
    );
  });

  it("a missing boot diagnostics account: the note dates the extension's resource-group lookup (fixed in 0.1.5)", () => {
    const [match] = explain(
      "(ResourceNotFound) The Resource 'Microsoft.Storage/storageAccounts/diag01' under resource group 'rg-web' was not found.",
    ).matches;
    expect(match?.note).toContain("az serial-console before 0.1.5 looked for the boot diagnostics account in the VM's own resource group");
  });

  it("the message after the code a documented message prints, copied alone, is that error", () => {
    expect(top("Subscription name undefined, id 0b1f0000-0000-0000-0000-000000003333 is in non-Enabled state undefined")).toBe(
      "subscription-not-enabled",
    );
  });

  it("'WebSocket', as browsers and clients write it, is the documents' 'Web socket'", () => {
    expect(top("websocket is closed")).toBe("websocket-closed");
    expect(top("WebSocket is closed before the connection is established.")).toBe("websocket-closed");
  });

  it("a catalogue id (documentedError.id of --vm -o json) is that entry", () => {
    for (const entry of CATALOG) expect(explain(entry.id).matches[0], entry.id).toMatchObject({ entry: { id: entry.id }, score: 1 });
    expect(top(" Storage-Forbidden\n")).toBe("storage-forbidden");
  });

  it("a code every Azure service returns is no confident match: alone it lists its entries, next to another message none", () => {
    const scores = (text: string) => explain(text).matches.map((m) => m.score);
    expect(ids("InternalServerError")).toHaveLength(6);
    // The Azure CLI's layout says it twice, with an empty message: still the code alone.
    expect(ids("ERROR: (InternalServerError)\nCode: InternalServerError\nMessage: ")).toHaveLength(6);
    expect(Math.max(...scores("InternalServerError"))).toBeLessThan(0.9);
    for (const text of [
      "(InvalidParameter) The value of parameter linuxConfiguration.ssh.publicKeys.keyData is invalid.",
      JSON.stringify({
        error: {
          code: "InternalServerError",
          message:
            "Encountered internal server error. Diagnostic information: timestamp '20250101T000000Z', subscription id '00000000-0000-0000-0000-000000000001', tracking id 'a1', request correlation id 'b2'.",
        },
      }),
      "(ResourceNotSupported) The resource type 'Microsoft.Foo/bars' is not supported.",
    ])
      expect(ids(text), text).toEqual([]);
    // Its documented message under it still is that entry.
    expect(top("(InvalidParameter) The input parameter 'uploadSasUri' is invalid.")).toBe("vmi-invalid-parameter-2");
  });

  it("a generic code printed before the entry's own message (az CLI, SDKs) still finds that entry", () => {
    expect(top("(InternalServerError) Failed to register storage account. Please try again.")).toBe("vmi-internal-server-error-2");
    // Its message retyped without the quoted values: most of its words, still its entry.
    expect(top("ResourceNotSupported: Disk inspection is not supported for VM vm1 with encrypted OS disk")).toBe(
      "vmi-resource-not-supported-2",
    );
    // The az CLI's whole layout: `ERROR: (Code) Message`, then `Code:` and `Message:` again.
    expect(
      top(
        "ERROR: (InternalServerError) Failed to register storage account.\nCode: InternalServerError\nMessage: Failed to register storage account.\n",
      ),
    ).toBe("vmi-internal-server-error-2");
    expect(top("Code: InternalServerError\nMessage: VM 'vm1' metadata are invalid.\n")).toBe("vmi-internal-server-error-6");
    // .NET and PowerShell: the status, then the code under its `ErrorCode:` label — the code alone.
    expect(ids("Status: 500 (Internal Server Error) ErrorCode: InternalServerError")).toHaveLength(6);
  });

  it("a bare status with a code lists that code's entries, at that status", () => {
    const found = explain("405 ResourceNotSupported").matches.map((m) => m.entry.id);
    expect(found.slice(0, 5).sort()).toEqual(
      CATALOG.filter((e) => e.code === "ResourceNotSupported")
        .map((e) => e.id)
        .sort(),
    );
  });

  it("a bare status lists the entries documented with it", () => {
    const found = explain("429").matches.map((m) => m.entry.id);
    expect(found).toEqual(["vmi-too-many-requests-error"]);
  });

  it("the whole ARM error document: the innermost detail wins", () => {
    const arm = JSON.stringify({
      status: "Failed",
      error: {
        code: "DeploymentFailed",
        message: "At least one resource deployment operation failed. Please list deployment operations for details.",
        details: [
          {
            code: "VMExtensionProvisioningError",
            message: "VM has reported a failure when processing extension 'CustomScript'. Error message: \"Enable failed: exit status 1\".",
          },
        ],
      },
    });
    expect(top(arm)).toBe("vm-vm-extension-provisioning-error");
    expect(
      top(
        `Error: ${JSON.stringify({ error: { code: "ResourceNotSupported", message: "Disk inspection is not supported for VM 'web01' with ephemeral OS disk 'web01_disk'." } }, null, 2)}`,
      ),
    ).toBe("vmi-resource-not-supported-3");
  });

  it("a fragment", () => {
    expect(top("hierarchical namespaces")).toBe("storage-hns-unsupported");
    expect(top("another connection is currently in progress")).toBe("another-connection");
    expect(top("did not start in the allotted time")).toBe("vm-vm-start-timed-out");
    // A contraction typed without its apostrophe is the documented text still, not a few words in common.
    const typed = explain("the service didnt respond in a timely manner").matches[0];
    expect([typed?.entry.id, typed?.matchedBy]).toEqual(["service-timeout", "fragment"]);
  });

  it("old texts that name *.console.azure.com", () => {
    expect(top("You may need to add firewall access to *.console.azure.com")).toBe("websocket-closed");
    expect(top("wss://westeurope.gateway.serialconsole.azure.com/ connection refused")).toBe("websocket-closed");
  });

  it("markdown and HTML as copied from the 2019 page", () => {
    expect(
      top(
        "Unable to retrieve boot diagnostics settings for *&lt;VMNAME&gt;*. To use the serial console, ensure that boot diagnostics is enabled for this VM.",
      ),
    ).toBe("boot-diagnostics-disabled");
  });

  it("nothing documented: exit 1, and no candidates when nothing comes close", () => {
    const result = explain("the quick brown fox jumps over the lazy dog");
    expect(result.matches).toEqual([]);
    expect(explainExitCode(result)).toBe(1);
    expect(formatExplain(result, { output: "table", color: false })).toMatch(/^no documented error matches/);
    // Shared words or spelling below the floors are noise, not "nearest candidates" (issue 16).
    expect(result.candidates).toEqual([]);
    expect(explain("zzz qqq").candidates).toEqual([]);
    // A mistyped message: the right entry is the first candidate, never a match.
    const typo = explain("Web sokcet is clsoed");
    expect(typo.matches).toEqual([]);
    expect(typo.candidates[0]?.entry.id).toBe("websocket-closed");
    expect(typo.candidates.every((c) => c.score < 0.5)).toBe(true);
  });

  it("is deterministic (speed is measured by bench/explain.mjs, not asserted here)", () => {
    const pastes = CATALOG.map((entry) => mangle(entry.message));
    expect(pastes.map(top)).toEqual(pastes.map(top));
  });
});

describe("output", () => {
  it("table: source document, mitigation, fix and the check to run next", () => {
    const text = formatExplain(explain("Web socket is closed or couldn't be opened."), { output: "table", color: false });
    expect(text).toContain("websocket-closed");
    expect(text).toContain("Common errors within the Azure Serial Console (2025-10-16)");
    expect(text).toContain("Mitigation:");
    expect(text).toContain("sc-doctor --vm <vm-resource-id> --only network");
  });

  it("json: ranked matches with everything a script needs", () => {
    const json = JSON.parse(formatExplain(explain("VMStartTimedOut"), { output: "json", color: false })) as {
      matched: boolean;
      matches: { id: string; sources: { id: string; title: string }[]; mitigation: string; checks: string[]; next?: string }[];
    };
    expect(json.matched).toBe(true);
    expect(json.matches[0]).toMatchObject({
      id: "vm-vm-start-timed-out",
      checks: ["power-state"],
      next: "sc-doctor --vm <vm-resource-id> --only power-state",
    });
    expect(json.matches[0]?.sources[0]?.id).toBe("vm-error-messages");
  });

  it("az serial-console's own failure message: its causes as candidates, with the step that failed said once", () => {
    const result = explain(
      'An unexpected error occurred. Could not establish connection to VM or VMSS. Check network connection and press "Enter" to try again...',
    );
    expect(explainExitCode(result)).toBe(1);
    const text = formatExplain(result, { output: "table", color: false });
    expect(text).toContain("by cause");
    expect(text.match(/Why: +az serial-console prints this when its request for a console connection/g)).toHaveLength(1);
    const json = JSON.parse(formatExplain(result, { output: "json", color: false })) as { candidates: { id: string; note?: string }[] };
    expect(json.candidates.map((c) => c.id)).toEqual(["rbac-vm-permissions", "scope-locked", "websocket-closed"]);
    expect(json.candidates.every((c) => c.note?.includes("POST …/serialPorts/0/connect"))).toBe(true);
  });

  it("a hostile paste cannot reach the terminal as escapes", () => {
    const text = formatExplain(explain("\u001b[31mVMNotFound\u001b]0;pwned\u0007 \u202e"), { output: "table", color: false });
    expect(text).not.toMatch(/[\u001b\u0007\u202e]/);
  });
});

describe("a paste that names a sovereign cloud", () => {
  const USGOV =
    "Web socket is closed or could not be opened. wss://usgovvirginia.gateway.serialconsole.azure.us/n/connector/x/sessions/y/client";
  type Json = { cloud?: string; matches: { id: string; mitigation: string; next?: string }[] };
  const json = (text: string) => JSON.parse(formatExplain(explain(text), { output: "json", color: false })) as Json;
  const table = (text: string) => formatExplain(explain(text), { output: "table", color: false });

  it("US Government's console gateway: that cloud's domain in the mitigation, --cloud in the command to verify with", () => {
    const text = table(USGOV);
    expect(text).toContain("*.serialconsole.azure.us");
    expect(text).not.toContain("*.serialconsole.azure.com");
    expect(text).toContain("Verify with: sc-doctor --vm <vm-resource-id> --cloud AzureUSGovernment --only network");
    const [first] = json(USGOV).matches;
    expect(json(USGOV).cloud).toBe("AzureUSGovernment");
    expect(first?.id).toBe("websocket-closed");
    expect(first?.mitigation).toMatch(/^You might have to add firewall access to \*\.serialconsole\.azure\.us\. /);
    expect(first?.next).toBe("sc-doctor --vm <vm-resource-id> --cloud AzureUSGovernment --only network");
  });

  it.each([
    ["VMStartTimedOut at https://management.usgovcloudapi.net/subscriptions/x", "AzureUSGovernment"],
    ["VMStartTimedOut, signed in at login.microsoftonline.us", "AzureUSGovernment"],
    ["VMStartTimedOut (https://portal.azure.us/#@contoso/resource/x).", "AzureUSGovernment"],
    ["VMStartTimedOut at https://management.chinacloudapi.cn/subscriptions/x", "AzureChinaCloud"],
    ["VMStartTimedOut, seen in portal.azure.cn", "AzureChinaCloud"],
  ])("%s: verify with --cloud %s", (paste, cloud) => {
    expect(json(paste).cloud).toBe(cloud);
    expect(json(paste).matches[0]?.next).toBe(`sc-doctor --vm <vm-resource-id> --cloud ${cloud} --only power-state`);
  });

  it("a candidate's note names the paste's cloud's console domain too", () => {
    const paste = "Could not establish connection to VM or VMSS. Make sure that it is powered on https://portal.azure.us";
    for (const output of ["table", "json"] as const) {
      const text = formatExplain(explain(paste), { output, color: false });
      expect(text).toContain("*.serialconsole.azure.us");
      expect(text).not.toContain("serialconsole.azure.com");
    }
  });

  it("China names no Serial Console domain: the documented mitigation stays, the command gets --cloud", () => {
    const [first] = json("Web socket is closed or could not be opened. https://management.chinacloudapi.cn").matches;
    expect(first?.mitigation).toBe(CATALOG.find((entry) => entry.id === "websocket-closed")?.mitigation);
    expect(first?.next).toBe("sc-doctor --vm <vm-resource-id> --cloud AzureChinaCloud --only network");
    // The table does not claim the advice is China's: the domain it names is the public cloud's.
    const table = formatExplain(explain("Web socket is closed or could not be opened (https://portal.azure.cn)"), {
      output: "table",
      color: false,
    });
    expect(table).toContain("The paste names AzureChinaCloud's hosts: the commands below are for that cloud; no Serial Console domain");
    expect(table).not.toContain("the advice and commands below are for that cloud");
  });

  it.each([
    ["the public cloud", "Web socket is closed or could not be opened. wss://eastus.gateway.serialconsole.azure.com/n/connector/x"],
    ["two clouds", "Web socket is closed or could not be opened. wss://x.gateway.serialconsole.azure.us/ via management.chinacloudapi.cn"],
    ["a sovereign and the public cloud", "Web socket is closed or could not be opened. serialconsole.azure.us portal.azure.com"],
    ["no host", "Web socket is closed or could not be opened."],
  ])("%s: the documented advice, no --cloud", (_, paste) => {
    const result = json(paste);
    expect(result.cloud).toBeUndefined();
    expect(result.matches[0]?.mitigation).toContain("*.serialconsole.azure.com (the service URL changed");
    expect(result.matches[0]?.next).toBe("sc-doctor --vm <vm-resource-id> --only network");
  });
});

describe("docs/contract.md", () => {
  it("states the score a match needs as the code has it", () => {
    const contract = readFileSync(new URL("../../docs/contract.md", import.meta.url), "utf8");
    const stated = /`score` \(≥ ([0-9.]+) a match\)/.exec(contract)?.[1];
    expect(Number(stated)).toBe(MATCH_THRESHOLD);
  });
});
