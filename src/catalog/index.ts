/**
 * The catalogue of documented errors: every error row of the four seed documents, one entry each, keyed by a
 * stable id. Checks point at entries by id (`DocumentedErrorId`, so a typo fails the build); `explain` searches them.
 */
import { GUEST_ERRORS } from "./guest.js";
import { SERIAL_CONSOLE_ERRORS } from "./serial-console.js";
import { VM_ERRORS } from "./vm-errors.js";
import { VM_INSPECTOR_ERRORS } from "./vm-inspector.js";
import type { CatalogEntry } from "./types.js";
import { shellQuote } from "../checks/support/shell.js";
import { forScaleSetInstance } from "./scale-set-instance.js";

export type { CatalogEntry, SourceDoc } from "./types.js";
export { SOURCE_TITLES } from "./types.js";

export const CATALOG: readonly CatalogEntry[] = [...SERIAL_CONSOLE_ERRORS, ...GUEST_ERRORS, ...VM_INSPECTOR_ERRORS, ...VM_ERRORS];

export type DocumentedErrorId =
  | (typeof SERIAL_CONSOLE_ERRORS)[number]["id"]
  | (typeof GUEST_ERRORS)[number]["id"]
  | (typeof VM_INSPECTOR_ERRORS)[number]["id"]
  | (typeof VM_ERRORS)[number]["id"];

const BY_ID = new Map(CATALOG.map((entry) => [entry.id, entry]));

/** The documented errors a check verifies, in catalogue order. */
export function entriesForCheck(id: string): CatalogEntry[] {
  return CATALOG.filter((entry) => (entry.checks as readonly string[]).includes(id));
}

export function getEntry(id: string): CatalogEntry | undefined {
  return BY_ID.get(id);
}

/**
 * Fill `{placeholder}`s with real names. A template whose placeholder has no value is kept as documented, with
 * the placeholder shown as `'<placeholder>'` so the user sees what to fill in (quoted: unedited, it reaches az as
 * a bad value instead of being read by the shell as a redirection). With `scaleSet` and `instanceId` in
 * `args` (a uniform scale set instance), the templates' `az vm` commands become their `az vmss` forms.
 */
export function renderFix(templates: readonly string[], args: Readonly<Record<string, string>>): string[] {
  const forVm = args["scaleSet"] && args["instanceId"] ? forScaleSetInstance(templates) : templates;
  return forVm.map((template) =>
    template.replace(/\{([A-Za-z]+)\}/g, (_match, name: string) => {
      const value = args[name];
      return value !== undefined && value !== "" ? shellQuote(value) : `'<${name}>'`;
    }),
  );
}
