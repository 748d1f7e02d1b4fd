/**
 * The cloud a paste names by its hosts — a US Government console gateway (`usgovvirginia.gateway.serialconsole.azure.us`),
 * a China Resource Manager URL, a sovereign sign-in or portal host — so that the advice and the command to verify it
 * are that cloud's. Hosts come from the tables sc-doctor already signs in and probes with.
 */
import { AUTHORITY } from "../azure/credential.js";
import { CLOUDS, type CloudName } from "../azure/clouds.js";
import { SERIAL_CONSOLE_SUFFIX } from "../net/endpoints.js";

/** A cloud other than the public one, whose documented advice and `--cloud` default are the public cloud's. */
export type SovereignCloud = Exclude<CloudName, "AzureCloud">;

const hostOf = (url: string) => new URL(url).hostname;
const isCloud = (name: string): name is CloudName => name in CLOUDS;

/**
 * Each cloud's domains: its Resource Manager's parent domain (`usgovcloudapi.net`, `chinacloudapi.cn`: storage and
 * China's sign-in host are under it too), sign-in host, portal host and Serial Console domain.
 */
const DOMAINS = Object.keys(CLOUDS)
  .filter(isCloud)
  .map((cloud) => ({
    cloud,
    domains: [
      hostOf(CLOUDS[cloud].arm).replace(/^management\./, ""),
      hostOf(AUTHORITY[cloud]),
      hostOf(CLOUDS[cloud].portal),
      SERIAL_CONSOLE_SUFFIX[cloud],
    ].filter((domain) => domain !== undefined),
  }));

/**
 * The sovereign cloud `text` names, or undefined: when it names none, the public cloud (whose advice is the
 * documented one), or hosts of more than one cloud (which is meant cannot be told).
 */
export function sovereignCloudIn(text: string): SovereignCloud | undefined {
  const named = new Set<CloudName>();
  // Runs of the characters a host name is made of: a URL's scheme, path and port, and a sentence's final stop, fall away.
  for (const host of text.toLowerCase().split(/[^a-z0-9.-]+|\.(?![a-z0-9-])/))
    for (const { cloud, domains } of DOMAINS) if (domains.some((d) => host === d || host.endsWith(`.${d}`))) named.add(cloud);
  const [only] = named;
  return named.size === 1 && only !== "AzureCloud" ? only : undefined;
}
