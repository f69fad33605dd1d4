import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../pkg/kube/types.ts';
import {
  ACME,
  acme,
  clusterOf,
  DOMAIN_ID,
  NAMESPACE,
  review,
  variant,
} from '../../../test/support/vimana/fixtures.ts';
import type { VimanaKind } from '../types.ts';
import { deletionRules, inUse } from './deletion.ts';

const remove = (object: KubeObject, objects: readonly KubeObject[] = ACME, terminating = false) =>
  review(object, {
    rules: deletionRules,
    operation: 'DELETE',
    view: clusterOf(objects, { terminatingNamespaces: terminating ? [NAMESPACE] : [] }),
  });
const except = (...kinds: string[]) => ACME.filter((object) => !kinds.includes(object.kind ?? ''));
const deleting = (object: KubeObject): KubeObject => ({
  ...object,
  metadata: { ...object.metadata, deletionTimestamp: '2025-11-09T19:21:27Z' },
});
/** Whether the object would be held in Terminating, in a cluster of `objects`. */
const held = (object: KubeObject, objects: readonly KubeObject[] = ACME, terminating = false) =>
  inUse(
    object.kind as VimanaKind,
    NAMESPACE,
    object,
    clusterOf(objects, { terminatingNamespaces: terminating ? [NAMESPACE] : [] }),
  ).length > 0;

describe('in-use protection (D1-D4): deletes are accepted, with a warning, and held while in use', () => {
  it('D1: a Domain is held while Servers belong to it, even Servers being deleted', () => {
    expect(remove(acme('Domain'))).toEqual({
      denials: [],
      warnings: [
        `spec.id "${DOMAIN_ID}": is in use by Servers payments; it stays Terminating until they are gone (rule D1)`,
      ],
    });
    expect(held(acme('Domain'))).toBe(true);
    expect(
      held(
        acme('Domain'),
        ACME.map((o) => (o.kind === 'Server' ? deleting(o) : o)),
      ),
    ).toBe(true);
    expect(held(acme('Domain'), except('Server'))).toBe(false);
  });

  it('D2: a Server is held while it sends traffic to Components that exist, and warns of orphans otherwise', () => {
    expect(remove(acme('Server')).warnings).toEqual([
      'spec.versionWeights {"1.4.0":90,"1.5.0-rc1":10}: sends traffic to Components payments-1-4-0, payments-1-5-0-rc1; it stays Terminating until they are gone (rule D2)',
    ]);
    expect(held(acme('Server'))).toBe(true);
    const drained = variant('Server', { versionWeights: { '1.4.0': 0, '1.5.0-rc1': 0 } });
    expect(remove(drained)).toEqual({
      denials: [],
      warnings: [
        'spec.id "payments": leaves Components payments-1-4-0, payments-1-5-0-rc1 without a Server (rule D2)',
      ],
    });
    expect(held(drained)).toBe(false);
    expect(remove(acme('Server'), except('Component'))).toEqual({ denials: [], warnings: [] });
    expect(held(acme('Server'), except('Component'))).toBe(false);
  });

  it('D3: a Component is held while a Server not being deleted gives its version weight', () => {
    expect(remove(acme('Component', 'payments-1-5-0-rc1')).warnings).toEqual([
      'spec.version "1.5.0-rc1": gets weight 10 from Server payments; it stays Terminating until they are gone or the weight is 0 (rule D3)',
    ]);
    const unweighted = [
      ...except('Server'),
      variant('Server', { versionWeights: { '1.4.0': 100, '1.5.0-rc1': 0 } }),
    ];
    expect(held(acme('Component', 'payments-1-5-0-rc1'), unweighted)).toBe(false);
    expect(held(acme('Component', 'payments-1-4-0'), unweighted)).toBe(true);
    const serverLeaving = ACME.map((o) => (o.kind === 'Server' ? deleting(o) : o));
    expect(held(acme('Component', 'payments-1-4-0'), serverLeaving)).toBe(false);
  });

  it('D4: a Vimana is held while its namespace has Domains', () => {
    expect(remove(acme('Vimana')).warnings).toEqual([
      `metadata.name "edge": fronts Domains ${DOMAIN_ID}; it stays Terminating until they are gone (rule D4)`,
    ]);
    expect(held(acme('Vimana'))).toBe(true);
    expect(held(acme('Vimana'), except('Domain'))).toBe(false);
  });

  it('never deadlocks: nothing is held in a terminating namespace', () => {
    for (const object of ACME) {
      expect(remove(object, ACME, true)).toEqual({ denials: [], warnings: [] });
      expect(held(object, ACME, true)).toBe(false);
    }
  });

  it('never deadlocks: a whole manifest deleted at once, in any order, lets go object by object', () => {
    // Every object is being deleted; whatever is not held goes, until nothing is left.
    let left = ACME.map(deleting);
    for (let round = 0; round < ACME.length && left.length > 0; round += 1)
      left = left.filter((object) => held(object, left));
    expect(left).toEqual([]);
  });
});
