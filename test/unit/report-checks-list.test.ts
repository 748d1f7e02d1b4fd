/** `sc-doctor checks`: every check, with what it reads, the permission it needs and the errors it verifies. */
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { AUDIT_PERMISSIONS, formatChecksList, type CheckListing } from "../../src/commands/checks.js";
import { CHECK_IDS } from "../../src/types.js";

describe("sc-doctor checks", () => {
  it("-o json lists every check in contract order with reads, permissions and documented errors", () => {
    const { schemaVersion, checks } = JSON.parse(formatChecksList("json")) as { schemaVersion: number; checks: CheckListing[] };
    expect(schemaVersion).toBe(1);
    expect(checks.map((c) => c.id)).toEqual([...CHECK_IDS]);
    for (const check of checks) {
      expect(check.title.length).toBeGreaterThan(5);
      expect(check.reads.length).toBeGreaterThan(0);
      expect(check.permissions.length, check.id).toBeGreaterThan(0);
    }
    expect(checks.find((c) => c.id === "storage-firewall")?.documentedErrors).toEqual(["storage-forbidden"]);
    expect(checks.find((c) => c.id === "os-disk")?.documentedErrors).toContain("vmi-encrypted-disk-not-supported");
  });

  it("the table names each check's reads and needs", () => {
    const text = formatChecksList("table");
    for (const id of CHECK_IDS) expect(text).toMatch(new RegExp(`^${id} `, "m"));
    expect(text).toContain("needs: ");
  });

  it("says what audit needs besides the checks, and the least-privilege role grants every action it lists", () => {
    const role = JSON.parse(readFileSync(new URL("../../examples/sc-doctor-reader.role.json", import.meta.url), "utf8")) as {
      Actions: string[];
    };
    const { audit, checks } = JSON.parse(formatChecksList("json")) as { audit: { permissions: string[] }; checks: CheckListing[] };
    expect(audit.permissions).toEqual([...AUDIT_PERMISSIONS]);
    expect(formatChecksList("table")).toContain("audit, to find the VMs, also needs:\n  Microsoft.Resources/subscriptions/read");
    // Every action named (checks' and audit's; prose like "no role needed" aside) is in the role.
    const actions = [...audit.permissions, ...checks.flatMap((c) => c.permissions)].flatMap((p) => /^Microsoft\.[\w./]+/.exec(p) ?? []);
    for (const action of new Set(actions)) expect(role.Actions, action).toContain(action);
  });
});
