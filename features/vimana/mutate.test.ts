import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../pkg/kube/types.ts';
import { mutateVimana } from './mutate.ts';
import { LABEL_DOMAIN, LABEL_SERVER, LABEL_VERSION } from './names.ts';
import { acme, DOMAIN_ID, variant } from '../../test/support/vimana/fixtures.ts';
import { VIMANA_GROUP, VIMANA_KINDS } from './types.ts';

const mutate = (object: unknown, operation = 'CREATE', newDomainId = () => 'a'.repeat(32)) =>
  mutateVimana(
    {
      operation,
      kind: { group: VIMANA_GROUP, kind: (object as KubeObject | undefined)?.kind ?? '' },
      object,
    },
    { newDomainId },
  );
const labelsOf = (object: unknown) => (object as KubeObject).metadata?.labels;

describe('mutateVimana', () => {
  it('adds missing labels from the spec, silently', () => {
    const { object, warnings } = mutate(acme('Component', 'payments-1-5-0-rc1'));
    expect(labelsOf(object)).toEqual({
      [LABEL_DOMAIN]: DOMAIN_ID,
      [LABEL_SERVER]: 'payments',
      [LABEL_VERSION]: '1.5.0-rc1',
    });
    expect(warnings).toEqual([]);
  });

  it('overwrites labels that disagree with the spec, saying so', () => {
    const server = acme('Server');
    server.metadata = {
      ...server.metadata,
      labels: { [LABEL_DOMAIN]: 'f'.repeat(32), [LABEL_SERVER]: 'payments', team: 'x' },
    };
    const { object, warnings } = mutate(server, 'UPDATE');
    expect(labelsOf(object)).toEqual({ [LABEL_DOMAIN]: DOMAIN_ID, [LABEL_SERVER]: 'payments', team: 'x' });
    expect(warnings).toEqual([
      `metadata.labels["vimana.host/domain"] "${'f'.repeat(32)}": set to spec.domain "${DOMAIN_ID}"`,
    ]);
    expect(labelsOf(server)?.[LABEL_DOMAIN]).toBe('f'.repeat(32));
  });

  it('never writes a spec value that is no valid label value (the API server would reject it unexplained)', () => {
    const { object } = mutate(variant('Server', { id: 'x'.repeat(70) }));
    expect(labelsOf(object)?.[LABEL_SERVER]).toBe('payments');
    expect(labelsOf(mutate(variant('Component', { version: '1.0.0+build' })).object)?.[LABEL_VERSION]).toBe(
      '1.4.0',
    );
  });

  it('generates a missing or empty Domain id on CREATE only', () => {
    for (const id of [undefined, '']) {
      const { object, warnings } = mutate(variant('Domain', { id }));
      expect((object as KubeObject)['spec']).toMatchObject({ id: 'a'.repeat(32) });
      expect(labelsOf(object)?.[LABEL_DOMAIN]).toBe('a'.repeat(32));
      expect(warnings).toEqual([
        `spec.id ${JSON.stringify(id) ?? '(absent)'}: generated "${'a'.repeat(32)}"`,
        // The fixture's label carried the old id.
        `metadata.labels["vimana.host/domain"] "${DOMAIN_ID}": set to spec.id "${'a'.repeat(32)}"`,
      ]);
    }
    expect(mutate(variant('Domain', { id: '' }), 'UPDATE').object).toMatchObject({ spec: { id: '' } });
  });

  it('generates ids of 16 random bytes by default', () => {
    const generate = () =>
      (
        mutateVimana({
          operation: 'CREATE',
          kind: { group: VIMANA_GROUP, kind: 'Domain' },
          object: variant('Domain', { id: undefined }),
        }).object as { spec: { id: string } }
      ).spec.id;
    const [first, second] = [generate(), generate()];
    expect(first).toMatch(/^[0-9a-f]{32}$/);
    expect(first).not.toBe(second);
  });

  it('names a Domain created with generateName after its id (§5 A1)', () => {
    const domain = { ...acme('Domain'), metadata: { generateName: 'domain-', namespace: 'acme' } };
    const { object, warnings } = mutate(domain);
    expect((object as KubeObject).metadata?.name).toBe(DOMAIN_ID);
    expect(warnings).toEqual([
      'metadata.name (absent): set to spec.id, the name the operator looks Domains up by',
    ]);
  });

  it('lower-cases hostnames and removes repeats, keeping the order, naming each field', () => {
    const domain = variant('Domain', {
      aliases: ['API.Example.com', 'grpc.example.net', 'api.example.com'],
      failover: ['Backup.Example.net'],
      regions: ['aws/us-east', 'aws/us-east'],
    });
    const { object, warnings } = mutate(domain, 'UPDATE');
    expect((object as KubeObject)['spec']).toMatchObject({
      aliases: ['api.example.com', 'grpc.example.net'],
      failover: ['backup.example.net'],
      regions: ['aws/us-east'],
    });
    expect(warnings).toEqual([
      'spec.aliases[0] "API.Example.com": lower-cased to "api.example.com" (rule F6)',
      'spec.aliases[2] "api.example.com": removed, it repeats spec.aliases[0] (rule X4)',
      'spec.failover[0] "Backup.Example.net": lower-cased to "backup.example.net" (rule F7)',
      'spec.regions[1] "aws/us-east": removed, it repeats spec.regions[0] (rule X4)',
    ]);
    const server = mutate(variant('Server', { services: ['a.B', 'c.D', 'a.B', 7] }));
    expect((server.object as KubeObject)['spec']).toMatchObject({ services: ['a.B', 'c.D', 7] });
  });

  it('leaves other kinds, subresources, deletions and odd objects alone', () => {
    const object = variant('Domain', { aliases: ['A.example.com'] });
    for (const request of [
      { operation: 'CREATE', kind: { group: 'apps', kind: 'Domain' }, object },
      { operation: 'UPDATE', kind: { group: VIMANA_GROUP, kind: 'Domain' }, subResource: 'status', object },
      { operation: 'DELETE', kind: { group: VIMANA_GROUP, kind: 'Domain' }, object },
      { operation: 'CREATE', kind: { group: VIMANA_GROUP, kind: 'Domain' }, object: 'text' },
    ])
      expect(mutateVimana(request)).toEqual({ object: request.object, warnings: [] });
  });

  it('is idempotent: a second pass changes nothing and reports nothing (property)', () => {
    const listOfNames = fc.array(
      fc.oneof(fc.constantFrom('A.example.com', 'a.example.com', 'b.B', 'X'), fc.string(), fc.integer()),
      { maxLength: 6 },
    );
    const loose = fc.record({
      kind: fc.constantFrom(...VIMANA_KINDS),
      metadata: fc.record(
        { name: fc.string(), labels: fc.oneof(fc.dictionary(fc.string(), fc.string()), fc.jsonValue()) },
        { requiredKeys: [] },
      ),
      spec: fc.record(
        {
          id: fc.oneof(fc.constant(''), fc.constant(DOMAIN_ID), fc.string(), fc.jsonValue()),
          domain: fc.oneof(fc.constant(DOMAIN_ID), fc.string()),
          server: fc.string(),
          version: fc.oneof(fc.constant('1.0.0'), fc.string()),
          aliases: listOfNames,
          failover: listOfNames,
          regions: listOfNames,
          services: listOfNames,
          auth: fc.record({ jwks: listOfNames }),
          grpc: fc.record({
            reflection: fc.record({ noneBut: listOfNames, allBut: listOfNames }, { requiredKeys: [] }),
          }),
        },
        { requiredKeys: [] },
      ),
    });
    fc.assert(
      fc.property(loose, fc.constantFrom('CREATE', 'UPDATE'), (object, operation) => {
        const once = mutate(object, operation);
        const twice = mutate(once.object, operation);
        expect(twice).toEqual({ object: once.object, warnings: [] });
      }),
      { numRuns: 300 },
    );
  });
});
