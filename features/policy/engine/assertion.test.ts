import { describe, expect, it } from 'vitest';
import { validateWith } from './evaluate.ts';
import { compiled, configMap, reviewOf } from '../../../test/support/policy/policy-fixtures.ts';

function messages(
  assert: unknown[],
  data: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): string[] {
  const policy = compiled({ validate: [{ name: 'r', assert, ...extra }] });
  return validateWith(policy, reviewOf(configMap(data))).violations.map((v) => v.message);
}

describe('assertions', () => {
  it('say what they expect when the policy writes no message', () => {
    expect(
      messages([{ path: '@.data.replicas', operator: 'LessThanOrEquals', value: 3 }], { replicas: 5 }),
    ).toEqual(['data.replicas 5: must be at most 3 (policy test-policy, rule r)']);
  });

  it('compare with another field through valueFrom, and hold when it is absent', () => {
    const assert = [
      {
        path: '$.data.min',
        operator: 'LessThanOrEquals',
        valueFrom: '$.data.max',
        message: '{{ path }} {{ value }}: must not exceed max {{ $.data.max }}',
      },
    ];
    expect(messages(assert, { min: 5, max: 3 })).toEqual(['data.min 5: must not exceed max 3']);
    expect(messages(assert, { min: 5 })).toEqual([]);
  });

  it('anyOf holds when one part holds; allOf reports its first failing part', () => {
    const anyOf = [
      {
        anyOf: [
          { path: '@.data.a', operator: 'Exists' },
          { path: '@.data.b', operator: 'Exists' },
        ],
      },
    ];
    expect(messages(anyOf, { b: 1 })).toEqual([]);
    expect(messages(anyOf, {})).toEqual([
      expect.stringContaining(
        ': must satisfy one of: is required; or is required (policy test-policy, rule r)',
      ),
    ]);
    const allOf = [
      {
        allOf: [
          { path: '@.data.a', operator: 'Exists' },
          { path: '@.data.a', operator: 'Type', value: 'string', expectation: 'must be text' },
        ],
      },
    ];
    expect(messages(allOf, { a: 1 })).toEqual(['data.a 1: must be text (policy test-policy, rule r)']);
  });

  it('a subject reports only its first failure, each subject its own; schema errors come on top', () => {
    const assert = [
      { operator: 'Type', value: 'string' },
      { operator: 'MaxLength', value: 3 },
    ];
    const extra = {
      forEach: '$.data.*',
      message: '{{ path }} {{ value }}: {{ expectation }}',
      schema: { type: 'string', pattern: '^[a-z]*$' },
    };
    expect(messages(assert, { a: 'ok', b: 7, c: 'TOOLONG' }, extra)).toEqual([
      'data["b"] 7: must be a string',
      'data["b"] 7: must be string',
      'data["c"] "TOOLONG": must have at most 3 characters or entries',
      'data["c"] "TOOLONG": must match pattern "^[a-z]*$"',
    ]);
  });

  it('rules apply only when their preconditions hold; a precondition about a value needs the value', () => {
    const assert = [{ path: '@.data.x', operator: 'Exists' }];
    expect(
      messages(assert, {}, { when: [{ path: '$.data.strict', operator: 'Equals', value: true }] }),
    ).toEqual([]);
    expect(
      messages(
        assert,
        { strict: true },
        { when: [{ path: '$.data.strict', operator: 'Equals', value: true }] },
      ),
    ).toHaveLength(1);
  });
});
