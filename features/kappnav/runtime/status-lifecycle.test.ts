import { afterAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../pkg/kube/types.ts';
import { identityOf, objectIdentity, type ObjectReference } from '../model/object-identity.ts';
import { application, deployment, service } from '../../../test/support/kappnav/status-fixtures.ts';
import { ScriptSandbox } from '../../../pkg/sandbox/script-sandbox.ts';
import { StatusLifecycleHandler, UnknownKindError } from './status-lifecycle.ts';
import {
  MemoryEnvironment,
  memoryStore,
  recordingLog,
} from '../../../test/support/kappnav/status-feature.ts';

const sandbox = new ScriptSandbox({ workers: 2 });
afterAll(() => sandbox.close());

const KINDS = [
  { group: 'app.k8s.io', kind: 'Application' },
  { group: 'apps', kind: 'Deployment' },
  { group: 'core', kind: 'Service' },
];
const app = (name: string, selects: string, labels: Record<string, string> = {}) =>
  application(name, { labels, kinds: KINDS, selector: { matchLabels: { in: selects } } });

/**
 * A lifecycle handler over a memory cluster (the informers and the API server at once), where `newer`
 * objects are what the API server already holds and the informers have not delivered yet.
 */
function handlerOver(objects: KubeObject[], newer: KubeObject[] = []) {
  const environment = new MemoryEnvironment(objects, sandbox);
  const ahead = new Map(newer.map((o) => [objectIdentity(o), o]));
  const handler = new StatusLifecycleHandler({
    environment,
    store: memoryStore(environment.cluster),
    problems: recordingLog().problems,
    resolveKind: (group, kind) => Promise.resolve(environment.registry.forKind(group, kind)),
    read: (_type, reference) =>
      Promise.resolve(ahead.get(identityOf(reference)) ?? environment.get(reference.kind, reference.name)),
  });
  return { environment, handler };
}

const ref = (group: string, kind: string, name: string): ObjectReference => ({
  group,
  kind,
  namespace: 'default',
  name,
});
const summary = (stored: { reference: ObjectReference; status: { value: string }; written: boolean }[]) =>
  Object.fromEntries(stored.map((s) => [s.reference.name, `${s.status.value}${s.written ? '' : ' (kept)'}`]));

describe("StatusLifecycleHandler (the seed's lifecycle-event API)", () => {
  it('create/update of a resource: its status and every ancestor, read from the API server', async () => {
    const stale = deployment('d', 'Normal', { labels: { in: 'child' } });
    const fresh = deployment('d', 'Problem', { labels: { in: 'child' } });
    const objects = [app('top', 'top'), app('child', 'child', { in: 'top' }), stale];
    const { handler, environment } = handlerOver(objects, [fresh]);
    const result = await handler.recomputeStatus(ref('apps', 'Deployment', 'd'));
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
    const { handler } = handlerOver(objects);
    const result = await handler.recomputeStatus(ref('app.k8s.io', 'Application', 'a'), 'update');
    expect(result.status?.value).toBe('Warning');
    expect(summary(result.stored)).toEqual({ a: 'Warning', b: 'Warning', x: 'Warning', y: 'Normal' });
    const again = await handler.recomputeStatus(ref('app.k8s.io', 'Application', 'b'));
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
    const { handler } = handlerOver(objects);
    await handler.recomputeStatus(ref('apps', 'Deployment', 'd'));
    const result = await handler.recomputeStatus(ref('apps', 'Deployment', 'd'), 'delete');
    expect(result.status).toBeUndefined();
    expect(summary(result.stored)).toEqual({ child: 'Normal', top: 'Normal' });
  });

  it('refuses a kind the cluster does not serve, and a namespaced object without a namespace', async () => {
    const { handler } = handlerOver([]);
    await expect(handler.recomputeStatus(ref('example.com', 'Ghost', 'g'))).rejects.toBeInstanceOf(
      UnknownKindError,
    );
    await expect(handler.recomputeStatus({ group: 'apps', kind: 'Deployment', name: 'd' })).rejects.toThrow(
      'Deployment is namespaced',
    );
  });
});
