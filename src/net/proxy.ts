/**
 * Proxies: which proxy a host goes through (HTTPS_PROXY / https_proxy / ALL_PROXY, minus NO_PROXY, read by
 * `proxy-from-env`, the resolver axios and others use), and the CONNECT tunnel through it.
 *
 * The CONNECT request is sent with Node's own HTTP client (`http.request({ method: "CONNECT" })`) rather than an
 * agent library such as https-proxy-agent, on purpose: the doctor must tell "the proxy refused CONNECT" from "the
 * proxy could not reach the target" from "TLS failed", and time each. https-proxy-agent folds TCP + CONNECT + TLS
 * into one callback and, when the proxy refuses, replays the proxy's answer as if it came from the target (so a
 * proxy 403 would read as the endpoint's 403). No HTTP is parsed by hand here.
 */
import { request as httpRequest, type IncomingMessage } from "node:http";
import { isIP, type Socket } from "node:net";
import { connect as tlsConnect, type SecureContext } from "node:tls";
import { getProxyForUrl } from "proxy-from-env";
import type { Deadline } from "./deadline.js";
import { urlHost } from "./endpoints.js";

/**
 * The proxy variables Azure's HTTP pipeline (@azure/core-rest-pipeline) reads, in the order it takes the first set
 * one for https (each name in upper case, then lower).
 */
const PROXY_VARIABLES = ["HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy", "HTTP_PROXY", "http_proxy"] as const;
/** Those proxy-from-env (the probe) takes for an https:// URL, in its order (lower case first); else it reads none. */
const PROBE_HTTPS_VARIABLES = ["https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"] as const;

/**
 * Proxy variables as curl reads them, rewritten in `env` so that Azure's pipeline and the probe go through the same
 * proxy, or both go direct: a value without a scheme (`proxy.corp:3128`) is an http:// proxy (proxy-from-env would
 * make it https://, and Azure's pipeline fails on it); NO_PROXY's `*` and `*.domain` mean to both what they mean to
 * curl. Returns what is wrong with one that is no proxy URL even so — naming the
 * variable, never its value, which may hold a password — or undefined.
 */
export function normaliseProxyEnvironment(env: NodeJS.ProcessEnv = process.env): string | undefined {
  // Set in both cases: Azure's pipeline takes the upper-case name first (a non-empty value), proxy-from-env the
  // lower-case one; both take the pipeline's.
  for (const name of ["HTTPS_PROXY", "ALL_PROXY", "HTTP_PROXY", "NO_PROXY"]) {
    const upper = env[name];
    if (upper && env[name.toLowerCase()] !== undefined) env[name.toLowerCase()] = upper;
  }
  // NO_PROXY as both readers take it: `*.x` means `.x` to proxy-from-env only (Azure's pipeline compares it as a
  // name), and `*` alone — no proxy at all — is proxy-from-env's only: without a proxy variable both go direct.
  // A `*` entry inside a list (`localhost,*`, or `*:443`) is no wildcard to curl, whose only wildcard is the whole
  // value `*` (https://curl.se/libcurl/c/CURLOPT_NOPROXY.html), nor to Azure's pipeline (a name that matches no
  // host), while proxy-from-env would send the probe direct: dropped, so both keep the proxy, as curl does.
  for (const name of ["NO_PROXY", "no_proxy"]) {
    const value = env[name];
    if (value === undefined) continue;
    if (value.trim() === "*") {
      for (const proxy of PROXY_VARIABLES) delete env[proxy];
      return undefined;
    }
    env[name] = value.replace(/(^|[,\s])\*\./g, "$1.").replace(/(^|[,\s])\*(?::\d+)?(?=[,\s]|$)/g, "$1");
  }
  const set = (name: string) => (env[name]?.trim() ? name : undefined);
  // Only the variables a client will read are judged (a stale http_proxy beside a good HTTPS_PROXY is no error):
  // Azure's pipeline takes HTTPS_PROXY (either case), else ALL_PROXY, else HTTP_PROXY; the probe's proxy-from-env
  // https_proxy (lower case first), else all_proxy.
  const pipeline = PROXY_VARIABLES.find(set);
  const probe = PROBE_HTTPS_VARIABLES.find(set);
  for (const name of PROXY_VARIABLES) {
    const value = env[name]?.trim();
    if (!value) continue;
    const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`;
    env[name] = withScheme;
    if (name !== pipeline && name !== probe) continue;
    // The placeholders are in angle brackets, which no URL's user information holds: the credential masking of every
    // output (src/report/secrets.ts) leaves them as written.
    const expected = "(expected http://[<user>:<password>@]<proxy-host>:<port>)";
    const percentEncode = `${name} is not a proxy URL: percent-encode any '/', '?', '#' or '@' in its user name or password ${expected}`;
    let url: URL;
    try {
      url = new URL(withScheme);
    } catch {
      // `http://user:pa/ss@proxy:3128` reads "pa" as the port of host "user": not a URL at all.
      return withScheme.includes("@") ? percentEncode : `${name} is not a proxy URL ${expected}`;
    }
    // `http://user:1234/word@proxy:3128` parses as host "user", the credentials in the path: a '/', '?' or '#' in
    // them must be percent-encoded.
    if (!url.hostname || (withScheme.includes("@") && !url.username && !url.password)) return percentEncode;
    try {
      decodeURIComponent(url.username);
      decodeURIComponent(url.password);
    } catch {
      return `${name}: its user name or password is not valid percent-encoding (write '%' as %25)`;
    }
  }
  return undefined;
}

