/**
 * CA bundles: the PEM list of authorities a client (the API server) trusts for prismgate.
 *
 * During a CA rollover the bundle holds the old and the new CA, so serving certificates of either verify
 * while replicas and the API server's cached connections move over; an authority leaves the bundle once
 * it has expired.
 */
import { X509Certificate } from 'node:crypto';

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

export function splitPem(bundle: string): string[] {
  return bundle.match(PEM_BLOCK)?.map((pem) => `${pem}\n`) ?? [];
}

/** Joins authorities into a bundle: newest first, duplicates and expired ones dropped. */
export function caBundle(authorities: string[], now = Date.now()): string {
  const seen = new Set<string>();
  const valid = authorities
    .flatMap(splitPem)
    .map((pem) => ({ pem, x509: new X509Certificate(pem) }))
    .filter(({ x509 }) => Date.parse(x509.validTo) > now)
    .filter(({ x509 }) => !seen.has(x509.fingerprint256) && seen.add(x509.fingerprint256))
    .sort((a, b) => Date.parse(b.x509.validFrom) - Date.parse(a.x509.validFrom));
  return valid.map(({ pem }) => pem).join('');
}

/** Milliseconds from `now` until `pem` expires (negative once expired). */
export function remainingValidityMs(pem: string, now = Date.now()): number {
  return Date.parse(new X509Certificate(pem).validTo) - now;
}

/** The fraction of its lifetime a certificate has used (0 at issue, 1 at expiry). */
export function lifetimeUsed(pem: string, now = Date.now()): number {
  const x509 = new X509Certificate(pem);
  const from = Date.parse(x509.validFrom);
  const to = Date.parse(x509.validTo);
  return (now - from) / (to - from);
}

/** True when `certPem` was signed by one of the authorities in `bundle`. */
export function isIssuedByOneOf(certPem: string, bundle: string): boolean {
  const cert = new X509Certificate(certPem);
  return splitPem(bundle).some((ca) => {
    const authority = new X509Certificate(ca);
    return cert.checkIssued(authority) && cert.verify(authority.publicKey);
  });
}

/** True when the certificate names every host in `hosts` (DNS or IP SANs). */
export function coversHosts(certPem: string, hosts: string[]): boolean {
  const x509 = new X509Certificate(certPem);
  return hosts.every((host) =>
    /^[\d.:]+$/.test(host) ? x509.checkIP(host) : x509.checkHost(host, { wildcards: false }),
  );
}
