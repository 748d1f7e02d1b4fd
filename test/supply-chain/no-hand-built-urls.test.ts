/**
 * Resource Manager is called through the generated clients (src/azure/clients.ts): a hand-built management URL —
 * a literal with `api-version=`, or a call of the raw `getJson`/`postJson`/`rawList` — may appear only in the files
 * listed below, each with the reason no generated client serves it (`getJson`/`postJson` in src/azure/arm.ts share the
 * clients' credential and pipeline policies). A new one fails here: use a client, or add it to the list with its
 * reason. The serial log blob GET (a SAS link, src/azure/serial-log.ts) is the storage data plane, not Resource
 * Manager: it needs no exception.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { stripComments } from "./read-only-scan.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** The documented exceptions: file → why it builds its own management URLs. */
export const HAND_BUILT_URL_EXCEPTIONS: Record<string, string> = {
  "src/azure/permissions.ts":
    "the Permissions API at subscription scope (the audit's shortcut): Resource Manager answers it, but the spec and so @azure/arm-authorization have resource-group and resource scopes only",
  "src/azure/read.ts": "rawList, the pager of the lists above: it builds no URL, it follows the nextLinks Azure returns",
  "src/azure/cloud-shell.ts":
    "Cloud Shell user settings (providers/Microsoft.Portal/userSettings/cloudconsole): no generated client exists for Microsoft.Portal",
  "src/azure/cloud-metadata.ts": "{arm}/metadata/endpoints: a discovery document read before sign-in, not a resource provider operation",
  "src/catalog/serial-console.ts":
    "a fix the user runs, not a call sc-doctor makes: `az rest` listing a VM's deny assignments (az has no deny assignment command)",
  "src/fleet/graph.ts":
    "Resource Graph: the @azure/arm-resourcegraph releases allowing Node 20 (4.x) run on the retired @azure/ms-rest-js runtime, which cannot share the pipeline policies",
};

const HAND_BUILT = /api-version=|\.(getJson|postJson)\s*\(|(?<!function\s)\brawList\s*\(/;

export function handBuiltUrlLines(source: string): number[] {
  return stripComments(source)
    .split("\n")
    .flatMap((line, index) => (HAND_BUILT.test(line) ? [index + 1] : []));
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|mts|js|mjs)$/.test(entry.name) ? [path] : [];
  });
}

describe("hand-built management URLs", () => {
  it.each([
    ["an api-version in a path", "const path = `/subscriptions/${s}/providers/Microsoft.Compute/virtualMachines?api-version=2024-07-01`;"],
    ["a raw GET", "const body = await arm.getJson('the VM', path, signal);"],
    ["a raw POST", "await arm.postJson('x', path, {});"],
    ["the raw pager", "const rows = await readPages('x', rawList(arm, 'x', path), signal);"],
  ])("are found: %s", (_label, snippet) => {
    expect(handBuiltUrlLines(snippet)).toEqual([1]);
  });

  it("client calls, comments and resource ids are not URLs", () => {
    const ok = [
      "const vm = await readBody('the VM', (o) => compute.virtualMachines.get(rg, name, o), signal);",
      "// GET /subscriptions/{id}?api-version=2022-12-01",
      "const id = `/subscriptions/${s}/resourceGroups/${rg}/providers/Microsoft.Storage/storageAccounts/${name}`;",
      "export function rawList(arm: ArmContext) {}",
    ].join("\n");
    expect(handBuiltUrlLines(ok)).toEqual([]);
  });

  it("appear only in the documented exception list", () => {
    const offenders = sourceFiles(join(ROOT, "src"))
      .map((file) => ({ file: relative(ROOT, file).split("\\").join("/"), lines: handBuiltUrlLines(readFileSync(file, "utf8")) }))
      .filter(({ file, lines }) => lines.length > 0 && !(file in HAND_BUILT_URL_EXCEPTIONS));
    expect(offenders).toEqual([]);
  });

  it("every exception is still needed (a file that no longer builds URLs leaves the list)", () => {
    const stale = Object.keys(HAND_BUILT_URL_EXCEPTIONS).filter(
      (file) => handBuiltUrlLines(readFileSync(join(ROOT, file), "utf8")).length === 0,
    );
    expect(stale).toEqual([]);
  });
});
