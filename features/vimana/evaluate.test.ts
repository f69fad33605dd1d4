import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../pkg/kube/types.ts';
import { InMemoryClusterView } from './cluster-view.ts';
import { evaluateVimana, formatEvaluation } from './evaluate.ts';
import { ACME, acme, clusterOf, review, ruleIds, variant } from '../../test/support/vimana/fixtures.ts';
import { VIMANA_GROUP, VIMANA_KINDS } from './types.ts';

const request = (object: KubeObject, overrides: Record<string, unknown> = {}) => ({
  operation: 'CREATE',
  kind: { group: VIMANA_GROUP, kind: object.kind ?? '' },
  namespace: 'acme',
  name: object.metadata?.name ?? '',
  object,
  ...overrides,
});
const broken = variant('Server', { id: 'Bad_Id' });

describe('evaluateVimana', () => {
  it('answers nothing for kinds, subresources and operations it does not own', () => {
    const view = clusterOf(ACME);
    const quiet = { denials: [], warnings: [], clusterDependent: false };
    expect(evaluateVimana(request(broken, { kind: { group: 'apps', kind: 'Server' } }), view)).toEqual(quiet);
    expect(evaluateVimana(request(broken, { kind: { group: VIMANA_GROUP, kind: 'Gateway' } }), view)).toEqual(
      quiet,
    );
    expect(evaluateVimana(request(broken, { subResource: 'status', operation: 'UPDATE' }), view)).toEqual(
      quiet,
    );
    expect(evaluateVimana(request(broken, { operation: 'CONNECT' }), view)).toEqual(quiet);
    expect(evaluateVimana(request(broken, { operation: 'DELETE', object: undefined }), view)).toEqual(quiet);
  });

  it('finds the namespace and name in the object when the request lacks them', () => {
    const twin = variant('Server', {}, 'payments-2');
    const { denials } = evaluateVimana(request(twin, { namespace: undefined, name: '' }), clusterOf(ACME));
    expect(denials.map((violation) => violation.rule)).toContain('R5');
  });

  it('tells denials found in the cluster from denials about the object alone', () => {
    const view = clusterOf(ACME);
    const orphan = variant('Server', { domain: 'f'.repeat(32) });
    expect(evaluateVimana(request(orphan), view)).toMatchObject({ clusterDependent: true });
    expect(evaluateVimana(request(broken), view)).toMatchObject({ clusterDependent: false });
    // A warning read from the cluster (R11) makes no denial cluster-dependent.
    const lonely = variant('Server', { id: 'lonely', services: ['a.B'] }, 'lonely');
    expect(evaluateVimana(request(lonely), view)).toMatchObject({ denials: [], clusterDependent: false });
  });

  it('ratchets: on UPDATE a violation the stored object already had only warns', () => {
    const relabelled = { ...broken, metadata: { ...broken.metadata, annotations: { note: 'x' } } };
    const result = review(relabelled, { operation: 'UPDATE', oldObject: broken });
    expect(result.denials).toEqual([]);
    expect(ruleIds(result.warnings)).toEqual(['F2', 'R11', 'R11']);
    // What the update newly breaks is still denied.
    const worse = variant('Server', { id: 'Bad_Id', services: [] });
    expect(ruleIds(review(worse, { operation: 'UPDATE', oldObject: broken }).denials)).toEqual(['X7']);
  });

  it('formats violations with their rule id, severity apart', () => {
    const evaluation = evaluateVimana(
      request(variant('Domain', { aliases: ['A.example.com'] })),
      clusterOf(ACME),
    );
    expect(evaluation.denials[0]).toMatchObject({
      rule: 'F6',
      name: 'alias-format',
      severity: 'deny',
      path: 'spec.aliases[0]',
    });
    expect(formatEvaluation(evaluation).denials).toEqual([
      'spec.aliases[0] "A.example.com": must be a lowercase DNS hostname without scheme, port or path (rule F6)',
    ]);
  });

  it('keeps every message within 200 characters', () => {
    const long = 'x'.repeat(300);
    const object = variant(
      'Server',
      { id: long, domain: long, services: [long], versionWeights: { [long]: long } },
      long,
    );
    const messages = Object.values(review(object)).flat();
    expect(messages.length).toBeGreaterThan(3);
    for (const message of messages) expect(message.length).toBeLessThanOrEqual(200);
  });
});

const SPEC_KEYS = [
  'id',
  'domain',
  'vimana',
  'server',
  'version',
  'image',
  'aliases',
  'failover',
  'regions',
  'services',
  'versionWeights',
  'grpc',
  'auth',
  'features',
];
/** Objects shaped enough to reach the rules, with any JSON where the fields are. */
const looseObject = fc.record({
  apiVersion: fc.constant('api.vimana.host/v1alpha1'),
  kind: fc.constantFrom(...VIMANA_KINDS),
  metadata: fc.oneof(
    fc.record(
      { name: fc.oneof(fc.string(), fc.jsonValue()), namespace: fc.constant('acme'), labels: fc.jsonValue() },
      { requiredKeys: ['namespace'] },
    ),
    fc.jsonValue(),
  ),
  spec: fc.oneof(fc.dictionary(fc.constantFrom(...SPEC_KEYS), fc.jsonValue()), fc.jsonValue()),
}) as fc.Arbitrary<KubeObject>;

describe('robustness (property tests)', () => {
  it('never throws, whatever the object, the old object and the cluster hold', () => {
    fc.assert(
      fc.property(
        looseObject,
        fc.oneof(looseObject, fc.jsonValue()),
        fc.array(looseObject, { maxLength: 6 }),
        fc.constantFrom('CREATE', 'UPDATE', 'DELETE'),
        (object, oldObject, objects, operation) => {
          const view = new InMemoryClusterView({ objects });
          const evaluation = evaluateVimana(request(object, { operation, oldObject }), view);
          for (const message of Object.values(formatEvaluation(evaluation)).flat())
            expect(message.length).toBeLessThanOrEqual(200);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never throws on arbitrary JSON as the object', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(...VIMANA_KINDS), (object, kind) => {
        evaluateVimana(
          request(acme('Vimana'), { object, oldObject: object, kind: { group: VIMANA_GROUP, kind } }),
          clusterOf(ACME),
        );
      }),
    );
  });
});
