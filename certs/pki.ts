/**
 * Certificate issuance for prismgate and its local control plane.
 *
 * Keys are generated with node:crypto (native, ~50 ms for RSA-2048) and converted for node-forge,
 * which builds and signs the X.509 certificates (node-forge's own pure-JS key generation is an order
 * of magnitude slower). node-forge cannot do ECDSA, so every key is RSA-2048.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import forge from 'node-forge';

export interface KeyPair {
  /** PKCS#8 PEM */
  privateKeyPem: string;
  /** SPKI PEM */
  publicKeyPem: string;
}

/** A certificate with its private key, both PEM encoded. */
export interface CertificateAndKey {
  certPem: string;
  keyPem: string;
}

/** How long a certificate is valid: from a little before now (clock skew) until `validFor` ms from now. */
export interface Validity {
  /** Lifetime in milliseconds. */
  validForMs: number;
}

export const DAY_MS = 24 * 60 * 60 * 1000;
/** Certificates start this long in the past so that a peer whose clock lags slightly accepts them. */
export const BACKDATE_MS = 60 * 1000;

export function generateKeyPair(): KeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { privateKeyPem: privateKey, publicKeyPem: publicKey };
}

export interface SubjectOptions {
  commonName: string;
  /** Organisation entries; Kubernetes reads each as a group of a client certificate. */
  organizations?: string[];
}

export interface IssueOptions extends SubjectOptions, Validity {
  /** The issuing authority; omit for a self-signed certificate. */
  issuer?: CertificateAndKey;
  isCA?: boolean;
  /** DNS names and IP addresses for the subjectAltName extension. */
  hosts?: string[];
  usage?: 'server' | 'client' | 'server-and-client';
  /** Reuse an existing key pair (rotation that keeps the key). */
  keyPair?: KeyPair;
}

function subjectAttributes(subject: SubjectOptions): forge.pki.CertificateField[] {
  return [
    ...(subject.organizations ?? []).map((value) => ({ shortName: 'O', value })),
    { shortName: 'CN', value: subject.commonName },
  ];
}

/** A positive serial number of 128 random bits, as RFC 5280 recommends. */
function randomSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = bytes[0]! & 0x7f;
  return bytes.toString('hex');
}

function subjectAltNames(hosts: string[]): object[] {
  return hosts.map((host) => (isIP(host) ? { type: 7, ip: host } : { type: 2, value: host }));
}

/** Issues one certificate; every other function of this module is a named special case of it. */
export function issueCertificate(options: IssueOptions): CertificateAndKey {
  const keys = options.keyPair ?? generateKeyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(keys.publicKeyPem);
  cert.serialNumber = randomSerial();
  const now = Date.now();
  cert.validity.notBefore = new Date(now - BACKDATE_MS);
  cert.validity.notAfter = new Date(now + options.validForMs);
  cert.setSubject(subjectAttributes(options));

  const issuerCert = options.issuer ? forge.pki.certificateFromPem(options.issuer.certPem) : undefined;
  cert.setIssuer(issuerCert ? issuerCert.subject.attributes : subjectAttributes(options));

  const extensions: object[] = [];
  if (options.isCA) {
    extensions.push(
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    );
  } else {
    const usage = options.usage ?? 'server';
    extensions.push(
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      {
        name: 'extKeyUsage',
        serverAuth: usage !== 'client',
        clientAuth: usage !== 'server',
      },
    );
  }
  if (options.hosts && options.hosts.length > 0) {
    extensions.push({ name: 'subjectAltName', altNames: subjectAltNames(options.hosts) });
  }
  extensions.push({ name: 'subjectKeyIdentifier' });
  if (issuerCert) {
    extensions.push({
      name: 'authorityKeyIdentifier',
      keyIdentifier: issuerCert.generateSubjectKeyIdentifier().getBytes(),
    });
  }
  cert.setExtensions(extensions);

  const signingKeyPem = options.issuer ? options.issuer.keyPem : keys.privateKeyPem;
  cert.sign(forge.pki.privateKeyFromPem(signingKeyPem) as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: keys.privateKeyPem };
}

export function createCertificateAuthority(commonName: string, validity: Validity): CertificateAndKey {
  return issueCertificate({ commonName, isCA: true, ...validity });
}

/** A serving certificate; `hosts` become DNS or IP subject alternative names. */
export function issueServingCertificate(
  issuer: CertificateAndKey,
  commonName: string,
  hosts: string[],
  validity: Validity,
): CertificateAndKey {
  return issueCertificate({ issuer, commonName, hosts, usage: 'server', ...validity });
}

/** A client certificate: Kubernetes reads CN as the user name and each O as a group. */
export function issueClientCertificate(
  issuer: CertificateAndKey,
  user: { name: string; groups?: string[] },
  validity: Validity,
): CertificateAndKey {
  return issueCertificate({
    issuer,
    commonName: user.name,
    organizations: user.groups ?? [],
    usage: 'client',
    ...validity,
  });
}
