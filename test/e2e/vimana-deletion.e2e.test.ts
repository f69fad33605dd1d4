/**
 * Deletion rules D1-D4 must never deadlock the cluster: every object of a fully weighted Vimana setup
 * is undeletable on its own (each still holds up another), yet deleting its namespace completes, and the
 * garbage collector deletes what an owner took with it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../pkg/kube/types.ts';
import type { Prismgate } from '../../src/prismgate.ts';
import { ACME, DOMAIN_ID, ruleIds } from '../support/vimana/fixtures.ts';
import { eventually, kubectl, kubectlOk } from './support/cluster.ts';
import {
  apply,
  freshDomainId,
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

describe('deleting Vimana objects never deadlocks', () => {
  let gate: Prismgate;
  const namespaces = new TestNamespaces();

  beforeAll(async () => {
    gate = await startVimanaGate();
  });
  afterAll(async () => {
    await gate?.stop();
    await namespaces.deleteAll();
  });

  it('empties and removes a namespace whose every Vimana object blocks another, finalizers included', async () => {
    const ns = await namespaces.create('vimana-doomed');
    const objects = await acmeIn(ns);
    // An operator's finalizer: the namespace must wait for it, and removing it must never be blocked.
    await mergePatch(ns, 'components.api.vimana.host', 'payments-1-4-0', {
      metadata: { finalizers: ['example.com/hold'] },
    });
    const denied = await Promise.all(
      objects.map(async (object) =>
        verdictOf(
          await kubectl([
            'delete',
            resourceOf(object),
            object.metadata?.name ?? '',
            '-n',
            ns,
            '--dry-run=server',
          ]),
        ),
      ),
    );
    expect(denied.map((verdict) => ruleIds(verdict.denials))).toEqual([
      ['D4'],
      ['D1'],
      ['D2'],
      ['D3'],
      ['D3'],
    ]);

    await kubectlOk(['delete', 'namespace', ns, '--wait=false']);
    await eventually(
      'the namespace controller to delete everything but the finalized Component',
      async () => {
        const left = await kubectlOk(['get', 'vimana', '-n', ns, '-o', 'name']);
        return left.trim() === 'component.api.vimana.host/payments-1-4-0';
      },
      60_000,
    );
    await mergePatch(ns, 'components.api.vimana.host', 'payments-1-4-0', { metadata: { finalizers: null } });
    await eventually(
      'the namespace to be gone',
      async () => (await kubectl(['get', 'namespace', ns])).code !== 0,
      60_000,
    );
  });

  it('lets the garbage collector delete a weighted Component whose owner is gone', async () => {
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
    const byHand = verdictOf(
      await kubectl(['delete', 'components.api.vimana.host', 'payments-1-5-0-rc1', '-n', ns]),
    );
    expect(ruleIds(byHand.denials)).toEqual(['D3']);

    await kubectlOk(['delete', 'configmap', 'owner', '-n', ns]);
    await eventually(
      'the garbage collector to delete the Component',
      async () =>
        (await kubectl(['get', 'components.api.vimana.host', 'payments-1-5-0-rc1', '-n', ns])).code !== 0,
      60_000,
    );
  });
});
