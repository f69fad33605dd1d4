import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, startFixture, type Fixture } from '../../test/support/prism/pipeline-fixture.ts';
import { unknownFields } from './unknown-fields.ts';
import { OpenApiDocuments } from './openapi-documents.ts';
import { PRISM } from '../../features/kappnav/prism/api-group.ts';
import { WIDGETS } from '../../test/support/prism/pipeline-fixture.ts';

describe('OpenAPI', () => {
  let f: Fixture;
  beforeAll(async () => (f = await startFixture()));
  afterAll(() => f.app.close());
  const get = (url: string, headers: Record<string, string> = {}) =>
    f.app.inject({ url, headers: { ...ADMIN, ...headers } });

  it('serves v2 with every kind, its list and the group-version-kind extension', async () => {
    const res = await get('/openapi/v2');
    const doc = res.json();
    expect(doc.swagger).toBe('2.0');
    expect(doc.definitions['io.kappnav.prism.v1.Widget']).toMatchObject({
      type: 'object',
      description: 'A test resource.',
      'x-kubernetes-group-version-kind': [{ group: 'prism.kappnav.io', version: 'v1', kind: 'Widget' }],
      properties: { metadata: { $ref: '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' } },
    });
    expect(doc.definitions['io.kappnav.prism.v1.WidgetList'].properties.items.items.$ref).toBe(
      '#/definitions/io.kappnav.prism.v1.Widget',
    );
    expect(doc.paths['/apis/prism.kappnav.io/v1/namespaces/{namespace}/widgets'].get).toMatchObject({
      operationId: 'listPrismKappnavIoV1NamespacedWidget',
      'x-kubernetes-action': 'list',
    });
    expect(doc.paths['/apis/prism.kappnav.io/v1/widgets'].get.operationId).toBe(
      'listPrismKappnavIoV1WidgetForAllNamespaces',
    );
    expect(
      doc.paths['/apis/prism.kappnav.io/v1/echoes'].post.parameters.map((p: { name: string }) => p.name),
    ).toContain('fieldValidation');
    expect((await get('/openapi/v2', { 'if-none-match': res.headers.etag as string })).statusCode).toBe(304);
  });

  it('serves v3 by content hash: an index, immutable documents, redirects from old hashes', async () => {
    const index = (await get('/openapi/v3')).json();
    const url = index.paths['apis/prism.kappnav.io/v1'].serverRelativeURL as string;
    expect(url).toMatch(/^\/openapi\/v3\/apis\/prism\.kappnav\.io\/v1\?hash=[0-9A-F]{128}$/);
    const doc = await get(url);
    expect(doc.headers['cache-control']).toBe('public, immutable');
    expect(Date.parse(doc.headers.expires as string)).toBeGreaterThan(Date.now() + 300 * 24 * 3600 * 1000);
    const v3 = doc.json();
    expect(v3.openapi).toBe('3.0.0');
    expect(v3.components.schemas['io.kappnav.prism.v1.Widget']['x-kubernetes-group-version-kind']).toEqual([
      { group: 'prism.kappnav.io', version: 'v1', kind: 'Widget' },
    ]);
    expect(v3.components.schemas['io.kappnav.prism.v1.Widget'].properties.metadata).toEqual({
      description: 'Standard object metadata.',
      allOf: [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' }],
    });
    const stale = await get('/openapi/v3/apis/prism.kappnav.io/v1?hash=OLD');
    expect(stale.statusCode).toBe(301);
    expect(stale.headers.location).toBe(url);
    expect((await get('/openapi/v3/apis/prism.kappnav.io/v1')).headers['cache-control']).toBe(
      'no-cache, private',
    );
  });

  it('finds the fields a schema does not declare', () => {
    const all = new OpenApiDocuments(PRISM, [WIDGETS]).schemas;
    const widget = all['io.kappnav.prism.v1.Widget']!;
    expect(
      unknownFields(
        widget,
        { metadata: { name: 'a', nmae: 'b' }, spec: { colour: 'red', size: 1 }, extra: [] },
        all,
      ),
    ).toEqual(['metadata.nmae', 'spec.size', 'extra']);
    expect(unknownFields(widget, { metadata: { labels: { any: 'thing' } } }, all)).toEqual([]);
  });
});
