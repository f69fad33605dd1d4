/**
 * The prism API's wire protocol as kube-apiserver's aggregator and API clients see it, through
 * kube-apiserver: aggregated discovery (freshness Current), the aggregated OpenAPI document, paginated
 * lists, watch resumption with 410 Expired, bookmarks, PartialObjectMetadata for metadata clients,
 * server-side dry runs, and the server's own metrics.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { stringify } from 'yaml';
import { KubeClient } from '../../pkg/kube/kube-client.ts';
import { eventually, freshNamespace, kubeConfig, kubectl, kubectlOk } from './support/cluster.ts';
import { stockTrader } from './support/prism-fixtures.ts';
import {
  clientCertificateOf,
  requestDirectly,
  startPrismApi,
  storedStatusValue,
  type RunningPrismApi,
} from './support/prism-api.ts';

const ROOT = '/apis/prism.kappnav.io/v1';

interface DiscoveryGroup {
  metadata: { name: string };
  versions: {
    version: string;
    freshness?: string;
    resources: { resource: string; categories?: string[] }[];
  }[];
}

/** Collects watch events until `enough` holds or the server ends the watch. */
async function watchEvents(
  client: KubeClient,
  query: Record<string, string | number | boolean>,
  enough: (
    events: {
      type: string;
      object: { code?: number; metadata?: { annotations?: Record<string, string> } };
    }[],
  ) => boolean,
) {
  const events: { type: string; object: { code?: number } }[] = [];
  const abort = new AbortController();
  await client.stream(
    `${ROOT}/prismapplications`,
    { watch: 1, ...query },
    (line) => {
      events.push(line as (typeof events)[number]);
      if (enough(events)) abort.abort();
    },
    abort.signal,
  );
  return events;
}