/** Whether a variable proxy-from-env reads for an https:// URL is set; when none is, HTTP_PROXY is the fallback. */
function httpsProxySet(): boolean {
  return PROBE_HTTPS_VARIABLES.some((name) => process.env[name]?.trim());
}

/**
 * The environment variable the proxy of `proxyFor` comes from, named as set (`HTTPS_PROXY`, `all_proxy`,
 * `HTTP_PROXY`, …), so that a fix command can go through the same proxy without printing it (`curl -x "$HTTPS_PROXY"`).
 * A name set in both cases holds the upper-case value in both after normaliseProxyEnvironment: that one is named.
 */
export function proxyVariable(): string | undefined {
  for (const name of httpsProxySet() ? ["HTTPS_PROXY", "ALL_PROXY"] : ["HTTP_PROXY"]) {
    if (process.env[name]?.trim()) return name;
    if (process.env[name.toLowerCase()]?.trim()) return name.toLowerCase();
  }
  return undefined;
}

/** The proxy for an HTTPS connection to `host:port`, or undefined when the connection is direct. */
export function proxyFor(host: string, port: number): URL | undefined {
  // The tunnel carries HTTPS, so ask for an https:// URL (proxy-from-env would look for `wss_proxy` for wss://).
  const authority = `${urlHost(host)}:${port}`;
  // Azure's pipeline goes through HTTP_PROXY for https when no HTTPS_PROXY or ALL_PROXY is set; proxy-from-env never
  // does: ask it for the http:// URL then (same NO_PROXY rules), so the probe takes the proxy the Azure calls take.
  // proxy-from-env 2 does not read npm's npm_config_* variables (which `npx` exports), and Azure's pipeline neither.
  const value = getProxyForUrl(`https://${authority}/`) || (httpsProxySet() ? "" : getProxyForUrl(`http://${authority}/`));
  if (!value) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    // Never the value: it may hold a password.
    throw new ProxyConfigError("the proxy URL in HTTPS_PROXY/ALL_PROXY is not a URL");
  }
  // As Azure's own pipeline: HTTP CONNECT proxies only (no SOCKS).
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new ProxyConfigError(
      `the proxy in HTTPS_PROXY/ALL_PROXY is a ${url.protocol.replace(/:$/, "")}:// proxy; only http:// and https:// proxies are supported`,
    );
  return url;
}

