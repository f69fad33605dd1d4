import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Reviewer } from '../../../../server/delegated-auth/access-review.ts';
import { KubeApiError, type RequestOptions } from '../../../../pkg/kube/kube-client.ts';
import { PRISM } from '../api-group.ts';
import {
  ADMIN,
  DEVELOPER,
  startFixture,
  type Fixture,
} from '../../../../test/support/aggregated-api/pipeline-fixture.ts';
import { kappnavUiRoutes } from './kappnav-ui-routes.ts';
import { COMPAT_BASES } from './seed-convention.ts';

const BASE = '/apis/prism.kappnav.io/v1/kappnav';
const secret = (namespace: string, name: string) => ({
  metadata: { namespace, name, labels: { 'credential-type': 'app-navigator', other: 'x' } },
});

describe("the kAppNav UI's Application writes and credential secrets", () => {
  let f: Fixture;
  const sent: { method: string; path: string; extra?: RequestOptions }[] = [];
  let failure: KubeApiError | undefined;
  beforeAll(async () => {
    const client = {
      request: <T>(method: string, path: string, extra?: RequestOptions): Promise<T> => {
        sent.push({ method, path, ...(extra ? { extra } : {}) });
        if (failure) return Promise.reject(failure);
        const list = { items: [secret('shop', 'shop-credentials'), secret('closed', 'closed-credentials')] };
        return Promise.resolve((method === 'GET' ? list : {}) as T);
      },
    };
    // Decides as the fixture does; the fixture is there by the time a request is reviewed.
    const reviewer: Reviewer = {
      review: (user, attributes) => {
        const allowed = user.groups.includes('system:masters') || f.allow(user, attributes);
        return Promise.resolve({ allowed, reason: allowed ? '' : 'no RBAC policy matched' });
      },
    };
    f = await startFixture({
      groupVersion: PRISM,
      routes: async (app, { access }) => {
        await app.register(kappnavUiRoutes, { prefix: COMPAT_BASES[1], client, access, reviewer });
      },
    });
  });
  beforeEach(() => {
    sent.length = 0;
    failure = undefined;
    f.allow = () => true;
  });
  afterAll(() => f.app.close());
  const send = (method: 'POST' | 'PUT' | 'DELETE', url: string, payload?: string, headers = ADMIN) =>
    f.app.inject({
      method,
      url: `${BASE}${url}`,
      headers: { ...headers, ...(payload === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(payload === undefined ? {} : { payload }),
    });

  it('creates, replaces and deletes an Application in the namespace asked for, answering {"message":"OK"}', async () => {
    const app = '{"apiVersion":"app.k8s.io/v1beta1","kind":"Application","metadata":{"name":"a"}}';
    expect((await send('POST', '/application?namespace=shop', app)).json()).toEqual({ message: 'OK' });
    expect((await send('PUT', '/application/a?namespace=shop', app)).statusCode).toBe(200);
    expect((await send('DELETE', '/application/a')).statusCode).toBe(200);
    expect(sent.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /apis/app.k8s.io/v1beta1/namespaces/shop/applications',
      'PUT /apis/app.k8s.io/v1beta1/namespaces/shop/applications/a',
      'DELETE /apis/app.k8s.io/v1beta1/namespaces/default/applications/a',
    ]);
  });

  it('answers 403 before writing when the user may not, 207 with the message when kube-apiserver refuses', async () => {
    f.allow = (_user, attributes) => !('resource' in attributes && attributes.resource.verb === 'create');
    const denied = await send('POST', '/application?namespace=shop', '{}', DEVELOPER);
    expect(denied.statusCode).toBe(403);
    expect(denied.json()).toMatchObject({ kind: 'Status', reason: 'Forbidden' });
    expect(sent).toEqual([]);
    failure = new KubeApiError(409, undefined, 'applications.app.k8s.io "a" already exists');
    const conflict = await send('PUT', '/application/a?namespace=shop', '{}', DEVELOPER);
    expect(conflict.statusCode).toBe(207);
    expect(conflict.json().message).toContain('already exists');
  });

  it('answers 422 naming the body when it is not a JSON object', async () => {
    for (const body of ['{"kind": ', '[1]', '"text"']) {
      const answer = await send('POST', '/application?namespace=shop', body);
      expect(answer.statusCode).toBe(422);
      expect(answer.json().message).toMatch(/^body: Invalid value: /);
    }
    expect(sent).toEqual([]);
  });

  it('lists the labelled secrets metadata-only, names and the asked label only, where the user may list Secrets', async () => {
    f.allow = (_user, attributes) =>
      'resource' in attributes &&
      (attributes.resource.group === 'prism.kappnav.io' || attributes.resource.namespace === 'shop');
    const answer = await f.app.inject({
      url: `${BASE}/secrets/credential-type/app-navigator`,
      headers: DEVELOPER,
    });
    expect(answer.json()).toEqual({
      secrets: [
        {
          kind: 'Secret',
          apiVersion: 'v1',
          metadata: {
            name: 'shop-credentials',
            namespace: 'shop',
            labels: { 'credential-type': 'app-navigator' },
          },
        },
      ],
    });
    expect(sent[0]?.extra).toMatchObject({
      query: { labelSelector: 'credential-type=app-navigator' },
      headers: { accept: expect.stringContaining('as=PartialObjectMetadataList') },
    });
  });

  it('refuses a label that would select on more than one, 422 naming the selector', async () => {
    const answer = await f.app.inject({ url: `${BASE}/secrets/a,b/c`, headers: ADMIN });
    expect(answer.statusCode).toBe(422);
    expect(answer.json().message).toMatch(/^labelSelector: Invalid value: "a,b=c": /);
    expect(sent).toEqual([]);
  });
});
