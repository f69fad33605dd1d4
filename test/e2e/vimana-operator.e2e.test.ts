/**
 * prismgate beside the real Vimana operator, as a Vimana user runs them: the operator's own CRDs, the
 * Gateway API CRDs, the operator built from its published source and running with its own identity and
 * RBAC, and the project's own manifest `e2e/mvp.yaml`. Status writes are measured from watch events, the
 * writer of each named by `managedFields` (support/status-writes.ts).
 *
 * Before this file existed prismgate rewrote every object's status about 584 times a minute alone on the
 * operator's CRDs, 539-2,496 times a minute with the operator running, and the operator's `Available`
 * was overwritten; `kubectl delete -f e2e/mvp.yaml` deleted nothing.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ownersOf, type ManagedFieldsEntry } from '../../pkg/kube/managed-fields.ts';
import type { KubeObject } from '../../pkg/kube/types.ts';
import { VimanaFeature } from '../../features/vimana/feature.ts';
import { IN_USE_FINALIZER } from '../../features/vimana/protection.ts';
import { PRISMGATE_CONDITION } from '../../features/vimana/status.ts';
import { STATUS_FIELD_MANAGER } from '../../features/vimana/status-fields.ts';
import type { Prismgate } from '../../src/prismgate.ts';
import { upstreamDir, type VimanaOperatorBuild } from '../control-plane/vimana-operator.ts';
import { ruleIds } from '../support/vimana/fixtures.ts';
import { eventually, kubectl, kubectlOk } from './support/cluster.ts';
import { ensureCrds } from './support/crds.ts';
import { startPrismgate } from './support/prismgate.ts';
import { StatusWriteRecorder } from './support/status-writes.ts';
import {
  installGatewayCrds,
  installUpstreamVimanaCrds,
  OPERATOR_FIELD_MANAGER,
  operatorBuild,
  removeGatewayApiCrds,
  startOperator,
  type RunningOperator,
} from './support/vimana-operator.ts';
import { getObject, TestNamespaces, verdictOf } from './vimana-gate.ts';

const MVP = path.join(upstreamDir(), 'e2e', 'mvp.yaml');
const KINDS = ['vimanas', 'domains', 'servers', 'components'].map((plural) => `${plural}.api.vimana.host`);
const MVP_OBJECTS: [resource: string, name: string][] = [
  ['vimanas.api.vimana.host', 'the-vimana'],
  ['domains.api.vimana.host', 'foo-domain'],
  ['servers.api.vimana.host', 'the-adder-server'],
  ['components.api.vimana.host', 'baz-component'],
];
/** The objects the operator reconciles to `Available`; it never writes a Server's status (§3.1). */
const OPERATOR_REPORTS = MVP_OBJECTS.filter(([resource]) => !resource.startsWith('servers'));
/** How long a converged namespace is watched for status writes. */
const WINDOW_MS = 60_000;

function condition(object: KubeObject, type: string): Record<string, unknown> | undefined {
  const conditions = (object['status'] as { conditions?: Record<string, unknown>[] } | undefined)?.conditions;
  return conditions?.find((entry) => entry['type'] === type);
}

/** The four objects of mvp.yaml in a namespace, as stored. */
function mvpObjects(ns: string): Promise<KubeObject[]> {
  return Promise.all(MVP_OBJECTS.map(([resource, name]) => getObject(ns, resource, name)));
}

/** Waits for the operator's `Available` True/Reconciled on the Vimana, the Domain and the Component. */
async function operatorReconciled(ns: string): Promise<KubeObject[]> {
  return eventually(
    'the operator to report Available=True on the Vimana, the Domain and the Component',
    async () => {
      const objects = await Promise.all(
        OPERATOR_REPORTS.map(([resource, name]) => getObject(ns, resource, name)),
      );
      return (
        objects.every((object) => condition(object, 'Available')?.['reason'] === 'Reconciled') && objects
      );
    },
    90_000,
    500,
  );
}

