import { describe, expect, it } from 'vitest';
import { acme, DOMAIN_ID, variant, checker } from '../../../test/support/vimana/fixtures.ts';
import { consistencyRules } from './consistency.ts';

const check = checker(consistencyRules);

describe('rules within one object', () => {
  it('X1: the image carries the Component identity', () => {
    const image = `registry.example.com/${DOMAIN_ID}/payments:1.5.0`;
    expect(check(variant('Component', { image })).denials).toEqual([
      `spec.image "${image}": version "1.5.0" must equal spec.version "1.4.0" (rule X1)`,
    ]);
    const other = `registry.example.com/${'f'.repeat(32)}/refunds:1.4.0`;
    expect(check(variant('Component', { image: other })).denials).toEqual([
      `spec.image "${other}": domain "${'f'.repeat(32)}" must equal spec.domain "${DOMAIN_ID}" (rule X1)`,
      `spec.image "${other}": server "refunds" must equal spec.server "payments" (rule X1)`,
    ]);
    // A malformed image is F4's alone.
    expect(check(variant('Component', { image: 'gcr.io/some/image:latest' })).denials).toEqual([]);
    expect(check(acme('Component', 'payments-1-5-0-rc1')).denials).toEqual([]);
  });

  it('X4: no repeated alias or service (deny), nor region, failover or JWKS (warn)', () => {
    expect(check(variant('Domain', { aliases: ['api.example.com', 'api.example.com'] })).denials).toEqual([
      'spec.aliases[1] "api.example.com": must not repeat spec.aliases[0] (rule X4)',
    ]);
    expect(check(variant('Server', { services: ['a.B', 'c.D', 'a.B'] })).denials).toEqual([
      'spec.services[2] "a.B": must not repeat spec.services[0] (rule X4)',
    ]);
    expect(check(variant('Domain', { regions: ['aws/us-east', 'aws/us-east'] }))).toEqual({
      denials: [],
      warnings: ['spec.regions[1] "aws/us-east": must not repeat spec.regions[0] (rule X4)'],
    });
  });

  it('X5: versionWeights keys are versions', () => {
    expect(check(variant('Server', { versionWeights: { v1: 100 } })).denials).toEqual([
      'spec.versionWeights["v1"] "v1": key must be MAJOR.MINOR.PATCH with an optional undotted pre-release, no build metadata (rule X5)',
    ]);
    expect(check(variant('Server', { versionWeights: { '1.0.0': 0, '1.1.0': 5 } })).denials).toEqual([]);
  });

  it('X6: weights need no sum (N1), but all zero warns', () => {
    for (const versionWeights of [
      { '1.0.0': 1 },
      { '1.0.0': 80, '2.0.0': 20 },
      { '1.0.0': 500, '2.0.0': 1 },
      { '1.0.0': 7 },
    ])
      expect(check(variant('Server', { versionWeights }))).toEqual({ denials: [], warnings: [] });
    expect(check(variant('Server', { versionWeights: { '1.0.0': 0, '1.1.0': 0 } })).warnings).toEqual([
      'spec.versionWeights {"1.0.0":0,"1.1.0":0}: should give some version a weight above 0 (rule X6)',
    ]);
  });

  it('X7: services must not be empty (deny); versionWeights should not be (warn)', () => {
    expect(check(variant('Server', { services: [] })).denials).toEqual([
      "spec.services []: must list at least one service, or the Server captures all of the Domain's traffic (rule X7)",
    ]);
    expect(check(variant('Server', { services: undefined })).denials).toHaveLength(1);
    expect(check(variant('Server', { versionWeights: undefined })).warnings).toEqual([
      'spec.versionWeights (absent): should weight at least one version, or requests to its services fail (rule X7)',
    ]);
    expect(check(variant('Server', { services: ['a.B'] }))).toEqual({ denials: [], warnings: [] });
  });

  it('A1: a Domain not named after its id warns (N4: never denies)', () => {
    const renamed = { ...acme('Domain'), metadata: { name: 'foo-domain', namespace: 'acme' } };
    expect(check(renamed)).toEqual({
      denials: [],
      warnings: [
        `metadata.name "foo-domain": should equal spec.id "${DOMAIN_ID}", the name the operator looks up (rule A1)`,
      ],
    });
    expect(check(acme('Domain')).warnings).toEqual([]);
  });

  it('N3: Server and Component names need not equal their id or version', () => {
    expect(check(variant('Server', {}, 'test-server-1')).denials).toEqual([]);
    expect(check(variant('Component', {}, 'baz-component')).denials).toEqual([]);
  });
});
