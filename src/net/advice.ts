/**
 * What to do about a failed stage: the documented mitigation ("add `*.serialconsole.azure.com` to your firewall
 * allow list", serial-console-errors.md 2025) made specific to where the path broke, plus commands that reproduce
 * the failure outside sc-doctor. Pure.
 */
import { SERIAL_CONSOLE_SUFFIX, urlHost } from "./endpoints.js";
import type { TargetResult } from "./types.js";

export interface Advice {
  mitigation: string;
  /** Copy-pasteable commands that reproduce what the probe saw. */
  fix: string[];
}

/**
 * `*.serialconsole.azure.com` or `*.serialconsole.azure.us`, whichever domain the host is under; any other host
 * (`--console-endpoint`, a cloud without a published domain) is named itself: the advice must name what was probed.
 */
export function allowListName(host: string): string {
  const suffix = Object.values(SERIAL_CONSOLE_SUFFIX).find((s) => s !== undefined && host.endsWith(`.${s}`));
  return suffix ? `*.${suffix}` : host;
}

const PUBLIC_DOMAIN = "*.serialconsole.azure.com";

/**
 * The documented mitigation names the public cloud's domain (`*.serialconsole.azure.com`, serial-console-errors.md
 * 2025): the same advice with `domain` (`*.serialconsole.azure.us` for Azure Government: "In the US Government
 * (Fairfax) cloud, the endpoint suffix is `serialconsole.azure.us`",
 * https://learn.microsoft.com/troubleshoot/azure/virtual-machines/linux/serial-console-linux), or undefined when
 * `domain` is the public one, is no domain (a single host) or `documented` does not name the public domain.
 */
export function inConsoleDomain(documented: string, domain: string): string | undefined {
  if (domain === PUBLIC_DOMAIN || !domain.startsWith("*.") || !documented.includes(PUBLIC_DOMAIN)) return undefined;
  // The public domain's move from *.console.azure.com is its own history, not the other cloud's.
  return documented.replace(/ \(the service URL changed from [^)]*\)/, "").replaceAll(PUBLIC_DOMAIN, domain);
}

/**
 * The address `--resolve` pinned for this host, if any: the commands must go where the probe went. Not through a
 * proxy: the probe then resolved the proxy's name (src/net/probe-target.ts), and the proxy resolves the host.
 */
function pinnedAddress(target: Pick<TargetResult, "stages" | "proxy">): string | undefined {
  if (target.proxy) return undefined;
  return target.stages.find((stage) => stage.stage === "dns" && stage.via === "--resolve")?.addresses?.[0];
}

/** `openssl s_client` that shows the chain this host presents, at the address and through the proxy the probe used. */
export function sClientCommand(target: Pick<TargetResult, "host" | "port" | "proxy" | "stages">): string {
  const connect = urlHost(pinnedAddress(target) ?? target.host);
  return `openssl s_client -connect ${connect}:${target.port} -servername ${target.host} -showcerts${target.proxy ? ` -proxy ${proxyHostPort(target.proxy)}` : ""} </dev/null`;
}

/** curl's own `--resolve host:port:address` (https://curl.se/docs/manpage.html#--resolve), when the probe had one. */
function curlResolve(target: Pick<TargetResult, "host" | "port" | "stages" | "proxy">): string {
  const pinned = pinnedAddress(target);
  return pinned ? ` --resolve ${target.host}:${target.port}:${urlHost(pinned)}` : "";
}

function proxyHostPort(proxy: string): string {
  const url = new URL(proxy);
  return `${url.hostname}:${url.port || (url.protocol === "https:" ? "443" : "80")}`;
}

/**
 * A proxy's 407 Proxy Authentication Required (https://www.rfc-editor.org/rfc/rfc9110#status.407), for `proxy` as
 * masked (`http://***:***@host:port/` when `variable` holds credentials): what to change, without a final stop.
 */
export function proxyAuthAdvice(proxy: string | null | undefined, variable = "HTTPS_PROXY"): string {
  return proxy?.includes("@")
    ? `The proxy ${proxy} rejected the credentials in ${variable} (407 Proxy Authentication Required): check the user name and password (percent-encoded in the URL); a proxy that wants NTLM or Negotiate cannot be used (only Basic is sent)`
    : `The proxy ${proxy ?? `(from ${variable})`} wants credentials (407 Proxy Authentication Required): put them in ${variable} as http://<user>:<password>@<proxy-host>:<port> (percent-encoded)`;
}

/**
 * A chain this machine does not trust, presented for the host by something other than the service: not issued by its
 * public CAs (Microsoft/DigiCert) and not merely outside its validity period — a TLS-inspecting proxy or firewall
 * whose root Node's trust store lacks. The system's store (a browser's) may hold that root: then the console can
 * work there, so this is no proof that it is blocked.
 */
