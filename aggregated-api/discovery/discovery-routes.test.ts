import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, startFixture, type Fixture } from '../../test/support/aggregated-api/pipeline-fixture.ts';

const V2 = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';
const AGGREGATOR = `${V2},application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json`;

describe('discovery', () => {
  let f: Fixture;
  beforeAll(async () => (f = await startFixture()));
  afterAll(() => f.app.close());
  const get = (url: string, headers: Record<string, string> = {}) =>
    f.app.inject({ url, headers: { ...ADMIN, ...headers } });

  it('answers the availability probe with the APIResourceList', async () => {
    const res = await get('/apis/wardle.example.com/v1alpha1');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      kind: 'APIResourceList',
      apiVersion: 'v1',
      groupVersion: 'wardle.example.com/v1alpha1',
      resources: [
        {
          name: 'widgets',
          singularName: 'widget',
          namespaced: true,
          kind: 'Widget',
          verbs: ['get', 'list', 'watch'],
          shortNames: ['wd'],
          categories: ['prism'],
        },
        { name: 'echoes', singularName: 'echo', namespaced: false, kind: 'Echo', verbs: ['create'] },
      ],
    });
  });

  it('serves aggregated discovery v2 with an ETag, and 304 for the same tag', async () => {
    const res = await get('/apis', { accept: AGGREGATOR });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe(
      'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList',
    );
    expect(res.json()).toMatchObject({
      kind: 'APIGroupDiscoveryList',
      apiVersion: 'apidiscovery.k8s.io/v2',
      items: [
        {
          metadata: { name: 'wardle.example.com' },
          versions: [
            {
              version: 'v1alpha1',
              freshness: 'Current',
              resources: [
                {
                  resource: 'widgets',
                  responseKind: { group: '', version: '', kind: 'Widget' },
                  scope: 'Namespaced',
                  singularResource: 'widget',
                  verbs: ['get', 'list', 'watch'],
                  shortNames: ['wd'],
                  categories: ['prism'],
                },
                { resource: 'echoes', scope: 'Cluster' },
              ],
            },
          ],
        },
      ],
    });
    const etag = res.headers.etag as string;
    expect(etag).toMatch(/^"[0-9A-F]{128}"$/);
    const again = await get('/apis', { accept: AGGREGATOR, 'if-none-match': etag });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    // v2beta1 is no longer served (kube-apiserver 1.37 answers 406 too).
    expect(
      (
        await get('/apis', {
          accept: 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList',
        })
      ).statusCode,
    ).toBe(406);
  });

  it('serves the legacy documents otherwise, never 404', async () => {
    expect((await get('/apis')).json()).toEqual({
      kind: 'APIGroupList',
      apiVersion: 'v1',
      groups: [
        {
          name: 'wardle.example.com',
          versions: [{ groupVersion: 'wardle.example.com/v1alpha1', version: 'v1alpha1' }],
          preferredVersion: { groupVersion: 'wardle.example.com/v1alpha1', version: 'v1alpha1' },
        },
      ],
    });
    expect((await get('/apis/')).statusCode).toBe(200);
    // No protobuf here: 406 (kube-apiserver would answer in protobuf); with JSON also accepted, JSON.
    expect((await get('/apis', { accept: 'application/vnd.kubernetes.protobuf' })).statusCode).toBe(406);
    expect(
      (await get('/apis', { accept: 'application/vnd.kubernetes.protobuf,application/json' })).json().kind,
    ).toBe('APIGroupList');
    expect((await get('/apis/wardle.example.com')).json()).toMatchObject({
      kind: 'APIGroup',
      name: 'wardle.example.com',
    });
    expect((await get('/api')).json()).toEqual({
      kind: 'APIVersions',
      versions: [],
      serverAddressByClientCIDRs: [],
    });
    expect((await get('/api', { accept: V2 })).json()).toMatchObject({
      kind: 'APIGroupDiscoveryList',
      items: [],
    });
  });

  it('answers within milliseconds, without asking anything for the aggregator', async () => {
    const started = performance.now();
    for (let i = 0; i < 100; i++) await get('/apis/wardle.example.com/v1alpha1');
    expect((performance.now() - started) / 100).toBeLessThan(5);
    expect(f.reviews).toEqual([]);
  });
});
