/**
 * Read the documented errors straight out of the seed documents (checked-in copies under test/fixtures/seeds/),
 * so a test can prove every row made it into the catalogue. Parses the markdown tables and, for VM Inspector,
 * the headings of its "Common errors and solutions" section.
 */
import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

export type SeedDoc = "serial-console-errors-2019" | "serial-console-errors-2025" | "vm-inspector-errors" | "vm-error-messages";

export interface SeedRow {
  doc: SeedDoc;
  /** The error cell as written (markdown images and links removed). */
  text: string;
  code?: string;
  httpStatus?: number;
  /** The id the catalogue's scheme gives this row (VM Inspector and VM errors only). */
  expectedId?: string;
}

const DIR = fileURLToPath(new URL("../fixtures/seeds/", import.meta.url));

/** PascalCase code to kebab case: `IncorrectPatternUploadSASUri` → `incorrect-pattern-upload-sas-uri`. */
export function kebab(code: string): string {
  return code
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1-$2")
    .toLowerCase();
}

function clean(cell: string): string {
  return cell
    .replace(/!\[[^\]]*\]\([^)]*\)/g, "")
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .trim();
}

function docOf(text: string): SeedDoc {
  if (text.includes("VM Inspector error messages")) return "vm-inspector-errors";
  if (text.includes("Azure Virtual Machine Error Messages")) return "vm-error-messages";
  return /ms\.date:\s*8\/20\/2019/.test(text) ? "serial-console-errors-2019" : "serial-console-errors-2025";
}

/** Table rows: lines with a pipe, after a `---` separator line, up to the first blank line. */
function tableRows(text: string): string[][] {
  const rows: string[][] = [];
  let inTable = false;
  for (const line of text.split("\n")) {
    if (line.includes("|") && /^[\s|:-]+$/.test(line) && line.includes("---")) {
      inTable = true;
      continue;
    }
    if (!line.includes("|") || line.trim() === "") {
      inTable = false;
      continue;
    }
    if (!inTable) continue;
    const cells = line.replace(/^\s*\|/, "").split("|").map(clean);
    rows.push(cells);
  }
  return rows;
}

export function seedRows(): SeedRow[] {
  const out: SeedRow[] = [];
  for (const file of readdirSync(DIR).filter((f) => f.endsWith(".txt")).sort()) {
    const text = readFileSync(`${DIR}${file}`, "utf8");
    const doc = docOf(text);
    const seen = new Map<string, number>();
    const idFor = (prefix: string, code: string) => {
      const n = (seen.get(code) ?? 0) + 1;
      seen.set(code, n);
      return `${prefix}-${kebab(code)}${n > 1 ? `-${n}` : ""}`;
    };
    for (const cells of tableRows(text)) {
      if (doc === "vm-inspector-errors") {
        const [status, code, description] = cells;
        const bare = (code ?? "").replace(/`/g, "");
        out.push({ doc, text: description ?? "", code: bare, httpStatus: Number(status), expectedId: idFor("vmi", bare) });
      } else if (doc === "vm-error-messages") {
        const [code, message] = cells;
        out.push({ doc, text: message ?? "", code: code ?? "", expectedId: idFor("vm", code ?? "") });
      } else {
        out.push({ doc, text: cells[0] ?? "" });
      }
    }
    if (doc === "vm-inspector-errors") {
      const section = text.split("## Common errors and solutions")[1]?.split("\n## ")[0] ?? "";
      for (const heading of section.match(/^### .+$/gm) ?? []) {
        const quoted = /"(.+)"/.exec(heading);
        const status = /Error message (\d{3})/.exec(heading);
        const row: SeedRow = { doc, text: quoted?.[1] ?? heading.replace(/^### /, "") };
        if (status) row.httpStatus = Number(status[1]);
        out.push(row);
      }
    }
  }
  return out;
}
