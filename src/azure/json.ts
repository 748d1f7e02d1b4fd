/**
 * Strict readers for untrusted JSON from Azure. A field that is absent is `undefined` (Azure omits unset
 * properties); a field that is present with the wrong type is a malformed response and throws, so that no check
 * can pass on data we did not understand.
 */

export class MalformedResponseError extends Error {
  override name = "MalformedResponseError";
}

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function where(what: string, key: string): string {
  return `${what}.${key}`;
}

export function asObject(value: unknown, what: string): JsonObject {
  if (!isObject(value)) throw new MalformedResponseError(`${what} is not a JSON object`);
  return value;
}

export function optObject(parent: JsonObject | undefined, key: string, what: string): JsonObject | undefined {
  const value = parent?.[key];
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw new MalformedResponseError(`${where(what, key)} should be an object`);
  return value;
}

export function optString(parent: JsonObject | undefined, key: string, what: string): string | undefined {
  const value = parent?.[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw new MalformedResponseError(`${where(what, key)} should be a string, got ${typeof value}`);
  return value;
}

export function optBool(parent: JsonObject | undefined, key: string, what: string): boolean | undefined {
  const value = parent?.[key];
  if (value === undefined || value === null) return undefined;
  // ARM occasionally serialises booleans as strings ("true"); accept those, reject anything else.
  if (value === "true" || value === "True") return true;
  if (value === "false" || value === "False") return false;
  if (typeof value !== "boolean") throw new MalformedResponseError(`${where(what, key)} should be a boolean, got ${typeof value}`);
  return value;
}

export function optArray(parent: JsonObject | undefined, key: string, what: string): unknown[] | undefined {
  const value = parent?.[key];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw new MalformedResponseError(`${where(what, key)} should be an array`);
  return value;
}

export function reqString(parent: JsonObject, key: string, what: string): string {
  const value = optString(parent, key, what);
  if (value === undefined) throw new MalformedResponseError(`${where(what, key)} is missing`);
  return value;
}

export function stringArray(values: unknown[] | undefined, what: string): string[] {
  return (values ?? []).map((value, index) => {
    if (typeof value !== "string") throw new MalformedResponseError(`${what}[${index}] should be a string`);
    return value;
  });
}

export function stringRecord(value: JsonObject | undefined, what: string): Record<string, string> | undefined {
  if (!value) return undefined;
  const out: Record<string, string> = {};
  for (const [key, item] of Object.entries(value)) {
    if (typeof item !== "string") throw new MalformedResponseError(`${what}.${key} should be a string`);
    out[key] = item;
  }
  return out;
}
