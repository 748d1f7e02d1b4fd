/**
 * One host, stage by stage: DNS → TCP → (proxy CONNECT) → TLS → websocket upgrade. Each stage is timed; the first
 * that fails decides the reason. Every socket is destroyed before returning.
 */
import type { Socket } from "node:net";
import { StageTimeout, type Deadline } from "./deadline.js";
import { ProxyConfigError, ProxyRefused, maskProxy, openTunnel, proxyFor, proxyPort, proxyVariable, wrapForProxyScheme } from "./proxy.js";
import { resolveHost, type Lookups, type ResolveOverrides } from "./resolve.js";
import { connectTcp } from "./tcp.js";
import { contextWith, handshake } from "./tls.js";
import { looksIntercepted } from "./trust.js";
import type { ProbeFailureReason, ProbeStage, ProbeTarget, StageResult, TargetResult } from "./types.js";
import { upgrade } from "./upgrade.js";

export interface TargetProbeOptions {
  overrides: ResolveOverrides;
  deadline: Deadline;
  /** Extra trusted CAs (PEM), added to Node's bundled roots; tests use it, users have NODE_EXTRA_CA_CERTS. */
  ca?: readonly string[];
  /** Origin header for the upgrade, as the portal's console UI would send. */
  origin?: string;
  /** The run's lookups, shared by every probe (see `Lookups`). */
  lookups?: Lookups;
}

/** A stage failed: carries what the result needs. */
class StageFailure extends Error {
  constructor(
    readonly stage: ProbeStage,
    readonly reason: ProbeFailureReason,
    detail: string,
    readonly extra: Partial<StageResult> = {},
  ) {
    super(detail);
  }
}

function codeOf(error: unknown): string {
  return typeof error === "object" && error !== null && "code" in error ? String((error as { code: unknown }).code) : "";
}

function describe(error: unknown): string {
  if (error instanceof StageTimeout) return error.message;
  const code = codeOf(error);
  const message = error instanceof Error ? error.message : String(error);
  return code && !message.includes(code) ? `${code}: ${message}` : message;
}

function tcpReason(error: unknown): ProbeFailureReason {
  const code = codeOf(error);
  if (error instanceof StageTimeout || code === "ETIMEDOUT") return "tcp-timeout";
  if (code === "ECONNREFUSED") return "tcp-refused";
  return "tcp-unreachable";
}

function tlsReason(error: unknown): ProbeFailureReason {
  if (error instanceof StageTimeout) return "tls-timeout";
  const code = codeOf(error);
  if (code === "ECONNRESET" || code === "EPIPE" || /socket disconnected|hang up/i.test(String(error))) return "tls-reset";
  // A TLS alert from the other end (protocol version, handshake failure, unrecognized name): it speaks TLS and
  // refused this handshake — an SNI filter or an old TLS stack — not a port that does not speak TLS.
  // (Not the alerts about a client certificate: that is the service asking for one, not refusing the connection.)
  if (/^ERR_SSL_.*ALERT/.test(code) && !/CERTIFICATE|UNKNOWN_CA/.test(code)) return "tls-reset";
  return "tls-protocol";
}

/** OpenSSL reading plain text where a TLS record should be (a plain-HTTP server on the other end). */
function notTls(error: unknown): boolean {
  return /WRONG_VERSION_NUMBER|wrong version number|packet length too long|unknown protocol/i.test(`${codeOf(error)} ${String(error)}`);
}

/** Node's and OpenSSL's certificate verification failures (untrusted chain, wrong name, expired). */
function isCertificateError(error: unknown): boolean {
  const code = codeOf(error);
  return !/ALERT/.test(code) && /CERT|UNABLE_TO_VERIFY|SELF_SIGNED|ERR_TLS_CERT_ALTNAME/.test(code);
}

