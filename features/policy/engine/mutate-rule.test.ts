import { describe, expect, it } from 'vitest';
import { mutateWith } from './evaluate.ts';
import { compiled, configMap, reviewOf } from '../../../test/support/policy/policy-fixtures.ts';

function mutated(rules: unknown[], object: Record<string, unknown>) {
  const policy = compiled({ mutate: rules });
  const copy = structuredClone(object);
  const result = mutateWith(policy, reviewOf(copy), copy, true);
  if (result.error) throw new Error(result.error);
  return { object: copy, changes: result.changes };
}

describe('mutate rules', () => {
  it('set creates missing parents along a plain path', () => {
    const { object, changes } = mutated(
      [{ name: 's', set: { path: '$.spec.tls.mode', value: 'strict' } }],
      configMap({}),
    );
    expect(object['spec']).toEqual({ tls: { mode: 'strict' } });
    expect(changes).toEqual(['set spec.tls.mode to "strict"']);
  });

  it('default fills only absent or null fields, at each selected parent', () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'p' },
      spec: { containers: [{ name: 'a' }, { name: 'b', imagePullPolicy: 'Always' }] },
    };
    const { object, changes } = mutated(
      [{ name: 'd', default: { path: '$.spec.containers[*].imagePullPolicy', value: 'IfNotPresent' } }],
      pod,
    );
    expect((object['spec'] as { containers: unknown[] }).containers).toEqual([
      { name: 'a', imagePullPolicy: 'IfNotPresent' },
      { name: 'b', imagePullPolicy: 'Always' },
    ]);
    expect(changes).toEqual(['defaulted spec.containers[0].imagePullPolicy to "IfNotPresent"']);
  });

  it('annotations, and a JSON Patch whose test fails is skipped', () => {
    const rules = [
      { name: 'a', annotations: { 'example.com/owner': 'platform' } },
      {
        name: 'p',
        patch: [
          { op: 'test', path: '/data/mode', value: 'legacy' },
          { op: 'replace', path: '/data/mode', value: 'modern' },
        ],
      },
    ];
    expect(mutated(rules, configMap({ mode: 'legacy' })).object['data']).toEqual({ mode: 'modern' });
    const untouched = mutated(rules, configMap({ mode: 'other' }));
    expect(untouched.object['data']).toEqual({ mode: 'other' });
    expect(untouched.object.metadata).toMatchObject({ annotations: { 'example.com/owner': 'platform' } });
  });

  it('a JSON Patch that does not apply is a policy error, and nothing changes', () => {
    const policy = compiled({
      mutate: [{ name: 'p', patch: [{ op: 'replace', path: '/data/missing/x', value: 1 }] }],
    });
    const object = configMap({});
    expect(mutateWith(policy, reviewOf(object), object, true).error).toContain(
      'its JSON Patch does not apply',
    );
    expect(object['data']).toEqual({});
  });

  it('rules with preconditions apply only when they hold', () => {
    const rules = [
      {
        name: 'w',
        when: [{ path: '$.data.env', operator: 'Equals', value: 'prod' }],
        labels: { critical: 'true' },
      },
    ];
    expect(mutated(rules, configMap({ env: 'prod' })).object.metadata).toMatchObject({
      labels: { critical: 'true' },
    });
    expect(mutated(rules, configMap({ env: 'dev' })).changes).toEqual([]);
  });
});
