/**
 * A throw-away PKI for the run: a CA and a leaf certificate it signs, for 127.0.0.1 and localhost, made with the
 * `openssl` CLI (present on every Debian/Ubuntu/macOS machine, so no npm dependency). Generated once per process
 * and shared by every simulator the process starts; the temp directory is removed when the process exits.
 * The CLI child processes trust the CA through NODE_EXTRA_CA_CERTS, exactly as a user behind a TLS-inspecting
 * proxy would. Under vitest, test/global-setup.ts makes the PKI once, before the workers start, and hands it to them
 * in SC_DOCTOR_SIM_PKI (its directory) and NODE_EXTRA_CA_CERTS, so the CLI run in-process trusts it the same way.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** @type {Promise<{ dir: string, caPath: string, ca: string, key: string, cert: string }> | undefined} */
let pending;

/** @returns {Promise<{ dir: string, caPath: string, ca: string, key: string, cert: string }>} */
export function testCertificates() {
  return (pending ??= generate());
}

/** A PKI made by another process (test/global-setup.ts), read from its directory. */
function shared(dir) {
  const file = (name) => join(dir, name);
  const ca = readFileSync(file("ca.pem"), "utf8");
  return { dir, caPath: file("ca.pem"), ca, key: readFileSync(file("leaf.key"), "utf8"), cert: readFileSync(file("leaf.pem"), "utf8") };
}

async function generate() {
  if (process.env["SC_DOCTOR_SIM_PKI"]) return shared(process.env["SC_DOCTOR_SIM_PKI"]);
  const dir = mkdtempSync(join(tmpdir(), "sc-doctor-sim-"));
  process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
  const file = (name) => join(dir, name);
  // P-256 keys: generated in milliseconds, unlike RSA.
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  await run("openssl", [
    "req",
    "-x509",
    ...ec,
    "-keyout",
    file("ca.key"),
    "-out",
    file("ca.pem"),
    "-days",
    "3",
    "-subj",
    "/CN=sc-doctor Azure simulator test CA",
    "-addext",
    "basicConstraints=critical,CA:TRUE",
    "-addext",
    "keyUsage=critical,keyCertSign,cRLSign",
  ]);
  await run("openssl", ["req", ...ec, "-keyout", file("leaf.key"), "-out", file("leaf.csr"), "-subj", "/CN=localhost"]);
  writeFileSync(
    file("leaf.ext"),
    "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n",
  );
  await run("openssl", [
    "x509",
    "-req",
    "-in",
    file("leaf.csr"),
    "-CA",
    file("ca.pem"),
    "-CAkey",
    file("ca.key"),
    "-set_serial",
    `0x${randomBytes(8).toString("hex")}`,
    "-days",
    "3",
    "-sha256",
    "-extfile",
    file("leaf.ext"),
    "-out",
    file("leaf.pem"),
  ]);
  return shared(dir);
}
