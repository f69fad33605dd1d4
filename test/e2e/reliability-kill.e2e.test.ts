/**
 * prismgate SIGKILLed while `kubectl apply` writes a multi-document Vimana manifest: no shutdown, so the
 * webhook configurations keep pointing at a port nobody listens on. What the cluster must then do is
 * what each webhook's failurePolicy says: the Vimana webhooks (Fail) make every later document fail with
 * "failed calling webhook" — nothing is admitted unchecked — while the status webhooks (Ignore) let
 * their requests through. Every object is either in the cluster with the mutating webhook's labels, or
 * absent; none is half-written. Restarted (under the same pod name, as a container restarts in its pod),
 * prismgate takes its lease back at once, re-registers, and the same apply succeeds.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { KubeClient } from '../../pkg/kube/kube-client.ts';
import type { KubeList, KubeObject } from '../../pkg/kube/types.ts';
import { component, mutationsOf, pluralOf, vimanaStack } from './reliability-fixtures.ts';
import { eventually, kubeConfig, kubectl, kubectlOk } from './support/cluster.ts';
import { installKappnav } from './support/kappnav.ts';
import { PrismgateMain } from './support/prismgate-main.ts';
import { freshDomainId, TestNamespaces } from './vimana-gate.ts';

const IDENTITY = `reliability-kill-${randomBytes(3).toString('hex')}`;
/** Enough documents that the apply is still going when prismgate dies. */
const COMPONENTS = 60;
const FAILED_CALL = /failed calling webhook "vimana\.(mutate|validate)\.prismgate\.kappnav\.io"/;

/** Each webhook of both configurations, with the port the API server would call. */
async function registeredPorts(): Promise<number[]> {
  const ports: number[] = [];
  for (const kind of ['validatingwebhookconfiguration', 'mutatingwebhookconfiguration']) {
    const result = await kubectl(['get', kind, 'prismgate', '-o', 'json']);
    if (result.code !== 0) return [];
    const config = JSON.parse(result.stdout) as {
      webhooks?: { clientConfig: { service: { port: number } } }[];
    };
    ports.push(...(config.webhooks ?? []).map((w) => w.clientConfig.service.port));
  }
  return ports;
}

/** prismgate started, ready, and registered: every webhook points at its port. */
async function startRegistered(): Promise<PrismgateMain> {
  const started = await PrismgateMain.start({
    kubeconfig: inject('prismgateKubeconfig'),
    identity: IDENTITY,
  });
  await eventually('prismgate to be ready', () => started.ready(), 60_000, 250);
  await eventually(
    'every webhook to point at the new process',
    async () => {
      const ports = await registeredPorts();
      return ports.length > 0 && ports.every((port) => port === started.webhookPort);
    },
    // A lease left by another file's process may have to expire first.
    60_000,
    250,
  );
  return started;
}

/** The object as the cluster holds it, or undefined. */
async function stored(namespace: string, object: KubeObject): Promise<KubeObject | undefined> {
  const result = await kubectl([
    'get',
    pluralOf(object),
    object.metadata!.name!,
    '-n',
    namespace,
    '-o',
    'json',
  ]);
  if (result.code === 0) return JSON.parse(result.stdout) as KubeObject;
  expect(result.stderr).toContain('NotFound');
  return undefined;
}

/** Stored with every change the mutating webhook makes: it saw the object. */
function expectMutated(object: KubeObject, live: KubeObject): void {
  const { labels, aliases } = mutationsOf(object);
  expect(live.metadata?.labels, `${object.kind} ${object.metadata?.name}`).toMatchObject(labels);
  if (aliases) expect((live['spec'] as { aliases?: string[] }).aliases).toEqual(aliases);
}

