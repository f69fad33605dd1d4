import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  DAY_MS,
  createCertificateAuthority,
  issueCertificate,
  issueClientCertificate,
  issueServingCertificate,
} from '../../certs/pki.ts';
import { subjectOf, TrustedCertificates } from './client-certificate.ts';

const day = { validForMs: DAY_MS };
const ca = createCertificateAuthority('front-proxy-ca', day);
const other = createCertificateAuthority('cluster-ca', day);
const x509 = (pem: string) => new X509Certificate(pem);

describe('TrustedCertificates', () => {
  const trusted = new TrustedCertificates(ca.certPem + other.certPem);

  it('verifies a client certificate of a trusted CA, and not one of another CA', () => {
    const client = issueClientCertificate(ca, { name: 'front-proxy-client' }, day);
    expect(trusted.verifies([x509(client.certPem)])).toBe(true);
    const stranger = issueClientCertificate(createCertificateAuthority('stranger', day), { name: 'x' }, day);
    expect(trusted.verifies([x509(stranger.certPem)])).toBe(false);
    expect(new TrustedCertificates(other.certPem).verifies([x509(client.certPem)])).toBe(false);
  });

  it('refuses certificates that are expired, not yet valid or not for client authentication', () => {
    const client = issueClientCertificate(ca, { name: 'x' }, day);
    expect(trusted.verifies([x509(client.certPem)], Date.now() + 2 * DAY_MS)).toBe(false);
    const serving = issueServingCertificate(ca, 'server', ['server'], day);
    expect(trusted.verifies([x509(serving.certPem)])).toBe(false);
  });

  it('follows intermediates the client sends', () => {
    const intermediate = issueCertificate({ issuer: ca, commonName: 'intermediate', isCA: true, ...day });
    const leaf = issueClientCertificate(intermediate, { name: 'leaf' }, day);
    expect(trusted.verifies([x509(leaf.certPem), x509(intermediate.certPem)])).toBe(true);
    expect(trusted.verifies([x509(leaf.certPem)])).toBe(false);
    // A non-CA certificate in the middle breaks the chain.
    const fake = issueClientCertificate(ca, { name: 'not-a-ca' }, day);
    expect(trusted.verifies([x509(leaf.certPem), x509(fake.certPem)])).toBe(false);
  });

  it('reads user name and groups from CN and O', () => {
    const client = issueClientCertificate(
      other,
      { name: 'dev-user', groups: ['prism-developers', 'qa'] },
      day,
    );
    expect(subjectOf(x509(client.certPem))).toEqual({
      commonName: 'dev-user',
      organizations: ['prism-developers', 'qa'],
    });
  });

  it('knows when it trusts nothing', () => {
    expect(new TrustedCertificates('').empty).toBe(true);
    expect(trusted.verifies([])).toBe(false);
  });
});
