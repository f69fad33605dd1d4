import { parse } from 'yaml';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN,
  DEVELOPER,
  startFixture,
  widget,
  type Fixture,
} from '../test/support/aggregated-api/pipeline-fixture.ts';

describe('the request pipeline', () => {
  let f: Fixture;
  beforeAll(async () => (f = await startFixture()));
  afterAll(() => f.app.close());

  it('judges requests without credentials as system:anonymous, and answers bad credentials 401', async () => {
    f.allow = (user) => user.name !== 'system:anonymous';
    for (const url of ['/apis', '/apis/wardle.example.com/v1alpha1', '/openapi/v2', '/metrics', '/nowhere']) {
      const res = await f.app.inject({ url });
      expect(res.statusCode, url).toBe(403);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.json()).toEqual({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: `forbidden: User "system:anonymous" cannot get path "${url}": no RBAC policy matched`,
        reason: 'Forbidden',
        details: {},
        code: 403,
      });
    }
    expect((await f.app.inject({ url: '/apis/wardle.example.com/v1alpha1/widgets' })).json().message).toBe(
      'widgets.wardle.example.com is forbidden: User "system:anonymous" cannot list resource "widgets" in API group "wardle.example.com" at the cluster scope: no RBAC policy matched',
    );
    // The health endpoints are always allowed; their checks are not.
    expect((await f.app.inject({ url: '/readyz' })).statusCode).toBe(200);
    expect((await f.app.inject({ url: '/readyz/ping' })).statusCode).toBe(403);
    const badToken = await f.app.inject({ url: '/apis', headers: { authorization: 'Bearer nobody' } });
    expect(badToken.statusCode).toBe(401);
    expect(badToken.json()).toMatchObject({ reason: 'Unauthorized', message: 'Unauthorized' });
    f.allow = () => true;
  });

  it('authorizes the request itself for the user: resource and non-resource attributes', async () => {
    f.reviews.length = 0;
    await f.app.inject({
      url: '/apis/wardle.example.com/v1alpha1/namespaces/shop/widgets/a?fieldSelector=x%3Dy',
      headers: DEVELOPER,
    });
    await f.app.inject({
      url: '/apis/wardle.example.com/v1alpha1/widgets?watch=1&timeoutSeconds=1',
      headers: DEVELOPER,
    });
    await f.app.inject({ url: '/openapi/v2', headers: DEVELOPER });
    expect(f.reviews.slice(0, 3)).toEqual([
      {
        resource: {
          verb: 'get',
          group: 'wardle.example.com',
          version: 'v1alpha1',
          resource: 'widgets',
          subresource: '',
          namespace: 'shop',
          name: 'a',
        },
      },
      {
        resource: {
          verb: 'watch',
          group: 'wardle.example.com',
          version: 'v1alpha1',
          resource: 'widgets',
          subresource: '',
          namespace: '',
          name: '',
        },
      },
      { nonResource: { verb: 'get', path: '/openapi/v2' } },
    ]);
  });

  it("answers 403 in kube-apiserver's words", async () => {
    f.allow = (_user, attributes) =>
      !('resource' in attributes && attributes.resource.resource === 'widgets');
    const res = await f.app.inject({
      url: '/apis/wardle.example.com/v1alpha1/namespaces/shop/widgets',
      headers: DEVELOPER,
    });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({
      reason: 'Forbidden',
      code: 403,
      message:
        'widgets.wardle.example.com is forbidden: User "dev" cannot list resource "widgets" in API group "wardle.example.com" in the namespace "shop": no RBAC policy matched',
      details: { group: 'wardle.example.com', kind: 'widgets' },
    });
    f.allow = () => false;
    expect((await f.app.inject({ url: '/apis', headers: DEVELOPER })).json().message).toBe(
      'forbidden: User "dev" cannot get path "/apis": no RBAC policy matched',
    );
    f.allow = () => true;
  });

  it('answers unknown paths and resources with 404 and unsupported verbs with 405', async () => {
    const unknown = await f.app.inject({ url: '/apis/wardle.example.com/v1alpha1/gadgets', headers: ADMIN });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({
      reason: 'NotFound',
      message: 'the server could not find the requested resource',
    });
    expect(
      (
        await f.app.inject({
          url: '/apis/wardle.example.com/v1alpha1/namespaces/a/widgets/b/status',
          headers: ADMIN,
        })
      ).statusCode,
    ).toBe(404);
    // The router's 405, whatever the body's type (a merge patch is not a 415).
    for (const [method, type] of [
      ['POST', 'application/json'],
      ['PUT', 'application/json'],
      ['PATCH', 'application/merge-patch+json'],
      ['DELETE', 'application/json'],
    ] as const) {
      const res = await f.app.inject({
        method,
        url: '/apis/wardle.example.com/v1alpha1/namespaces/a/widgets/b',
        headers: { ...ADMIN, 'content-type': type },
        payload: '{}',
      });
      expect(res.statusCode, method).toBe(405);
      expect(res.json()).toMatchObject({
        reason: 'MethodNotAllowed',
        message: 'the server does not allow this method on the requested resource',
        details: {},
      });
    }
    const deleteCollection = await f.app.inject({
      method: 'DELETE',
      url: '/apis/wardle.example.com/v1alpha1/namespaces/a/widgets',
      headers: ADMIN,
    });
    expect(deleteCollection.json().message).toBe(
      'the server does not allow this method on the requested resource',
    );
  });

  it('records latency by resource and verb, with unknown resources folded together', async () => {
    await f.app.inject({ url: '/apis/wardle.example.com/v1alpha1/whatever-1', headers: ADMIN });
    await f.app.inject({ url: '/apis/wardle.example.com/v1alpha1/namespaces/a/widgets', headers: ADMIN });
    const metrics = (await f.app.inject({ url: '/metrics', headers: ADMIN })).body;
    expect(metrics).toMatch(
      /prismgate_api_request_duration_seconds_bucket\{le="[^"]+",verb="list",resource="widgets"\}/,
    );
    expect(metrics).toContain('prismgate_api_requests_total{verb="list",resource="unknown",code="404"}');
    expect(metrics).toContain('prismgate_api_requests_total{verb="get",resource="discovery",code="403"}');
  });
});

