import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScriptSandbox } from '../../../../pkg/sandbox/script-sandbox.ts';
import { PrismModel, type ModelView } from '../model/prism-model.ts';
import { MemoryKappnavSource, SOURCE_TYPES } from '../../../../test/support/kappnav/memory-kappnav-source.ts';
import { memoryRuntime } from '../../../../test/support/kappnav/memory-runtime.ts';
import { stockTraderObjects } from '../../../../test/support/prism/stock-trader.ts';
import { APPLICATIONS, applicationsProjection } from './applications.ts';
import { COMPONENTS, componentsProjection } from './components.ts';
import { namespacesProjection } from './namespaces.ts';
import { resourceStatusesProjection } from './resource-statuses.ts';
import { ObjectReader } from '../../cluster/object-reader.ts';

const sandbox = new ScriptSandbox();
let view: ModelView;
let model: PrismModel;
let source: MemoryKappnavSource;
beforeAll(async () => {
  source = new MemoryKappnavSource(stockTraderObjects());
  model = new PrismModel({ runtime: memoryRuntime(source, sandbox), log: pino({ level: 'silent' }) });
  await model.refresh();
  view = model.current;
});
afterAll(() => sandbox.close());

const cells = <T extends object>(columns: readonly { cell(o: T, now: number): unknown }[], object: T) =>
  columns.map((c) => c.cell(object, Date.parse('2024-01-01T01:00:00Z')));

describe('prismapplications', () => {
  it('projects the visible applications with their status, counts and maps', () => {
    const apps = [...applicationsProjection.project(view)];
    expect(apps.map((a) => a.metadata.name)).toEqual(['stock-trader', 'bundle']);
    const trader = apps[0]!;
    expect(trader).toMatchObject({
      apiVersion: 'prism.kappnav.io/v1',
      kind: 'PrismApplication',
      metadata: {
        name: 'stock-trader',
        namespace: 'shop',
        uid: 'uid-Application-shop-stock-trader',
        labels: { bundle: 'included' },
      },
      spec: { selector: { matchLabels: { solution: 'stock-trader' } } },
      status: {
        value: 'Warning',
        flyover: '4 components: 1 Warning, 3 Normal',
        componentCount: 4,
        componentKinds: ['Deployment.apps', 'Service'],
        actionMap: { 'url-actions': [expect.objectContaining({ name: 'edit' })] },
        sectionMap: {},
      },
    });
    expect(cells(APPLICATIONS.columns, trader)).toEqual([
      'stock-trader',
      'Warning',
      4,
      '60m',
      'Deployment.apps,Service',
      '4 components: 1 Warning, 3 Normal',
    ]);
    expect(applicationsProjection.readRequirements(trader)).toEqual([
      { group: 'app.k8s.io', resource: 'applications', namespace: 'shop' },
    ]);
    expect(APPLICATIONS.selectableFields['status.value']!(trader)).toBe('Warning');
  });
});

describe('prismcomponents', () => {
  const components = () => [...componentsProjection.project(view)];

  it('projects one object per component of a visible application, in the application namespace', () => {
    expect(
      components()
        .map((c) => `${c.metadata.namespace}/${c.metadata.name}`)
        .sort(),
    ).toEqual([
      'shop/bundle.application.app.k8s.io.stock-trader',
      'shop/stock-trader.deployment.apps.loyalty.other',
      'shop/stock-trader.deployment.apps.portfolio',
      'shop/stock-trader.deployment.apps.trader',
      'shop/stock-trader.service.trader',
    ]);
    const loyalty = components().find((c) => c.spec.component.name === 'loyalty')!;
    expect(loyalty).toMatchObject({
      kind: 'PrismComponent',
      metadata: { labels: { 'prism.kappnav.io/application': 'stock-trader' } },
      spec: {
        application: 'stock-trader',
        component: {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          resource: 'deployments',
          namespace: 'other',
          name: 'loyalty',
          uid: 'uid-Deployment-other-loyalty',
        },
      },
      status: { value: 'Normal', flyover: 'Desired: 2, Available: 2' },
    });
    expect(loyalty.metadata.uid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(cells(COMPONENTS.columns, loyalty)).toEqual([
      'stock-trader.deployment.apps.loyalty.other',
      'Deployment.apps',
      'other/loyalty',
      'Normal',
      '60m',
      'stock-trader',
      'Desired: 2, Available: 2',
    ]);
    expect(componentsProjection.readRequirements(loyalty)).toEqual([
      { group: 'app.k8s.io', resource: 'applications', namespace: 'shop' },
      { group: 'apps', resource: 'deployments', namespace: 'other' },
    ]);
  });

  it('keeps names unique when two components would share one', () => {
    const trader = view.applications.find((a) => a.application.name === 'stock-trader')!;
    const twin = {
      ...trader.components[0]!,
      object: {
        ...trader.components[0]!.object,
        metadata: { ...trader.components[0]!.object.metadata, uid: 'abcdef1234' },
      },
    };
    const names = [
      ...componentsProjection.project({
        ...view,
        applications: [{ ...trader, components: [trader.components[0]!, twin] }],
      }),
    ].map((c) => c.metadata.name);
    expect(new Set(names).size).toBe(2);
    expect(names[1]).toMatch(/\.abcdef12$/);
  });
});

describe('prismnamespaces', () => {
  it('counts the visible applications of each namespace', () => {
    const namespaces = [...namespacesProjection.project(view)];
    expect(
      namespaces.map((n) => `${n.metadata.name}:${n.status.phase}:${n.status.applicationCount}`),
    ).toEqual(['shop:Active:2', 'other:Active:0', 'empty:Active:0']);
    expect(namespacesProjection.readRequirements(namespaces[0]!)).toEqual([
      { group: '', resource: 'namespaces', namespace: 'shop', name: 'shop' },
    ]);
  });
});

describe('resourcestatuses', () => {
  const discovery = { all: () => SOURCE_TYPES.map((t) => ({ ...t, verbs: ['get'], preferred: true })) };
  const notFetched = { request: () => Promise.reject(new Error('not cached, not fetched')) };
  const projection = () =>
    resourceStatusesProjection({ model, reader: new ObjectReader(source, notFetched), discovery });

  it('lists the status of every application and component, named kind.group:name', () => {
    const statuses = [...projection().project(view)];
    expect(
      statuses.map((s) => `${s.metadata.namespace}/${s.metadata.name}=${s.status.value}`).sort(),
    ).toEqual([
      'other/deployment.apps:loyalty=Normal',
      'shop/application.app.k8s.io:bundle=Warning',
      // Hidden applications are hidden from the application lists only.
      'shop/application.app.k8s.io:hidden-app=Warning',
      'shop/application.app.k8s.io:stock-trader=Warning',
      'shop/deployment.apps:portfolio=Warning',
      'shop/deployment.apps:trader=Normal',
      'shop/service:trader=Normal',
    ]);
  });

  it('looks up any cached resource by kind, plural or group-qualified name', async () => {
    const lookup = projection().lookup!;
    expect((await lookup('shop', 'deployment.apps:unrelated'))?.status).toEqual({
      value: 'Problem',
      flyover: 'Desired: 2, Available: 0',
      flyoverNls: ['status.flyover.deployment', '2', '0'],
    });
    expect((await lookup('shop', 'services:trader'))?.spec.resource).toMatchObject({
      kind: 'Service',
      resource: 'services',
    });
    expect(await lookup('shop', 'nonsense:trader')).toBeUndefined();
    expect(await lookup('shop', 'no-colon')).toBeUndefined();
    expect(await lookup(undefined, 'node:x')).toBeUndefined();
  });
});
