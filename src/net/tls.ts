/** TLS stage: a handshake with full validation (chain and host name), with the certificate reported either way. */
import { once } from "node:events";
import type { Socket } from "node:net";
import { checkServerIdentity, connect, createSecureContext, rootCertificates, type SecureContext, type TLSSocket } from "node:tls";
import { isIP } from "node:net";
import type { Deadline } from "./deadline.js";
import { certificateFacts } from "./trust.js";
import type { CertificateFacts } from "./types.js";

const contexts = new Map<string, SecureContext>();

/** Node's bundled roots plus `ca`, built once per CA set (parsing ~150 roots per connection would cost ~10 ms). */
export function contextWith(ca: readonly string[]): SecureContext {
  const key = ca.join("\n");
  let context = contexts.get(key);
  if (!context) {
    context = createSecureContext({ ca: [...rootCertificates, ...ca] });
    contexts.set(key, context);
  }
  return context;
}

export interface Handshake {
  socket: TLSSocket;
  protocol: string;
  certificate: CertificateFacts;
  /** OpenSSL's verdict on the chain, e.g. `UNABLE_TO_VERIFY_LEAF_SIGNATURE`; undefined when it validated. */
  chainError?: string;
  /** The certificate does not cover the host name; undefined when it does. */
  hostnameError?: string;
}

/**
 * Handshake over `socket` (direct, or a proxy tunnel) with SNI = `host`. Validation is done here rather than by
 * `rejectUnauthorized`, so a rejected certificate can still be described (subject, issuer, expiry). The caller
 * sends nothing over a socket whose certificate failed.
 * `ca` replaces nothing: it is added to Node's bundled roots (tests); NODE_EXTRA_CA_CERTS applies when it is absent.
 */
export async function handshake(socket: Socket, host: string, deadline: Deadline, ca?: readonly string[]): Promise<Handshake> {
  const tls = connect({
    socket,
    servername: isIP(host) ? undefined : host,
    rejectUnauthorized: false,
    ALPNProtocols: ["http/1.1"],
    ...(ca && ca.length > 0 ? { secureContext: contextWith(ca) } : {}),
  });
  // events.once rejects on 'error' and removes its listeners when settled.
  await deadline
    .race(once(tls, "secureConnect"), () => tls.destroy())
    .catch((error: unknown) => {
      tls.destroy();
      throw error;
    });
  tls.on("error", () => undefined); // later errors surface through the upgrade stage
  const peer = tls.getPeerCertificate(true);
  // Node reports the chain first; with a valid chain it runs checkServerIdentity itself (even without
  // rejectUnauthorized) and reports ERR_TLS_CERT_ALTNAME_INVALID, whose message we recompute for the evidence.
  const verdict = tls.authorized ? undefined : String(tls.authorizationError ?? "the chain did not validate");
  const chainError = verdict === "ERR_TLS_CERT_ALTNAME_INVALID" ? undefined : verdict;
  const hostnameError = chainError ? undefined : (checkServerIdentity(host, peer)?.message ?? verdict);
  return { socket: tls, protocol: tls.getProtocol() ?? "unknown", certificate: certificateFacts(peer), chainError, hostnameError };
}
