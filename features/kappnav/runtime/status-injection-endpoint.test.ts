import { afterAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../pkg/kube/types.ts';
import { CORE_TYPES } from '../../../pkg/kube/resource-type.ts';
import { application, deployment, service } from '../../../test/support/kappnav/status-fixtures.ts';
import { ScriptSandbox } from '../../../pkg/sandbox/script-sandbox.ts';
import type { AdmissionRequest, Operation } from '../../../webhook/admission-review.ts';
import { injectionRules, StatusInjectionEndpoint } from './status-injection-endpoint.ts';
import type { KappnavRuntime } from './kappnav-runtime.ts';
import { MemoryKappnavSource } from '../../../test/support/kappnav/memory-kappnav-source.ts';
import { memoryRuntime, recordingLog } from '../../../test/support/kappnav/memory-runtime.ts';

const sandbox = new ScriptSandbox({ workers: 2 });
afterAll(() => sandbox.close());

const web = application('web', {
  kinds: [
    { group: 'apps', kind: 'Deployment' },
    { group: 'core', kind: 'Service' },
  ],
  selector: { matchLabels: { app: 'web' } },
});

function request(operation: Operation, object: KubeObject, oldObject?: KubeObject): AdmissionRequest {
  return {
    uid: 'u',
    kind: { group: '', version: 'v1', kind: object.kind ?? '' },
    resource: { group: '', version: 'v1', resource: '' },
    namespace: 'default',
    operation,
    userInfo: {},
    object,
    ...(oldObject ? { oldObject } : {}),
  };
}

/** A runtime over `objects` whose applications' kinds are followed. */
async function runtimeOver(objects: KubeObject[], scripts: Pick<ScriptSandbox, 'call'> = sandbox) {
  const source = new MemoryKappnavSource(objects);
  await source.prepare();
  return { source, runtime: memoryRuntime(source, scripts) };
}

function endpointOver(
  runtime: Pick<KappnavRuntime, 'cluster' | 'problems' | 'evaluation'>,
  deadlineMs?: number,
) {
  const recording = recordingLog();
  const endpoint = new StatusInjectionEndpoint({
    runtime,
    log: recording.log,
    ...(deadlineMs === undefined ? {} : { deadlineMs }),
  });
  return { endpoint, ...recording };
}

const annotationsOf = async (endpoint: StatusInjectionEndpoint, review: AdmissionRequest) =>
  (await endpoint.mutate(review, structuredClone(review.object!)))?.object.metadata?.annotations;

const { runtime } = await runtimeOver([web, deployment('api', 'Warning', { labels: { app: 'web' } })]);

describe('StatusInjectionEndpoint', () => {
  const { endpoint } = endpointOver(runtime);

  it('sets the status of a component as it is created or updated', async () => {
    const created = deployment('front', 'Problem', { labels: { app: 'web' } });
    expect(await annotationsOf(endpoint, request('CREATE', created))).toEqual({
      'kappnav.status.value': 'Problem',
      'kappnav.status.flyover': 'Desired: 2, Available: 0',
      'kappnav.status.flyover.nls': '["status.flyover.deployment","2","0"]',
    });
    const svc = service('front', { labels: { app: 'web' } });
    expect(
      (await annotationsOf(endpoint, request('UPDATE', svc, service('front'))))?.['kappnav.status.value'],
    ).toBe('Normal');
  });

  it('sets the status of an application from its components', async () => {
    expect(await annotationsOf(endpoint, request('CREATE', web))).toEqual({
      'kappnav.status.value': 'Warning',
      'kappnav.status.flyover': '1 component: 1 Warning',
    });
  });

  it('leaves alone what carries no status, echoes of status writes, deletions and the time before listing', async () => {
    expect(await annotationsOf(endpoint, request('CREATE', deployment('lonely', 'Normal')))).toBeUndefined();
    const stored = {
      ...web,
      metadata: { ...web.metadata, annotations: { 'kappnav.status.value': 'Normal' } },
    };
    expect(await annotationsOf(endpoint, request('UPDATE', stored, web))).toBeUndefined();
    expect(await endpoint.mutate(request('DELETE', web), web)).toBeUndefined();
    const unlisted = await runtimeOver([web]);
    unlisted.source.listed = false;
    expect(
      await annotationsOf(endpointOver(unlisted.runtime).endpoint, request('CREATE', web)),
    ).toBeUndefined();
  });

  it('never denies: a failure or a slow status lets the object through unchanged', async () => {
    const failing = {
      cluster: runtime.cluster,
      problems: runtime.problems,
      evaluation: () => {
        throw new Error('boom');
      },
    };
    const broken = endpointOver(failing);
    expect(await broken.endpoint.mutate(request('CREATE', web), structuredClone(web))).toBeUndefined();
    expect(broken.lines.map((l) => l.msg)).toContain(
      'kAppNav status injection failed; the object is admitted without status',
    );

    // A sandbox that never answers: the Deployment's status map is an algorithm.
    const stalled = await runtimeOver([web], { call: () => new Promise(() => {}) });
    const slow = endpointOver(stalled.runtime, 20);
    const started = performance.now();
    expect(
      await slow.endpoint.mutate(
        request('CREATE', deployment('d', 'Normal', { labels: { app: 'web' } })),
        {},
      ),
    ).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('declares rules for applications and the componentKinds, never denying, and announces changes', () => {
    // The componentKinds followed: web names Deployments and Services.
    expect(runtime.cluster.componentKinds()).toEqual([CORE_TYPES.deployments, CORE_TYPES.services]);
    const declaration = endpoint.declaration();
    expect(declaration).toMatchObject({ failurePolicy: 'Ignore', reinvocationPolicy: 'IfNeeded' });
    expect(declaration.rules).toEqual([
      { apiGroups: [''], apiVersions: ['*'], resources: ['services'], operations: ['CREATE', 'UPDATE'] },
      {
        apiGroups: ['app.k8s.io'],
        apiVersions: ['*'],
        resources: ['applications'],
        operations: ['CREATE', 'UPDATE'],
      },
      {
        apiGroups: ['apps'],
        apiVersions: ['*'],
        resources: ['deployments'],
        operations: ['CREATE', 'UPDATE'],
      },
    ]);
    expect(injectionRules([])).toHaveLength(1);
    // Secrets never reach it: kAppNav holds them without their data (issue 15, finding 5).
    expect(injectionRules([CORE_TYPES.secrets, CORE_TYPES.services])[0]!.resources).toEqual(['services']);
    let calls = 0;
    endpoint.onRulesChanged(() => calls++);
    endpoint.rulesChanged();
    expect(calls).toBe(1);
  });
});