export function untrustedInterception(target: Pick<TargetResult, "reason" | "failedStage" | "detail" | "stages">): boolean {
  const cert = target.stages.find((s) => s.stage === "tls")?.certificate;
  return (
    target.reason === "tls-untrusted" &&
    target.failedStage === "tls" &&
    !EXPIRED.test(target.detail ?? "") &&
    cert !== undefined &&
    !cert.publicIssuer
  );
}

/** OpenSSL's verdicts for a certificate outside its validity period. */
const EXPIRED = /CERT_HAS_EXPIRED|CERT_NOT_YET_VALID/;

/** Advice for a failed host. */
export function adviceFor(target: TargetResult): Advice {
  const name = allowListName(target.host);
  const authority = `${urlHost(target.host)}:${target.port}`;
  const https = `https://${urlHost(target.host)}${target.port === 443 ? "" : `:${target.port}`}/`;
  // The variable the probe's proxy came from (HTTPS_PROXY, or HTTP_PROXY, which curl ignores for https:// URLs).
  const variable = target.proxyVariable ?? "HTTPS_PROXY";
  // curl through that proxy, named by its variable (https://curl.se/docs/manpage.html#-x): a POSIX shell expands
  // it, so no credential is printed and none is lost. Through a proxy there is no --resolve (curlResolve).
  const route = `${target.proxy ? ` -x "$${variable}"` : ""}${curlResolve(target)}`;
  const curl = `curl -sv --max-time 10${route} -o /dev/null ${https}`;
  const sClient = sClientCommand(target);
  const viaProxy = target.proxy ? ` through the proxy ${target.proxy}` : "";
  // What NO_PROXY needs to leave the host out: both readers (Azure's pipeline and proxy-from-env) take a bare name
  // as that host alone, a leading dot as every host under it.
  const noProxy = `list ${name.startsWith("*.") ? name.slice(1) : name} in NO_PROXY if it is reachable directly`;
  // The TCP stages of a proxied probe are the connection to the proxy itself.
  const toProxy = Boolean(target.proxy) && target.failedStage !== "proxy";
  const tls = target.stages.find((s) => s.stage === "tls");
  const cert = tls?.certificate;

  // The handshake with an https:// proxy itself (src/net/probe-target.ts): the tunnel was never asked for.
  if (target.failedStage === "proxy" && (target.reason === "tls-timeout" || target.reason === "tls-reset"))
    return {
      mitigation: `The TLS handshake with the https:// proxy ${target.proxy ?? `(from ${variable})`} did not complete (${target.detail ?? ""}), so no CONNECT was sent: check that the proxy speaks TLS on that port (a plain-HTTP proxy is written http://) and that ${variable} names the right host and port.`,
      fix: [curl],
    };
  switch (target.reason) {
    case "dns":
      return {
        mitigation: target.proxy
          ? `The proxy's name does not resolve from this machine: check ${variable} (${target.proxy}).`
          : `${target.host} does not resolve from this machine: make sure your DNS (or DNS filtering) resolves the public ${name} names.`,
        fix: [`nslookup ${target.proxy ? new URL(target.proxy).hostname : target.host}`],
      };
    case "tcp-refused":
      return {
        mitigation:
          target.failedStage === "proxy"
            ? `The proxy ${target.proxy} could not reach ${authority}: allow the proxy to connect to ${name} on TCP ${target.port}.`
            : `The connection to ${target.proxy ? `the proxy ${target.proxy}` : authority} was refused: ${target.proxy ? `check ${variable}` : `a firewall rejects outbound HTTPS; allow ${name} on TCP ${target.port}`}.`,
        fix: [curl],
      };
    case "tcp-timeout":
      return {
        mitigation:
          target.failedStage === "proxy"
            ? `The proxy ${target.proxy ?? ""} did not set up the tunnel to ${authority} in time: the proxy itself, or its way out to ${name}, is blocked or overloaded; ask its administrators, or ${noProxy}.`
            : toProxy
              ? `The proxy ${target.proxy ?? ""} (from ${variable}) does not answer: packets to it go unanswered. Check that the proxy is up and reachable from this machine, and that ${variable} names the right host and port.`
              : `Packets to ${authority} go unanswered: a firewall silently drops outbound TCP ${target.port}. Allow ${name} (or set HTTPS_PROXY if this network only reaches the internet through a proxy).`,
        fix: [curl],
      };
    case "tcp-unreachable":
      return {
        mitigation: toProxy
          ? `There is no route to the proxy ${target.proxy ?? ""} (from ${variable}): check this machine's network, VPN and routes, and that ${variable} names the right host.`
          : `There is no route to ${authority}: check this machine's network, VPN and routes, then allow ${name}.`,
        fix: [curl],
      };
    case "proxy-config":
      return {
        mitigation: `The proxy settings cannot be used (${target.detail ?? ""}): set HTTPS_PROXY to http://[<user>:<password>@]<proxy-host>:<port>, percent-encoding the user name and password.`,
        fix: [],
      };
    case "proxy-denied":
      // 407 Proxy Authentication Required (https://www.rfc-editor.org/rfc/rfc9110#status.407): no tunnel was refused yet.
      if (target.stages.some((stage) => stage.stage === "proxy" && stage.status === 407))
        return {
          mitigation: `${proxyAuthAdvice(target.proxy, variable)}${target.proxy?.includes("@") ? `; or ${noProxy}` : ""}.`,
          fix: [curl],
        };
      // No answer to the CONNECT at all (the connection dropped): nothing was refused — a TLS proxy written http://
      // drops a plain CONNECT so.
      if (target.proxy?.startsWith("http:") && !target.stages.some((stage) => stage.stage === "proxy" && stage.status !== undefined))
        return {
          mitigation: `The proxy ${target.proxy} closed the connection without answering the CONNECT (${target.detail ?? ""}): if it speaks TLS, write ${variable} as https://; otherwise ask its administrators to allow CONNECT to ${name}:${target.port}, or ${noProxy}.`,
          fix: [curl],
        };
      return {
        mitigation: `The proxy ${target.proxy ?? `(from ${variable})`} refused a tunnel to ${authority}: ask its administrators to allow CONNECT to ${name}:${target.port}, or ${noProxy}.`,
        fix: [curl],
      };
    case "tls-untrusted":
      return {
        mitigation:
          target.failedStage === "proxy"
            ? `The https:// proxy ${target.proxy ?? ""} presents a certificate this machine does not accept (${target.detail ?? ""}): trust its CA with NODE_EXTRA_CA_CERTS, or use the proxy's http:// address.`
            : EXPIRED.test(target.detail ?? "")
              ? // Azure renews its public certificates well ahead: outside the validity period is this machine's clock, or an old interceptor certificate.
                `The certificate for ${target.host} is outside its validity period by this machine's clock (${target.detail ?? ""}): check the clock (date -u), or a TLS-inspecting device that still presents an expired certificate.`
              : cert && untrustedInterception(target)
                ? // NODE_USE_SYSTEM_CA=1 came with Node 22.19.0 and 24.6.0 (https://nodejs.org/api/cli.html#node_use_system_ca1,
                  // https://nodejs.org/blog/release/v22.19.0); Node 20, the oldest supported here, lacks it.
                  `The certificate for ${target.host} was issued by ${cert.issuer}, not by the service's public CA (Microsoft/DigiCert): a proxy or firewall rewrites certificates, and Node's trust store lacks its root. A browser whose system trusts that root may still open the console; sc-doctor could not check the websocket behind it. Give ${name} an exception from TLS inspection (websockets break under it), or trust its root with NODE_EXTRA_CA_CERTS (on Node 22.19+ or 24.6+, NODE_USE_SYSTEM_CA=1 takes the system's roots) to diagnose further.`
                : `The certificate chain for ${target.host} does not validate on this machine (${target.detail ?? ""}): update the system/Node trust store.`,
        fix: [sClient],
      };
    case "tls-hostname":
      return {
        mitigation: `${target.host} answered with a certificate for ${cert?.subjectAltNames.join(", ") || cert?.subject || "another name"}: something in the path answers for this name (hosts file, DNS override, captive portal or proxy). Make ${name} reach the service itself.`,
        fix: [`nslookup ${target.host}`, sClient],
      };
    case "tls-timeout":
      return {
        mitigation: `The TLS handshake with ${authority}${viaProxy} never completed: a middlebox holds the connection (SNI filtering or TLS inspection). Allow ${name} and exempt it from inspection.`,
        fix: [sClient],
      };
    case "tls-reset":
      return {
        mitigation: /ALERT/.test(target.detail ?? "")
          ? `${authority}${viaProxy} refused the TLS handshake with an alert (${target.detail ?? ""}): a filter that answers for it (SNI-based filtering) or a TLS version it will not speak; allow ${name}.`
          : `The connection to ${authority}${viaProxy} was cut during the TLS handshake, the usual sign of SNI-based filtering: allow ${name}.`,
        fix: [sClient],
      };
    case "tls-protocol":
      return {
        mitigation: `${authority}${viaProxy} did not answer in TLS (e.g. plain HTTP from a captive portal or transparent proxy): make ${name} on TCP ${target.port} reach the service itself.`,
        fix: [curl, sClient],
      };
    case "upgrade-blocked":
      return {
        mitigation: `TLS to ${target.host} works but the websocket upgrade got no HTTP answer${viaProxy}: a proxy or firewall blocks websockets. Allow websocket (Upgrade) traffic to ${name} and exempt it from TLS inspection.`,
        fix: [
          `curl -sv --max-time 10${route} --http1.1 -o /dev/null -H "Connection: Upgrade" -H "Upgrade: websocket" -H "Sec-WebSocket-Version: 13" -H "Sec-WebSocket-Key: c2MtZG9jdG9yLXByb2Jl" ${https.replace(/\/$/, "")}${new URL(target.url).pathname}`,
        ],
      };
    case undefined:
      return { mitigation: "", fix: [] };
  }
}
