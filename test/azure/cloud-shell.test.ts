/**
 * Reading the caller's Cloud Shell settings (GET /providers/Microsoft.Portal/userSettings/cloudconsole). The spec
 * (Azure/azure-rest-api-specs, cloudshell 2018-10-01 CloudShell.json) requires `properties` and, in them, a
 * `storageProfile`; newer clients write `sessionType` for ephemeral sessions without storage. A body with neither
 * says nothing about storage: malformed (the check's `error`), never "no storage account" (a pass).
 */
import { describe, expect, it } from "vitest";
import { loadCloudShell } from "../../src/azure/cloud-shell.js";
import { MalformedResponseError } from "../../src/azure/json.js";
import { fakeArm } from "../fleet/fake-arm.js";

const settings = (body: unknown) => loadCloudShell(fakeArm(() => body));

describe("Cloud Shell settings", () => {
  it.each([
    ["no properties", {}],
    ["properties that are not an object", { properties: "x" }],
    ["neither a storage profile nor a session type", { properties: { preferredLocation: "westeurope", preferredShellType: "bash" } }],
  ])("%s: malformed", async (_, body) => {
    await expect(settings(body)).rejects.toBeInstanceOf(MalformedResponseError);
  });

  it.each([
    ["an ephemeral session", { properties: { sessionType: "Ephemeral", preferredLocation: "westeurope" } }, "Ephemeral"],
    ["a storage profile without an account", { properties: { storageProfile: {} } }, undefined],
  ])("%s: no storage account", async (_, body, sessionType) => {
    await expect(settings(body)).resolves.toEqual({ kind: "no-storage", sessionType });
  });
});
