/**
 * Validate reports against their published schemas, shipped under test/fixtures/schemas/:
 * SARIF 2.1.0 (OASIS, JSON Schema draft-04 → ajv-draft-04 + ajv-formats) and the Apache Ant JUnit XSD
 * (windyroad/JUnit-Schema → libxml2's xmllint compiled to WASM, so no system xmllint is needed).
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import ajvDraft04 from "ajv-draft-04";
import ajvFormats from "ajv-formats";
import { validateXML } from "xmllint-wasm";

const schema = (name: string) => fileURLToPath(new URL(`../fixtures/schemas/${name}`, import.meta.url));

// Both packages are CommonJS with a `default` export; under NodeNext the default import is `module.exports`.
const ajv = new ajvDraft04.default({ allErrors: true, strict: false });
ajvFormats.default(ajv);
const sarifSchema = JSON.parse(readFileSync(schema("sarif-schema-2.1.0.json"), "utf8")) as object;
const sarifValidator = ajv.compile(sarifSchema);

/** Throws with ajv's messages when `text` is not a valid SARIF 2.1.0 log. */
export function assertValidSarif(text: string): void {
  const log: unknown = JSON.parse(text);
  if (!sarifValidator(log)) throw new Error(`invalid SARIF: ${ajv.errorsText(sarifValidator.errors, { separator: "\n" })}`);
}

const junitXsd = readFileSync(schema("junit.xsd"), "utf8");

/** Throws with xmllint's messages when `text` is not valid against the Ant JUnit schema. */
export async function assertValidJunit(text: string): Promise<void> {
  const result = await validateXML({ xml: [{ fileName: "report.xml", contents: text }], schema: [{ fileName: "junit.xsd", contents: junitXsd }] });
  if (!result.valid) throw new Error(`invalid JUnit XML:\n${result.rawOutput}`);
}
