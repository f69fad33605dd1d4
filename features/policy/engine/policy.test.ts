import { describe, expect, it } from 'vitest';
import { compilePolicy } from './policy.ts';
import {
  compiled,
  CONFIG_MAP_MATCH,
  policyResource,
  problemsOf,
} from '../../../test/support/policy/policy-fixtures.ts';

const rule = (assert: unknown[], extra: Record<string, unknown> = {}) => ({
  validate: [{ name: 'r', assert, ...extra }],
});

describe('compilePolicy', () => {
  it('compiles a policy with defaults', () => {
    const policy = compiled(rule([{ path: '@.data.x', operator: 'Exists' }]));
    expect(policy).toMatchObject({
      action: 'Audit',
      failurePolicy: 'Fail',
      background: true,
      timeoutMs: 200,
      displayName: 'test-policy',
      generation: 1,
    });
    expect(policy.match.kinds).toEqual([{ group: '', kind: 'ConfigMap' }]);
    expect(policy.match.operations).toEqual(['CREATE', 'UPDATE']);
  });

  it('names namespaced policies by namespace and name', () => {
    const result = compilePolicy(
      policyResource(
        { match: CONFIG_MAP_MATCH, ...rule([{ operator: 'Exists' }]) },
        'p',
        'AdmissionPolicy',
        'team-a',
      ),
    );
    expect(result).toMatchObject({ ok: true, policy: { displayName: 'team-a/p', namespace: 'team-a' } });
  });

  it('rejects every problem at once, each with its path, value and reason', () => {
    expect(
      problemsOf({
        action: 'Deny',
        validate: [
          {
            name: 'Bad Name',
            forEach: '$.data[',
            assert: [
              { path: '@.x', operator: 'Matchez', value: 'a' },
              { operator: 'Matches', value: '(a)\\1' },
              { operator: 'Exists', message: '{{ valeu }}' },
            ],
            schema: { type: 'strnig' },
          },
        ],
      }),
    ).toEqual([
      'spec.action "Deny": must be one of Enforce, Warn, Audit',
      'spec.validate[0].name "Bad Name": must be lowercase letters, digits and dashes',
      'spec.validate[0].forEach "$.data[": is not a JSONPath: expected ] at character 8',
      expect.stringMatching(
        /^spec\.validate\[0]\.assert\[0]\.operator "Matchez": is not an operator; use one of Exists, NotExists, Type/,
      ),
      expect.stringMatching(
        /^spec\.validate\[0]\.assert\[1]\.value "\(a\)\\\\1": is not an RE2 regular expression: .*invalid escape sequence/,
      ),
      'spec.validate[0].assert[2].message "{{ valeu }}": {{ valeu }} is not a placeholder; use one of path, value, expectation, policy, rule, $.<path>',
      expect.stringMatching(/^spec\.validate\[0]\.schema \{"type":"strnig"}: is not a valid JSON Schema/),
    ]);
  });

  it('rejects wildcard kinds, unknown fields and policies without rules', () => {
    expect(
      compilePolicy(
        policyResource({ match: { resources: [{ apiGroups: ['*'], kinds: ['*'] }] }, validate: [] }),
      ).ok,
    ).toBe(false);
    expect(problemsOf({ validat: [] })).toEqual([
      expect.stringContaining('spec.validat []: is not a field of a policy spec'),
      expect.stringContaining('must have validate or mutate rules'),
    ]);
    expect(problemsOf({ validate: [{ name: 'r' }] })).toEqual([
      expect.stringContaining('must have assert, schema or both'),
    ]);
  });

  it('rejects mutations of identity or status, invalid labels, and broken patches', () => {
    expect(problemsOf({ mutate: [{ name: 'm', set: { path: '$.metadata.name', value: 'x' } }] })).toEqual([
      expect.stringContaining('writes metadata.name, which a mutation must not change'),
    ]);
    expect(problemsOf({ mutate: [{ name: 'm', labels: { 'bad key!': 'x', ok: 'not ok!' } }] })).toHaveLength(
      2,
    );
    expect(problemsOf({ mutate: [{ name: 'm', patch: [{ op: 'explode', path: '/x' }] }] })).toEqual([
      expect.stringContaining('is not a JSON Patch operation'),
    ]);
    expect(
      problemsOf({ mutate: [{ name: 'm', patch: [{ op: 'replace', path: '/status/x', value: 1 }] }] }),
    ).toEqual([expect.stringContaining('writes status')]);
  });

  it('rejects a mutation that produces an invalid object or one its own rules deny', () => {
    expect(
      problemsOf({ mutate: [{ name: 'm', set: { path: "$.metadata.labels['team']", value: 42 } }] }),
    ).toEqual([
      expect.stringContaining('would produce an invalid ConfigMap: metadata.labels["team"] must be a string'),
    ]);
    expect(
      problemsOf({
        validate: [{ name: 'v', assert: [{ path: '@.data.mode', operator: 'In', value: ['a', 'b'] }] }],
        mutate: [{ name: 'm', set: { path: '$.data.mode', value: 'c' } }],
      }),
    ).toEqual([
      expect.stringContaining(
        'would produce a ConfigMap that this policy\'s own validate rules deny: data.mode "c": must be one of',
      ),
    ]);
  });
});
