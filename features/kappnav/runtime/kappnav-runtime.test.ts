import { afterAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../pkg/kube/types.ts';
import { ScriptSandbox } from '../../../pkg/sandbox/script-sandbox.ts';
import { MemoryKappnavSource } from '../../../test/support/kappnav/memory-kappnav-source.ts';
import { memoryRuntime, recordingLog } from '../../../test/support/kappnav/memory-runtime.ts';
import { application, deployment } from '../../../test/support/kappnav/status-fixtures.ts';
import { statusAnnotations } from '../status/status-annotations.ts';
import { StatusInjectionEndpoint } from './status-injection-endpoint.ts';
import { StatusReconciler } from './status-reconciler.ts';

const sandbox = new ScriptSandbox({ workers: 2 });
afterAll(() => sandbox.close());

const web = application('web', {
  kinds: [{ group: 'apps', kind: 'Deployment' }],
  selector: { matchLabels: { app: 'web' } },
});
/** A Deployment whose status map says Normal, carrying a stale Problem written before it recovered. */
const recovered: KubeObject = {
  ...deployment('api', 'Normal', { labels: { app: 'web' } }),
  metadata: {
    name: 'api',
    namespace: 'default',
    labels: { app: 'web' },
    annotations: statusAnnotations({ value: 'Problem', flyover: 'Desired: 2, Available: 0' }),
  },
};

describe('KappnavRuntime', () => {
  it('gives the webhook, the reconciler and the API one status: the status map, not a copy in annotations', async () => {
    const source = new MemoryKappnavSource([web, recovered]);
    await source.prepare();
    const runtime = memoryRuntime(source, sandbox);
    const [api] = await runtime.evaluation().statusesOf([source.get('Application', 'web')!]);
    expect(api?.value).toBe('Normal');

    const { log } = recordingLog();
    const endpoint = new StatusInjectionEndpoint({ runtime, log });
    const admitted = await endpoint.mutate(
      {
        uid: 'u',
        kind: { group: 'app.k8s.io', version: 'v1beta1', kind: 'Application' },
        resource: { group: 'app.k8s.io', version: 'v1beta1', resource: 'applications' },
        namespace: 'default',
        operation: 'UPDATE',
        userInfo: {},
        object: web,
        oldObject: { ...web, spec: {} },
      },
      structuredClone(web),
    );
    expect(admitted?.object.metadata?.annotations?.['kappnav.status.value']).toBe('Normal');

    const reconciler = new StatusReconciler(runtime, log, { windowMs: 1 });
    reconciler.everythingChanged();
    await reconciler.idle();
    await reconciler.stop();
    expect([source.value('Application', 'web'), source.value('Deployment', 'api')]).toEqual([
      'Normal',
      'Normal',
    ]);
  });

  it('remembers statuses and maps per object version, and forgets them when the maps change', async () => {
    const source = new MemoryKappnavSource([web, recovered]);
    const runtime = memoryRuntime(source, sandbox);
    const insights = runtime.insights();
    expect(insights.statusOf(recovered)).toBe(insights.statusOf(recovered));
    expect(runtime.mapsOf(recovered).actions).toBe(runtime.mapsOf(recovered).actions);
    const changed = { ...recovered, status: { replicas: 2, availableReplicas: 1 } };
    expect((await insights.statusOf(changed)).status.value).toBe('Warning');

    source.changed('objects');
    expect(runtime.insights()).toBe(insights);
    const map = source.getConfigMap('kappnav', 'kappnav.status-mapping.deployment')!;
    source.put({ ...map, data: { exists: '{"value": "Warning", "flyover": "Always."}' } });
    source.changed('maps');
    expect(runtime.insights()).not.toBe(insights);
    expect((await runtime.insights().statusOf(recovered)).status).toEqual({
      value: 'Warning',
      flyover: 'Always.',
    });
  });
});