describe('prismgate killed mid-apply', () => {
  const namespaces = new TestNamespaces();
  let running: PrismgateMain | undefined;
  let ns: string;

  beforeAll(async () => {
    await installKappnav();
    running = await startRegistered();
    ns = await namespaces.create('rel-kill');
  });
  afterAll(async () => {
    await running?.stop();
    // A dead prismgate's registration would fail every later file's Vimana writes and namespace deletions.
    await kubectl([
      'delete',
      'validatingwebhookconfiguration,mutatingwebhookconfiguration',
      'prismgate',
      '--ignore-not-found',
    ]);
    await kubectl(['delete', 'apiservice', 'v1.prism.kappnav.io', '--ignore-not-found']);
    await namespaces.deleteAll();
  });

  it('fails closed where the policy is Fail, open where it is Ignore, and leaves nothing half-written', async () => {
    const domainId = freshDomainId();
    const objects = vimanaStack(ns, domainId, COMPONENTS);
    const client = new KubeClient(kubeConfig());
    const applying = kubectl(['apply', '-n', ns, '-f', '-'], { input: objects });
    await eventually(
      'the apply to have created a few Components',
      async () => {
        const list = await client.request<KubeList>(
          'GET',
          `/apis/api.vimana.host/v1alpha1/namespaces/${ns}/components`,
        );
        return list.items.length >= 5;
      },
      60_000,
      20,
    );
    await running!.kill();
    client.close();
    const result = await applying;

    // The documents after the kill failed, each because the API server could not call the Vimana webhooks.
    const created = result.stdout.split('\n').filter((line) => line.endsWith(' created'));
    const errors = result.stderr.split('\n').filter((line) => line.startsWith('Error from server'));
    console.log(
      `killed mid-apply: ${created.length} of ${objects.length} documents created, ${errors.length} refused`,
    );
    expect(result.code).not.toBe(0);
    expect(created.length).toBeGreaterThanOrEqual(5);
    expect(errors.length).toBeGreaterThan(0);
    expect(created.length + errors.length).toBe(objects.length);
    for (const error of errors) expect(error).toMatch(FAILED_CALL);

    // Whole or absent: what the apply reported created is stored with its mutations; nothing else is stored.
    for (const object of objects) {
      const live = await stored(ns, object);
      const reported = created.some((line) => line.endsWith(`/${object.metadata!.name} created`));
      expect(live !== undefined, `${object.kind} ${object.metadata?.name}`).toBe(reported);
      if (live) expectMutated(object, live);
    }

    // Still down: a Vimana write is refused, not admitted unchecked.
    const late = component(ns, domainId, 'payments', '9.9.9');
    const refused = await kubectl(['create', '-n', ns, '-f', '-'], { input: late });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(FAILED_CALL);
    expect(await stored(ns, late)).toBeUndefined();

    // The Ignore webhooks step aside: an Application (kAppNav status) and a Server status write go through.
    const app = await kubectl(['create', '-n', ns, '-f', '-'], {
      input: {
        apiVersion: 'app.k8s.io/v1beta1',
        kind: 'Application',
        metadata: { name: 'during-outage' },
        spec: {
          componentKinds: [{ group: 'apps', kind: 'Deployment' }],
          selector: { matchLabels: { app: 'x' } },
        },
      },
    });
    expect(app.code, app.stderr).toBe(0);
    const statusWrite = await kubectl([
      'patch',
      'server',
      'payments',
      '-n',
      ns,
      '--subresource=status',
      '--type=merge',
      '-p',
      JSON.stringify({ status: { traffic: 'written while prismgate was down' } }),
    ]);
    expect(statusWrite.code, statusWrite.stderr).toBe(0);

    // Restarted, prismgate registers again and the same apply completes.
    running = await startRegistered();
    const again = await kubectl(['apply', '-n', ns, '-f', '-'], { input: objects });
    expect(again.code, again.stderr).toBe(0);
    for (const object of objects) {
      const live = await stored(ns, object);
      expect(live, `${object.kind} ${object.metadata?.name}`).toBeDefined();
      expectMutated(object, live!);
    }
    expect((await kubectlOk(['get', 'components', '-n', ns, '-o', 'name'])).trim().split('\n')).toHaveLength(
      COMPONENTS,
    );
  }, 300_000);
});
