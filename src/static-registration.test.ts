import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderStaticRegistration, staticRegistrationObjects } from './static-registration.ts';

describe('manifests/deploy/registration.yaml', () => {
  it('is what the code registers (regenerate with npm run manifests)', () => {
    expect(readFileSync('manifests/deploy/registration.yaml', 'utf8')).toBe(renderStaticRegistration());
  });

  it('never skips TLS verification and fails closed for the invariants', () => {
    const text = JSON.stringify(staticRegistrationObjects());
    expect(text).not.toContain('insecureSkipTLSVerify');
    const validating = staticRegistrationObjects()[0] as {
      webhooks: { name: string; failurePolicy: string; sideEffects: string }[];
    };
    const vimana = validating.webhooks.find((w) => w.name === 'vimana.validate.prismgate.kappnav.io');
    expect(vimana).toMatchObject({ failurePolicy: 'Fail', sideEffects: 'None' });
  });
});
