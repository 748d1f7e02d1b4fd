/**
 * Property: however a documented message is pasted — any values in its placeholders, any wrap width, straight or
 * curly quotes, entities or not, with a prefix such as az CLI's `(Code)` — explain ranks its entry first.
 * Seeded, so a failure reproduces.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CATALOG } from "../../src/catalog/index.js";
import { explain } from "../../src/explain/index.js";
import { curlQuotes, wrap } from "../fixtures/paste.js";

/** Values as Azure names them: letters, digits, dashes, dots, underscores; GUIDs; URLs. */
const value = fc.oneof(
  fc.stringMatching(/^[a-z][a-z0-9_.-]{0,23}$/),
  fc.uuid(),
  fc.constantFrom(
    "https://diag01.blob.core.windows.net/c/d.zip?sv=2024-01-01&sr=c",
    "Microsoft.Compute/disks/beginGetAccess/action",
    "2026-11-24T10:00:00Z",
  ),
);

const texts = CATALOG.flatMap((entry) =>
  [entry.message, ...(entry.variants ?? [])].map((text) => ({ id: entry.id, code: entry.code, text })),
);

describe("explain, property-based", () => {
  it("ranks the entry first for any filling, wrapping and quoting of its message", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...texts),
        fc.array(value, { minLength: 6, maxLength: 6 }),
        fc.integer({ min: 20, max: 120 }),
        fc.boolean(),
        fc.boolean(),
        fc.constantFrom("", "Error: ", "(CODE) ", "Failed to connect. "),
        ({ id, code, text }, values, width, curly, entities, prefix) => {
          let i = 0;
          const next = () => values[i++ % values.length] ?? "x";
          let paste = text.replace(/\{[^{}]+\}|<[^<>]+>/g, next).replace(/''/g, () => `'${next()}'`);
          if (curly) paste = curlQuotes(paste);
          paste = wrap(paste, width);
          if (entities) paste = paste.replace(/</g, "&lt;").replace(/>/g, "&gt;");
          paste = prefix.replace("CODE", code ?? "Error") + paste;
          expect(explain(paste).matches[0]?.entry.id, paste).toBe(id);
        },
      ),
      { seed: 20261125, numRuns: 2000 },
    );
  });
});
