import { pino } from 'pino';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../pkg/kube/types.ts';
import { ACME, acme, clusterOf, DOMAIN_ID, variant } from '../../test/support/vimana/fixtures.ts';
import { operatorShapedCrd, prismgateCrd } from '../../test/support/vimana/crds.ts';
import { installedStatusSchema, type InstalledStatusSchema } from './installed-schema.ts';
import { IN_USE_FINALIZER, InUseProtection, type FinalizerPatch } from './protection.ts';
import { VimanaReconciler, type WriteResult } from './reconciler.ts';
import { StatusWriter, type StatusApply, type StatusRemoval } from './status-writer.ts';
import type { VimanaKind } from './types.ts';
import { VimanaMetrics } from './vimana-metrics.ts';

const NOW = new Date('2025-11-09T19:21:27Z');
const log = pino({ level: 'silent' });

/** Stored objects carry a resourceVersion and, admitted by prismgate, its finalizer; the fixture does not. */
const stored = (objects: readonly KubeObject[]) =>
  objects.map((object, index) => ({
    ...object,
    metadata: { ...object.metadata, resourceVersion: String(index + 1), finalizers: [IN_USE_FINALIZER] },
  }));

const schemas = (crd: (kind: VimanaKind) => KubeObject) => (kind: VimanaKind) =>
  installedStatusSchema(crd(kind));

interface Harness {
  reconciler: VimanaReconciler;
  applied: StatusApply[];
  patched: FinalizerPatch[];
  removed: StatusRemoval[];
  registry: Registry;
}

function harness(
  objects: readonly KubeObject[],
  options: {
    schemaOf?: (kind: VimanaKind) => InstalledStatusSchema | undefined;
    outcome?: () => WriteResult;
    active?: () => boolean;
    terminating?: boolean;
    rateLimit?: { burst: number; perMinute: number };
  } = {},
): Harness {
  const view = clusterOf(objects, { terminatingNamespaces: options.terminating ? ['acme'] : [] });
  const applied: StatusApply[] = [];
  const patched: FinalizerPatch[] = [];
  const removed: StatusRemoval[] = [];
  const registry = new Registry();
  const schemaOf = options.schemaOf ?? schemas(prismgateCrd);
  const reconciler = new VimanaReconciler({
    view,
    steps: [
      new StatusWriter({
        view,
        schemaOf,
        now: () => NOW,
        applyStatus: async (apply) => {
          applied.push(apply);
          return options.outcome?.() ?? { outcome: 'applied' };
        },
        removeStatusFields: async (removal) => {
          removed.push(removal);
          return { outcome: 'applied' };
        },
      }),
      new InUseProtection({
        view,
        patchFinalizers: async (patch) => {
          patched.push(patch);
          return { outcome: 'applied' };
        },
      }),
    ],
    installed: (kind) => schemaOf(kind) !== undefined,
    active: options.active,
    log,
    metrics: new VimanaMetrics(registry),
    rateLimit: options.rateLimit,
  });
  return { reconciler, applied, patched, removed, registry };
}

async function metric(registry: Registry, name: string, labels: Record<string, string>): Promise<number> {
  const values = (await registry.getSingleMetric(name)?.get())?.values ?? [];
  return values
    .filter((value) => Object.entries(labels).every(([key, label]) => value.labels[key] === label))
    .reduce((sum, value) => sum + value.value, 0);
}

