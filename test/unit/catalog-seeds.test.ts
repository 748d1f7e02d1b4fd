/**
 * Every error row of the four seed documents is in the catalogue, one entry per row: derived from the checked-in
 * copies of the documents (test/fixtures/seeds/, identical to the project's seed folder when it sits beside the clone), so a row added to a document
 * and not to the catalogue fails here.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { CATALOG } from "../../src/catalog/index.js";
import { explain } from "../../src/explain/index.js";
import { seedRows, type SeedDoc } from "../fixtures/seed-rows.js";

const rows = seedRows();
const byDoc = (doc: SeedDoc) => rows.filter((row) => row.doc === doc);

// CI runs with the project's shared/ directory beside the clone: when it is there, the copies must not drift.
const SHARED = fileURLToPath(new URL("../../../shared/seeds/", import.meta.url));
const COPIES = fileURLToPath(new URL("../fixtures/seeds/", import.meta.url));

describe("the seed documents, parsed", () => {
  it.skipIf(!existsSync(SHARED))("the checked-in copies equal ../shared/seeds/", () => {
    const names = readdirSync(SHARED)
      .filter((f) => f.endsWith(".txt"))
      .sort();
    expect(
      readdirSync(COPIES)
        .filter((f) => f.endsWith(".txt"))
        .sort(),
    ).toEqual(names);
    for (const name of names) expect(readFileSync(`${COPIES}${name}`, "utf8"), name).toBe(readFileSync(`${SHARED}${name}`, "utf8"));
  });

  it("has the rows the documents hold", () => {
    expect(byDoc("serial-console-errors-2019")).toHaveLength(9);
    expect(byDoc("serial-console-errors-2025")).toHaveLength(17);
    // 39 table rows + 3 "Common errors and solutions" headings.
    expect(byDoc("vm-inspector-errors")).toHaveLength(42);
    expect(byDoc("vm-error-messages")).toHaveLength(17);
  });
});

describe("every documented error row is a catalogue entry", () => {
  it.each(rows.filter((row) => row.expectedId).map((row) => [row.expectedId, row] as const))("%s", (id, row) => {
    const entry = CATALOG.find((e) => e.id === id);
    expect(entry, `no catalogue entry ${id} for "${row.text}"`).toBeDefined();
    expect(entry?.code).toBe(row.code);
    if (row.doc === "vm-inspector-errors") expect(entry?.httpStatus).toBe(row.httpStatus);
    expect(entry?.sources).toContain(row.doc);
    // The row's own text (as the document writes it, markdown and all) finds that entry first.
    expect(explain(row.text).matches[0]?.entry.id).toBe(id);
  });

  it.each(rows.filter((row) => !row.expectedId).map((row) => [row.doc, row.text.slice(0, 70), row] as const))(
    "%s: %s",
    (doc, _text, row) => {
      const top = explain(row.text).matches[0];
      expect(top, `nothing matches "${row.text}"`).toBeDefined();
      expect(top?.entry.sources).toContain(doc);
      expect(top?.matchedBy).toBe("message");
    },
  );

  it("one entry per row: distinct rows of a document find distinct entries", () => {
    for (const doc of ["serial-console-errors-2019", "serial-console-errors-2025"] as const) {
      const ids = byDoc(doc).map((row) => explain(row.text).matches[0]?.entry.id);
      expect(new Set(ids).size, doc).toBe(ids.length);
    }
  });

  it("no entry claims a seed document it has no row in", () => {
    for (const doc of ["serial-console-errors-2019", "serial-console-errors-2025", "vm-error-messages"] as const) {
      const claimed = CATALOG.filter((entry) => (entry.sources as readonly string[]).includes(doc)).length;
      expect(claimed, doc).toBe(byDoc(doc).length);
    }
    // VM Inspector: the 405 "Caller does not have access…" solution is the ForbiddenError row (same message).
    const vmi = CATALOG.filter((entry) => (entry.sources as readonly string[]).includes("vm-inspector-errors")).length;
    expect(vmi).toBe(byDoc("vm-inspector-errors").length - 1);
  });
});
