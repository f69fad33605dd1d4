import { describe, expect, it } from 'vitest';
import { tlsSecretName } from '../names.ts';
import {
  ACME,
  acme,
  clusterOf,
  DOMAIN_ID,
  NAMESPACE,
  variant,
  checker,
} from '../../../test/support/vimana/fixtures.ts';
import { referenceRules } from './references.ts';

const check = checker(referenceRules);
const without = (kind: string) => clusterOf(ACME.filter((object) => object.kind !== kind));
const allSecrets = clusterOf(ACME, {
  tlsSecrets: [`${DOMAIN_ID}.app.vimana.host`, 'api.example.com', 'grpc.example.net'].map((hostname) => ({
    namespace: NAMESPACE,
    name: tlsSecretName(hostname),
  })),
});

describe('references to other resources', () => {
  it('R1: a second Vimana in a namespace is denied on CREATE; the one there may be updated', () => {
    const other = { ...acme('Vimana'), metadata: { name: 'other', namespace: NAMESPACE } };
    expect(check(other).denials).toEqual([
      'metadata.name "other": must be the only Vimana in namespace acme, which has edge (rule R1)',
    ]);
    expect(check(acme('Vimana'), clusterOf(ACME), 'UPDATE').denials).toEqual([]);
    expect(check(acme('Vimana'), without('Vimana')).denials).toEqual([]);
  });

  it('R2: a Domain names an existing Vimana of its namespace', () => {
    expect(check(variant('Domain', { vimana: 'missing' }), allSecrets).denials).toEqual([
      'spec.vimana "missing": must name an existing Vimana in namespace acme (rule R2)',
    ]);
    expect(check(acme('Domain'), allSecrets).denials).toEqual([]);
  });

  it('R3: a Server names an existing Domain of its namespace', () => {
    expect(check(variant('Server', { domain: 'f'.repeat(32) })).denials).toEqual([
      `spec.domain "${'f'.repeat(32)}": must be the spec.id of a Domain in namespace acme (rule R3)`,
    ]);
    // A malformed reference is F1's to report, not R3's.
    expect(check(variant('Server', { domain: 'nope' })).denials).toEqual([]);
    expect(check(acme('Server')).denials).toEqual([]);
  });

  it('R4: a Component names an existing Server of its Domain', () => {
    expect(check(variant('Component', { server: 'refunds' })).denials).toEqual([
      `spec.server "refunds": must be the spec.id of a Server of Domain ${DOMAIN_ID} (rule R4)`,
    ]);
    expect(check(acme('Component')).denials).toEqual([]);
  });

  it('R10: disjoint region lists warn, from either side; N5: no subset is required', () => {
    expect(check(variant('Domain', { regions: ['gcp/us-west1'] }), allSecrets)).toEqual({
      denials: [],
      warnings: ['spec.regions ["gcp/us-west1"]: should share a region with Vimana edge (rule R10)'],
    });
    expect(
      check(variant('Vimana', { regions: ['gcp/us-west1'] }), clusterOf(ACME), 'UPDATE').warnings,
    ).toEqual([`spec.regions ["gcp/us-west1"]: should share a region with Domain ${DOMAIN_ID} (rule R10)`]);
    // Overlapping but not a subset, or no regions at all (runs anywhere): fine.
    expect(
      check(variant('Domain', { regions: ['aws/us-east', 'gcp/us-west1'] }), allSecrets).warnings,
    ).toEqual([]);
    expect(check(variant('Domain', { regions: undefined }), allSecrets).warnings).toEqual([]);
  });

  it('R11: weighted versions without a Component warn; unweighted ones and N2 are fine', () => {
    expect(check(acme('Server'), without('Component'))).toEqual({
      denials: [],
      warnings: [
        'spec.versionWeights["1.4.0"] 90: should name an existing Component version, or this share of traffic fails (rule R11)',
        'spec.versionWeights["1.5.0-rc1"] 10: should name an existing Component version, or this share of traffic fails (rule R11)',
      ],
    });
    expect(check(variant('Server', { versionWeights: { '1.4.0': 100, '2.0.0': 0 } })).warnings).toEqual([]);
  });

  it('R12: every hostname of a Domain has its TLS Secret', () => {
    expect(check(variant('Domain', { aliases: ['api.example.com'] })).warnings).toEqual([
      `spec.id "${DOMAIN_ID}": should have a kubernetes.io/tls Secret ${tlsSecretName(`${DOMAIN_ID}.app.vimana.host`)} for its canonical hostname (rule R12)`,
      `spec.aliases[0] "api.example.com": should have a kubernetes.io/tls Secret ${tlsSecretName('api.example.com')} (rule R12)`,
    ]);
    expect(check(acme('Domain'), allSecrets).warnings).toEqual([]);
  });
});
