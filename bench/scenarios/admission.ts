/**
 * The Vimana admission gate's cost: the webhook's own latency for a Component CREATE review at 1 and 32
 * concurrent keep-alive HTTPS connections, and create latency through the API server with the webhooks
 * against without them, side by side in one run.
 *
 * Targets (issue 3): webhook p99 under 5 ms at 32 connections on one core; create latency within 1.5x of
 * no webhooks. Both clients run in processes of their own, so prismgate's process keeps its core and the
 * measurements do not wait on its event loop.
 */
import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { pino } from 'pino';
import { KubeClient } from '../../pkg/kube/kube-client.ts';
import { objectPath } from '../../pkg/kube/resource-type.ts';
import type { KubeObject } from '../../pkg/kube/types.ts';
import { loadKubeConfig, Prismgate } from '../../src/prismgate.ts';
import { OPT_OUT_LABEL } from '../../src/registration.ts';
import { VimanaFeature } from '../../webhook/vimana/feature.ts';
import { VIMANA_RESOURCES } from '../../webhook/vimana/resource-types.ts';
import type { VimanaKind } from '../../webhook/vimana/types.ts';
import type { Scenario } from '../scenario.ts';
import type { CreateTarget } from './admission/create-client.ts';
import { measureCreates } from './admission/create-latency.ts';
import { component, parents } from './admission/fixture.ts';
import { measureWebhook } from './admission/webhook-latency.ts';

const WEBHOOK_P99_TARGET_MS = 5;
const CREATE_RATIO_TARGET = 1.5;
const CRDS = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../manifests/crds');

async function installCrds(kubeconfig: string): Promise<void> {
  const kubectl = (...args: string[]) =>
    promisify(execFile)('kubectl', ['--kubeconfig', kubeconfig, ...args]);
  await kubectl('apply', '--server-side', '-f', CRDS);
  await kubectl('wait', '--for=condition=Established', '--timeout=60s', '-f', CRDS);
}

async function namespaceWithParents(
  client: KubeClient,
  labels: Record<string, string>,
): Promise<CreateTarget> {
  const namespace = `bench-admission-${randomBytes(3).toString('hex')}`;
  await client.request('POST', '/api/v1/namespaces', { body: { metadata: { name: namespace, labels } } });
  const domainId = randomBytes(16).toString('hex');
  for (const object of parents(namespace, domainId)) {
    await client.request(
      'PATCH',
      objectPath(VIMANA_RESOURCES[object.kind as VimanaKind], namespace, object.metadata?.name ?? ''),
      {
        body: object,
        contentType: 'application/apply-patch+yaml',
        query: { fieldManager: 'bench' },
      },
    );
  }
  return { namespace, domainId };
}

/** The review the API server sends for `kubectl apply` of a new Component. */
function componentCreateReview({ namespace, domainId }: CreateTarget): string {
  const object: KubeObject = component(namespace, domainId, '9.9.9');
  return JSON.stringify({
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: randomUUID(),
      kind: { group: 'api.vimana.host', version: 'v1alpha1', kind: 'Component' },
      resource: { group: 'api.vimana.host', version: 'v1alpha1', resource: 'components' },
      requestKind: { group: 'api.vimana.host', version: 'v1alpha1', kind: 'Component' },
      requestResource: { group: 'api.vimana.host', version: 'v1alpha1', resource: 'components' },
      name: object.metadata?.name,
      namespace,
      operation: 'CREATE',
      userInfo: { username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] },
      object,
      oldObject: null,
      dryRun: false,
      options: {
        apiVersion: 'meta.k8s.io/v1',
        kind: 'CreateOptions',
        fieldManager: 'kubectl-client-side-apply',
      },
    },
  });
}

export const scenario: Scenario = {
  name: 'admission',
  description:
    'Vimana webhook latency (Component CREATE review, 1 and 32 connections) and create latency through the API server with vs without the webhooks',
  async run({ controlPlane, progress }) {
    await installCrds(controlPlane.kubeconfig);
    const kubeConfig = loadKubeConfig(controlPlane.kubeconfig);
    const client = new KubeClient(kubeConfig);
    const feature = new VimanaFeature();
    const prismgate = await Prismgate.start({
      kubeConfig,
      features: [feature],
      log: pino({ level: 'warn' }),
      host: '127.0.0.1',
      webhookPort: 0,
      apiPort: 0,
      registration: 'local',
      deregisterOnStop: true,
    });
    try {
      while (!prismgate.ready()) await sleep(100);
      const gated = await namespaceWithParents(client, {});
      const bypassed = await namespaceWithParents(client, { [OPT_OUT_LABEL]: 'true' });
      await sleep(500);
      await feature.whenStatusSettled();

      const job = {
        port: prismgate.webhookPort,
        path: '/validate/vimana',
        caPem: prismgate.caBundle,
        body: componentCreateReview(gated),
      };
      // Other work on the machine shares its two cores with the webhook; the report says how much there was.
      const loadBefore = loadavg()[0];
      progress('webhook latency, 1 connection');
      const oneConnection = await measureWebhook({
        ...job,
        connections: 1,
        requests: 3_000,
        warmup: 300,
        maxMs: 15_000,
      });
      progress('webhook latency, 32 connections');
      const manyConnections = await measureWebhook({
        ...job,
        connections: 32,
        requests: 20_000,
        warmup: 2_000,
        maxMs: 20_000,
      });

      progress('create latency through the API server, with and without the webhooks');
      const creates = await measureCreates({
        kubeconfig: controlPlane.kubeconfig,
        gated,
        bypassed,
        creates: 200,
        warmup: 10,
      });
      return {
        webhook: {
          review: 'Component CREATE, POST /validate/vimana, keep-alive HTTPS over loopback',
          oneConnection,
          thirtyTwoConnections: manyConnections,
          targetP99Ms: WEBHOOK_P99_TARGET_MS,
          meetsTarget: manyConnections.p99Ms < WEBHOOK_P99_TARGET_MS,
        },
        create: {
          request: 'server-side apply of a new Component, one at a time, gated and bypassed alternating',
          ...creates,
          targetRatio: CREATE_RATIO_TARGET,
          meetsTarget: creates.ratioP50 <= CREATE_RATIO_TARGET,
        },
        loadAverage1m: { before: loadBefore, after: loadavg()[0] },
      };
    } finally {
      await prismgate.stop();
      client.close();
    }
  },
};
