/**
 * Adding a check touches one list (`CHECKS`): everything else that names checks is derived from it or held equal
 * to it here, and every check comes with a table test, a README row and a documented error that names it.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { entriesForCheck } from "../../src/catalog/index.js";
import { CHECKS } from "../../src/checks/index.js";
import { CHECK_IDS } from "../../src/types.js";

const root = join(import.meta.dirname, "../..");
const read = (path: string) => readFileSync(join(root, path), "utf8");
const ids = CHECKS.map((check) => check.id);

/** Test files that evaluate checks directly (pure tables). */
const tableTests = ["test/checks", "test/net"].flatMap((dir) =>
  readdirSync(join(root, dir))
    .filter((name) => name.endsWith(".test.ts"))
    .map((name) => read(`${dir}/${name}`)),
);

describe("one list of checks", () => {
  it("CHECK_IDS (the CheckId union) is CHECKS' ids, in the same order", () => {
    expect([...CHECK_IDS]).toEqual(ids);
  });

  it("the JSON schema's checkId enum is CHECKS' ids", () => {
    const schema = JSON.parse(read("schema/vm-result.schema.json")) as { definitions: { checkId: { enum: string[] } } };
    expect(schema.definitions.checkId.enum).toEqual(ids);
  });

  it("every check file is in CHECKS (file name = check id)", () => {
    const files = readdirSync(join(root, "src/checks"))
      .filter((name) => name.endsWith(".ts") && !["index.ts", "define.ts"].includes(name))
      .map((name) => name.replace(/\.ts$/, ""));
    expect(files.sort()).toEqual([...ids].sort());
  });

  describe.each(ids)("%s", (id) => {
    it("has a table test that imports and evaluates it", () => {
      const importer = tableTests.find((text) => text.includes(`/src/checks/${id}.js"`));
      expect(importer, `no test in test/checks or test/net imports src/checks/${id}.js`).toBeDefined();
      expect(importer).toMatch(/\.evaluate\(/);
    });

    it("has a row in the README's check table", () => {
      const rows = read("README.md")
        .split("\n")
        .filter((line) => line.startsWith("| "));
      expect(rows.some((row) => row.includes(`\`${id}\``))).toBe(true);
    });

    it("has a catalogue entry that names it", () => {
      expect(entriesForCheck(id).length).toBeGreaterThan(0);
    });
  });
});
