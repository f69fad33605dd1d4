import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../pkg/kube/types.ts';
import { ACME, acme, clusterOf } from '../../test/support/vimana/fixtures.ts';
import { operatorShapedCrd, prismgateCrd } from '../../test/support/vimana/crds.ts';
import { installedStatusSchema } from './installed-schema.ts';
import { computeVimanaStatus, PRISMGATE_CONDITION } from './status.ts';
import {
  keepPrismgateFields,
  prismgateOwnership,
  statusIntent,
  STATUS_FIELD_MANAGER,
} from './status-fields.ts';

const NOW = new Date('2025-11-09T19:21:27Z');
const OPERATOR = 'manager';
const OPERATOR_AVAILABLE = {
  type: 'Available',
  status: 'True',
  reason: 'Reconciled',
  message: 'Successfully reconciled server',
  lastTransitionTime: '2025-11-09T19:00:00Z',
};

/** A managedFields entry as the API server records it for a status write. */
function entry(manager: string, operation: 'Apply' | 'Update', fields: Record<string, unknown>) {
  return {
    manager,
    operation,
    apiVersion: 'api.vimana.host/v1alpha1',
    time: '2025-11-09T19:00:00Z',
    fieldsType: 'FieldsV1',
    subresource: 'status',
    fieldsV1: { 'f:status': { '.': {}, ...fields } },
  };
}

const f = (...names: string[]) => Object.fromEntries(names.map((name) => [`f:${name}`, {}]));

function stored(object: KubeObject, status: Record<string, unknown>, managedFields: unknown[]): KubeObject {
  return { ...object, metadata: { ...object.metadata, resourceVersion: '7', managedFields }, status };
}

const server = acme('Server');
const computed = (object: KubeObject = server) =>
  computeVimanaStatus('Server', 'acme', object, clusterOf(ACME), NOW);