describe('bad input, generated', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await startFixture();
    f.store.replaceAll([widget('shop', 'a', 'red')]);
  });
  afterAll(() => f.app.close());

  const segment = fc.oneof(
    fc.constantFrom(
      'apis',
      'api',
      'wardle.example.com',
      'v1alpha1',
      'v1',
      'namespaces',
      'shop',
      'widgets',
      'echoes',
      'a',
      'watch',
      'openapi',
      'v3',
      'status',
      '..',
      '%2F',
    ),
    fc.string({ maxLength: 8 }).map(encodeURIComponent),
  );
  const query = fc.dictionary(
    fc.constantFrom(
      'labelSelector',
      'fieldSelector',
      'limit',
      'continue',
      'resourceVersion',
      'resourceVersionMatch',
      'includeObject',
      'watch',
      'timeoutSeconds',
      'hash',
    ),
    fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('0', '1', 'true', 'Exact', '-1', 'a=b', 'a in (')),
  );
  const accept = fc.oneof(
    fc.constant(undefined),
    fc.constantFrom(
      'application/json;as=Table;v=v1;g=meta.k8s.io',
      'application/yaml',
      'application/vnd.kubernetes.protobuf',
      '*/*',
      'text/html',
    ),
    fc.string({ maxLength: 20 }),
  );

  it('never crashes: every answer is a success or a Status below 500', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(segment, { maxLength: 7 }),
        query,
        accept,
        fc.constantFrom('GET', 'POST', 'PUT', 'DELETE'),
        async (parts, params, acceptHeader, method) => {
          const search = new URLSearchParams({ ...params, ...(params.watch ? { timeoutSeconds: '1' } : {}) });
          const res = await f.app.inject({
            method,
            url: `/${parts.join('/')}?${search}`,
            headers: {
              ...ADMIN,
              ...(acceptHeader === undefined ? {} : { accept: acceptHeader }),
              'content-type': 'application/json',
            },
            payload: method === 'GET' || method === 'DELETE' ? undefined : '{"spec":{}}',
          });
          // Outside the group version, an unknown path is Go's plain 404.
          if (res.headers['content-type'] === 'text/plain; charset=utf-8') {
            expect([res.statusCode, res.body]).toEqual([404, '404 page not found\n']);
            return;
          }
          // kube-apiserver's one 500 for a client's error: a malformed resourceVersion on a get or watch.
          // Errors come in the representation asked for (YAML too), so they are read as YAML (JSON is YAML).
          const answer = res.statusCode >= 400 ? (parse(res.body) as { message?: string }) : {};
          if (!/^resourceVersion: Invalid value/.test(answer.message ?? ''))
            expect(res.statusCode).toBeLessThan(500);
          if (res.statusCode >= 400)
            expect(answer).toMatchObject({ kind: 'Status', status: 'Failure', code: res.statusCode });
        },
      ),
      { numRuns: 300 },
    );
  });
});
