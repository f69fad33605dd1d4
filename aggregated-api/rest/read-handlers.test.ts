import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN,
  DEVELOPER,
  startFixture,
  widget,
  type Fixture,
} from '../../test/support/aggregated-api/pipeline-fixture.ts';

const ROOT = '/apis/wardle.example.com/v1alpha1';
const TABLE =
  'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

describe('list and get', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await startFixture();
    f.store.replaceAll([
      widget('shop', 'a', 'red', { tier: 'web' }),
      widget('shop', 'b', 'blue', { tier: 'db' }),
      widget('shop', 'c', 'red'),
      widget('prod', 'd', 'red', { tier: 'web' }),
    ]);
  });
  afterAll(() => f.app.close());
  const get = (url: string, headers: Record<string, string> = ADMIN) =>
    f.app.inject({ url: `${ROOT}${url}`, headers });
  const names = (body: { items: { metadata: { namespace: string; name: string } }[] }) =>
    body.items.map((i) => `${i.metadata.namespace}/${i.metadata.name}`);

  it('lists as JSON, in a namespace and across namespaces, with the list resourceVersion', async () => {
    const all = await get('/widgets');
    expect(all.headers['content-type']).toBe('application/json');
    expect(all.json()).toMatchObject({
      apiVersion: 'wardle.example.com/v1alpha1',
      kind: 'WidgetList',
      metadata: { resourceVersion: String(f.clock.current) },
    });
    expect(names(all.json())).toEqual(['prod/d', 'shop/a', 'shop/b', 'shop/c']);
    expect(names((await get('/namespaces/shop/widgets')).json())).toEqual(['shop/a', 'shop/b', 'shop/c']);
  });

  it('prints a Table for kubectl, with -o wide columns and PartialObjectMetadata rows', async () => {
    const res = await get('/namespaces/shop/widgets', { ...ADMIN, accept: TABLE });
    expect(res.headers['content-type']).toBe('application/json');
    const table = res.json();
    expect(
      table.columnDefinitions.map((c: { name: string; priority: number }) => `${c.name}:${c.priority}`),
    ).toEqual(['Name:0', 'Colour:0', 'Age:0', 'Owner:1']);
    expect(table.rows[0].cells.slice(0, 2)).toEqual(['a', 'red']);
    expect(table.rows[0].object).toMatchObject({
      kind: 'PartialObjectMetadata',
      apiVersion: 'meta.k8s.io/v1',
      metadata: { name: 'a', labels: { tier: 'web' } },
    });
    const single = (
      await get('/namespaces/shop/widgets/b?includeObject=Object', { ...ADMIN, accept: TABLE })
    ).json();
    expect(single.rows).toHaveLength(1);
    expect(single.rows[0].object.spec.colour).toBe('blue');
  });

  it('serves YAML and PartialObjectMetadataList', async () => {
    const yaml = await get('/namespaces/shop/widgets/a', { ...ADMIN, accept: 'application/yaml' });
    expect(yaml.headers['content-type']).toBe('application/yaml');
    expect(parse(yaml.body)).toMatchObject({ kind: 'Widget', spec: { colour: 'red' } });
    const metadata = await get('/widgets', {
      ...ADMIN,
      accept: 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1',
    });
    // kube-apiserver answers a conversion with the serializer's own type.
    expect(metadata.headers['content-type']).toBe('application/json');
    expect(metadata.json().items[0]).toEqual({
      kind: 'PartialObjectMetadata',
      apiVersion: 'meta.k8s.io/v1',
      metadata: expect.objectContaining({ name: 'd' }),
    });
  });

  it('selects by label and by field', async () => {
    expect(names((await get('/widgets?labelSelector=tier%3Dweb')).json())).toEqual(['prod/d', 'shop/a']);
    expect(names((await get('/widgets?labelSelector=!tier')).json())).toEqual(['shop/c']);
    expect(
      names((await get('/widgets?fieldSelector=spec.colour%3Dred,metadata.namespace%3Dshop')).json()),
    ).toEqual(['shop/a', 'shop/c']);
    expect(names((await get('/widgets?fieldSelector=metadata.name!%3Da')).json())).toEqual([
      'prod/d',
      'shop/b',
      'shop/c',
    ]);
  });

  it('answers malformed selectors with 400 naming the reason', async () => {
    const label = await get('/widgets?labelSelector=tier%20in%20(web');
    expect(label.statusCode).toBe(400);
    expect(label.json().message).toBe("unable to parse requirement: found '', expected: ',' or ')'");
    expect((await get('/widgets?fieldSelector=spec.size%3D1')).json()).toMatchObject({
      code: 400,
      message: 'field label not supported: spec.size',
    });
    expect((await get('/widgets?limit=-x')).statusCode).toBe(400);
    expect((await get('/widgets?resourceVersion=latest')).statusCode).toBe(400);
    expect((await get('/widgets?continue=garbage')).json().message).toContain('continue key is not valid');
  });

  it('pages with limit and continue through one snapshot, even when objects change meanwhile', async () => {
    const first = (await get('/widgets?limit=2')).json();
    expect(names(first)).toEqual(['prod/d', 'shop/a']);
    // kube-apiserver's token shape (storage/continue.go): the format's version, the snapshot, the last key.
    expect(JSON.parse(Buffer.from(first.metadata.continue, 'base64url').toString())).toEqual({
      v: 'meta.k8s.io/v1',
      rv: Number(first.metadata.resourceVersion),
      start: 'shop/a\u0000',
    });
    f.store.replaceAll([
      widget('shop', 'a', 'red'),
      widget('shop', 'b', 'blue'),
      widget('shop', 'c', 'red'),
      widget('prod', 'd', 'red'),
      widget('shop', 'aa', 'x'),
    ]);
    const second = (await get(`/widgets?limit=2&continue=${first.metadata.continue}`)).json();
    expect(names(second)).toEqual(['shop/b', 'shop/c']);
    expect(second.metadata.continue).toBeUndefined();
    expect(second.metadata.resourceVersion).toBe(first.metadata.resourceVersion);
    const filtered = (await get('/widgets?limit=1&labelSelector=tier%3Dweb')).json();
    expect(filtered.items).toHaveLength(0);
  });

  it('answers 410 for a continue token whose state is gone, with a token to carry on at the latest', async () => {
    const token = Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: 1, start: 'shop/a\u0000' })).toString(
      'base64url',
    );
    const res = await get(`/widgets?continue=${token}`);
    expect(res.statusCode).toBe(410);
    expect(res.json()).toMatchObject({ reason: 'Expired', metadata: { continue: expect.any(String) } });
    const carryOn = (await get(`/widgets?continue=${res.json().metadata.continue}`)).json();
    expect(names(carryOn)).toEqual(['shop/aa', 'shop/b', 'shop/c']);
    expect((await get('/widgets?continue=bad!')).json().message).toBe(
      'invalid continue token: continue key is not valid: illegal base64 data at input byte 3',
    );
  });

  it('honours resourceVersion: not older than, exact (while the log reaches back), and not reached yet', async () => {
    const current = f.clock.current;
    expect((await get(`/widgets?resourceVersion=${current}`)).statusCode).toBe(200);
    expect((await get(`/widgets?resourceVersion=${current}&resourceVersionMatch=Exact`)).statusCode).toBe(
      200,
    );
    expect((await get(`/widgets?resourceVersion=1&resourceVersionMatch=Exact`)).json()).toMatchObject({
      code: 410,
      reason: 'Expired',
      message: 'The resourceVersion for the provided list is too old.',
    });
    expect((await get('/widgets?resourceVersion=x')).json()).toMatchObject({
      code: 400,
      message:
        'invalid resource version: resourceVersion: Invalid value: "x": strconv.ParseUint: parsing "x": invalid syntax',
    });
    const future = await get(`/widgets?resourceVersion=${current + 100}`);
    expect(future.json()).toMatchObject({
      code: 504,
      reason: 'Timeout',
      message: `Timeout: Too large resource version: ${current + 100}, current: ${current}`,
      details: { causes: [{ reason: 'ResourceVersionTooLarge' }] },
    });
  });

  it('gets one object, 404 when absent', async () => {
    expect((await get('/namespaces/shop/widgets/b')).json()).toMatchObject({
      kind: 'Widget',
      metadata: { name: 'b' },
    });
    const missing = await get('/namespaces/shop/widgets/zz');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({
      reason: 'NotFound',
      message: 'widgets.wardle.example.com "zz" not found',
      details: { name: 'zz', kind: 'widgets' },
    });
    expect((await get('/namespaces/other/widgets/b')).statusCode).toBe(404);
  });

  it('shows users only what they may read of the underlying resources', async () => {
    f.allow = (_user, attributes) =>
      !('resource' in attributes) ||
      attributes.resource.resource !== 'things' ||
      attributes.resource.namespace === 'prod';
    expect(names((await get('/widgets', DEVELOPER)).json())).toEqual(['prod/d']);
    const denied = await get('/namespaces/shop/widgets/a', DEVELOPER);
    expect(denied.statusCode).toBe(403);
    expect(denied.json().message).toBe(
      'widgets.wardle.example.com "a" is forbidden: User "dev" cannot list resource "things" in API group "example.io" in the namespace "shop": no RBAC policy matched',
    );
    f.allow = () => true;
  });

  it('flags answers from stale caches with a Warning', async () => {
    f.stale = ['things have not been refreshed for 200s; the answer may be out of date'];
    expect((await get('/widgets')).headers.warning).toEqual([
      '299 - "things have not been refreshed for 200s; the answer may be out of date"',
    ]);
    f.stale = [];
  });
});
