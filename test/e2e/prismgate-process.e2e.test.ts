/**
 * The prismgate process on the real control plane: registered through an ExternalName Service with its
 * CA bundle, the API server calls its webhooks (dry-run included), and stopping it deregisters them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Prismgate } from '../../src/prismgate.ts';
import { freshNamespace, kubectl, kubectlOk } from './support/cluster.ts';
import { startPrismgate } from './support/prismgate.ts';
import { probeFeature } from './support/probe-feature.ts';

describe('the prismgate process', () => {
  let prismgate: Prismgate;
  let ns: string;

  beforeAll(async () => {
    prismgate = await startPrismgate([probeFeature('probe-')]);
    ns = await freshNamespace('probe');
  });
  afterAll(() => prismgate?.stop());

  it('registers an ExternalName Service to localhost and webhook configurations with its CA bundle', async () => {
    const service = JSON.parse(
      await kubectlOk(['get', 'service', 'prismgate', '-n', 'prismgate-system', '-o', 'json']),
    );
    expect(service.spec).toMatchObject({ type: 'ExternalName', externalName: 'localhost' });
    const config = JSON.parse(
      await kubectlOk(['get', 'validatingwebhookconfiguration', 'prismgate', '-o', 'json']),
    );
    const webhook = config.webhooks[0];
    expect(webhook.clientConfig.caBundle).toBe(Buffer.from(prismgate.caBundle).toString('base64'));
    expect(webhook).toMatchObject({
      failurePolicy: 'Fail',
      sideEffects: 'None',
      admissionReviewVersions: ['v1'],
    });
    expect(JSON.stringify(config)).not.toContain('insecureSkipTLSVerify');
  });

  it('is called by the API server, which relays its denials and warnings', async () => {
    const denied = await kubectl(['create', 'configmap', 'forbidden-one', '-n', ns]);
    expect(denied.code).not.toBe(0);
    expect(denied.stderr).toContain(
      'denied the request: metadata.name "forbidden-one": is forbidden here (rule P1)',
    );
    const allowed = await kubectl(['create', 'configmap', 'fine', '-n', ns]);
    expect(allowed.code).toBe(0);
    expect(allowed.stderr).toContain('Warning: seen by prismgate (dryRun=false)');
  });

  it('gives a server-side dry run the same verdict, without side effects', async () => {
    const denied = await kubectl(['create', 'configmap', 'forbidden-two', '-n', ns, '--dry-run=server']);
    expect(denied.stderr).toContain('is forbidden here (rule P1)');
    const allowed = await kubectl(['create', 'configmap', 'dry', '-n', ns, '--dry-run=server']);
    expect(allowed.stderr).toContain('dryRun=true');
    expect((await kubectl(['get', 'configmap', 'dry', '-n', ns])).code).not.toBe(0);
  });

  it('deregisters on stop, so a stopped prismgate blocks nothing', async () => {
    await prismgate.stop();
    expect((await kubectl(['get', 'validatingwebhookconfiguration', 'prismgate'])).code).not.toBe(0);
    expect((await kubectl(['create', 'configmap', 'forbidden-three', '-n', ns])).code).toBe(0);
  });
});
