/** `sc-doctor checks`: every check, with what it reads, the permission it needs and the errors it verifies. */
import { describe, expect, it } from "vitest";
import { formatChecksList, type CheckListing } from "../../src/commands/checks.js";
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
});
