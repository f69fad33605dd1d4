import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { SharedServices } from '../feature.ts';
import type { ValidatingEndpoint } from '../../webhook/admission-endpoint.ts';
import type { AdmissionRequest } from '../../webhook/admission-review.ts';
import { VimanaFeature } from './feature.ts';
import { acme } from '../../test/support/vimana/fixtures.ts';

describe('VimanaFeature without the Vimana CRDs', () => {
  it('holds nothing up and fails closed, saying why, should a review still arrive', async () => {
    const feature = new VimanaFeature();
    const discovery = { forKind: () => undefined, refresh: async () => {} };
    feature.start({ discovery, log: pino({ level: 'silent' }) } as unknown as SharedServices);
    try {
      expect(feature.ready()).toBe(true);
      const validating = feature
        .admissionEndpoints()
        .find((e): e is ValidatingEndpoint => e.type === 'validating');
      const request = {
        uid: 'u',
        operation: 'CREATE',
        kind: { group: 'api.vimana.host', version: 'v1alpha1', kind: 'Server' },
        object: acme('Server'),
      } as unknown as AdmissionRequest;
      await expect(validating?.validate(request)).rejects.toThrow('the Vimana CRDs were not served');
    } finally {
      await feature.stop();
    }
  });
});