/** A proxy's refusal: 5xx means it could not reach the target (RFC 9110 §15.6.3/§15.6.5); anything else is a denial. */
function proxyRefusal(error: ProxyRefused, withCredentials: boolean, variable: string): StageFailure {
  const extra = { status: error.status };
  if (error.status === 504)
    return new StageFailure("proxy", "tcp-timeout", `${error.message}: the proxy could not reach the target in time`, extra);
  if (error.status >= 500) return new StageFailure("proxy", "tcp-refused", `${error.message}: the proxy could not reach the target`, extra);
  const why =
    error.status === 407
      ? withCredentials
        ? `the proxy rejected the credentials in ${variable} (or wants NTLM/Negotiate, which is not sent: only Basic)`
        : `the proxy wants credentials (put them in ${variable} as http://<user>:<password>@<proxy-host>:<port>)`
      : "the proxy does not allow a tunnel to this host";
  return new StageFailure("proxy", "proxy-denied", `${error.message}: ${why}`, extra);
}

/** Probe one host; a network failure is a result, only a bug in the probe throws. */
export async function probeTarget(target: ProbeTarget, options: TargetProbeOptions): Promise<TargetResult> {
  const started = performance.now();
  const stages: StageResult[] = [];
  const sockets: { destroy(): void }[] = [];
  let proxyLabel: string | null = null;
  // Named in the advice and its fix commands (`curl -x "$HTTPS_PROXY"`): the same proxy, never its credentials.
  let proxySource: Pick<TargetResult, "proxyVariable"> = {};
  let timedOut = false;

  const run = async <T>(
    stage: ProbeStage,
    work: () => Promise<T>,
    onError: (error: unknown) => StageFailure,
    extra: (value: T) => Partial<StageResult>,
  ): Promise<T> => {
    const t0 = performance.now();
    try {
      const value = await work();
      stages.push({ stage, ok: true, ms: Math.round(performance.now() - t0), ...extra(value) });
      return value;
    } catch (error) {
      timedOut ||= error instanceof StageTimeout;
      const failure = error instanceof StageFailure ? error : onError(error);
      stages.push({ stage, ok: false, ms: Math.round(performance.now() - t0), detail: failure.message, ...failure.extra });
      throw failure;
    }
  };

  try {
    let proxy: URL | undefined;
    try {
      proxy = proxyFor(target.host, target.port);
    } catch (error) {
      throw new StageFailure("proxy", "proxy-config", describe(error));
    }
    proxyLabel = proxy ? maskProxy(proxy) : null;
    const variable = proxy ? proxyVariable() : undefined;
    if (variable) proxySource = { proxyVariable: variable };
    // Through a proxy, the proxy resolves and connects to the target; this machine resolves and reaches the proxy.
    const hop = proxy
      ? { host: proxy.hostname.replace(/^\[(.*)\]$/, "$1"), port: proxyPort(proxy) }
      : { host: target.host, port: target.port };
    // Details name the proxy when it is the hop; the target's own name is already in the result.
    const onHop = (text: string) => (proxy ? `proxy ${hop.host}:${hop.port}: ${text}` : text);
    const dnsFailure = (error: unknown) => new StageFailure("dns", "dns", onHop(describe(error)));

    const resolved = await run(
      "dns",
      () => options.deadline.race(resolveHost(hop.host, hop.port, options.overrides, options.lookups), () => undefined),
      dnsFailure,
      (r) => ({ addresses: r.addresses, via: r.via }),
    );
    if (resolved.addresses.length === 0) throw new StageFailure("dns", "dns", onHop("no address"));

    const tcpFailure = (error: unknown) => new StageFailure("tcp", tcpReason(error), onHop(describe(error)));
    const tcp = await run(
      "tcp",
      () => connectTcp(resolved.addresses, hop.port, options.deadline),
      tcpFailure,
      (c) => ({ address: c.address, via: proxyLabel ?? "direct" }),
    );
    sockets.push(tcp.socket);

    let carrier: Socket = tcp.socket;
    if (proxy) {
      const toProxy = wrapForProxyScheme(proxy, tcp.socket, options.ca && options.ca.length > 0 ? contextWith(options.ca) : undefined);
      sockets.push(toProxy);
      // An https:// proxy: until its own handshake completes, no CONNECT has been sent (nor refused).
      let proxyTlsDone = proxy.protocol !== "https:";
      toProxy.once("secureConnect", () => (proxyTlsDone = true));
      const proxyTls = (reason: "tls-reset" | "tls-timeout", why: string) =>
        new StageFailure("proxy", reason, `TLS to the https:// proxy ${hop.host}:${hop.port} ${why}`);
      const tunnelFailure = (error: unknown): StageFailure => {
        const https = proxy.protocol === "https:";
        // TLS to an https:// proxy itself: its certificate, not the target's, and no CONNECT was refused.
        if (https && isCertificateError(error))
          return new StageFailure("proxy", "tls-untrusted", `TLS to the https:// proxy ${hop.host}:${hop.port} failed: ${describe(error)}`);
        // The proxy answered TLS with plain text: a plain-HTTP proxy named https://, no CONNECT was sent.
        if (https && notTls(error))
          return new StageFailure(
            "proxy",
            "proxy-config",
            `the proxy ${hop.host}:${hop.port} does not speak TLS (${describe(error)}), but the proxy URL says https:// — a proxy that takes plain-HTTP CONNECT is written http://`,
          );
        if (error instanceof ProxyConfigError) return new StageFailure("proxy", "proxy-config", describe(error));
        if (!proxyTlsDone)
          return error instanceof StageTimeout
            ? proxyTls("tls-timeout", "never completed")
            : proxyTls("tls-reset", `was cut: ${describe(error)}`);
        if (error instanceof ProxyRefused) return proxyRefusal(error, proxy.username !== "", variable ?? "HTTPS_PROXY");
        if (error instanceof StageTimeout)
          return new StageFailure("proxy", "tcp-timeout", `the proxy did not set up the tunnel to ${target.host}:${target.port} in time`);
        return new StageFailure("proxy", "proxy-denied", `the proxy dropped the CONNECT request: ${describe(error)}`);
      };
      const tunnel = await run(
        "proxy",
        () => openTunnel(proxy, toProxy, target.host, target.port, options.deadline),
        tunnelFailure,
        (t) => ({ status: t.status, via: proxyLabel ?? undefined }),
      );
      sockets.push(tunnel.socket);
      carrier = tunnel.socket;
    }

    const tlsFailure = (error: unknown) => new StageFailure("tls", tlsReason(error), describe(error));
    const tls = await run(
      "tls",
      async () => {
        const done = await handshake(carrier, target.host, options.deadline, options.ca);
        sockets.push(done.socket);
        const extra = { protocol: done.protocol, certificate: done.certificate };
        if (done.chainError)
          throw new StageFailure(
            "tls",
            "tls-untrusted",
            `the certificate chain did not validate (${done.chainError}); issued by ${done.certificate.issuer}`,
            extra,
          );
        if (done.hostnameError) throw new StageFailure("tls", "tls-hostname", done.hostnameError, extra);
        return done;
      },
      tlsFailure,
      (done) => ({ protocol: done.protocol, certificate: done.certificate, intercepted: looksIntercepted(done.certificate) }),
    );

    const upgradeFailure = (error: unknown) => new StageFailure("upgrade", "upgrade-blocked", describe(error));
    await run(
      "upgrade",
      () => upgrade(tls.socket, target.url, options.deadline, options.origin),
      upgradeFailure,
      (u) => ({ status: u.status }),
    );

    return { ...target, ok: true, proxy: proxyLabel, ...proxySource, stages, ms: Math.round(performance.now() - started) };
  } catch (error) {
    // Every stage wraps its own errors; anything else is a bug in the probe: let it become the check's `error`.
    if (!(error instanceof StageFailure)) throw error;
    const failure = error;
    return {
      ...target,
      ok: false,
      failedStage: failure.stage,
      reason: failure.reason,
      detail: failure.message,
      ...(timedOut ? { timedOut: true as const } : {}),
      proxy: proxyLabel,
      ...proxySource,
      stages,
      ms: Math.round(performance.now() - started),
    };
  } finally {
    // Outermost first: destroying a raw socket before the TLS socket wrapped around it crashes Node 20.20
    // (segmentation fault at exit, reproduced here), and the wrapper's destroy releases the inner one cleanly.
    for (const socket of sockets.reverse()) socket.destroy();
  }
}