/** `http://user:secret@proxy:3128` → `http://***:***@proxy:3128/` (never print proxy credentials). */
export function maskProxy(url: URL): string {
  const copy = new URL(url.href);
  if (copy.username) copy.username = "***";
  if (copy.password) copy.password = "***";
  // A proxy is its scheme, host and port: a query or fragment (a token some setups append) is no part of it.
  if (copy.search) copy.search = "?***";
  if (copy.hash) copy.hash = "#***";
  return copy.href;
}

export function proxyPort(url: URL): number {
  return url.port ? Number(url.port) : url.protocol === "https:" ? 443 : 80;
}

/**
 * A TLS connection to an `https://` proxy itself (the tunnel then runs inside it), validated like any other;
 * a failure surfaces as the CONNECT request's error. `secureContext` carries extra CAs (tests).
 */
export function wrapForProxyScheme(proxy: URL, socket: Socket, secureContext?: SecureContext): Socket {
  if (proxy.protocol !== "https:") return socket;
  // SNI takes host names only (an IP address there is deprecated, DEP0123); the certificate is checked against either.
  const host = proxy.hostname.replace(/^\[(.*)\]$/, "$1");
  const wrapped = tlsConnect({
    socket,
    ...(isIP(host) ? { host } : { servername: host }),
    ...(secureContext ? { secureContext } : {}),
  });
  wrapped.on("error", () => undefined); // reported through the CONNECT request, never as an unhandled event
  return wrapped;
}

/** Proxy settings that cannot be used at all (nothing was sent to the proxy). */
export class ProxyConfigError extends Error {
  override name = "ProxyConfigError";
}

export class ProxyRefused extends Error {
  override name = "ProxyRefused";
  constructor(
    readonly status: number,
    readonly statusText: string,
  ) {
    super(`the proxy answered CONNECT with ${status} ${statusText}`.trim());
  }
}

/**
 * Ask the proxy (over `socket`, already connected to it) for a tunnel to `host:port`. Resolves with the tunnel
 * socket on 2xx; rejects with `ProxyRefused` carrying the status otherwise. Credentials in the proxy URL go to the
 * proxy only (Proxy-Authorization), never to the target.
 */
export function openTunnel(
  proxy: URL,
  socket: Socket,
  host: string,
  port: number,
  deadline: Deadline,
): Promise<{ socket: Socket; status: number }> {
  const authority = `${urlHost(host)}:${port}`;
  const headers: Record<string, string> = { host: authority, "user-agent": "sc-doctor (network probe)" };
  if (proxy.username) {
    const decode = (text: string) => {
      try {
        return decodeURIComponent(text);
      } catch {
        throw new ProxyConfigError("the proxy's user name or password is not valid percent-encoding");
      }
    };
    const user = decode(proxy.username);
    const password = decode(proxy.password);
    headers["proxy-authorization"] = `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
  }
  const req = httpRequest({ method: "CONNECT", path: authority, headers, createConnection: () => socket });
  const answer = new Promise<{ socket: Socket; status: number }>((resolve, reject) => {
    req.once("connect", (res: IncomingMessage, tunnel: Socket) => {
      const status = res.statusCode ?? 0;
      if (status >= 200 && status < 300) resolve({ socket: tunnel, status });
      else {
        tunnel.destroy();
        reject(new ProxyRefused(status, res.statusMessage ?? ""));
      }
    });
    // Some Node versions hand a non-2xx CONNECT answer to 'response' instead of 'connect'.
    req.once("response", (res: IncomingMessage) => {
      res.resume();
      reject(new ProxyRefused(res.statusCode ?? 0, res.statusMessage ?? ""));
    });
    req.once("error", reject);
  });
  req.end();
  return deadline.race(answer, () => req.destroy());
}
