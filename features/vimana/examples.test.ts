/** vimana-invariants.md §4: every valid manifest passes, every invalid one is denied by its rule. */
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../pkg/kube/types.ts';
import {
  INVALID_EXAMPLES,
  WARNING_EXAMPLES,
  type Example,
} from '../../test/support/vimana/invalid-examples.ts';
import {
  ACME,
  acme,
  clusterOf,
  DOMAIN_ID,
  loadManifests,
  review,
  ruleIds,
  variant,
} from '../../test/support/vimana/fixtures.ts';

const judge = ({ object, operation, oldObject, objects }: Example) =>
  review(object, { operation, oldObject, view: clusterOf(objects ?? ACME) });

/** Applies manifests in order as `kubectl apply -f` would, each reviewed against those before it. */
function applyInOrder(
  objects: readonly KubeObject[],
): { name: string; denials: string[]; warnings: string[] }[] {
  return objects.map((object, index) => ({
    name: `${object.kind}/${object.metadata?.name}`,
    ...review(object, { view: clusterOf(objects.slice(0, index)) }),
  }));
}

describe('§4.1 valid manifests', () => {
  it('V1, the project e2e manifest, applies in order with only the expected warnings', () => {
    const results = applyInOrder(loadManifests('v1-mvp', 'default'));
    expect(results.map(({ name, denials, warnings }) => [name, denials, ruleIds(warnings)])).toEqual([
      ['Vimana/the-vimana', [], []],
      ['Domain/foo-domain', [], ['A1', 'R12', 'R12']],
      ['Server/the-adder-server', [], ['R11']],
      ['Component/baz-component', [], []],
    ]);
  });

  it('V2-V5 apply in order with only the expected warnings', () => {
    expect(
      applyInOrder(ACME).map(({ name, denials, warnings }) => [name, denials, ruleIds(warnings)]),
    ).toEqual([
      ['Vimana/edge', [], []],
      ['Domain/3f2a9c1e7b5d40a8912e6c0d4b7a1f35', [], ['X3', 'R12', 'R12', 'R12']],
      ['Server/payments', [], ['R11', 'R11']],
      ['Component/payments-1-4-0', [], []],
      ['Component/payments-1-5-0-rc1', [], []],
    ]);
  });

  it('V1-V5, updated in place once all exist, are not denied', () => {
    // Without the stored object, so that ratcheting cannot hide a denial.
    for (const objects of [loadManifests('v1-mvp', 'default'), ACME]) {
      for (const object of objects)
        expect(review(object, { operation: 'UPDATE', view: clusterOf(objects) }).denials).toEqual([]);
    }
  });

  it.each([
    ['a Domain without regions (runs anywhere)', variant('Domain', { regions: undefined })],
    [
      'a Domain with allBut: [] (reflection for all)',
      variant('Domain', { grpc: { reflection: { allBut: [] } } }),
    ],
    ['a Server with one weight 0', variant('Server', { versionWeights: { '1.4.0': 0, '1.5.0-rc1': 5 } })],
    [
      'a Domain with 15 aliases',
      variant('Domain', { aliases: Array.from({ length: 15 }, (_, i) => `a${i}.example.com`) }),
    ],
    [
      'a Component no Server weights, version 1.2.3-00a',
      variant(
        'Component',
        { version: '1.2.3-00a', image: `r.example.com/${DOMAIN_ID}/payments:1.2.3-00a` },
        'x',
      ),
    ],
    [
      'a Server with id a',
      variant('Server', { id: 'a', services: ['acme.a.v1.A'], versionWeights: { '1.0.0': 1 } }, 'a'),
    ],
  ])('valid edge case: %s', (_, object) => {
    expect(review(object).denials).toEqual([]);
  });
});

describe('§4.2 invalid manifests', () => {
  it.each(INVALID_EXAMPLES.map((example) => [example.title, example.rule, example] as const))(
    '%s is denied by %s',
    (_, rule, example) => {
      expect(ruleIds(judge(example).denials)).toContain(rule);
    },
  );

  it.each(WARNING_EXAMPLES.map((example) => [example.title, example.rule, example] as const))(
    '%s warns by %s and is not denied',
    (_, rule, example) => {
      const { denials, warnings } = judge(example);
      expect(denials).toEqual([]);
      expect(ruleIds(warnings)).toContain(rule);
    },
  );

  it('reports all violations of one object together', () => {
    const { denials } = review(variant('Server', { id: 'Bad_Id', services: [], versionWeights: { v1: -1 } }));
    expect(ruleIds(denials)).toEqual(['F2', 'F12', 'X5', 'X7']);
  });
});

describe('§2.7 non-rules are not enforced', () => {
  it.each([
    [
      'N1: weights that do not sum to 100',
      variant('Server', { versionWeights: { '1.4.0': 500, '1.5.0-rc1': 1 } }),
    ],
    ['N1: a single weight of 1', variant('Server', { versionWeights: { '1.4.0': 1 } })],
    ['N2: a Component that no weight names', variant('Server', { versionWeights: { '1.4.0': 1 } })],
    ['N3: a Server named otherwise than its id', variant('Server', {}, 'test-server-1')],
    ['N3: a Component named otherwise than its version', variant('Component', {}, 'baz-component')],
    [
      'N5: Domain regions beyond the Vimana ones',
      variant('Domain', { regions: ['aws/us-east', 'azure/eu'] }),
    ],
    [
      'N6: openApi off and any failover names',
      variant('Domain', { openApi: false, failover: ['x.example.org'] }),
    ],
  ])('%s passes', (_, object) => {
    // Created in place of the fixture it varies, so that it conflicts with nothing but the rule at hand.
    const original = acme(object.kind ?? '').metadata?.name;
    const others = ACME.filter((other) => other.kind !== object.kind || other.metadata?.name !== original);
    expect(review(object, { view: clusterOf(others) }).denials).toEqual([]);
  });

  it('N4: a Domain named otherwise than its id is only warned about', () => {
    const renamed = { ...acme('Domain'), metadata: { name: 'foo-domain', namespace: 'acme' } };
    const { denials, warnings } = review(renamed, {
      view: clusterOf(ACME.filter((object) => object.kind !== 'Domain')),
    });
    expect(denials).toEqual([]);
    expect(ruleIds(warnings)).toContain('A1');
  });
});