describe('statusIntent', () => {
  it("writes nothing at all on the operator's CRDs: no derived field is kept, conditions are the operator's", () => {
    const schema = installedStatusSchema(operatorShapedCrd('Server'))!;
    const object = stored(server, { conditions: [OPERATOR_AVAILABLE] }, [
      entry(OPERATOR, 'Update', f('conditions')),
    ]);
    expect(statusIntent('Server', object, computed(object), schema)).toEqual({
      status: {},
      changes: false,
      removal: undefined,
      yielded: [],
    });
  });

  it("applies the derived fields and prismgate's own condition on prismgate's CRDs, never the operator's", () => {
    const schema = installedStatusSchema(prismgateCrd('Server'))!;
    const object = stored(server, { conditions: [OPERATOR_AVAILABLE] }, [
      entry(OPERATOR, 'Update', { 'f:conditions': { '.': {}, 'k:{"type":"Available"}': {} } }),
    ]);
    const intent = statusIntent('Server', object, computed(object), schema);
    expect(intent.changes).toBe(true);
    expect(intent.status).toMatchObject({
      serverName: '3f2a9c1e7b5d40a8912e6c0d4b7a1f35:payments',
      traffic: '1.4.0=90%, 1.5.0-rc1=10%',
      missingComponents: [],
    });
    expect(intent.status['conditions']).toEqual([
      expect.objectContaining({ type: PRISMGATE_CONDITION, status: 'True', reason: 'Reconciled' }),
    ]);
  });

  it('is unchanged once the stored status holds what prismgate applied', () => {
    const schema = installedStatusSchema(prismgateCrd('Server'))!;
    const first = statusIntent('Server', stored(server, {}, []), computed(), schema);
    const { conditions, ...fields } = first.status;
    const applied = stored(server, first.status, [
      entry(STATUS_FIELD_MANAGER, 'Apply', {
        ...f(...Object.keys(fields)),
        'f:conditions': { [`k:{"type":"${PRISMGATE_CONDITION}"}`]: {} },
      }),
    ]);
    expect(prismgateOwnership(applied)).toEqual({ fields: new Set(Object.keys(fields)), condition: true });
    expect(conditions).toHaveLength(1);
    expect(statusIntent('Server', applied, computed(applied), schema).changes).toBe(false);
  });

  it('leaves a field another manager holds with another value to it, and removes what it stops computing', () => {
    const schema = installedStatusSchema(prismgateCrd('Server'))!;
    const object = stored(server, { traffic: 'set by hand', trafficPercent: { old: 1 } }, [
      entry('kubectl-edit', 'Update', f('traffic')),
      entry(STATUS_FIELD_MANAGER, 'Apply', f('trafficPercent', 'retired')),
    ]);
    const intent = statusIntent('Server', object, computed(object), schema);
    expect(intent.yielded).toEqual(['traffic']);
    expect(intent.status).not.toHaveProperty('traffic');
    expect(intent.status['trafficPercent']).toEqual({ '1.4.0': 90, '1.5.0-rc1': 10 });
    // Held fields no longer applied (`retired`) are removed by leaving them out of the apply.
    expect(intent.status).not.toHaveProperty('retired');
    expect(intent.changes).toBe(true);
  });

  it('lets go of everything when the schema stops keeping it (the operator reinstalled its CRDs)', () => {
    const schema = installedStatusSchema(operatorShapedCrd('Server'))!;
    const object = stored(server, { conditions: [OPERATOR_AVAILABLE] }, [
      entry(OPERATOR, 'Update', f('conditions')),
      entry(STATUS_FIELD_MANAGER, 'Apply', f('traffic')),
    ]);
    expect(statusIntent('Server', object, computed(object), schema)).toEqual({
      status: {},
      changes: true,
      removal: undefined,
      yielded: [],
    });
  });

  it("takes its condition out of a list the schema made atomic, leaving the operator's entries as they are", () => {
    const schema = installedStatusSchema(operatorShapedCrd('Server'))!;
    const ours = { type: PRISMGATE_CONDITION, status: 'True', reason: 'Reconciled', message: '' };
    const object = stored(server, { conditions: [OPERATOR_AVAILABLE, ours] }, [
      entry(OPERATOR, 'Update', f('conditions')),
      // Once atomic, the API server records prismgate's entry as a hold on the whole list.
      entry(STATUS_FIELD_MANAGER, 'Apply', f('conditions')),
    ]);
    expect(statusIntent('Server', object, computed(object), schema)).toEqual({
      status: {},
      changes: true,
      removal: { conditions: [OPERATOR_AVAILABLE] },
      yielded: [],
    });
  });
});

describe('keepPrismgateFields (the status webhook)', () => {
  const held = stored(
    server,
    {
      conditions: [
        { ...OPERATOR_AVAILABLE, status: 'Unknown' },
        { type: PRISMGATE_CONDITION, status: 'True' },
      ],
      traffic: '1.4.0=90%, 1.5.0-rc1=10%',
      serverName: 'x:payments',
    },
    [
      entry(OPERATOR, 'Update', { 'f:conditions': { 'k:{"type":"Available"}': {} } }),
      entry(STATUS_FIELD_MANAGER, 'Apply', {
        ...f('traffic', 'serverName'),
        'f:conditions': { [`k:{"type":"${PRISMGATE_CONDITION}"}`]: {} },
      }),
    ],
  );

  it("puts back what the operator's full status update leaves out, and keeps what it set", () => {
    // The operator's Go types know only conditions; its list is what it last read, minus nothing of ours here.
    const written = { conditions: [OPERATOR_AVAILABLE] };
    expect(keepPrismgateFields('Server', written, held)).toEqual({
      conditions: [OPERATOR_AVAILABLE, { type: PRISMGATE_CONDITION, status: 'True' }],
      traffic: '1.4.0=90%, 1.5.0-rc1=10%',
      serverName: 'x:payments',
    });
  });

  it('changes nothing a writer set, and nothing when it left all of prismgate in place', () => {
    const written = { ...(held['status'] as object), traffic: 'rewritten' };
    expect(keepPrismgateFields('Server', written, held)).toBeUndefined();
    expect(keepPrismgateFields('Server', { conditions: [] }, stored(server, {}, []))).toBeUndefined();
  });
});
