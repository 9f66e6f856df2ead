// The sandbox's own certificate authority. HTTPS is not optional: MSAL refuses
// http authorities and Azure SDKs refuse to send bearer tokens over http, so the
// sandbox serves TLS that clients trust through this CA rather than by turning
// verification off.
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { rootCertificates } from "node:tls";
import forge from "node-forge";
import { ensureDir } from "./state";

export interface SandboxTls {
  caCertPem: string;
  serverCertPem: string;
  serverKeyPem: string;
  /** Absolute path of the sandbox CA alone. */
  caFile: string;
  /** System roots followed by the sandbox CA, for NODE_EXTRA_CA_CERTS and curl. */
  caBundleFile: string;
}

const systemBundleFile = "/etc/ssl/certs/ca-certificates.crt";

// Key generation uses node:crypto (native, ~50 ms) instead of forge's pure-JS
// RSA (seconds); forge only builds and signs the certificates. The key is
// written out as node:crypto exported it, not re-encoded by forge.
function newRsaKeyPair(): forge.pki.rsa.KeyPair & { pem: string } {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  const forgeKey = forge.pki.privateKeyFromPem(pem) as forge.pki.rsa.PrivateKey;
  return { privateKey: forgeKey, publicKey: forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e), pem };
}

function serialNumber(): string {
  // A first byte of 0x01 keeps the DER integer positive (RFC 5280) and minimal: "0" + random hex gave a
  // 0x00 byte before one under 0x80 when the first random nibble was 0, which OpenSSL refuses ("illegal padding").
  return "01" + randomBytes(15).toString("hex");
}

function createCa(): { certPem: string; keyPem: string } {
  const keys = newRsaKeyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serialNumber();
  cert.validity.notBefore = new Date(Date.now() - 60 * 60 * 1000);
  cert.validity.notAfter = new Date(cert.validity.notBefore);
  cert.validity.notAfter.setFullYear(cert.validity.notBefore.getFullYear() + 10);
  const subject = [
    { name: "commonName", value: "Wharf Sandbox CA" },
    { name: "organizationName", value: "Wharf sandbox (not for production)" },
  ];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: "basicConstraints", cA: true, critical: true },
    { name: "keyUsage", keyCertSign: true, cRLSign: true, critical: true },
    { name: "subjectKeyIdentifier" },
  ]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: keys.pem };
}

function issueServerCert(caCertPem: string, caKeyPem: string): { certPem: string; keyPem: string } {
  const caCert = forge.pki.certificateFromPem(caCertPem);
  const caKey = forge.pki.privateKeyFromPem(caKeyPem);
  const keys = newRsaKeyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serialNumber();
  cert.validity.notBefore = new Date(Date.now() - 60 * 60 * 1000);
  // Reissued on every start, so a short life costs nothing and stays under
  // the 398-day limit some TLS clients enforce.
  cert.validity.notAfter = new Date(Date.now() + 365 * 24 * 60 * 60 * 1000);
  cert.setSubject([{ name: "commonName", value: "localhost" }]);
  cert.setIssuer(caCert.subject.attributes);
  cert.setExtensions([
    { name: "basicConstraints", cA: false },
    { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
    { name: "extKeyUsage", serverAuth: true },
    {
      name: "subjectAltName",
      altNames: [
        { type: 2, value: "localhost" },
        { type: 7, ip: "127.0.0.1" },
      ],
    },
    { name: "subjectKeyIdentifier" },
    { name: "authorityKeyIdentifier", keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
  ]);
  cert.sign(caKey, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: keys.pem };
}

function systemRoots(): string {
  const fromFile = existsSync(systemBundleFile) ? readFileSync(systemBundleFile, "utf8") : "";
  const known = new Set(fromFile.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []);
  const extra = rootCertificates.filter((pem) => !known.has(pem));
  return [fromFile.trimEnd(), ...extra].filter(Boolean).join("\n") + "\n";
}

/** Loads the CA from `stateDir` (creating it on first start) and issues a fresh server certificate. */
export function ensureSandboxTls(stateDir: string): SandboxTls {
  ensureDir(stateDir);
  const caFile = join(stateDir, "ca.pem");
  const caKeyFile = join(stateDir, "ca-key.pem");
  if (!existsSync(caFile) || !existsSync(caKeyFile)) {
    const ca = createCa();
    writeFileSync(caKeyFile, ca.keyPem, { mode: 0o600 });
    writeFileSync(caFile, ca.certPem);
  }
  const caCertPem = readFileSync(caFile, "utf8");
  const server = issueServerCert(caCertPem, readFileSync(caKeyFile, "utf8"));
  const caBundleFile = join(stateDir, "ca-bundle.pem");
  writeFileSync(caBundleFile, systemRoots() + caCertPem);
  return { caCertPem, serverCertPem: server.certPem, serverKeyPem: server.keyPem, caFile, caBundleFile };
}
