/**
 * `--vm <name> -g <rg>` without `--subscription`: find the subscription the way an `az` user expects — the
 * environment, then the Azure CLI's default subscription, then the one subscription you can see that holds the VM.
 */
import { readFileSync } from "node:fs";
import pLimit from "p-limit";
import { homedir } from "node:os";
import { join } from "node:path";
import { AzureCallError, type ArmContext } from "./arm.js";
import { readBody } from "./read.js";
import { asObject, optString } from "./json.js";
import { isFlexibleScaleSet } from "./vm-lists.js";
import { listSubscriptionRows } from "./storage-lookup.js";
import { isGuid, vmRefFromParts } from "./resource-id.js";
import { cutText } from "../report/sanitize.js";

/**
 * The subscription `az account show` would use: `isDefault` in azureProfile.json (written with a UTF-8 BOM), of the
 * `cloud`'s entries (each has an `environmentName`, the `az cloud` it belongs to): a default in another cloud is not
 * this one's. `cloud` undefined (a custom `--arm-endpoint`, whose `az cloud register` name sc-doctor cannot know):
 * the Azure CLI's active cloud, `[cloud] name` in its config file.
 */
/** `~/.azure`, or undefined where there is no home directory (no HOME and no passwd entry: a container's arbitrary UID). */
function azureCliHome(): string | undefined {
  try {
    return join(homedir(), ".azure");
  } catch {
    return undefined;
  }
}

export function azureCliDefaultSubscription(cloud: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const dir = env["AZURE_CONFIG_DIR"] || azureCliHome();
  if (dir === undefined) return undefined;
  const profileCloud = (cloud ?? azureCliActiveCloud(dir)).toLowerCase();
  try {
    const profile: unknown = JSON.parse(readFileSync(join(dir, "azureProfile.json"), "utf8").replace(/^\uFEFF/, ""));
    if (!profile || typeof profile !== "object" || !("subscriptions" in profile) || !Array.isArray(profile.subscriptions)) return undefined;
    const chosen: unknown = profile.subscriptions.find(
      (s: unknown) =>
        s &&
        typeof s === "object" &&
        "isDefault" in s &&
        s.isDefault === true &&
        (!("environmentName" in s) || typeof s.environmentName !== "string" || s.environmentName.toLowerCase() === profileCloud),
    );
    const id = chosen && typeof chosen === "object" && "id" in chosen ? chosen.id : undefined;
    return typeof id === "string" && isGuid(id) ? id.toLowerCase() : undefined;
  } catch {
    return undefined; // no az CLI profile: fine, we search instead
  }
}

/** The Azure CLI's active cloud (`az cloud set`), as read for its default subscription; undefined without a home. */
export function azureCliCloud(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const dir = env["AZURE_CONFIG_DIR"] || azureCliHome();
  return dir === undefined ? undefined : azureCliActiveCloud(dir);
}

