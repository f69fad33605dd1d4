/**
 * Deletion rules D1-D4 as in-use protection: a delete is always accepted (with a warning naming what
 * still uses the object), the object waits in Terminating under prismgate's finalizer until nothing does,
 * and nothing ever deadlocks: a whole manifest deleted in any order leaves nothing, a namespace deletion
 * completes, and what the garbage collector deletes goes once nothing uses it.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { KubeObject } from '../../pkg/kube/types.ts';
import { IN_USE_FINALIZER } from '../../features/vimana/protection.ts';
import { releaseFinalizersCommand } from '../../features/vimana/release-finalizers-command.ts';
import type { Prismgate } from '../../src/prismgate.ts';
import { ACME, DOMAIN_ID, ruleIds } from '../support/vimana/fixtures.ts';
import { eventually, kubectl, kubectlOk } from './support/cluster.ts';
import {
  apply,
  freshDomainId,
  getObject,
  mergePatch,
  replacing,
  startVimanaGate,
  TestNamespaces,
  verdictOf,
} from './vimana-gate.ts';

/** The acme fixture (V2-V5) in `namespace`, with a Domain id of its own. */
async function acmeIn(namespace: string): Promise<KubeObject[]> {
  const objects = replacing(ACME, { [DOMAIN_ID]: freshDomainId() }).map((object) => ({
    ...object,
    metadata: { ...object.metadata, namespace },
  }));
  const result = await apply(namespace, objects);
  expect(result.code, result.stderr).toBe(0);
  return objects;
}

const resourceOf = (object: KubeObject) => `${object.kind?.toLowerCase()}s.api.vimana.host`;

async function left(namespace: string): Promise<string> {
  return (await kubectlOk(['get', 'vimana-all', '-n', namespace, '-o', 'name'])).trim();
}

