import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeApiError } from '../../../../pkg/kube/kube-client.ts';
import { ScriptSandbox } from '../../../../pkg/sandbox/script-sandbox.ts';
import { ObjectReader } from '../../cluster/object-reader.ts';
import { PRISM } from '../api-group.ts';
import { PrismModel } from '../model/prism-model.ts';
import {
  MemoryKappnavSource,
  sourceDiscovery,
} from '../../../../test/support/kappnav/memory-kappnav-source.ts';
import { memoryRuntime } from '../../../../test/support/kappnav/memory-runtime.ts';
import {
  ADMIN,
  DEVELOPER,
  startFixture,
  type Fixture,
} from '../../../../test/support/aggregated-api/pipeline-fixture.ts';
import { stockTraderObjects } from '../../../../test/support/prism/stock-trader.ts';
import { kappnavCompatRoutes } from './kappnav-compat-routes.ts';
import { COMPAT_BASES } from './seed-convention.ts';

const BASE = '/apis/prism.kappnav.io/v1/kappnav/api';
const sandbox = new ScriptSandbox();

describe('the seed API shapes', () => {
  let f: Fixture;
  beforeAll(async () => {
    const source = new MemoryKappnavSource(stockTraderObjects());
    const model = new PrismModel({ runtime: memoryRuntime(source, sandbox), log: pino({ level: 'silent' }) });
    await model.refresh();
    const reader = new ObjectReader(source, {
      request: () => Promise.reject(new KubeApiError(404, undefined, 'not found')),
    });
    const discovery = sourceDiscovery(source);
    f = await startFixture({
      groupVersion: PRISM,
      routes: async (app, { access }) => {
        await app.register(kappnavCompatRoutes, {
          prefix: COMPAT_BASES[0],
          model,
          cluster: source,
          discovery,
          reader,
          access,
        });
      },
    });
  });
  afterAll(async () => {
    await f.app.close();
    await sandbox.close();
  });
  const get = (path: string, headers = ADMIN) => f.app.inject({ url: `${BASE}${path}`, headers });

  it('serves {"applications":[{application, action-map, section-map}]}, hidden ones left out', async () => {
    const body = (await get('/applications')).json();
    expect(
      body.applications.map(
        (a: { application: { metadata: { name: string } } }) => a.application.metadata.name,
      ),
    ).toEqual(['stock-trader', 'bundle']);
    expect(body.applications[0]).toMatchObject({
      application: {
        apiVersion: 'app.k8s.io/v1beta1',
        kind: 'Application',
        metadata: { name: 'stock-trader' },
      },
      'action-map': { 'url-actions': [expect.objectContaining({ name: 'edit' })] },
      'section-map': {},
    });
    expect((await get('/applications?namespace=other')).json()).toEqual({ applications: [] });
    expect((await get('/applications/bundle?namespace=shop')).json().applications).toHaveLength(1);
    expect((await get('/applications/hidden-app?namespace=shop')).json()).toEqual({ applications: [] });
    expect((await get('/applications/stock-trader')).json()).toEqual({ applications: [] });
  });

  it('serves {"components":[…]} of one application, and the seed\'s 207 when it is unknown', async () => {
    const body = (await get('/components/stock-trader?namespace=shop')).json();
    expect(
      body.components.map(
        (c: { component: { kind: string; metadata: { name: string } } }) =>
          `${c.component.kind}/${c.component.metadata.name}`,
      ),
    ).toEqual(['Deployment/trader', 'Deployment/portfolio', 'Deployment/loyalty', 'Service/trader']);
    expect(body.components[0]).toHaveProperty('action-map');
    const missing = await get('/components/nope?namespace=shop');
    expect(missing.statusCode).toBe(207);
    expect(missing.json()).toEqual({ message: 'application shop/nope not found' });
  });

  it('translates action text for ?locale= and keeps the NLS keys', async () => {
    const body = (await get('/applications?namespace=shop&locale=en')).json();
    const edit = body.applications[0]['action-map']['url-actions'][0];
    expect(edit['text.nls']).toBe('action.url.application.edit.text');
    expect(typeof edit.text).toBe('string');
  });

  it('serves namespaces, statuses and action maps', async () => {
    expect(
      (await get('/namespaces'))
        .json()
        .namespaces.map((n: { metadata: { name: string } }) => n.metadata.name),
    ).toEqual(['shop', 'other', 'empty']);
    expect((await get('/status/portfolio/Deployment?namespace=shop&apiversion=apps%2Fv1')).json()).toEqual({
      value: 'Warning',
      flyover: 'Desired: 2, Available: 1',
      'flyover.nls': ['status.flyover.deployment', '2', '1'],
    });
    expect((await get('/status/trader/Service?namespace=shop&apiversion=%2Fv1')).json().value).toBe('Normal');
    expect((await get('/status/x/Gizmo')).json()).toEqual({ message: 'getResource Unknown kind: Gizmo' });
    expect((await get('/status/ghost/Service?namespace=shop')).statusCode).toBe(207);
    expect((await get('/resource/trader/Deployment/actions?namespace=shop')).json()).toHaveProperty(
      'url-actions',
    );
  });

  it('scopes every answer to what the user may read', async () => {
    f.allow = (_user, attributes) =>
      !('resource' in attributes) ||
      !['services', 'namespaces'].includes(attributes.resource.resource) ||
      attributes.resource.namespace === 'other';
    const components = (await get('/components/stock-trader?namespace=shop', DEVELOPER)).json();
    expect(components.components.map((c: { component: { kind: string } }) => c.component.kind)).toEqual([
      'Deployment',
      'Deployment',
      'Deployment',
    ]);
    expect(
      (await get('/namespaces', DEVELOPER))
        .json()
        .namespaces.map((n: { metadata: { name: string } }) => n.metadata.name),
    ).toEqual(['other']);
    f.allow = () => true;
  });

  it('answers 403 for what names one object the user may not read, whether it exists or not (issue 15, finding 6)', async () => {
    f.allow = (_user, attributes) =>
      !('resource' in attributes) || !['services', 'applications'].includes(attributes.resource.resource);
    for (const path of [
      '/status/trader/Service?namespace=shop',
      '/status/no-such-service/Service?namespace=shop',
      '/resource/trader/Service/actions?namespace=shop',
      '/resource/no-such-service/Service/actions?namespace=shop',
      '/applications/stock-trader?namespace=shop',
      '/applications/no-such-app?namespace=shop',
      '/components/stock-trader?namespace=shop',
      '/components/no-such-app?namespace=shop',
    ]) {
      const answer = await get(path, DEVELOPER);
      expect([path, answer.statusCode, answer.json().reason]).toEqual([path, 403, 'Forbidden']);
    }
    f.allow = () => true;
    expect((await get('/status/no-such-service/Service?namespace=shop', DEVELOPER)).json()).toEqual({
      message: 'Service shop/no-such-service not found',
    });
  });
});