/** `az cloud set`'s choice: `name` under `[cloud]` in the Azure CLI's config file (INI); AzureCloud without one. */
function azureCliActiveCloud(dir: string): string {
  try {
    const config = readFileSync(join(dir, "config"), "utf8");
    const section = /^\[cloud\][ \t]*\r?\n((?:(?!\[)[^\n]*\n?)*)/m.exec(config)?.[1] ?? "";
    return /^name[ \t]*=[ \t]*(\S+)/m.exec(section)?.[1] ?? "AzureCloud";
  } catch {
    return "AzureCloud";
  }
}

/**
 * Where the search found the VM, or why it cannot say. Found in one subscription while `preferred` (the default
 * subscription) refused to let you read it, the VM meant is most likely that one: "uncertain", never a silent pick
 * of a namesake. Found while other subscriptions refused (403: common with partial access) or could not be
 * searched, the one found is used and `unsearched` says which others a namesake could hide in (for a note).
 */
export type Located =
  { subscriptionId: string; searched: number; unsearched?: string } | { problem: "not-found" | "ambiguous" | "uncertain"; message: string };

/** How many subscriptions are asked at once (every visible subscription is searched; none is left out). */
const SEARCH_CONCURRENCY = 8;

/** How many subscriptions a message names before it says "…". */
const NAMED = 3;

/** `/subscriptions/<id>` (the form --redact recognises) of the first few, then "…". */
const named = (subscriptions: string[]) =>
  `${subscriptions
    .slice(0, NAMED)
    .map((sub) => `/subscriptions/${sub}`)
    .join(", ")}${subscriptions.length > NAMED ? ", …" : ""}`;

/**
 * Search every subscription the credential can see for resource group `rg` holding VM `name`. Each subscription's
 * lookup (and the subscription list) is bounded by `timeoutMs`. A subscription that fails (409, 5xx, throttled past
 * the bound, no answer) does not end the search: found elsewhere, the VM is used; found nowhere, the message names
 * the subscriptions that could not be searched and why.
 */
export async function findVmSubscription(
  arm: ArmContext,
  name: string,
  rg: string,
  timeoutMs: number,
  preferred?: string,
): Promise<Located> {
  const limit = pLimit(SEARCH_CONCURRENCY);
  // Every state: a Disabled subscription's VMs are deallocated but still read (and its state is a finding).
  const listed = AbortSignal.timeout(timeoutMs);
  const rows = await listSubscriptionRows(arm, { signal: listed }).catch((error: unknown) => {
    if (!listed.aborted) throw error;
    throw new AzureCallError("your subscriptions", `no answer within ${timeoutMs} ms (--timeout)`);
  });
  const subscriptions = rows.map((s) => (optString(s, "subscriptionId", "subscription") ?? "").toLowerCase()).filter(isGuid);
  const refused: string[] = [];
  const failed: { sub: string; reason: string }[] = [];
  const hits = await Promise.all(
    subscriptions.map((sub) =>
      limit(async () => {
        const ref = vmRefFromParts(name, rg, sub);
        // Started when its turn comes (not when queued): each subscription gets the whole --timeout.
        const signal = AbortSignal.timeout(timeoutMs);
        try {
          const compute = await arm.clients.compute(sub);
          await readBody("the VM", (options) => compute.virtualMachines.get(ref.resourceGroup, ref.name, options), signal);
          return sub;
        } catch (error) {
          if (error instanceof AzureCallError && error.status === 404) return undefined;
          // Microsoft.Compute not registered there: it holds no VMs (as a 404).
          if (error instanceof AzureCallError && error.status === 409 && error.code === "MissingSubscriptionRegistration") return undefined;
          // Not allowed to read VMs there: the VM may well be there, so the search says so instead of "not found".
          if (error instanceof AzureCallError && error.status === 403) return void refused.push(sub);
          const reason = signal.aborted
            ? `no answer within ${timeoutMs} ms (--timeout)`
            : error instanceof AzureCallError
              ? [[error.status, error.code].filter((x) => x !== undefined && x !== "").join(" "), error.message].filter(Boolean).join(" — ")
              : String(error);
          return void failed.push({ sub, reason });
        }
      }),
    ),
  );
  const found = hits.filter((sub): sub is string => sub !== undefined);
  failed.sort((a, b) => a.sub.localeCompare(b.sub));
  refused.sort();
  // What could hide the VM (or, once it is found, a namesake): `of` is how the subscriptions are counted.
  const hiding = (of: string, what: string) =>
    [
      refused.length ? `${refused.length} ${of} refused to let you read VMs (403), so ${what} may be there: ${named(refused)}` : "",
      failed.length
        ? `${failed.length} ${of} could not be searched, so ${what} may be there: ${failed
            .slice(0, NAMED)
            .map(({ sub, reason }) => `/subscriptions/${sub} (${cutText(reason, 200)})`)
            .join(", ")}${failed.length > NAMED ? ", …" : ""}`
        : "",
    ].filter(Boolean);
  if (found.length === 1) {
    const subscriptionId = found[0] as string;
    const where = `VM '${name}' in resource group '${rg}' was found in /subscriptions/${subscriptionId}`;
    // The subscription you work in refused: the VM you mean is most likely that one, not a namesake elsewhere.
    if (preferred !== undefined && refused.includes(preferred.toLowerCase())) {
      const refusal = `, but your default subscription /subscriptions/${preferred} refused to let you read it (403), so it may be that one`;
      return { problem: "uncertain", message: `${where}${refusal}: pass its full resource id or --subscription <id>` };
    }
    const others = hiding("other subscription(s)", "a namesake");
    if (others.length === 0) return { subscriptionId, searched: subscriptions.length };
    return {
      subscriptionId,
      searched: subscriptions.length,
      unsearched: `${where}; ${others.join("; ")} (pass its full resource id to be sure)`,
    };
  }
  if (found.length === 0) {
    const reasons = hiding("of them", "it");
    if (refused.length) reasons[0] += " (pass its full resource id or --subscription)";
    const scaleSet = await scaleSetHint(arm, name, rg, subscriptions, timeoutMs, limit);
    return {
      problem: "not-found",
      message: [
        `no VM '${name}' in resource group '${rg}' in the ${subscriptions.length} subscription(s) you can see`,
        ...reasons,
        ...(scaleSet ? [scaleSet] : []),
      ].join("; "),
    };
  }
  return {
    problem: "ambiguous",
    // As /subscriptions/<id>: where --redact recognises a subscription id.
    message: `VM '${name}' in resource group '${rg}' exists in ${found.length} subscriptions (${found.map((sub) => `/subscriptions/${sub}`).join(", ")}): pass --subscription <id>`,
  };
}

/**
 * `--vm <scale set name> -g <rg>`: the name is a scale set's, and Serial Console connects to its VMs, not to the
 * set (https://learn.microsoft.com/troubleshoot/azure/virtual-machines/linux/serial-console-linux#serial-console-for-virtual-machine-scale-sets).
 * Or `--vm <set>_<n> -g <rg>`: the name the portal and `az vmss list-instances` show for instance n of uniform set
 * `<set>` (https://learn.microsoft.com/azure/virtual-machine-scale-sets/virtual-machine-scale-sets-instance-ids#scale-set-vm-names),
 * which is no VM name: the hint gives that instance's id. Looked for only once the VM was found nowhere; a
 * subscription that does not answer is simply not named. Each subscription's read is bounded by `timeoutMs`;
 * `limit` bounds how many are asked at once.
 */
export async function scaleSetHint(
  arm: ArmContext,
  name: string,
  rg: string,
  subscriptions: readonly string[],
  timeoutMs: number,
  limit: ReturnType<typeof pLimit> = pLimit(SEARCH_CONCURRENCY),
): Promise<string | undefined> {
  const found = await findScaleSet(arm, name, rg, subscriptions, timeoutMs, limit);
  const instance = INSTANCE_NAME.exec(name);
  if (!found && instance) {
    const [, setName, instanceId] = instance as unknown as [string, string, string];
    const set = await findScaleSet(arm, setName, rg, subscriptions, timeoutMs, limit);
    if (set && !set.flexible)
      return `'${name}' is the name of instance ${instanceId} of the virtual machine scale set '${setName}' in /subscriptions/${set.sub}: pass the instance's id, /subscriptions/${set.sub}/resourceGroups/${rg}/providers/Microsoft.Compute/virtualMachineScaleSets/${setName}/virtualMachines/${instanceId}`;
  }
  if (!found) return undefined;
  const where = `'${name}' is a virtual machine scale set in /subscriptions/${found.sub}`;
  return found.flexible
    ? `${where}: Serial Console connects to its member VMs — pass a member's own name or id (az vm list --resource-group ${rg} --subscription ${found.sub} --query "[?virtualMachineScaleSet.id!=null].name")`
    : `${where}: Serial Console connects to its instances — pass an instance's id, /subscriptions/${found.sub}/resourceGroups/${rg}/providers/Microsoft.Compute/virtualMachineScaleSets/${name}/virtualMachines/<instance id> (az vmss list-instances --name ${name} --resource-group ${rg} --subscription ${found.sub} --query "[].id")`;
}

/** A uniform scale set instance's name: `<scale set name>_<instance id>`. */
const INSTANCE_NAME = /^(.+)_(\d+)$/;

/** The first of `subscriptions` where `rg` holds a scale set `name` (and whether it is Flexible), or undefined. */
async function findScaleSet(
  arm: ArmContext,
  name: string,
  rg: string,
  subscriptions: readonly string[],
  timeoutMs: number,
  limit: ReturnType<typeof pLimit>,
): Promise<{ sub: string; flexible: boolean } | undefined> {
  const sets = await Promise.all(
    subscriptions.map((sub) =>
      limit(async () => {
        try {
          const compute = await arm.clients.compute(sub);
          const set = asObject(
            await readBody(
              "the scale set",
              (options) => compute.virtualMachineScaleSets.get(rg, name, options),
              AbortSignal.timeout(timeoutMs),
            ),
            "the scale set",
          );
          return { sub, flexible: isFlexibleScaleSet(set) };
        } catch {
          return undefined;
        }
      }),
    ),
  );
  return sets.find((found) => found !== undefined);
}
