import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  caBundle,
  coversHosts,
  isIssuedByOneOf,
  lifetimeUsed,
  remainingValidityMs,
  splitPem,
} from './ca-bundle.ts';
import { DAY_MS, createCertificateAuthority, issueServingCertificate } from './pki.ts';

const oldCa = createCertificateAuthority('old-ca', { validForMs: DAY_MS });
const newCa = createCertificateAuthority('new-ca', { validForMs: 2 * DAY_MS });

describe('caBundle', () => {
  it('keeps both CAs during a rollover, newest first, without duplicates', () => {
    const bundle = caBundle([newCa.certPem, `${oldCa.certPem}${newCa.certPem}`]);
    expect(splitPem(bundle)).toHaveLength(2);
    expect(new X509Certificate(splitPem(bundle)[0]!).subject).toBe('CN=new-ca');
  });

  it('drops authorities that have expired', () => {
    const later = Date.now() + 1.5 * DAY_MS;
    expect(splitPem(caBundle([newCa.certPem, oldCa.certPem], later))).toHaveLength(1);
  });
});

describe('certificate checks', () => {
  const serving = issueServingCertificate(
    oldCa,
    'svc',
    ['prismgate.prismgate-system.svc', 'localhost', '127.0.0.1', '::1'],
    {
      validForMs: DAY_MS,
    },
  );

  it('verifies issuance against any CA of a bundle', () => {
    expect(isIssuedByOneOf(serving.certPem, caBundle([newCa.certPem, oldCa.certPem]))).toBe(true);
    expect(isIssuedByOneOf(serving.certPem, newCa.certPem)).toBe(false);
  });

  it('checks DNS and IP names', () => {
    expect(coversHosts(serving.certPem, ['prismgate.prismgate-system.svc', '127.0.0.1', '::1'])).toBe(true);
    expect(coversHosts(serving.certPem, ['prismgate.other.svc'])).toBe(false);
  });

  it('measures remaining validity and lifetime used', () => {
    expect(remainingValidityMs(serving.certPem)).toBeGreaterThan(DAY_MS - 60_000);
    expect(lifetimeUsed(serving.certPem)).toBeLessThan(0.01);
    expect(lifetimeUsed(serving.certPem, Date.now() + DAY_MS)).toBeGreaterThan(0.99);
  });
});