describe('the prism API protocol through kube-apiserver', () => {
  let api: RunningPrismApi;
  let client: KubeClient;
  let shop: string;

  beforeAll(async () => {
    api = await startPrismApi({ watch: { bookmarkIntervalMs: 300 } });
    client = new KubeClient(kubeConfig());
    shop = await freshNamespace('shop');
    const other = await freshNamespace('other');
    await kubectlOk(['apply', '-f', '-'], { input: stockTrader(shop, other) });
    await eventually(
      'the components to be served',
      async () =>
        (await kubectlOk(['get', 'pcomp', '-n', shop, '-o', 'name'])).trim().split('\n').length === 5,
    );
  });
  afterAll(async () => {
    client?.close();
    await api?.stop();
  });

  it('is in the aggregated discovery of kube-apiserver, fresh', async () => {
    const list = await client.request<{ items: DiscoveryGroup[] }>('GET', '/apis', {
      headers: { accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList' },
    });
    const group = list.items.find((g) => g.metadata.name === 'prism.kappnav.io');
    expect(group?.versions[0]).toMatchObject({ version: 'v1', freshness: 'Current' });
    expect(group?.versions[0]?.resources.find((r) => r.resource === 'prismapplications')?.categories).toEqual(
      ['prism'],
    );
  });

  it("is merged into the cluster's OpenAPI v2 document", async () => {
    await eventually(
      'the aggregated OpenAPI v2 to carry the prism kinds',
      async () => {
        const doc = await client.request<{
          definitions: Record<string, { 'x-kubernetes-group-version-kind'?: unknown }>;
        }>('GET', '/openapi/v2');
        return (
          doc.definitions['io.kappnav.prism.v1.PrismApplication']?.['x-kubernetes-group-version-kind'] !==
          undefined
        );
      },
      90_000,
      2000,
    );
  });

  it('pages lists with limit and continue (kubectl --chunk-size)', async () => {
    const out = await kubectlOk(['get', 'pcomp', '-n', shop, '--chunk-size=2', '-o', 'name']);
    expect(out.trim().split('\n')).toHaveLength(5);
    const page = await client.request<{ items: unknown[]; metadata: { continue?: string } }>(
      'GET',
      `${ROOT}/namespaces/${shop}/prismcomponents`,
      { query: { limit: 2 } },
    );
    expect(page.items).toHaveLength(2);
    const rest = await client.request<{ items: unknown[]; metadata: { continue?: string } }>(
      'GET',
      `${ROOT}/namespaces/${shop}/prismcomponents`,
      {
        query: { limit: 10, continue: page.metadata.continue },
      },
    );
    expect(rest.items).toHaveLength(3);
    expect(rest.metadata.continue).toBeUndefined();
  });

  it('answers a watch from an expired resourceVersion with a 410 ERROR event', async () => {
    const events = await watchEvents(client, { resourceVersion: '1' }, (e) => e.length > 0);
    expect(events[0]).toMatchObject({
      type: 'ERROR',
      object: { kind: 'Status', code: 410, reason: 'Expired' },
    });
  });

  it("resumes a watch from a list's resourceVersion and sends bookmarks", async () => {
    const list = await client.request<{ metadata: { resourceVersion: string } }>(
      'GET',
      `${ROOT}/prismapplications`,
    );
    const events = await watchEvents(
      client,
      { resourceVersion: list.metadata.resourceVersion, allowWatchBookmarks: true, timeoutSeconds: 5 },
      (e) => e.some((event) => event.type === 'BOOKMARK'),
    );
    expect(events.find((e) => e.type === 'BOOKMARK')).toBeTruthy();
    const initial = await watchEvents(
      client,
      {
        sendInitialEvents: true,
        resourceVersionMatch: 'NotOlderThan',
        allowWatchBookmarks: true,
        timeoutSeconds: 5,
      },
      (e) => e.some((event) => event.object.metadata?.annotations?.['k8s.io/initial-events-end'] === 'true'),
    );
    expect(initial.filter((e) => e.type === 'ADDED').length).toBeGreaterThanOrEqual(2);
  });

  it('serves PartialObjectMetadataList to metadata clients', async () => {
    const list = await client.request<{
      kind: string;
      items: { kind: string; metadata: { name: string } }[];
    }>('GET', `${ROOT}/namespaces/${shop}/prismapplications`, {
      headers: {
        accept: 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json',
      },
    });
    expect(list.kind).toBe('PartialObjectMetadataList');
    expect(list.items.map((i) => i.metadata.name).sort()).toEqual(['bundle', 'stock-trader']);
  });

  it('computes without storing on a server-side dry run', async () => {
    const out = await kubectlOk(['create', '--dry-run=server', '-o', 'json', '-f', '-'], {
      input: {
        apiVersion: 'prism.kappnav.io/v1',
        kind: 'LifecycleEvent',
        metadata: { name: 'dry' },
        spec: { type: 'Updated', resource: { kind: 'Service', namespace: shop, name: 'trader' } },
      },
    });
    expect(JSON.parse(out).status.statuses[0]).toMatchObject({
      kind: 'Service',
      value: 'Normal',
      stored: false,
    });
    expect(await storedStatusValue('svc', shop, 'trader')).toBe('');
  });

  it('authenticates client certificates across a rotation of the serving certificate', async () => {
    // A direct Go client (kubectl) with a certificate of the cluster's client CA, before and after rotation.
    const developer = kubeConfig(inject('developerKubeconfig')).getCurrentUser()!;
    const direct = path.join(inject('controlPlaneDir'), 'prism-direct.kubeconfig');
    writeFileSync(
      direct,
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        'current-context': 'direct',
        clusters: [
          {
            name: 'prism',
            cluster: {
              server: `https://127.0.0.1:${api.port}`,
              'certificate-authority-data': Buffer.from(api.caPem).toString('base64'),
              'tls-server-name': 'localhost',
            },
          },
        ],
        users: [
          {
            name: 'dev',
            user: { 'client-certificate-data': developer.certData, 'client-key-data': developer.keyData },
          },
        ],
        contexts: [{ name: 'direct', context: { cluster: 'prism', user: 'dev' } }],
      }),
    );
    const asDeveloper = () => kubectl(['get', '--raw', ROOT], { kubeconfig: direct });
    expect((await asDeveloper()).code).toBe(0);
    api.rotateServingCertificate();
    const after = await asDeveloper();
    expect(after.stderr).toBe('');
    expect(JSON.parse(after.stdout).kind).toBe('APIResourceList');
  });

  it('exports latency histograms by resource and verb', async () => {
    const metrics = await requestDirectly(api, '/metrics', { certificate: clientCertificateOf() });
    expect(metrics.status).toBe(200);
    expect(metrics.body).toMatch(
      /prismgate_api_request_duration_seconds_count\{verb="list",resource="prismcomponents"\} [1-9]/,
    );
    expect(metrics.body).toMatch(
      /prismgate_api_request_duration_seconds_count\{verb="get",resource="discovery"\} [1-9]/,
    );
  });
});