describe('VimanaReconciler: the status', () => {
  it("applies prismgate's part of every object's status once, from the version it read", async () => {
    const { reconciler, applied } = harness(stored(ACME));
    await reconciler.reconcile('acme');
    expect(applied.map((a) => `${a.kind}/${a.name}`)).toEqual([
      'Vimana/edge',
      `Domain/${DOMAIN_ID}`,
      'Server/payments',
      'Component/payments-1-4-0',
      'Component/payments-1-5-0-rc1',
    ]);
    expect(applied[2]).toMatchObject({
      resourceVersion: '3',
      status: { traffic: '1.4.0=90%, 1.5.0-rc1=10%', missingComponents: [] },
    });
  });

  it("writes nothing on the operator's CRDs, where nothing prismgate computes is kept", async () => {
    const { reconciler, applied, registry } = harness(stored(ACME), { schemaOf: schemas(operatorShapedCrd) });
    await reconciler.reconcile('acme');
    expect(applied).toEqual([]);
    expect(await metric(registry, 'prismgate_vimana_writes_total', { write: 'status' })).toBe(0);
  });

  it('writes nothing for a kind whose CRD is not installed, or on a replica that does not lead', async () => {
    const withoutServers = harness(stored(ACME), {
      schemaOf: (kind) => (kind === 'Server' ? undefined : installedStatusSchema(prismgateCrd(kind))),
    });
    await withoutServers.reconciler.reconcile('acme');
    expect(withoutServers.applied.map((a) => a.kind)).not.toContain('Server');
    const follower = harness(stored(ACME), { active: () => false });
    await follower.reconciler.reconcile('acme');
    expect([...follower.applied, ...follower.patched]).toEqual([]);
  });

  it('bounds a loop: an object whose status never sticks is written at most its burst, and that is counted', async () => {
    // Every write "succeeds" but the stored object never changes, as when another writer undoes it.
    const { reconciler, applied, registry } = harness(stored(ACME.filter((o) => o.kind === 'Vimana')), {
      rateLimit: { burst: 3, perMinute: 1 },
    });
    for (let pass = 0; pass < 10; pass += 1) await reconciler.reconcile('acme');
    expect(applied).toHaveLength(3);
    expect(await metric(registry, 'prismgate_vimana_writes_rate_limited_total', { kind: 'Vimana' })).toBe(7);
    expect(await metric(registry, 'prismgate_vimana_writes_total', { outcome: 'applied' })).toBe(3);
    await reconciler.stop();
  });

  it('takes out a derived field it no longer computes when another writer’s update took its hold away', async () => {
    // A Server whose weights went to 0 still shows a traffic split that no manager holds any more.
    const [server] = stored([variant('Server', { versionWeights: { '1.4.0': 0, '1.5.0-rc1': 0 } })]);
    const drained = {
      ...server!,
      status: { traffic: '1.4.0=90%, 1.5.0-rc1=10%' },
    };
    const { reconciler, removed, applied } = harness([
      drained,
      ...stored(ACME.filter((o) => o.kind === 'Domain')),
    ]);
    await reconciler.reconcile('acme');
    expect(removed).toEqual([
      {
        kind: 'Server',
        namespace: 'acme',
        name: 'payments',
        resourceVersion: '1',
        status: { traffic: null },
      },
    ]);
    expect(applied.map((a) => a.kind)).toEqual(['Domain']);
  });

  it('does not send again what the API server refused, until it changes', async () => {
    const { reconciler, applied, registry } = harness(stored(ACME.filter((o) => o.kind === 'Vimana')), {
      outcome: () => ({ outcome: 'invalid', message: 'status.domainCount: Invalid value' }),
    });
    await reconciler.reconcile('acme');
    await reconciler.reconcile('acme');
    expect(applied).toHaveLength(1);
    expect(await metric(registry, 'prismgate_vimana_writes_total', { outcome: 'invalid' })).toBe(1);
  });

  it('lets the event loop run during a long pass, even when every write resolves at once', async () => {
    const component = acme('Component', 'payments-1-4-0');
    const many = Array.from({ length: 500 }, (_, i) => ({
      ...component,
      metadata: { ...component.metadata, name: `payments-9-${i}-0` },
      spec: { ...(component['spec'] as object), version: `9.${i}.0` },
    }));
    const { reconciler } = harness(stored([...ACME, ...many]));
    let turns = 0;
    let passing = true;
    const turn = () => {
      if (!passing) return;
      turns += 1;
      setImmediate(turn);
    };
    setImmediate(turn);
    await reconciler.reconcile('acme');
    passing = false;
    expect(turns).toBeGreaterThan(1);
  });

  it('coalesces queued namespaces into one pass', async () => {
    const { reconciler, applied } = harness(stored(ACME));
    reconciler.enqueue('acme');
    reconciler.enqueue('acme');
    reconciler.enqueue('');
    reconciler.start();
    await reconciler.whenIdle();
    expect(applied).toHaveLength(5);
  });
});

describe('VimanaReconciler: in-use protection', () => {
  const deleting = (object: KubeObject): KubeObject => ({
    ...object,
    metadata: { ...object.metadata, deletionTimestamp: NOW.toISOString() },
  });

  it('puts the finalizer on objects created before prismgate, keeping other finalizers', async () => {
    const objects = stored(ACME).map((object, i) =>
      i === 0 ? { ...object, metadata: { ...object.metadata, finalizers: ['example.com/other'] } } : object,
    );
    const { reconciler, patched } = harness(objects);
    await reconciler.reconcile('acme');
    expect(patched).toEqual([
      {
        kind: 'Vimana',
        namespace: 'acme',
        name: 'edge',
        resourceVersion: '1',
        finalizers: ['example.com/other', IN_USE_FINALIZER],
      },
    ]);
  });

  it('takes it off an object being deleted once nothing uses it, and not before', async () => {
    const objects = stored(ACME);
    const vimanaLeaving = [deleting(objects[0]!), ...objects.slice(1)];
    const held = harness(vimanaLeaving);
    await held.reconciler.reconcile('acme');
    expect(held.patched).toEqual([]);
    const alone = harness([deleting(objects[0]!)]);
    await alone.reconciler.reconcile('acme');
    expect(alone.patched).toEqual([
      { kind: 'Vimana', namespace: 'acme', name: 'edge', resourceVersion: '1', finalizers: [] },
    ]);
  });

  it('takes it off everything at once in a terminating namespace, and puts it on nothing there', async () => {
    const objects = stored(ACME);
    const { reconciler, patched } = harness([...objects.slice(0, 3).map(deleting), ...ACME.slice(3)], {
      terminating: true,
    });
    await reconciler.reconcile('acme');
    expect(patched.map((p) => [p.kind, p.finalizers])).toEqual([
      ['Vimana', []],
      ['Domain', []],
      ['Server', []],
    ]);
  });
});
