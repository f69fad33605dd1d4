/**
 * The Vimana feature under the faults a real cluster has: Gateway API CRDs installed after prismgate
 * started, another controller writing status in a loop, a CRD without a status schema, and the Vimana
 * CRDs removed and installed again while prismgate runs. Each time: no crash, no write storm, a clear log
 * line and a metric.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import type { KubeObject } from '../../pkg/kube/types.ts';
import { KubeClient } from '../../pkg/kube/kube-client.ts';
import { VimanaFeature } from '../../features/vimana/feature.ts';
import { PRISMGATE_CONDITION } from '../../features/vimana/status.ts';
import { STATUS_FIELD_MANAGER } from '../../features/vimana/status-fields.ts';
import type { Prismgate } from '../../src/prismgate.ts';
import type { VimanaOperatorBuild } from '../control-plane/vimana-operator.ts';
import { ruleIds } from '../support/vimana/fixtures.ts';
import { eventually, kubeConfig, kubectl, kubectlOk, repoRoot } from './support/cluster.ts';
import { ensureCrds } from './support/crds.ts';
import { startPrismgate } from './support/prismgate.ts';
import { StatusWriteRecorder } from './support/status-writes.ts';
import { installGatewayCrds, operatorBuild, removeGatewayApiCrds } from './support/vimana-operator.ts';
import { apply, getObject, mvpManifest, TestNamespaces } from './vimana-gate.ts';

const MVP = `${repoRoot}/manifests/samples/vimana-mvp.yaml`;
const VIMANA_CRDS = ['vimanas', 'domains', 'servers', 'components'].map((p) => `${p}.api.vimana.host`);

interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

function condition(object: KubeObject, type: string): Record<string, unknown> | undefined {
  const conditions = (object['status'] as { conditions?: Record<string, unknown>[] } | undefined)?.conditions;
  return conditions?.find((entry) => entry['type'] === type);
}

describe('Vimana status under faults', () => {
  let build: VimanaOperatorBuild;
  let gate: Prismgate;
  let recorder: StatusWriteRecorder;
  const lines: LogLine[] = [];
  const namespaces = new TestNamespaces();
  let ns: string;

  const logged = (pattern: RegExp) => lines.filter((line) => pattern.test(line.msg));
  async function metric(name: string, labels: Record<string, string>): Promise<number | undefined> {
    const values = (await gate.registry.getSingleMetric(name)?.get())?.values ?? [];
    return values.find((value) => Object.entries(labels).every(([key, label]) => value.labels[key] === label))
      ?.value;
  }

  beforeAll(async () => {
    build = await operatorBuild();
    await removeGatewayApiCrds();
    await ensureCrds(true);
    gate = await startPrismgate([new VimanaFeature()], {
      log: pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) }),
    });
    ns = await namespaces.create('vimana-faults');
    recorder = await StatusWriteRecorder.start(ns);
    expect((await kubectl(['apply', '-n', ns, '-f', MVP])).code).toBe(0);
  });
  afterAll(async () => {
    await recorder?.stop();
    await gate?.stop();
    await namespaces.deleteAll();
    await removeGatewayApiCrds();
    await ensureCrds(true);
  });

  it('follows Gateway API CRDs installed after start: a Gateway created then counts, without a restart', async () => {
    const reconciling = await eventually('the Vimana to wait for its Gateway', async () => {
      const vimana = await getObject(ns, 'vimanas.api.vimana.host', 'the-vimana');
      return condition(vimana, PRISMGATE_CONDITION)?.['reason'] === 'Reconciling' && vimana;
    });
    expect(reconciling['status']).toMatchObject({ domainCount: 1 });
    await installGatewayCrds(build);
    await eventually('the log to say Gateway API is followed', () =>
      logged(/^Gateway API CRD installed/).some(
        (line) => line['crd'] === 'gateways.gateway.networking.k8s.io',
      ),
    );
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    await kubectlOk(['apply', '-n', ns, '-f', '-'], {
      input: {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'Gateway',
        metadata: { name: 'the-vimana-gateway' },
        spec: {
          gatewayClassName: 'envoy-gateway',
          listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }],
        },
      },
    });
    const accepted = (type: string) => ({
      type,
      status: 'True',
      reason: type,
      message: '',
      lastTransitionTime: now,
    });
    await kubectlOk([
      'patch',
      'gateways.gateway.networking.k8s.io',
      'the-vimana-gateway',
      '-n',
      ns,
      '--subresource=status',
      '--type=merge',
      '-p',
      JSON.stringify({ status: { conditions: [accepted('Accepted'), accepted('Programmed')] } }),
    ]);
    await eventually('the Vimana to be Reconciled from its accepted Gateway', async () => {
      const vimana = await getObject(ns, 'vimanas.api.vimana.host', 'the-vimana');
      return condition(vimana, PRISMGATE_CONDITION)?.['reason'] === 'Reconciled';
    });
    expect(
      await metric('prismgate_vimana_crd_installed', { crd: 'gateways.gateway.networking.k8s.io' }),
    ).toBe(1);
  });

  it('another controller writing status in a loop: prismgate writes none of it, counts it, says so once', async () => {
    await recorder.settled(2_000);
    const from = Date.now();
    const client = new KubeClient(kubeConfig());
    try {
      for (let i = 0; i < 40; i += 1)
        await client.request(
          'PATCH',
          `/apis/api.vimana.host/v1alpha1/namespaces/${ns}/domains/foo-domain/status`,
          {
            body: {
              status: {
                conditions: [
                  {
                    type: 'Available',
                    status: 'True',
                    reason: 'Reconciled',
                    message: `loop ${i}`,
                    lastTransitionTime: '2025-01-01T00:00:00Z',
                  },
                ],
              },
            },
            contentType: 'application/merge-patch+json',
            query: { fieldManager: 'looping-operator' },
          },
        );
    } finally {
      client.close();
    }
    await recorder.settled(2_000);
    // Forty writes in all, every one the loop's: none by prismgate. (After its first write the loop stamps
    // no managedFields entry anew, so the recorder cannot name it; prismgate's applies always stamp theirs.)
    expect(recorder.since(from)).toHaveLength(40);
    expect(recorder.since(from, STATUS_FIELD_MANAGER)).toEqual([]);
    const loops = logged(/rewritten more than 30 times a minute by looping-operator/);
    expect(loops).toHaveLength(1);
    expect(loops[0]).toMatchObject({ kind: 'Domain', name: 'foo-domain', managers: ['looping-operator'] });
    expect(
      await metric('prismgate_vimana_status_writes_observed_total', {
        kind: 'Domain',
        manager: 'looping-operator',
      }),
    ).toBe(40);
    // Its condition, and prismgate's, both stand: the status webhook put prismgate's back each time.
    const domain = await getObject(ns, 'domains.api.vimana.host', 'foo-domain');
    expect(condition(domain, 'Available')).toMatchObject({ message: 'loop 39' });
    expect(condition(domain, PRISMGATE_CONDITION)).toBeDefined();
  });

  it('a CRD whose version declares no status schema: no status written for that kind, said once', async () => {
    const crd = JSON.parse(await kubectlOk(['get', 'crd', 'domains.api.vimana.host', '-o', 'json'])) as {
      spec: { versions: { schema: { openAPIV3Schema: { properties: Record<string, unknown> } } }[] };
    };
    delete crd.spec.versions[0]!.schema.openAPIV3Schema.properties['status'];
    await kubectlOk(['replace', '-f', '-'], { input: crd });
    await eventually(
      'the log to say the Domain status is not written',
      () => logged(/the Domain CRD has no status schema: prismgate writes no Domain status/).length > 0,
    );
    expect(await metric('prismgate_vimana_status_fields_writable', { kind: 'Domain' })).toBe(0);
    await recorder.settled(2_000);
    const from = Date.now();
    // A change that prismgate would otherwise reflect in the Domain's status (and its Vimana's).
    const domain = mvpManifest().objects.find((object) => object.kind === 'Domain')!;
    const changed = await apply(ns, {
      ...domain,
      spec: { ...(domain['spec'] as object), aliases: ['api.vimana.host', 'grpc.vimana.host'] },
    });
    expect(changed.code, changed.stderr).toBe(0);
    await eventually(
      'the Vimana to list the new listener',
      async () =>
        ((await getObject(ns, 'vimanas.api.vimana.host', 'the-vimana'))['status'] as { listeners: unknown[] })
          .listeners.length === 3,
    );
    await recorder.settled(2_000);
    expect(recorder.since(from, STATUS_FIELD_MANAGER).map((write) => write.kind)).toEqual(['Vimana']);
  });

  it('the Vimana CRDs removed and installed again while running: no crash, said, and the gate works again', async () => {
    await kubectlOk(['delete', 'crd', ...VIMANA_CRDS, '--wait=true', '--timeout=60s']);
    await eventually(
      'the log to say the CRDs are gone',
      () => logged(/the Vimana CRD \(v1alpha1\) is not installed/).length > 0,
    );
    expect(await metric('prismgate_vimana_crd_installed', { crd: 'vimanas.api.vimana.host' })).toBe(0);
    expect(gate.ready()).toBe(true);
    await ensureCrds(true);
    const created = await eventually(
      'the gate to admit the manifest again',
      async () => {
        const result = await kubectl(['apply', '-n', ns, '-f', MVP]);
        return result.code === 0 && result;
      },
      60_000,
      1_000,
    );
    expect(created.stdout).toContain('vimana.api.vimana.host/the-vimana created');
    const denied = await apply(ns, {
      ...mvpManifest().objects[3]!,
      metadata: { name: 'bad' },
      spec: { version: '1.0', server: 'the-adder-server', domain: '0'.repeat(31) + '1', image: 'x' },
    });
    expect(ruleIds(denied.denials)).toContain('F3');
    await eventually(
      'prismgate to write the new objects’ status',
      async () =>
        (
          (await getObject(ns, 'servers.api.vimana.host', 'the-adder-server'))['status'] as
            { traffic?: string } | undefined
        )?.traffic === '1.0.0=100%',
    );
  });
});
