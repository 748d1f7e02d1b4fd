/**
 * Parsing of the VM references the contract accepts: a VM resource id, a uniform scale set instance id, a portal
 * URL containing either, or `--vm <name> -g <rg> [--subscription <id>]`. Matching of fixed segments is
 * case-insensitive (ARM ids are); a malformed reference raises `ResourceIdError` naming the bad part, before any
 * request is sent.
 */
import { cutText, revealInvisible } from "../report/sanitize.js";
import { trimTrailingSlashes } from "../trim.js";

export interface VmRef {
  subscriptionId: string;
  resourceGroup: string;
  /** VM name, or `<scaleSet>_<instanceId>`-free instance: for uniform instances this is the instance id. */
  name: string;
  kind: "vm" | "vmss-uniform";
  scaleSet?: string;
  instanceId?: string;
  /** Canonical id: fixed segments in ARM's documented casing, names as given. */
  id: string;
}

export class ResourceIdError extends Error {
  override name = "ResourceIdError";
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const RESOURCE_GROUP = /^[\p{L}\p{N}_\-.()]{1,90}$/u;

/**
 * A name Azure accepts for a resource group: 1-90 letters, digits, underscores, hyphens, periods, parentheses, not
 * ending in a period (https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules#microsoftresources).
 * `.` and `..` would also change the path of a request built from it.
 */
export function isResourceGroupName(value: string): boolean {
  return RESOURCE_GROUP.test(value) && !value.endsWith(".");
}
// VM / scale set names: letters, digits, hyphen, underscore, period (1-80; Windows is stricter, ARM decides).
const RESOURCE_NAME = /^[\p{L}\p{N}_\-.]{1,80}$/u;

export function isGuid(value: string): boolean {
  return GUID.test(value);
}

/** A value as an error message echoes it: cut (a pasted log is no resource id to repeat). */
const shown = (value: string, max = 100) => cutText(value, max);

function fail(input: string, problem: string): never {
  // The message echoes what the user passed: show invisible characters as \uXXXX, so the error points at them
  // instead of letting them reorder the line it is printed on.
  const message = `invalid VM resource id: ${problem} (in ${JSON.stringify(shown(input, 200))})`;
  throw new ResourceIdError(revealInvisible(message));
}

function checkSubscription(input: string, value: string | undefined): string {
  if (!value) fail(input, "missing subscription id after '/subscriptions/'");
  if (!isGuid(value)) fail(input, `subscription id '${shown(value)}' is not a GUID`);
  return value.toLowerCase();
}

function checkResourceGroup(input: string, value: string | undefined): string {
  if (!value) fail(input, "missing resource group name after '/resourceGroups/'");
  if (!isResourceGroupName(value)) fail(input, `resource group name '${shown(value)}' is not valid`);
  return value;
}

function checkName(input: string, what: string, value: string | undefined): string {
  if (!value) fail(input, `missing ${what}`);
  if (!RESOURCE_NAME.test(value)) fail(input, `${what} '${shown(value)}' is not valid`);
  return value;
}

export function vmId(ref: Omit<VmRef, "id">): string {
  const base = `/subscriptions/${ref.subscriptionId}/resourceGroups/${ref.resourceGroup}/providers/Microsoft.Compute`;
  return ref.kind === "vmss-uniform"
    ? `${base}/virtualMachineScaleSets/${ref.scaleSet}/virtualMachines/${ref.instanceId}`
    : `${base}/virtualMachines/${ref.name}`;
}

/** A portal URL pasted without its scheme: `portal.azure.com/#@tenant/resource/subscriptions/...` (a host, then `/`). */
const SCHEMELESS_URL = /^[a-z0-9-]+(?:\.[a-z0-9-]+)+(?::\d+)?\//i;

/**
 * Whether `value` is meant as a resource id or portal URL, not a VM name: it starts with `/`, `\`, `%2F` (an id
 * percent-encoded whole) or a URL, with or without its scheme. A VM name has none of these.
 */
export function looksLikeResourceId(value: string): boolean {
  return /^(?:[/\\]|%2f|https?:\/\/)/i.test(value) || SCHEMELESS_URL.test(value);
}

/** `input` with its %-escapes decoded; an escape that is not % and two hex digits, or not UTF-8, is named. */
function decodeEscapes(input: string): string {
  if (!input.includes("%")) return input;
  const bad = /%(?![0-9a-f]{2})/i.exec(input);
  if (bad) fail(input, `'${input.slice(bad.index, bad.index + 3)}' is not a percent-escape (% and two hex digits)`);
  try {
    return decodeURIComponent(input);
  } catch {
    return fail(input, "its percent-escapes do not decode to UTF-8 text");
  }
}

/**
 * Take the `/subscriptions/...` path out of a portal URL (`https://portal.azure.com/#@tenant/resource/subscriptions/...`,
 * also without `https://`); an id is decoded as well, as copied from a URL (`My.RG%281%29_x`, `%2Fsubscriptions%2F…`).
 */
function extractFromUrl(input: string): { path: string; fromPortal: boolean } {
  if (!/^https?:\/\//i.test(input) && !SCHEMELESS_URL.test(input)) return { path: decodeEscapes(input), fromPortal: false };
  const decoded = decodeEscapes(input);
  const at = decoded.search(/\/subscriptions\//i);
  if (at < 0) fail(input, "the URL does not contain '/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Compute/…'");
  return { path: decoded.slice(at).split(/[?]/)[0] ?? "", fromPortal: true };
}

const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

/** Parse a VM resource id, scale set instance id or portal URL (percent-encoded or not). */
export function parseVmResourceId(raw: string): VmRef {
  const input = raw.trim();
  if (input === "") fail(raw, "the value is empty");
  if (CONTROL_CHARACTER.test(input)) fail("<redacted>", "the value contains control characters");
  const { path, fromPortal } = extractFromUrl(input);
  // Decoded: an escape may have been one (%0A).
  if (CONTROL_CHARACTER.test(path)) fail("<redacted>", "the value contains control characters");
  // A Windows path's habit (no part of an id may hold one): say so rather than "starts with '/subscriptions/'".
  if (path.includes("\\"))
    fail(input, "it contains '\\': a resource id separates its parts with '/' (/subscriptions/<id>/resourceGroups/<rg>/…)");
  if (!path.startsWith("/")) fail(input, "a resource id starts with '/subscriptions/'");
  const parts = trimTrailingSlashes(path).split("/").slice(1);
  const lower = parts.map((p) => p.toLowerCase());

  if (lower[0] !== "subscriptions") fail(input, `expected 'subscriptions' as the first segment, got '${parts[0] ?? ""}'`);
  const subscriptionId = checkSubscription(input, parts[1]);
  if (lower[2] !== "resourcegroups") fail(input, `expected 'resourceGroups' after the subscription id, got '${parts[2] ?? "(nothing)"}'`);
  const resourceGroup = checkResourceGroup(input, parts[3]);
  if (lower[4] !== "providers") fail(input, `expected 'providers' after the resource group, got '${parts[4] ?? "(nothing)"}'`);
  if (lower[5] !== "microsoft.compute") fail(input, `provider must be 'Microsoft.Compute', got '${parts[5] ?? "(nothing)"}'`);

  // Portal URLs may end in a blade name (…/vm1/overview, …/vm1/serialConsole): ignore what follows the resource.
  const type = lower[6];
  if (type === "virtualmachines") {
    const name = checkName(input, "virtual machine name", parts[7]);
    if (parts.length > 8 && !fromPortal) fail(input, `unexpected segment '${parts[8]}' after the VM name`);
    const ref = { subscriptionId, resourceGroup, name, kind: "vm" as const };
    return { ...ref, id: vmId(ref) };
  }
  if (type === "virtualmachinescalesets") {
    const scaleSet = checkName(input, "scale set name", parts[7]);
    if (lower[8] !== "virtualmachines") {
      fail(
        input,
        `a scale set id must continue with '/virtualMachines/<instanceId>' to name one instance, got '${parts[8] ?? "(nothing)"}'`,
      );
    }
    const instanceId = parts[9];
    // A Flexible scale set's member (named like `ss1_ab12cd34`) is an ordinary VM with an id of its own.
    if (!instanceId || !/^\d+$/.test(instanceId))
      fail(
        input,
        `scale set instance id '${instanceId ?? ""}' must be a number (a uniform scale set's instance); a Flexible scale set's member is an ordinary VM: address it by its own id, /subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.Compute/virtualMachines/${instanceId || "<member name>"}`,
      );
    if (parts.length > 10 && !fromPortal) fail(input, `unexpected segment '${parts[10]}' after the instance id`);
    const ref = { subscriptionId, resourceGroup, name: instanceId, kind: "vmss-uniform" as const, scaleSet, instanceId };
    return { ...ref, id: vmId(ref) };
  }
  return fail(
    input,
    `resource type '${parts[6] ?? "(nothing)"}' is not a virtual machine (expected 'virtualMachines/<name>' or 'virtualMachineScaleSets/<name>/virtualMachines/<instanceId>')`,
  );
}

/**
 * `--vm <name> -g <rg> --subscription <id>`. Throws `ResourceIdError` naming the option at fault (the user typed
 * no resource id).
 */
export function vmRefFromParts(name: string, resourceGroup: string, subscriptionId: string): VmRef {
  const label = `--vm ${name} -g ${resourceGroup} --subscription ${subscriptionId}`;
  const refuse = (problem: string): never => {
    throw new ResourceIdError(revealInvisible(`${problem} (in ${JSON.stringify(shown(label, 200))})`));
  };
  if (!isGuid(subscriptionId)) refuse(`--subscription '${shown(subscriptionId)}' is not a subscription id (a GUID)`);
  if (!isResourceGroupName(resourceGroup)) refuse(`-g/--resource-group '${shown(resourceGroup)}' is not a valid resource group name`);
  if (!RESOURCE_NAME.test(name)) refuse(`--vm '${shown(name)}' is not a valid virtual machine name`);
  const ref = { subscriptionId: subscriptionId.toLowerCase(), resourceGroup, name, kind: "vm" as const };
  return { ...ref, id: vmId(ref) };
}

/** The subscription id an ARM id names, lower-cased ("" when it names none). */
export function subscriptionOf(id: string): string {
  return (parseArmId(id).subscriptionId ?? "").toLowerCase();
}

/** Parse any ARM id into its resource group / subscription, tolerant of case. */
export function parseArmId(id: string): { subscriptionId?: string; resourceGroup?: string; name?: string } {
  const sub = /\/subscriptions\/([^/]+)/i.exec(id)?.[1];
  const rg = /\/resourceGroups\/([^/]+)/i.exec(id)?.[1];
  const name = trimTrailingSlashes(id).split("/").pop();
  return { subscriptionId: sub, resourceGroup: rg, name };
}

/** A resource-group or resource scope split the way the generated clients' scope-per-part operations take it. */
export interface ResourceScope {
  subscriptionId: string;
  resourceGroup: string;
  /** Absent for a resource group scope. `parentPath` is "" for a top-level resource, `type1/name1` for a child. */
  resource?: { provider: string; parentPath: string; type: string; name: string };
}

/** Parse `/subscriptions/{s}/resourceGroups/{rg}[/providers/{namespace}/{type}/{name}[/{type}/{name}…]]`; undefined otherwise. */
export function parseResourceScope(scope: string): ResourceScope | undefined {
  const match = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)(?:\/providers\/([^/]+)\/(.+))?$/i.exec(trimTrailingSlashes(scope));
  if (!match?.[1] || !match[2]) return undefined;
  const [, subscriptionId, resourceGroup, provider, rest] = match;
  if (!provider || !rest) return { subscriptionId, resourceGroup };
  const parts = rest.split("/");
  if (parts.length % 2 !== 0) return undefined;
  const name = parts.pop() as string;
  const type = parts.pop() as string;
  return { subscriptionId, resourceGroup, resource: { provider, parentPath: parts.join("/"), type, name } };
}
