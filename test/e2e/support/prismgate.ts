/**
 * Runs prismgate in the test process against the e2e control plane, registered exactly as `npm run up`
 * registers it (ExternalName Service → localhost, webhook configurations and APIService with the CA
 * bundle), and deregistered afterwards so later test files start from a clean cluster. It runs as its
 * ServiceAccount, with exactly the RBAC of manifests/deploy/ (global-setup.ts), and answers admission
 * reviews only from kube-apiserver's webhook client certificate.
 */
import { pino } from 'pino';
import type { Feature } from '../../../features/feature.ts';
import { Prismgate, type PrismgateOptions } from '../../../src/prismgate.ts';
import { inject } from 'vitest';
import { WEBHOOK_CLIENT_NAME } from '../../control-plane/cluster-pki.ts';
import { eventually, kubeConfig, pkiFile } from './cluster.ts';

export async function startPrismgate(
  features: Feature[],
  extra: Partial<PrismgateOptions> = {},
): Promise<Prismgate> {
  const prismgate = await Prismgate.start({
    kubeConfig: kubeConfig(inject('prismgateKubeconfig')),
    features,
    log: pino({ level: process.env.PRISMGATE_TEST_LOG ?? 'warn' }),
    host: '127.0.0.1',
    webhookPort: 0,
    apiPort: 0,
    registration: 'local',
    deregisterOnStop: true,
    // Only kube-apiserver, by its webhook client certificate, as `npm run up` configures it.
    webhookClients: { caPem: pkiFile('webhook-client-ca.crt'), names: [WEBHOOK_CLIENT_NAME] },
    ...extra,
  });
  await eventually('prismgate caches to sync', () => prismgate.ready(), 60_000);
  return prismgate;
}
