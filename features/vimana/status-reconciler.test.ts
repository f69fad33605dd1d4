import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../pkg/kube/types.ts';
import { computeVimanaStatus } from './status.ts';
import { computedStatusPatch } from './status-fields.ts';
import { VimanaStatusReconciler, type StatusPatch } from './status-reconciler.ts';
import { ACME, acme, clusterOf, DOMAIN_ID, OPERATOR_CONDITION } from '../../test/support/vimana/fixtures.ts';
import { VIMANA_GROUP, type VimanaKind } from './types.ts';

const NOW = new Date('2025-11-09T19:21:27Z');
const log = pino({ level: 'silent' });

/** Stored objects carry a resourceVersion; the fixture does not. */
const stored = (objects: readonly KubeObject[]) =>
  objects.map((object, index) => ({
    ...object,
    metadata: { ...object.metadata, resourceVersion: String(index + 1) },
  }));

/** One reconciler pass over namespace acme of `objects`, answering the patches it sent. */
async function pass(objects: readonly KubeObject[]): Promise<StatusPatch[]> {
  const sent: StatusPatch[] = [];
  const reconciler = new VimanaStatusReconciler({
    view: clusterOf(objects),
    log,
    now: () => NOW,
    patchStatus: async (patch) => void sent.push(patch),
  });
  await reconciler.reconcile('acme');
  return sent;
}

/** The objects as they are once the patches are applied (a merge patch of `status`). */
function applied(objects: readonly KubeObject[], patches: readonly StatusPatch[]): KubeObject[] {
  return objects.map((object) => {
    const patch = patches.find((p) => p.kind === object.kind && p.name === object.metadata?.name);
    if (!patch) return object;
    const status = { ...(object['status'] as object), ...patch.body.status };
    for (const [key, value] of Object.entries(status))
      if (value === null) delete (status as Record<string, unknown>)[key];
    return { ...object, status };
  });
}

describe('VimanaStatusReconciler', () => {
  it('writes the computed status of every object once, guarded by the version it read', async () => {
    const objects = stored(ACME);
    const patches = await pass(objects);
    expect(patches.map((p) => `${p.kind}/${p.name}`)).toEqual([
      'Vimana/edge',
      `Domain/${DOMAIN_ID}`,
      'Server/payments',
      'Component/payments-1-4-0',
      'Component/payments-1-5-0-rc1',
    ]);
    expect(patches[2]?.body).toMatchObject({
      metadata: { resourceVersion: '3' },
      status: { traffic: '1.4.0=90%, 1.5.0-rc1=10%', missingComponents: [] },
    });
    // A second pass over the written statuses has nothing to do.
    expect(await pass(applied(objects, patches))).toEqual([]);
  });

  it('recomputes dependants: a Component appearing clears its Server’s missing components', async () => {
    const withoutComponents = stored(ACME.filter((object) => object.kind !== 'Component'));
    const settled = applied(withoutComponents, await pass(withoutComponents));
    const server = settled.find((object) => object.kind === 'Server');
    expect(server?.['status']).toMatchObject({
      missingComponents: ['1.4.0', '1.5.0-rc1'],
      conditions: [{ type: 'Available', status: 'False', reason: 'MissingComponent' }],
    });
    const patches = await pass([...settled, ...stored(ACME.filter((object) => object.kind === 'Component'))]);
    const serverPatch = patches.find((patch) => patch.kind === 'Server');
    expect(serverPatch?.body.status).toMatchObject({
      missingComponents: [],
      conditions: [{ type: 'Available', status: 'True', reason: 'Reconciled' }],
    });
  });

  it('leaves objects being deleted, and other writers’ conditions, alone', async () => {
    const [vimana, domain] = stored(ACME);
    const leaving = { ...vimana, metadata: { ...vimana?.metadata, deletionTimestamp: NOW.toISOString() } };
    const withCondition = { ...domain, status: { conditions: [OPERATOR_CONDITION] } };
    const patches = await pass([leaving, withCondition]);
    expect(patches.map((patch) => patch.kind)).toEqual(['Domain']);
    expect(patches[0]?.body.status['conditions']).toEqual([
      OPERATOR_CONDITION,
      expect.objectContaining({ type: 'Available' }),
    ]);
  });

  it('coalesces queued namespaces and retries a pass that failed', async () => {
    let attempts = 0;
    const reconciler = new VimanaStatusReconciler({
      view: clusterOf(stored(ACME)),
      log,
      patchStatus: async () => {
        attempts += 1;
        if (attempts === 1) throw new Error('409 Conflict');
      },
    });
    reconciler.enqueue('acme');
    reconciler.enqueue('acme');
    reconciler.enqueue('');
    reconciler.start();
    await reconciler.whenIdle();
    // One failed write, then a full pass of five.
    expect(attempts).toBe(6);
  });

  it('lets the event loop run during a long pass, even when every patch resolves at once', async () => {
    // A replica that is not the leader computes every patch and sends none: awaiting it is no yield.
    const component = acme('Component', 'payments-1-4-0');
    const many = Array.from({ length: 500 }, (_, i) => ({
      ...component,
      metadata: { ...component.metadata, name: `payments-9-${i}-0` },
      spec: { ...(component['spec'] as object), version: `9.${i}.0` },
    }));
    const reconciler = new VimanaStatusReconciler({
      view: clusterOf(stored([...ACME, ...many])),
      log,
      now: () => NOW,
      patchStatus: async () => undefined,
    });
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
});

describe('computedStatusPatch', () => {
  const computed = (kind: VimanaKind, object: KubeObject) =>
    computeVimanaStatus(
      { kind: { group: VIMANA_GROUP, kind }, namespace: 'acme', object },
      clusterOf(ACME),
      NOW,
    )!;

  it('sets owned fields no longer computed to null, and is undefined when all is in place', () => {
    const server = acme('Server');
    const status = computed('Server', server);
    // Stored with sorted keys, as the API server serialises it: order does not matter.
    const storedStatus = Object.fromEntries(Object.entries(status).sort(([a], [b]) => a.localeCompare(b)));
    expect(computedStatusPatch('Server', storedStatus, status)).toBeUndefined();
    const zeroWeights = {
      ...server,
      spec: { ...(server['spec'] as object), versionWeights: { '1.4.0': 0 } },
    };
    const patch = computedStatusPatch('Server', storedStatus, computed('Server', zeroWeights));
    expect(patch).toMatchObject({ traffic: null, trafficPercent: null });
  });
});
