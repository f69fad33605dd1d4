/**
 * Verification of a TLS client certificate against one set of CAs, in code rather than by the TLS
 * handshake: the server trusts two CAs for different purposes (the front proxy's and the cluster's client
 * CA), and must know which one a certificate chains to. The handshake only asks for a certificate and
 * never rejects one, as k8s.io/apiserver does, so that a caller with a bearer token (or none, for health)
 * still gets an HTTP answer.
 */
import { X509Certificate } from 'node:crypto';
import type { TLSSocket, DetailedPeerCertificate } from 'node:tls';

const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
const ANY_EXTENDED_KEY_USAGE = '2.5.29.37.0';
const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

export interface CertificateSubject {
  commonName: string;
  organizations: string[];
}

/** The certificate chain the client presented, leaf first; empty when it presented none. */
export function presentedChain(socket: TLSSocket): X509Certificate[] {
  const chain: X509Certificate[] = [];
  // A connection without TLS (in-process tests) presents nothing.
  let current: DetailedPeerCertificate | undefined =
    typeof socket.getPeerCertificate === 'function' ? socket.getPeerCertificate(true) : undefined;
  const seen = new Set<string>();
  while (current?.raw && !seen.has(current.fingerprint256)) {
    seen.add(current.fingerprint256);
    chain.push(new X509Certificate(current.raw));
    current = current.issuerCertificate;
  }
  return chain;
}

/** CN and O of a certificate's subject (the user name and groups of a client certificate). */
export function subjectOf(certificate: X509Certificate): CertificateSubject {
  const subject: CertificateSubject = { commonName: '', organizations: [] };
  for (const line of certificate.subject.split('\n')) {
    const eq = line.indexOf('=');
    const [key, value] = [line.slice(0, eq), line.slice(eq + 1)];
    if (key === 'CN') subject.commonName = value;
    else if (key === 'O') subject.organizations.push(value);
  }
  return subject;
}

function isCurrent(certificate: X509Certificate, now: number): boolean {
  return Date.parse(certificate.validFrom) <= now && now <= Date.parse(certificate.validTo);
}

function allowsClientAuth(certificate: X509Certificate): boolean {
  const usages = certificate.keyUsage;
  return !usages || usages.includes(CLIENT_AUTH) || usages.includes(ANY_EXTENDED_KEY_USAGE);
}

function signedBy(certificate: X509Certificate, issuer: X509Certificate): boolean {
  return certificate.checkIssued(issuer) && certificate.verify(issuer.publicKey);
}

export class TrustedCertificates {
  private readonly roots: X509Certificate[];

  constructor(pemBundle: string) {
    this.roots = (pemBundle.match(PEM_BLOCK) ?? []).map((pem) => new X509Certificate(pem));
  }

  get empty(): boolean {
    return this.roots.length === 0;
  }

  /**
   * Whether `chain` (leaf first, then the intermediates the client sent) leads from a current client
   * certificate to one of the roots, every link current and correctly signed.
   */
  verifies(chain: readonly X509Certificate[], now = Date.now()): boolean {
    const [leaf] = chain;
    if (!leaf || !isCurrent(leaf, now) || !allowsClientAuth(leaf)) return false;
    let current = leaf;
    for (let i = 1; ; i++) {
      if (this.roots.some((root) => isCurrent(root, now) && signedBy(current, root))) return true;
      const next = chain[i];
      if (!next || !next.ca || !isCurrent(next, now) || !signedBy(current, next)) return false;
      current = next;
    }
  }
}
