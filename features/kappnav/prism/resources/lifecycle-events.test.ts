import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { KubeApiError, type KubeClient } from '../../../../pkg/kube/kube-client.ts';
import { objectPath } from '../../../../pkg/kube/resource-type.ts';
import type { KubeObject } from '../../../../pkg/kube/types.ts';
import { ScriptSandbox } from '../../../../pkg/sandbox/script-sandbox.ts';
import type { AccessAttributes } from '../../../../server/delegated-auth/access-review.ts';
import { kubeMergePatcher } from '../../runtime/status-store.ts';
import {
  MemoryKappnavSource,
  SOURCE_TYPES,
  sourceDiscovery,
} from '../../../../test/support/kappnav/memory-kappnav-source.ts';
import { memoryRuntime } from '../../../../test/support/kappnav/memory-runtime.ts';
import { stockTraderObjects } from '../../../../test/support/prism/stock-trader.ts';
import { LifecycleEvents, type LifecycleEvent } from './lifecycle-events.ts';

const sandbox = new ScriptSandbox();
afterAll(() => sandbox.close());

describe('lifecycleevents', () => {
  let source: MemoryKappnavSource;
  let patches: { path: string; body: unknown }[];
  let reviews: AccessAttributes[];
  let allowed: boolean;
  let events: LifecycleEvents;

  beforeEach(() => {
    source = new MemoryKappnavSource(stockTraderObjects());
    patches = [];
    reviews = [];
    allowed = true;
    const client: Pick<KubeClient, 'request'> = {
      request: <T>(method: string, path: string, options?: { body?: unknown }): Promise<T> => {
        if (method === 'PATCH') {
          patches.push({ path, body: options?.body });
          return Promise.resolve({} as T);
        }
        for (const type of SOURCE_TYPES)
          for (const object of source.list(type))
            if (objectPath(type, object.metadata?.namespace, object.metadata?.name ?? '') === path)
              return Promise.resolve(object as T);
        return Promise.reject(new KubeApiError(404, undefined, 'not found'));
      },
    };
    // Statuses are written with prismgate's client, as merge patches of the annotations.
    const runtime = memoryRuntime(source, sandbox, {
      client,
      patcher: kubeMergePatcher(client, source),
    });
    events = new LifecycleEvents({
      lifecycle: runtime.lifecycle,
      discovery: sourceDiscovery(source),
      reviewer: {
        review: (_user, attributes) => {
          reviews.push(attributes);
          return Promise.resolve({ allowed, reason: allowed ? '' : 'no RBAC policy matched' });
        },
      },
    });
  });

  const create = (spec: unknown, dryRun = false) =>
    events.create({
      body: {
        apiVersion: 'prism.kappnav.io/v1',
        kind: 'LifecycleEvent',
        metadata: { name: 'e' },
        spec,
      } as KubeObject,
      user: { name: 'dev', groups: [], extra: {} },
      dryRun,
      warnings: [],
      creationTimestamp: '2024-01-01T00:00:00Z',
    });
  const statuses = (event: LifecycleEvent) =>
    event.status!.statuses.map(
      (s) => `${s.kind}/${s.namespace ?? ''}/${s.name}=${s.value}${s.stored ? ' stored' : ''}`,
    );

  it('stores the status of an updated resource and of the applications containing it', async () => {
    const event = await create({
      type: 'Updated',
      resource: { kind: 'Deployment', namespace: 'shop', name: 'portfolio' },
    });
    expect(statuses(event)).toEqual([
      'Deployment/shop/portfolio=Warning stored',
      'Application/shop/stock-trader=Warning stored',
      'Application/shop/hidden-app=Warning stored',
      'Application/shop/bundle=Warning stored',
    ]);
    expect(reviews).toEqual([
      {
        resource: {
          verb: 'patch',
          group: 'apps',
          resource: 'deployments',
          namespace: 'shop',
          name: 'portfolio',
        },
      },
    ]);
    expect(patches[0]).toEqual({
      path: '/apis/apps/v1/namespaces/shop/deployments/portfolio',
      body: {
        metadata: {
          annotations: {
            'kappnav.status.value': 'Warning',
            'kappnav.status.flyover': 'Desired: 2, Available: 1',
            'kappnav.status.flyover.nls': '["status.flyover.deployment","2","1"]',
          },
        },
      },
    });
  });

  it('walks an application down to everything it contains, cycle-safe', async () => {
    const loop = source.getApplication('shop', 'bundle')!;
    source.put({ ...loop, metadata: { ...loop.metadata, labels: { bundle: 'included' } } });
    const event = await create({
      type: 'Created',
      resource: { apiVersion: 'app.k8s.io/v1beta1', kind: 'Application', namespace: 'shop', name: 'bundle' },
    });
    expect(statuses(event).map((s) => s.replace(/ stored$/, ''))).toEqual(
      expect.arrayContaining([
        'Application/shop/bundle=Warning',
        'Application/shop/stock-trader=Warning',
        'Deployment/other/loyalty=Normal',
        'Service/shop/trader=Normal',
      ]),
    );
  });

  it('recomputes the applications that could have held a deleted resource', async () => {
    source.remove({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { namespace: 'shop', name: 'portfolio' },
    });
    const event = await create({
      type: 'Deleted',
      resource: { kind: 'Deployment', namespace: 'shop', name: 'portfolio' },
    });
    expect(statuses(event).sort()).toEqual([
      'Application/shop/bundle=Normal stored',
      'Application/shop/hidden-app=Normal stored',
      'Application/shop/stock-trader=Normal stored',
    ]);
  });

  it('writes nothing on a dry run or when the annotations already hold the status', async () => {
    const dry = await create(
      { type: 'Updated', resource: { kind: 'Service', namespace: 'shop', name: 'trader' } },
      true,
    );
    expect(dry.status!.statuses.every((s) => !s.stored)).toBe(true);
    expect(patches).toEqual([]);
    expect(reviews[0]).toMatchObject({ resource: { verb: 'get' } });
    const service = source.cached(
      SOURCE_TYPES.find((t) => t.kind === 'Service')!,
      'shop',
      'trader',
    )!;
    source.put({
      ...service,
      metadata: {
        ...service.metadata,
        annotations: {
          'kappnav.status.value': 'Normal',
          'kappnav.status.flyover': 'Service exists.',
          'kappnav.status.flyover.nls': '["status.flyover.service"]',
        },
      },
    });
    const again = await create({
      type: 'Updated',
      resource: { kind: 'Service', namespace: 'shop', name: 'trader' },
    });
    expect(again.status!.statuses[0]).toMatchObject({ kind: 'Service', stored: false });
  });

  it('refuses users who may not patch the resource, and invalid events', async () => {
    allowed = false;
    await expect(
      create({ type: 'Updated', resource: { kind: 'Service', namespace: 'shop', name: 'trader' } }),
    ).rejects.toMatchObject({
      code: 403,
      message:
        'lifecycleevents.prism.kappnav.io is forbidden: User "dev" cannot patch resource "services" in API group "" in the namespace "shop": no RBAC policy matched',
    });
    await expect(create({ type: 'Exploded', resource: {} })).rejects.toMatchObject({
      code: 422,
      reason: 'Invalid',
      details: {
        causes: [{ field: 'spec.type' }, { field: 'spec.resource.kind' }, { field: 'spec.resource.name' }],
      },
    });
    await expect(create({ type: 'Updated', resource: { kind: 'Gizmo', name: 'x' } })).rejects.toMatchObject({
      code: 422,
      message: expect.stringContaining('the cluster serves no such kind'),
    });
    await expect(create({ type: 'Updated', resource: { kind: 'Service', name: 'x' } })).rejects.toMatchObject(
      { code: 422, message: expect.stringContaining('Service is namespaced') },
    );
  });
});
