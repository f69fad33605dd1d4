import { pino } from 'pino';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { CacheSet } from '../../pkg/kube/cache-set.ts';
import type { SharedServices } from '../feature.ts';
import type { ValidatingEndpoint } from '../../webhook/admission-endpoint.ts';
import type { AdmissionRequest } from '../../webhook/admission-review.ts';
import { VimanaFeature } from './feature.ts';
import { acme } from '../../test/support/vimana/fixtures.ts';

/** Caches of a cluster without any CRD: every watch lists nothing. */
function emptyCaches(): { caches: CacheSet; scopes: unknown[] } {
  const scopes: unknown[] = [];
  const cache = { onEvent: () => () => {}, synced: Promise.resolve(), hasSynced: true, get: () => undefined };
  const caches = {
    get: (_type: unknown, scope: unknown) => {
      scopes.push(scope);
      return cache;
    },
  } as unknown as CacheSet;
  return { caches, scopes };
}

describe('VimanaFeature without the Vimana CRDs', () => {
  it('holds nothing up, follows each CRD it needs by name, and fails closed, saying why', async () => {
    const feature = new VimanaFeature();
    const { caches, scopes } = emptyCaches();
    feature.start({
      caches,
      log: pino({ level: 'silent' }),
      registry: new Registry(),
    } as unknown as SharedServices);
    try {
      expect(feature.ready()).toBe(true);
      expect(scopes).toEqual(
        [
          'vimanas.api.vimana.host',
          'domains.api.vimana.host',
          'servers.api.vimana.host',
          'components.api.vimana.host',
          'gateways.gateway.networking.k8s.io',
          'grpcroutes.gateway.networking.k8s.io',
        ].map((name) => ({ fieldSelector: `metadata.name=${name}` })),
      );
      const validating = feature
        .admissionEndpoints()
        .find((e): e is ValidatingEndpoint => e.type === 'validating');
      const request = {
        uid: 'u',
        operation: 'CREATE',
        kind: { group: 'api.vimana.host', version: 'v1alpha1', kind: 'Server' },
        object: acme('Server'),
      } as unknown as AdmissionRequest;
      await expect(validating?.validate(request)).rejects.toThrow('the Vimana CRDs were not installed');
    } finally {
      await feature.stop();
    }
  });
});
