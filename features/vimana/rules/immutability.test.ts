import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../pkg/kube/types.ts';
import { acme, DOMAIN_ID, review, variant } from '../../../test/support/vimana/fixtures.ts';
import { immutabilityRules } from './immutability.ts';

const update = (object: KubeObject, oldObject: KubeObject) =>
  review(object, { rules: immutabilityRules, operation: 'UPDATE', oldObject }).denials;

describe('immutable fields (I1-I5)', () => {
  it('I1: Domain spec.id', () => {
    expect(update(variant('Domain', { id: 'e'.repeat(32) }), acme('Domain'))).toEqual([
      `spec.id "${'e'.repeat(32)}": is immutable; it was "${DOMAIN_ID}" (rule I1)`,
    ]);
  });

  it('I2: Server spec.id and spec.domain', () => {
    expect(update(variant('Server', { id: 'refunds', domain: 'e'.repeat(32) }), acme('Server'))).toEqual([
      'spec.id "refunds": is immutable; it was "payments" (rule I2)',
      `spec.domain "${'e'.repeat(32)}": is immutable; it was "${DOMAIN_ID}" (rule I2)`,
    ]);
  });

  it('I3: Component spec.domain, spec.server and spec.version', () => {
    expect(update(variant('Component', { version: '1.4.1' }), acme('Component'))).toEqual([
      'spec.version "1.4.1": is immutable; create a new Component; it was "1.4.0" (rule I3)',
    ]);
  });

  it('I4: Component spec.image, strictly', () => {
    const image = `mirror.example.com/${DOMAIN_ID}/payments:1.4.0`;
    expect(update(variant('Component', { image }), acme('Component'))).toEqual([
      `spec.image "${image}": is immutable; create a new version; it was "registry.example.com:5000/3f2a9c1e7b5d40a8912e… (rule I4)`,
    ]);
  });

  it('I5: Domain spec.vimana', () => {
    expect(update(variant('Domain', { vimana: 'core' }), acme('Domain'))).toEqual([
      'spec.vimana "core": is immutable; it was "edge" (rule I5)',
    ]);
  });

  it('I6: everything else may change, and a field never set may be filled in', () => {
    const changed = variant('Domain', {
      aliases: ['new.example.com'],
      regions: [],
      failover: [],
      grpc: {},
      openApi: false,
    });
    expect(update(changed, acme('Domain'))).toEqual([]);
    const server = variant('Server', {
      services: ['x.Y'],
      auth: {},
      features: {},
      versionWeights: { '2.0.0': 1 },
    });
    expect(update(server, acme('Server'))).toEqual([]);
    expect(update(acme('Domain'), variant('Domain', { id: '' }))).toEqual([]);
    expect(update(acme('Server'), { ...acme('Server'), spec: undefined })).toEqual([]);
  });
});
