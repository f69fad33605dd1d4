import { afterAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../pkg/kube/types.ts';
import {
  application,
  deployment,
  service,
  type Health,
} from '../../../test/support/kappnav/status-fixtures.ts';
import { ScriptSandbox } from '../../../pkg/sandbox/script-sandbox.ts';
import { StatusReconciler, type ReconcilerOptions } from './status-reconciler.ts';
import type { MergePatcher } from './status-store.ts';
import { MemoryKappnavSource } from '../../../test/support/kappnav/memory-kappnav-source.ts';
import { memoryPatcher, memoryRuntime, recordingLog } from '../../../test/support/kappnav/memory-runtime.ts';

const sandbox = new ScriptSandbox({ workers: 2 });
afterAll(() => sandbox.close());

const KINDS = [
  { group: 'apps', kind: 'Deployment' },
  { group: 'core', kind: 'Service' },
];
const top = application('top', {
  kinds: [{ group: 'app.k8s.io', kind: 'Application' }],
  selector: { matchLabels: { part: 'top' } },
});
const child = application('child', {
  labels: { part: 'top' },
  kinds: KINDS,
  selector: { matchLabels: { app: 'web' } },
});
const web = (health: Health) => deployment('web', health, { labels: { app: 'web' } });

/** A reconciler over a runtime over `objects`; `patcher` stores statuses, into the cluster by default. */
function setup(
  objects: KubeObject[],
  patcher?: (source: MemoryKappnavSource) => MergePatcher,
  options: ReconcilerOptions = { windowMs: 5, retryDelayMs: 5, maxAttempts: 3 },
) {
  const environment = new MemoryKappnavSource(objects);
  const patch = memoryPatcher(environment);
  const { log, lines, problems } = recordingLog();
  const runtime = memoryRuntime(environment, sandbox, { patcher: patcher?.(environment) ?? patch, problems });
  const reconciler = new StatusReconciler(runtime, log, options);
  /** Applies `object` to the cluster and tells the reconciler, as an informer would. */
  const change = (object: KubeObject) =>
    environment.objectChanged({ old: environment.put(object), new: object });
  return { environment, reconciler, change, lines, patch, log, problems, runtime };
}

describe('StatusReconciler', () => {
  it('stores the statuses a change moves: the resource and every ancestor', async () => {
    const { environment, reconciler, change, patch } = setup([
      top,
      child,
      web('Normal'),
      service('web', { labels: { app: 'web' } }),
    ]);
    reconciler.everythingChanged();
    await reconciler.idle();
    expect(['top', 'child'].map((n) => environment.value('Application', n))).toEqual(['Normal', 'Normal']);
    expect(environment.value('Service', 'web')).toBe('Normal');

    patch.patches.length = 0;
    change(web('Warning'));
    await reconciler.idle();
    expect(environment.value('Deployment', 'web')).toBe('Warning');
    expect(['top', 'child'].map((n) => environment.value('Application', n))).toEqual(['Warning', 'Warning']);
    // The Service did not change, so its status was not written again.
    expect(patch.patches.map((o) => o.metadata?.name).sort()).toEqual(['child', 'top', 'web']);
    expect(environment.get('Application', 'child')?.metadata?.annotations?.['kappnav.status.flyover']).toBe(
      '2 components: 1 Warning, 1 Normal',
    );
  });

  it('follows deletions and selector changes', async () => {
    const { environment, reconciler, change } = setup([top, child, web('Problem')]);
    reconciler.everythingChanged();
    await reconciler.idle();
    expect(environment.value('Application', 'top')).toBe('Problem');
    environment.objectChanged({ old: environment.remove(web('Problem')) });
    await reconciler.idle();
    expect(environment.value('Application', 'child')).toBe('Unknown');
    change(
      application('child', {
        labels: { part: 'top' },
        kinds: KINDS,
        selector: { matchLabels: { app: 'api' } },
      }),
    );
    change(deployment('api', 'Warning', { labels: { app: 'api' } }));
    await reconciler.idle();
    expect(['top', 'child'].map((n) => environment.value('Application', n))).toEqual(['Warning', 'Warning']);
  });

  it('drops the echo of a status write and coalesces a burst into one batch', async () => {
    const { environment, reconciler, change } = setup([child, web('Normal')]);
    reconciler.everythingChanged();
    await reconciler.idle();
    const before = reconciler.stats();
    const stored = environment.get('Deployment', 'web')!;
    environment.objectChanged({ old: web('Normal'), new: stored });
    for (const health of ['Warning', 'Problem', 'Warning', 'Problem'] as const) change(web(health));
    await reconciler.idle();
    const after = reconciler.stats();
    // The echo given here, and the echoes of the batch's two writes (the Deployment, the application).
    expect(after.skipped - before.skipped).toBe(3);
    expect(after.batches - before.batches).toBe(1);
    expect(after.events - before.events).toBe(4);
    expect(environment.value('Application', 'child')).toBe('Problem');
  });

  it('waits for the echo of its writes, so a value written a moment ago is not taken for the older one', async () => {
    // The API server holds a write at once; the informer (the cluster here) sees it when delivered.
    const undelivered: (() => Promise<void>)[] = [];
    const lagging = (source: MemoryKappnavSource): MergePatcher => {
      const delivering = memoryPatcher(source);
      return (object, body) => {
        undelivered.push(() => delivering(object, body));
        return Promise.resolve();
      };
    };
    const deliver = async () => {
      for (const write of undelivered.splice(0)) await write();
    };
    const { environment, reconciler, change } = setup([child, web('Problem')], lagging, { windowMs: 1 });
    reconciler.everythingChanged();
    await reconciler.idle();
    await deliver();
    expect(environment.value('Application', 'child')).toBe('Problem');

    change(web('Warning'));
    await reconciler.idle(); // child: Warning written, not delivered yet
    change(web('Problem'));
    setTimeout(() => void deliver(), 30);
    await reconciler.idle(); // waited for the Warning to arrive, so Problem is written again
    await deliver();
    expect(environment.value('Application', 'child')).toBe('Problem');
  });

  it('terminates on cycles of applications', async () => {
    const loop = (name: string, other: string) =>
      application(name, {
        labels: { loop: name },
        kinds: [{ group: 'app.k8s.io', kind: 'Application' }, ...KINDS],
        selector: { matchExpressions: [{ key: 'loop', operator: 'In', values: [other] }] },
      });
    const { environment, reconciler, change } = setup([
      loop('a', 'b'),
      loop('b', 'a'),
      deployment('x', 'Warning', { labels: { loop: 'b' } }),
    ]);
    reconciler.everythingChanged();
    await reconciler.idle();
    expect(['a', 'b'].map((n) => environment.value('Application', n))).toEqual(['Warning', 'Warning']);
    change(deployment('x', 'Normal', { labels: { loop: 'b' } }));
    await reconciler.idle();
    expect(['a', 'b'].map((n) => environment.value('Application', n))).toEqual(['Normal', 'Normal']);
  });

  it('retries a failed write with backoff, and gives up after its attempts', async () => {
    let refusals = 2;
    const flaky =
      (source: MemoryKappnavSource): MergePatcher =>
      (object, body) =>
        object.kind === 'Application' && refusals-- > 0
          ? Promise.reject(new Error('conflict'))
          : memoryPatcher(source)(object, body);
    const options = { windowMs: 5, retryDelayMs: 2, maxAttempts: 3 };
    const {
      environment,
      reconciler: retrying,
      lines,
      log,
      problems,
    } = setup([child, web('Normal')], flaky, options);
    retrying.everythingChanged();
    await retrying.idle();
    expect(environment.value('Application', 'child')).toBe('Normal');
    expect(retrying.stats().failures).toBe(2);
    await retrying.stop();

    const refused = () => Promise.reject(new Error('forbidden'));
    const runtime = memoryRuntime(environment, sandbox, { patcher: refused, problems });
    const broken = new StatusReconciler(runtime, log, options);
    environment.objectChanged({ old: environment.put(web('Warning')), new: web('Warning') });
    await broken.idle();
    // The Deployment and its application, three attempts each.
    expect(broken.stats().failures).toBe(6);
    const gaveUp = lines.filter(
      (l) => l.msg === 'could not store kAppNav status; giving up until it changes',
    );
    expect(gaveUp.map((l) => l.object).sort()).toEqual([
      'app.k8s.io/Application/default/child',
      'apps/Deployment/default/web',
    ]);
  });

  it('stores nothing on a replica that does not lead', async () => {
    const { environment, reconciler: follower } = setup([child, web('Warning')], undefined, {
      windowMs: 1,
      leads: () => false,
    });
    follower.everythingChanged();
    await follower.idle();
    expect(environment.value('Application', 'child')).toBeUndefined();
    expect(follower.stats()).toMatchObject({ batches: 1, events: 0, writes: 0 });
  });

  it('recomputes everything after a batch that could not read the cluster', async () => {
    const { environment, reconciler, lines } = setup([child, web('Warning')]);
    let fail = true;
    environment.prepare = () =>
      fail ? ((fail = false), Promise.reject(new Error('discovery failed'))) : Promise.resolve();
    environment.objectChanged({ new: web('Warning') });
    await reconciler.idle();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await reconciler.idle();
    expect(lines.some((l) => l.msg === 'kAppNav status batch failed; recomputing everything shortly')).toBe(
      true,
    );
    expect(environment.value('Application', 'child')).toBe('Warning');
  });
});
