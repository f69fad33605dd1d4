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
import { deletionRules } from './deletion.ts';

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

describe('deletion order (D1-D4)', () => {
  it('D1: a Domain goes only once its Servers have gone', () => {
    expect(remove(acme('Domain')).denials).toEqual([
      `spec.id "${DOMAIN_ID}": still has Servers payments; delete them first (rule D1)`,
    ]);
    expect(remove(acme('Domain'), except('Server')).denials).toEqual([]);
  });

  it('D2: a Server with weighted Components goes only once its weights are 0, then warns of orphans', () => {
    expect(remove(acme('Server')).denials).toEqual([
      'spec.versionWeights {"1.4.0":90,"1.5.0-rc1":10}: still sends traffic to Components payments-1-4-0, payments-1-5-0-rc1; set its weights to 0 first (rule D2)',
    ]);
    const drained = variant('Server', { versionWeights: { '1.4.0': 0, '1.5.0-rc1': 0 } });
    expect(remove(drained)).toEqual({
      denials: [],
      warnings: [
        'spec.id "payments": leaves Components payments-1-4-0, payments-1-5-0-rc1 without a Server (rule D2)',
      ],
    });
    expect(remove(acme('Server'), except('Component'))).toEqual({ denials: [], warnings: [] });
  });

  it('D3: a Component goes only once its version has weight 0', () => {
    expect(remove(acme('Component', 'payments-1-5-0-rc1')).denials).toEqual([
      'spec.version "1.5.0-rc1": still gets weight 10 from Server payments; set it to 0 first (rule D3)',
    ]);
    const unweighted = [
      ...except('Server'),
      variant('Server', { versionWeights: { '1.4.0': 100, '1.5.0-rc1': 0 } }),
    ];
    expect(remove(acme('Component', 'payments-1-5-0-rc1'), unweighted).denials).toEqual([]);
  });

  it('D4: a Vimana goes only once its namespace has no Domains', () => {
    expect(remove(acme('Vimana')).denials).toEqual([
      `metadata.name "edge": still fronts Domains ${DOMAIN_ID}; delete them first (rule D4)`,
    ]);
    expect(remove(acme('Vimana'), except('Domain')).denials).toEqual([]);
  });

  it('never deadlock: everything goes in a terminating namespace', () => {
    for (const object of ACME) expect(remove(object, ACME, true)).toEqual({ denials: [], warnings: [] });
  });

  it('never deadlock: children already being deleted hold nothing up', () => {
    const servers = ACME.map((object) => (object.kind === 'Server' ? deleting(object) : object));
    expect(remove(acme('Domain'), servers).denials).toEqual([]);
    const domains = ACME.map((object) => (object.kind === 'Domain' ? deleting(object) : object));
    expect(remove(acme('Vimana'), domains).denials).toEqual([]);
  });
});
