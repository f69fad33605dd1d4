import { afterAll, describe, expect, it } from 'vitest';
import type { KubeClient } from '../../../pkg/kube/kube-client.ts';
import { objectPath } from '../../../pkg/kube/resource-type.ts';
import type { KubeObject } from '../../../pkg/kube/types.ts';
import { application, deployment, service } from '../../../test/support/kappnav/status-fixtures.ts';
import { ScriptSandbox } from '../../../pkg/sandbox/script-sandbox.ts';
import type { LifecycleSubject, StoredStatus } from './status-lifecycle.ts';
import type { MergePatcher } from './status-store.ts';
import { MemoryKappnavSource, SOURCE_TYPES } from '../../../test/support/kappnav/memory-kappnav-source.ts';
import { memoryClient, memoryRuntime } from '../../../test/support/kappnav/memory-runtime.ts';

const sandbox = new ScriptSandbox({ workers: 2 });
afterAll(() => sandbox.close());

const KINDS = [
  { group: 'app.k8s.io', kind: 'Application' },
  { group: 'apps', kind: 'Deployment' },
  { group: 'core', kind: 'Service' },
];
const app = (name: string, selects: string, labels: Record<string, string> = {}) =>
  application(name, { labels, kinds: KINDS, selector: { matchLabels: { in: selects } } });

const typeOf = (kind: string) => SOURCE_TYPES.find((t) => t.kind === kind)!;

/**
 * The runtime's lifecycle over a memory cluster (the informers and the API server at once), where `newer`
 * objects are what the API server already holds and the informers have not delivered yet.
 */
function lifecycleOver(objects: KubeObject[], newer: KubeObject[] = [], patcher?: MergePatcher) {
  const environment = new MemoryKappnavSource(objects);
  const reads: string[] = [];
  const server = memoryClient(environment);
  const client: Pick<KubeClient, 'request'> = {
    request: <T>(method: string, path: string) => {
      reads.push(`${method} ${path}`);
      const ahead = newer.find((o) => path === objectPath(typeOf(o.kind!), 'default', o.metadata!.name!));
      return ahead ? Promise.resolve(ahead as T) : server.request<T>(method, path);
    },
  };
  const { lifecycle } = memoryRuntime(environment, sandbox, { client, ...(patcher ? { patcher } : {}) });
  return { environment, lifecycle, reads };
}

const subject = (kind: string, name: string): LifecycleSubject => ({
  type: typeOf(kind),
  namespace: 'default',
  name,
});
const summary = (stored: StoredStatus[]) =>
  Object.fromEntries(
    stored.map((s) => [s.object.metadata?.name, `${s.status.value}${s.written ? '' : ' (kept)'}`]),
  );

describe("StatusLifecycle (the seed's lifecycle-event API)", () => {
  it('create/update of a resource: its status and every ancestor, read from the API server', async () => {
    const stale = deployment('d', 'Normal', { labels: { in: 'child' } });
    const fresh = deployment('d', 'Problem', { labels: { in: 'child' } });
    const objects = [app('top', 'top'), app('child', 'child', { in: 'top' }), stale];
    const { lifecycle, environment } = lifecycleOver(objects, [fresh]);
    const result = await lifecycle.recompute(subject('Deployment', 'd'));
    expect(result.status).toEqual({
      value: 'Problem',
      flyover: 'Desired: 2, Available: 0',
      'flyover.nls': ['status.flyover.deployment', '2', '0'],
    });
    expect(summary(result.stored)).toEqual({ d: 'Problem', child: 'Problem', top: 'Problem' });
    expect(environment.value('Application', 'top')).toBe('Problem');
  });

  it('an application: recursive over what it contains, each once, through a cycle', async () => {
    const objects = [
      app('a', 'a', { in: 'b' }),
      app('b', 'b', { in: 'a' }),
      deployment('x', 'Warning', { labels: { in: 'b' } }),
      service('y', { labels: { in: 'a' } }),
    ];
    const { lifecycle } = lifecycleOver(objects);
    const result = await lifecycle.recompute(subject('Application', 'a'), { event: 'Updated' });
    expect(result.status?.value).toBe('Warning');
    expect(summary(result.stored)).toEqual({ a: 'Warning', b: 'Warning', x: 'Warning', y: 'Normal' });
    const again = await lifecycle.recompute(subject('Application', 'b'));
    expect(summary(again.stored)).toEqual({
      a: 'Warning (kept)',
      b: 'Warning (kept)',
      x: 'Warning (kept)',
      y: 'Normal (kept)',
    });
  });

  it('delete: the applications that could have held it, without it', async () => {
    const gone = deployment('d', 'Problem', { labels: { in: 'child' } });
    const objects = [
      app('top', 'top'),
      app('child', 'child', { in: 'top' }),
      gone,
      deployment('e', 'Normal', { labels: { in: 'child' } }),
    ];
    const { lifecycle } = lifecycleOver(objects);
    await lifecycle.recompute(subject('Deployment', 'd'));
    const result = await lifecycle.recompute(subject('Deployment', 'd'), { event: 'Deleted' });
    expect(result.status).toBeUndefined();
    expect(summary(result.stored)).toEqual({ child: 'Normal', top: 'Normal' });
  });

  it('reports a write that fails with its error, writes the others, and writes nothing on a dry run', async () => {
    const objects = [app('top', 'top'), deployment('d', 'Warning', { labels: { in: 'top' } })];
    const refusingApplications: MergePatcher = (object) =>
      object.kind === 'Application'
        ? Promise.reject(new Error('admission webhook denied'))
        : Promise.resolve();
    const { lifecycle } = lifecycleOver(objects, [], refusingApplications);
    const dry = await lifecycle.recompute(subject('Deployment', 'd'), { dryRun: true });
    expect(summary(dry.stored)).toEqual({ d: 'Warning (kept)', top: 'Warning (kept)' });
    const { stored } = await lifecycle.recompute(subject('Deployment', 'd'));
    expect(stored.map((s) => [s.object.metadata?.name, s.written, s.error])).toEqual([
      ['d', true, undefined],
      ['top', false, 'admission webhook denied'],
    ]);
  });

  it('refuses a namespaced object without a namespace, before reading or writing anything', async () => {
    const { lifecycle, reads } = lifecycleOver([deployment('d', 'Normal')]);
    await expect(lifecycle.recompute({ type: typeOf('Deployment'), name: 'd' })).rejects.toThrow(
      'Deployment is namespaced',
    );
    expect(reads).toEqual([]);
  });
});