describe('deleting Vimana objects: held while in use, never refused, never deadlocked', () => {
  let gate: Prismgate;
  const namespaces = new TestNamespaces();

  beforeAll(async () => {
    gate = await startVimanaGate();
  });
  afterAll(async () => {
    await gate?.stop();
    await namespaces.deleteAll();
  });

  it('accepts every delete of a fully weighted setup with the in-use warning, and holds each object', async () => {
    const ns = await namespaces.create('vimana-held');
    const objects = await acmeIn(ns);
    for (const object of objects)
      expect((await getObject(ns, resourceOf(object), object.metadata!.name!)).metadata?.finalizers).toEqual([
        IN_USE_FINALIZER,
      ]);
    const verdicts = await Promise.all(
      objects.map(async (object) =>
        verdictOf(
          await kubectl(['delete', resourceOf(object), object.metadata!.name!, '-n', ns, '--dry-run=server']),
        ),
      ),
    );
    expect(verdicts.map((verdict) => verdict.code)).toEqual([0, 0, 0, 0, 0]);
    expect(verdicts.map((verdict) => ruleIds(verdict.warnings))).toEqual([
      ['D4'],
      ['D1'],
      ['D2'],
      ['D3'],
      ['D3'],
    ]);

    // Deleting the Vimana alone: accepted, and it waits for the namespace's Domain.
    await kubectlOk(['delete', 'vimanas.api.vimana.host', 'edge', '-n', ns, '--wait=false']);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const vimana = await getObject(ns, 'vimanas.api.vimana.host', 'edge');
    expect(vimana.metadata?.deletionTimestamp).toBeDefined();
    expect(vimana.metadata?.finalizers).toEqual([IN_USE_FINALIZER]);
  });

  it.each([
    ['in file order (parents first)', (objects: KubeObject[]) => objects],
    ['in reverse order', (objects: KubeObject[]) => [...objects].reverse()],
  ])('kubectl delete -f of the whole manifest %s completes and leaves nothing', async (_order, order) => {
    const ns = await namespaces.create('vimana-delete-f');
    const objects = await acmeIn(ns);
    const deleted = verdictOf(
      await kubectl(['delete', '-n', ns, '--timeout=60s', '-f', '-'], { input: order(objects) }),
    );
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(await left(ns)).toBe('');
  });

  it('empties and removes a namespace whose every object carries the finalizer, another one included', async () => {
    const ns = await namespaces.create('vimana-doomed');
    await acmeIn(ns);
    // An operator's finalizer: the namespace must wait for it, and removing it must never be blocked.
    await mergePatch(ns, 'components.api.vimana.host', 'payments-1-4-0', {
      metadata: { finalizers: ['example.com/hold', IN_USE_FINALIZER] },
    });
    await kubectlOk(['delete', 'namespace', ns, '--wait=false']);
    await eventually(
      'the namespace controller to delete everything but the Component another finalizer holds',
      async () => (await left(ns)) === 'component.api.vimana.host/payments-1-4-0',
      60_000,
    );
    const held = await getObject(ns, 'components.api.vimana.host', 'payments-1-4-0');
    expect(held.metadata?.finalizers).toEqual(['example.com/hold']);
    await mergePatch(ns, 'components.api.vimana.host', 'payments-1-4-0', { metadata: { finalizers: null } });
    await eventually(
      'the namespace to be gone',
      async () => (await kubectl(['get', 'namespace', ns])).code !== 0,
      60_000,
    );
  });

  it('holds a weighted Component the garbage collector deletes until its weight is 0, then lets it go', async () => {
    const ns = await namespaces.create('vimana-owned');
    await acmeIn(ns);
    await kubectlOk(['create', 'configmap', 'owner', '-n', ns]);
    const uid = (
      await kubectlOk(['get', 'configmap', 'owner', '-n', ns, '-o', 'jsonpath={.metadata.uid}'])
    ).trim();
    const ownerReferences = [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid }];
    await mergePatch(ns, 'components.api.vimana.host', 'payments-1-5-0-rc1', {
      metadata: { ownerReferences },
    });
    await kubectlOk(['delete', 'configmap', 'owner', '-n', ns]);
    await eventually('the garbage collector to delete the Component', async () => {
      const component = await getObject(ns, 'components.api.vimana.host', 'payments-1-5-0-rc1');
      return component.metadata?.deletionTimestamp !== undefined;
    });
    // Still there: its version has weight 10 in the Server.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect((await kubectl(['get', 'components.api.vimana.host', 'payments-1-5-0-rc1', '-n', ns])).code).toBe(
      0,
    );
    await mergePatch(ns, 'servers.api.vimana.host', 'payments', {
      spec: { versionWeights: { '1.5.0-rc1': 0 } },
    });
    await eventually(
      'the Component to go once its weight is 0',
      async () =>
        (await kubectl(['get', 'components.api.vimana.host', 'payments-1-5-0-rc1', '-n', ns])).code !== 0,
      30_000,
    );
  });

  it('never outlives prismgate: its uninstall, and release-finalizers after it, take the finalizer off', async () => {
    const ns = await namespaces.create('vimana-uninstall');
    const objects = await acmeIn(ns);
    const finalizers = async () =>
      Promise.all(
        objects.map(
          async (object) =>
            (await getObject(ns, resourceOf(object), object.metadata!.name!)).metadata?.finalizers,
        ),
      );
    expect(await finalizers()).toEqual(objects.map(() => [IN_USE_FINALIZER]));
    // Stopping a registered prismgate is its uninstall (deregisterOnStop).
    await gate.stop();
    expect(await finalizers()).toEqual(objects.map(() => undefined));
    // A finalizer left behind by a prismgate that went without its uninstall.
    await mergePatch(ns, 'vimanas.api.vimana.host', 'edge', {
      metadata: { finalizers: ['example.com/keep', IN_USE_FINALIZER] },
    });
    const lines: string[] = [];
    expect(
      await releaseFinalizersCommand(['--kubeconfig', inject('kubeconfig')], (line) => lines.push(line)),
    ).toBe(0);
    expect(lines).toEqual([`${IN_USE_FINALIZER} taken off 1 Vimana object`]);
    expect((await getObject(ns, 'vimanas.api.vimana.host', 'edge')).metadata?.finalizers).toEqual([
      'example.com/keep',
    ]);
    await mergePatch(ns, 'vimanas.api.vimana.host', 'edge', { metadata: { finalizers: null } });
  });
});
