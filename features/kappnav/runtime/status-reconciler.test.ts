import { afterAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../pkg/kube/types.ts';
import {
  application,
  deployment,
  service,
  type Health,
} from '../../../test/support/kappnav/status-fixtures.ts';
import { ScriptSandbox } from '../../../pkg/sandbox/script-sandbox.ts';
import { StatusReconciler } from './status-reconciler.ts';
import { StatusStore, type MergePatcher } from './status-store.ts';
import {
  MemoryEnvironment,
  memoryPatcher,
  recordingLog,
} from '../../../test/support/kappnav/status-feature.ts';

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

function setup(objects: KubeObject[]) {
  const environment = new MemoryEnvironment(objects, sandbox);
  const patch = memoryPatcher(environment.cluster, (echo) => reconciler.objectChanged(echo));
  const { log, lines, problems } = recordingLog();
  const options = { windowMs: 5, retryDelayMs: 5, maxAttempts: 3 };
  const reconciler: StatusReconciler = new StatusReconciler(
    environment,
    new StatusStore(patch),
    problems,
    log,
    options,
  );
  /** Applies `object` to the cluster and tells the reconciler, as an informer would. */
  const change = (object: KubeObject) =>
    reconciler.objectChanged({ old: environment.cluster.put(object), new: object });
  return { environment, reconciler, change, lines, patch };
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
    // The Service did not change, so it was neither recomputed nor written.
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
    reconciler.objectChanged({ old: environment.cluster.remove(web('Problem')) });
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
    reconciler.objectChanged({ old: web('Normal'), new: stored });
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
    const environment = new MemoryEnvironment([child, web('Problem')], sandbox);
    // The API server holds a write at once; the informer (the cluster here) sees it when delivered.
    const delivering = memoryPatcher(environment.cluster, (echo) => reconciler.objectChanged(echo));
    const undelivered: (() => Promise<void>)[] = [];
    const lagging: MergePatcher = (object, body) => {
      undelivered.push(() => delivering(object, body));
      return Promise.resolve();
    };
    const deliver = async () => {
      for (const write of undelivered.splice(0)) await write();
    };
    const { log, problems } = recordingLog();
    const reconciler: StatusReconciler = new StatusReconciler(
      environment,
      new StatusStore(lagging),
      problems,
      log,
      {
        windowMs: 1,
      },
    );
    reconciler.everythingChanged();
    await reconciler.idle();
    await deliver();
    expect(environment.value('Application', 'child')).toBe('Problem');

    reconciler.objectChanged({ old: environment.cluster.put(web('Warning')), new: web('Warning') });
    await reconciler.idle(); // child: Warning written, not delivered yet
    reconciler.objectChanged({ old: environment.cluster.put(web('Problem')), new: web('Problem') });
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
    const environment = new MemoryEnvironment([child, web('Normal')], sandbox);
    const working = memoryPatcher(environment.cluster, (echo) => retrying.objectChanged(echo));
    let refusals = 2;
    const flaky: MergePatcher = (object, body) =>
      object.kind === 'Application' && refusals-- > 0
        ? Promise.reject(new Error('conflict'))
        : working(object, body);
    const { log, lines, problems } = recordingLog();
    const options = { windowMs: 5, retryDelayMs: 2, maxAttempts: 3 };
    const retrying: StatusReconciler = new StatusReconciler(
      environment,
      new StatusStore(flaky),
      problems,
      log,
      options,
    );
    retrying.everythingChanged();
    await retrying.idle();
    expect(environment.value('Application', 'child')).toBe('Normal');
    expect(retrying.stats().failures).toBe(2);

    const refused = () => Promise.reject(new Error('forbidden'));
    const broken = new StatusReconciler(environment, new StatusStore(refused), problems, log, options);
    broken.objectChanged({ old: environment.cluster.put(web('Warning')), new: web('Warning') });
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
    const environment = new MemoryEnvironment([child, web('Warning')], sandbox);
    const { log, problems } = recordingLog();
    const follower = new StatusReconciler(
      environment,
      new StatusStore(memoryPatcher(environment.cluster)),
      problems,
      log,
      {
        windowMs: 1,
        leads: () => false,
      },
    );
    follower.everythingChanged();
    await follower.idle();
    expect(environment.value('Application', 'child')).toBeUndefined();
    expect(follower.stats()).toMatchObject({ batches: 1, events: 0, writes: 0 });
  });

  it('recomputes everything after a batch that could not read the cluster', async () => {
    const { environment, reconciler, lines } = setup([child, web('Warning')]);
    let fail = true;
    environment.prepare = () =>
      fail
        ? ((fail = false), Promise.reject(new Error('discovery failed')))
        : Promise.resolve({ kindsChanged: false });
    reconciler.objectChanged({ new: web('Warning') });
    await reconciler.idle();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await reconciler.idle();
    expect(lines.some((l) => l.msg === 'kAppNav status batch failed; recomputing everything shortly')).toBe(
      true,
    );
    expect(environment.value('Application', 'child')).toBe('Warning');
  });
});
