/**
 * Certificates made for the test run with the openssl CLI (EC P-256, valid two days), in a temporary directory:
 * - `service`: a CA named like the service's public issuer (O=Microsoft Corporation) and a leaf for the Serial
 *   Console names — it plays the real service, whose chain the probe must accept without an interception warning;
 * - `wrongHost`: a leaf from the same CA for another name;
 * - `interceptor`: a TLS-inspection CA (O=Contoso) and its forged leaf for the same names.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const SERVICE_NAMES = ["eastus.gateway.serialconsole.azure.com", "portal.serialconsole.azure.com", "ux.console.azure.com"];

export interface KeyPair {
  cert: string;
  key: string;
}

export interface Pki {
  dir: string;
  serviceCa: string;
  serviceCaPath: string;
  service: KeyPair;
  wrongHost: KeyPair;
  interceptorCa: string;
  interceptor: KeyPair;
  /** Both CAs in one file, for NODE_EXTRA_CA_CERTS when the interceptor is trusted. */
  bothCasPath: string;
  cleanup(): void;
}

function openssl(dir: string, args: string[]): void {
  execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
}

function makeCa(dir: string, name: string, subject: string): void {
  openssl(dir, ["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", `${name}.key`]);
  openssl(dir, [
    "req",
    "-x509",
    "-new",
    "-key",
    `${name}.key`,
    "-sha256",
    "-days",
    "2",
    "-subj",
    subject,
    "-out",
    `${name}.pem`,
    "-addext",
    "basicConstraints=critical,CA:TRUE",
    "-addext",
    "keyUsage=critical,keyCertSign,cRLSign",
  ]);
}

function makeLeaf(dir: string, name: string, ca: string, names: string[]): KeyPair {
  openssl(dir, ["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", `${name}.key`]);
  openssl(dir, ["req", "-new", "-key", `${name}.key`, "-subj", `/CN=${names[0]}`, "-out", `${name}.csr`]);
  writeFileSync(
    join(dir, `${name}.ext`),
    `subjectAltName=${names.map((n) => `DNS:${n}`).join(",")}\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n`,
  );
  openssl(dir, [
    "x509",
    "-req",
    "-in",
    `${name}.csr`,
    "-CA",
    `${ca}.pem`,
    "-CAkey",
    `${ca}.key`,
    "-set_serial",
    String(Date.now()),
    "-days",
    "2",
    "-sha256",
    "-extfile",
    `${name}.ext`,
    "-out",
    `${name}.pem`,
  ]);
  return { cert: readFileSync(join(dir, `${name}.pem`), "utf8"), key: readFileSync(join(dir, `${name}.key`), "utf8") };
}

export function makePki(): Pki {
  const dir = mkdtempSync(join(tmpdir(), "sc-doctor-net-"));
  makeCa(dir, "service-ca", "/O=Microsoft Corporation/CN=Microsoft Azure TLS Issuing CA (sc-doctor test)");
  makeCa(dir, "interceptor-ca", "/O=Contoso Ltd/CN=Contoso TLS Inspection Root (sc-doctor test)");
  const serviceCa = readFileSync(join(dir, "service-ca.pem"), "utf8");
  const interceptorCa = readFileSync(join(dir, "interceptor-ca.pem"), "utf8");
  const bothCasPath = join(dir, "both-cas.pem");
  writeFileSync(bothCasPath, serviceCa + interceptorCa);
  return {
    dir,
    serviceCa,
    serviceCaPath: join(dir, "service-ca.pem"),
    service: makeLeaf(dir, "service", "service-ca", SERVICE_NAMES),
    wrongHost: makeLeaf(dir, "wrong-host", "service-ca", ["other.example.net"]),
    interceptorCa,
    interceptor: makeLeaf(dir, "interceptor", "interceptor-ca", SERVICE_NAMES),
    bothCasPath,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
