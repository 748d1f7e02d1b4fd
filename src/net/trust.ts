/**
 * Reading the certificate chain: who issued it, and whether it validated only because of a locally added CA
 * (NODE_EXTRA_CA_CERTS, an enterprise root) — the mark of a TLS-inspecting proxy in the path.
 */
import { rootCertificates, type DetailedPeerCertificate } from "node:tls";
import type { CertificateFacts } from "./types.js";

/**
 * Issuers the service's public certificates chain to: `*.serialconsole.azure.com` is served with Microsoft's
 * "Microsoft Azure … TLS Issuing CA" intermediates under DigiCert roots (as every Azure service endpoint; see
 * "Azure Certificate Authority details", learn.microsoft.com/azure/security/fundamentals/azure-ca-details).
 */
const PUBLIC_ISSUER = /\b(Microsoft|DigiCert)\b/i;

let bundled: Set<string> | undefined;

/** DER (base64) of every root shipped with Node (Mozilla's bundle); NODE_EXTRA_CA_CERTS is not in this list. */
function bundledRoots(): Set<string> {
  bundled ??= new Set(rootCertificates.map((pem) => pem.replace(/-----(BEGIN|END) CERTIFICATE-----|\s+/g, "")));
  return bundled;
}

function field(value: string | string[] | undefined): string {
  return Array.isArray(value) ? value.join(", ") : (value ?? "");
}

function describeName(name: { CN?: string | string[]; O?: string | string[] } | undefined): string {
  const cn = field(name?.CN);
  const o = field(name?.O);
  return o && o !== cn ? `${cn} (${o})` : cn || o || "(no name)";
}

function iso(date: string): string {
  const parsed = new Date(date);
  return Number.isNaN(parsed.getTime()) ? date : parsed.toISOString();
}

/** The top of the chain Node built (it completes the presented chain from its trust store). */
function topOfChain(leaf: DetailedPeerCertificate): DetailedPeerCertificate {
  let current = leaf;
  const seen = new Set<DetailedPeerCertificate>([leaf]);
  while (current.issuerCertificate && !seen.has(current.issuerCertificate)) {
    current = current.issuerCertificate;
    seen.add(current);
  }
  return current;
}

/** Facts about the presented certificate and its chain. */
export function certificateFacts(leaf: DetailedPeerCertificate): CertificateFacts {
  const root = topOfChain(leaf);
  const issuer = describeName(leaf.issuer);
  const rootName = describeName(root.subject);
  return {
    subject: describeName(leaf.subject),
    subjectAltNames: (leaf.subjectaltname ?? "")
      .split(",")
      .map((s) => s.trim().replace(/^DNS:/, ""))
      .filter(Boolean),
    issuer,
    root: rootName,
    validFrom: iso(leaf.valid_from),
    validTo: iso(leaf.valid_to),
    rootInBundledStore: root.raw ? bundledRoots().has(root.raw.toString("base64")) : false,
    publicIssuer: PUBLIC_ISSUER.test(field(leaf.issuer?.O)) || PUBLIC_ISSUER.test(field(root.subject?.O)),
  };
}

/** A validated chain that ends in a locally added root and was not issued by the service's public CAs. */
export function looksIntercepted(certificate: CertificateFacts): boolean {
  return !certificate.rootInBundledStore && !certificate.publicIssuer;
}
