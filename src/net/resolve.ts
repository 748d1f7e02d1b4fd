/** DNS stage: `--resolve host:port:address` (curl semantics) first, then the system resolver (hosts file, like browsers). */
import { lookup } from "node:dns/promises";
import { isIP } from "node:net";

/**
 * `host:port` → addresses, from `--resolve` entries (already validated by the CLI). Repeats add addresses. As curl
 * (https://curl.se/docs/manpage.html#--resolve): a leading `+` (an entry that times out) is the same host here, and
 * the host `*` stands for every host on that port.
 */
export type ResolveOverrides = Map<string, string[]>;

export function parseResolveOverrides(entries: readonly string[]): ResolveOverrides {
  const map: ResolveOverrides = new Map();
  for (const entry of entries) {
    const match = /^\+?([^:\s]+):(\d{1,5}):(.+)$/.exec(entry.trim());
    if (!match) throw new Error(`--resolve must be host:port:address (curl syntax), got '${entry}'`);
    const [, host = "", port = "", rest = ""] = match;
    // curl allows a comma-separated list of addresses and brackets around IPv6 ones.
    const addresses = rest
      .split(",")
      .map((a) => a.trim().replace(/^\[(.*)\]$/, "$1"))
      .filter(Boolean);
    const key = `${host.toLowerCase()}:${Number(port)}`;
    map.set(key, [...(map.get(key) ?? []), ...addresses]);
  }
  return map;
}

export interface Resolved {
  addresses: string[];
  via: "--resolve" | "dns" | "literal";
}

/**
 * A run's system-resolver lookups by host name: each name is asked once, however many probes need it. getaddrinfo
 * runs on libuv's few pool threads and cannot be cancelled, so a name whose DNS never answers holds a thread until
 * the resolver gives up; asked once per region, such names starved the other lookups of an audit.
 */
export type Lookups = Map<string, Promise<Resolved>>;

/** Resolve `host` for `port`; throws the resolver's error (ENOTFOUND, EAI_AGAIN, …) when the name does not resolve. */
export async function resolveHost(host: string, port: number, overrides: ResolveOverrides, lookups?: Lookups): Promise<Resolved> {
  const pinned = overrides.get(`${host.toLowerCase()}:${port}`) ?? overrides.get(`*:${port}`);
  if (pinned && pinned.length > 0) return { addresses: pinned, via: "--resolve" };
  if (isIP(host)) return { addresses: [host], via: "literal" };
  const name = host.toLowerCase();
  const known = lookups?.get(name);
  if (known) return known;
  const asked = lookup(host, { all: true }).then((found): Resolved => ({ addresses: found.map((a) => a.address), via: "dns" }));
  asked.catch(() => undefined); // awaited by each probe against its own deadline: never unhandled when all gave up
  lookups?.set(name, asked);
  return asked;
}
