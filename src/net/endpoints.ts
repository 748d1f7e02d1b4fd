/**
 * Which hosts a Serial Console client needs, derived from the cloud and the VM's region (or `--console-endpoint`).
 *
 * Sources:
 * - Gateway: "the web socket is opened to an endpoint like `<region>.gateway.serialconsole.azure.com` … In the US
 *   Government (Fairfax) cloud, the endpoint suffix is `serialconsole.azure.us`" (MicrosoftDocs/SupportArticles-docs
 *   support/azure/virtual-machines/linux/serial-console-linux.md, "custom boot diagnostics storage account firewall");
 *   the REST spec example Microsoft.SerialConsole/stable/2018-05-01/examples/SerialPortConnectVM.json returns
 *   `wss://eastus.gateway.serialconsole.azure.com/n/connector/{containerid}/sessions/{sessionId}/client`.
 * - Portal: the same doc asks to allow `serialconsole.azure.com` "for browser clients"; the `az serial-console`
 *   extension (Azure/azure-cli-extensions src/serial-console/azext_serialconsole/custom.py) names the console UI
 *   `https://portal.serialconsole.azure.com` (its Origin header). No US Government portal host is documented.
 * - Legacy: the 2019 errors doc asked to allow `*.console.azure.com`; the 2025 doc says the service URL moved to
 *   `*.serialconsole.azure.com`. The old Serial Console host names are not documented, so the probe uses a live name
 *   under that domain, `ux.console.azure.com` (documented by Cloud Shell troubleshooting, "Block Cloud Shell in a
 *   locked down network environment"), which tells whether an allow list still admits `*.console.azure.com`.
 * - China (AzureChinaCloud): no Serial Console endpoint is documented; the probe does not guess.
 */
import type { CloudName } from "../azure/arm.js";
import type { ProbeTarget } from "./types.js";

/** Serial Console DNS suffix per cloud; `undefined` where none is documented. */
export const SERIAL_CONSOLE_SUFFIX: Record<CloudName, string | undefined> = {
  AzureCloud: "serialconsole.azure.com",
  AzureUSGovernment: "serialconsole.azure.us",
  AzureChinaCloud: undefined,
};

const PORTAL_HOST: Partial<Record<CloudName, string>> = { AzureCloud: "portal.serialconsole.azure.com" };
const LEGACY_HOST: Partial<Record<CloudName, string>> = { AzureCloud: "ux.console.azure.com" };

/** A path in the shape of the REST example; the ids are dummies, so no session exists or can be opened. */
export const PROBE_PATH = "/n/connector/sc-doctor-probe/sessions/sc-doctor-probe/client";

/** Why the regional gateway was not probed: the VM's location is unknown (`why`: the VM read's failure, when known). */
export function gatewayNotProbed(why?: string): string {
  return `regional gateway: the VM's location is unknown (${why ? `${why}; ` : ""}pass --console-endpoint wss://<region>.gateway.<suffix>)`;
}

export interface EndpointOptions {
  cloud: CloudName;
  /** The VM's region (ARM `location`), for `<region>.gateway.serialconsole.azure.com`. */
  location?: string | null;
  /** --console-endpoint override. */
  consoleEndpoint?: string;
}

export type EndpointPlan =
  | { kind: "targets"; targets: ProbeTarget[]; notProbed: string[]; source: "derived" | "--console-endpoint" }
  | { kind: "undocumented"; reason: string };

/** Parse `--console-endpoint` (`wss://host[:port][/path]`, `https://` accepted). Throws a plain Error naming the problem. */
export function parseConsoleEndpoint(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`--console-endpoint must be an absolute wss:// URL, got '${value}'`);
  }
  if (url.protocol !== "wss:" && url.protocol !== "https:") throw new Error(`--console-endpoint must be a wss:// URL, got '${value}'`);
  if (url.username || url.password) throw new Error("--console-endpoint must not contain credentials");
  if (url.port === "0") throw new Error(`--console-endpoint: port 0 is not a port to connect to, in '${value}'`);
  return url;
}

/** `host` as a URL or `host:port` writes it: an IPv6 address in brackets. */
export function urlHost(host: string): string {
  return host.includes(":") ? `[${host}]` : host;
}

function target(role: ProbeTarget["role"], host: string, port: number, path: string, source: string): ProbeTarget {
  const portPart = port === 443 ? "" : `:${port}`;
  return { role, host, port, url: `wss://${urlHost(host)}${portPart}${path}`, required: role === "gateway", source };
}

/** The hosts to probe; pure. */
export function planEndpoints(options: EndpointOptions): EndpointPlan {
  const suffix = SERIAL_CONSOLE_SUFFIX[options.cloud];
  const notProbed: string[] = [];
  let gateway: ProbeTarget | undefined;
  let port = 443;
  let companions = true;

  if (options.consoleEndpoint) {
    const url = parseConsoleEndpoint(options.consoleEndpoint);
    port = url.port ? Number(url.port) : 443;
    // An IPv6 literal without its URL brackets: it is looked up (and connected to) as an address.
    const host = url.hostname.toLowerCase().replace(/^\[(.*)\]$/, "$1");
    const path = url.pathname === "/" ? PROBE_PATH : url.pathname;
    gateway = target("gateway", host, port, path, "--console-endpoint");
    // Companion hosts follow an override only when it is a Serial Console name (then on the same port, so a local
    // test endpoint works); a custom host gets probed alone.
    companions = suffix !== undefined && host.endsWith(`.${suffix}`);
    if (!companions) notProbed.push(`portal and legacy hosts: --console-endpoint ${host} is not under the cloud's Serial Console domain`);
  } else if (!suffix) {
    return {
      kind: "undocumented",
      reason: `no Serial Console endpoint is documented for ${options.cloud}; pass --console-endpoint wss://<host> to probe one`,
    };
  } else if (options.location && /^[a-z0-9]+$/.test(options.location.toLowerCase())) {
    const host = `${options.location.toLowerCase()}.gateway.${suffix}`;
    gateway = target("gateway", host, port, PROBE_PATH, "serial-console-linux.md: <region>.gateway.serialconsole.azure.com");
  } else {
    notProbed.push(gatewayNotProbed());
  }

  const targets: ProbeTarget[] = gateway ? [gateway] : [];
  if (companions) {
    const portal = PORTAL_HOST[options.cloud];
    if (portal)
      targets.push(target("portal", portal, port, "/", "az serial-console (custom.py) Origin https://portal.serialconsole.azure.com"));
    else notProbed.push(`portal host: none documented for ${options.cloud}`);
    const legacy = LEGACY_HOST[options.cloud];
    if (legacy) targets.push(target("legacy", legacy, port, "/", "serial-console-errors.md (2019): *.console.azure.com"));
  }
  return { kind: "targets", targets, notProbed, source: options.consoleEndpoint ? "--console-endpoint" : "derived" };
}

/** The Origin a browser sends from the console UI, where one is documented. */
export function portalOrigin(cloud: CloudName): string | undefined {
  const host = PORTAL_HOST[cloud];
  return host ? `https://${host}` : undefined;
}
