/**
 * Read-only, statically: no source file under src/ may gain a call that can change a resource. The scanner is
 * tested first on bad snippets (so a broken scanner cannot pass silently), then run over the real tree.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { scanSource } from "./read-only-scan.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|mts|cts|js|mjs)$/.test(entry.name) ? [path] : [];
  });
}

describe("the scanner catches writes", () => {
  it.each([
    ["a PUT", `const request = createPipelineRequest({ url, method: "PUT" });`, "write-method"],
    ["a DELETE in a union", `function send(method: "GET" | "DELETE") {}`, "write-method"],
    [
      "opening a console session",
      "await arm.getJson('x', `${vm}/providers/Microsoft.SerialConsole/serialPorts/0/connect?api-version=1`);",
      "forbidden-path",
    ],
    [
      "enabling the console",
      "await arm.postJson('x', `/subscriptions/${s}/providers/Microsoft.SerialConsole/consoleServices/default/enableConsole?api-version=1`, {});",
      "forbidden-path",
    ],
    ["listing storage keys", "await arm.getJson('keys', `${account.id}/listKeys?api-version=2023-05-01`);", "forbidden-path"],
    ["starting a VM", "await listAll(arm, 'x', `${vm}/start?api-version=1`);", "forbidden-path"],
    [
      "a POST that is not Resource Graph",
      "await arm.postJson('x', `/subscriptions/${s}/providers/Microsoft.Compute/virtualMachines/vm1/runCommand`, {});",
      "post-not-resource-graph",
    ],
    ["a management SDK outside clients.ts", `import { ComputeManagementClient } from "@azure/arm-compute";`, "management-sdk"],
    ["a write through a generated client", "await compute.virtualMachines.beginStart(rg, name, options);", "client-write"],
    ["storage keys through a generated client", "await client.storageAccounts.listKeys(rg, name);", "client-write"],
    ["enabling the console through its client", "await client.enableConsole('default');", "client-write"],
    ["a role assignment through its client", "await client.roleAssignments.create(scope, name, body);", "client-write"],
    ["a raw fetch", `const r = await fetch(url, { method: "GET" });`, "raw-http"],
  ])("%s", (_label, snippet, rule) => {
    expect(scanSource("src/example.ts", snippet).map((f) => f.rule)).toContain(rule);
  });

  it("ignores comments and permission names that are not request paths", () => {
    const ok = [
      "// never call serialPorts/0/connect or listKeys",
      "/** enableConsole is a POST we do not send */",
      `export const STORAGE_ACTIONS = ["Microsoft.Storage/storageAccounts/listKeys/action"] as const;`,
      "await arm.postJson('graph', `/providers/Microsoft.ResourceGraph/resources?api-version=${API.resourceGraph}`, body);",
      "await arm.postJson('log', `${vmPath(ref)}/retrieveBootDiagnosticsData?api-version=${API.compute}&sasUriExpirationTimeInMinutes=2`, undefined);",
      "const url = 'https://management.azure.com'; // a URL with // inside a string",
      "const vm = await compute.virtualMachines.get(rg, name, options);",
      "const ids = options.subscriptions.map((s) => s.toLowerCase());",
    ].join("\n");
    expect(scanSource("src/fleet/graph.ts", ok)).toEqual([]);
  });
});

describe("src/ is read-only", () => {
  it("no write verb, forbidden path, non-Graph POST, management SDK or stray HTTP client", () => {
    const files = sourceFiles(join(ROOT, "src"));
    expect(files.length).toBeGreaterThan(20);
    const findings = files.flatMap((file) => scanSource(relative(ROOT, file).split("\\").join("/"), readFileSync(file, "utf8")));
    expect(findings, JSON.stringify(findings, null, 2)).toEqual([]);
  });
});