/** Status writes per object per minute over `[from, from + WINDOW_MS)`, by field manager. */
async function window(recorder: StatusWriteRecorder): Promise<Record<string, number>> {
  const from = Date.now();
  await new Promise((resolve) => setTimeout(resolve, WINDOW_MS));
  const rates = recorder.ratePerObjectPerMinute(from, from + WINDOW_MS);
  console.log(`[vimana-operator] status writes per object per minute over ${WINDOW_MS / 1000} s:`, rates);
  return rates;
}

describe('prismgate beside the real Vimana operator', () => {
  let build: VimanaOperatorBuild;
  let gate: Prismgate;
  let operator: RunningOperator | undefined;
  let recorder: StatusWriteRecorder;
  const namespaces = new TestNamespaces();
  let ns: string;

  beforeAll(async () => {
    build = await operatorBuild();
    await installUpstreamVimanaCrds(build);
    await installGatewayCrds(build);
    gate = await startPrismgate([new VimanaFeature()]);
    ns = await namespaces.create('vimana-operator');
    recorder = await StatusWriteRecorder.start(ns);
  });
  afterAll(async () => {
    await operator?.stop();
    await recorder?.stop();
    await gate?.stop();
    await namespaces.deleteAll();
    await removeGatewayApiCrds();
    // Later files meet prismgate's CRDs again, as they always did.
    await ensureCrds(true);
  });

  it("alone on the operator's CRDs, writes no status at all: nothing it computes is kept there", async () => {
    const applied = verdictOf(await kubectl(['apply', '-n', ns, '-f', MVP]));
    expect(applied.code, applied.stderr).toBe(0);
    expect(ruleIds(applied.warnings).sort()).toEqual(['A1', 'R11', 'R12', 'R12']);
    // Its finalizer is there: in-use protection needs no status.
    for (const object of await mvpObjects(ns))
      expect(object.metadata?.finalizers).toEqual([IN_USE_FINALIZER]);
    await recorder.settled(3_000);
    const rates = await window(recorder);
    // No status write at all, by anyone: the figure does not rest on naming writers.
    expect(rates).toEqual({});
    expect(recorder.since(0, STATUS_FIELD_MANAGER)).toEqual([]);
  });

  it('with the operator running and converged: no status writes by either; the operator’s conditions stand', async () => {
    operator = await startOperator(build);
    await operatorReconciled(ns);
    await recorder.settled(5_000);
    const rates = await window(recorder);
    expect(rates).toEqual({});
    const objects = await operatorReconciled(ns);
    for (const object of objects) {
      expect(condition(object, 'Available')).toMatchObject({ status: 'True', reason: 'Reconciled' });
      // The conditions are the operator's alone: prismgate holds nothing in these statuses.
      expect(ownersOf(object, ['f:status', 'f:conditions']).map((entry) => entry.manager)).toEqual([
        OPERATOR_FIELD_MANAGER,
      ]);
    }
    // Every status write there was came from the operator, and none of prismgate's was refused or denied.
    expect(recorder.since(0, STATUS_FIELD_MANAGER)).toEqual([]);
    expect(operator.log().filter((line) => /admission webhook|denied the request/.test(line))).toEqual([]);
  });

  it("with prismgate's CRDs chosen instead: both write their own part once, then neither writes again", async () => {
    // A user who wants the derived fields and printer columns installs prismgate's CRDs over the operator's.
    const switched = Date.now();
    await ensureCrds(true);
    const objects = await eventually('prismgate to follow the schema and fill in its fields', async () => {
      const stored = await mvpObjects(ns);
      return stored.every((object) => condition(object, PRISMGATE_CONDITION)) && stored;
    });
    const [vimana, , server] = objects;
    expect(server?.['status']).toMatchObject({ traffic: '1.0.0=100%', serverName: expect.any(String) });
    expect(vimana?.['status']).toMatchObject({ gatewayName: 'the-vimana-gateway', domainCount: 1 });
    expect(condition(vimana!, 'Available')).toMatchObject({ status: 'True', reason: 'Reconciled' });
    expect(condition(vimana!, PRISMGATE_CONDITION)).toMatchObject({ status: 'True' });
    await recorder.settled(5_000);
    // One write per object, with no write by the operator undoing it: the status webhook keeps prismgate's
    // fields through the operator's full status updates.
    const written = recorder.since(switched, STATUS_FIELD_MANAGER).map((write) => write.kind);
    console.log('[vimana-operator] prismgate’s status writes after installing its CRDs:', written);
    expect(written.sort()).toEqual(['Component', 'Domain', 'Server', 'Vimana']);
    const from = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    expect(recorder.since(from)).toEqual([]);
    // Names resolve to one kind each; the category lists all four.
    expect(await kubectlOk(['get', 'vimana', 'the-vimana', '-n', ns, '-o', 'name'])).toBe(
      'vimana.api.vimana.host/the-vimana\n',
    );
    const all = (await kubectlOk(['get', 'vimana-all', '-n', ns, '-o', 'name'])).trim().split('\n').sort();
    expect(all).toEqual([
      'component.api.vimana.host/baz-component',
      'domain.api.vimana.host/foo-domain',
      'server.api.vimana.host/the-adder-server',
      'vimana.api.vimana.host/the-vimana',
    ]);
    const table = await kubectlOk(['get', 'servers', '-n', ns]);
    expect(table).toMatch(/the-adder-server\s+the-adder-server\s+1\.0\.0=100%\s+\s+True/);

    // The operator's install over prismgate's: prismgate follows, takes out what is its own (its condition
    // in what is now the operator's atomic list), lets go of its hold, and is quiet again.
    await installUpstreamVimanaCrds(build);
    await eventually('prismgate to let go of what the schema no longer keeps', async () =>
      (await mvpObjects(ns)).every(
        (object) =>
          !condition(object, PRISMGATE_CONDITION) &&
          !(object.metadata?.['managedFields'] as ManagedFieldsEntry[]).some(
            (entry) => entry.manager === STATUS_FIELD_MANAGER && entry.operation === 'Apply',
          ),
      ),
    );
    await recorder.settled(5_000);
    const quiet = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    expect(recorder.since(quiet)).toEqual([]);
    for (const object of await operatorReconciled(ns))
      expect(condition(object, 'Available')).toMatchObject({ status: 'True', reason: 'Reconciled' });
  });

  it('kubectl get vimana NAME works on the operator’s CRDs', async () => {
    expect(await kubectlOk(['get', 'vimana', 'the-vimana', '-n', ns, '-o', 'name'])).toBe(
      'vimana.api.vimana.host/the-vimana\n',
    );
  });

  it('kubectl delete -f e2e/mvp.yaml deletes in file order, warns of what waits, completes, leaves nothing', async () => {
    const deleted = verdictOf(await kubectl(['delete', '-n', ns, '-f', MVP, '--timeout=90s']));
    expect(deleted.code, deleted.stderr).toBe(0);
    // The Component's own delete may or may not still see its Server live (a D3 warning): either way it goes.
    const warned = ruleIds(deleted.warnings);
    expect(warned.slice(0, 3)).toEqual(['D4', 'D1', 'D2']);
    expect(warned.slice(3).every((rule) => rule === 'D3')).toBe(true);
    for (const kind of KINDS) expect(await kubectlOk(['get', kind, '-n', ns, '-o', 'name'])).toBe('');
    expect(operator?.log().filter((line) => /admission webhook|denied the request/.test(line))).toEqual([]);
  });

  it('namespace deletion completes while every object carries the in-use finalizer', async () => {
    const doomed = await namespaces.create('vimana-operator-doomed');
    const applied = await kubectl(['apply', '-n', doomed, '-f', MVP]);
    expect(applied.code, applied.stderr).toBe(0);
    await operatorReconciled(doomed);
    for (const object of await mvpObjects(doomed))
      expect(object.metadata?.finalizers).toContain(IN_USE_FINALIZER);
    await kubectlOk(['delete', 'namespace', doomed, '--wait=false']);
    await eventually(
      'the namespace to be gone',
      async () => (await kubectl(['get', 'namespace', doomed])).code !== 0,
      90_000,
      500,
    );
  });
});
