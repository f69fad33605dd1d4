import { describe, expect, it } from 'vitest';
import {
  byName,
  deniesRequest,
  matchingPolicies,
  mutateWith,
  resultKind,
  validateWith,
  validationVerdict,
} from './evaluate.ts';
import { compiled, configMap, reviewOf } from '../../../test/support/policy/policy-fixtures.ts';

const modeRule = {
  validate: [
    {
      name: 'mode',
      assert: [
        {
          path: '@.data.mode',
          operator: 'In',
          value: ['a', 'b'],
          message: '{{ path }} {{ value }}: must be a or b',
        },
      ],
    },
  ],
};

function verdictFor(action: string, data: Record<string, unknown>, extra = {}) {
  const policy = compiled({ action, ...modeRule });
  return validationVerdict([validateWith(policy, reviewOf(configMap(data), extra))]);
}

describe('validation verdicts by action', () => {
  it('Enforce denies, Warn warns, Audit only records', () => {
    expect(verdictFor('Enforce', { mode: 'c' })).toEqual({
      denials: ['data.mode "c": must be a or b'],
      warnings: [],
    });
    expect(verdictFor('Warn', { mode: 'c' })).toEqual({
      denials: [],
      warnings: ['data.mode "c": must be a or b'],
    });
    expect(verdictFor('Audit', { mode: 'c' })).toEqual({ denials: [], warnings: [] });
    expect(verdictFor('Enforce', { mode: 'a' })).toEqual({ denials: [], warnings: [] });
  });

  it('counts results as pass, fail (Enforce, Audit), warn (Warn) and error', () => {
    const review = reviewOf(configMap({ mode: 'c' }));
    expect(resultKind(validateWith(compiled({ action: 'Audit', ...modeRule }), review))).toBe('fail');
    expect(resultKind(validateWith(compiled({ action: 'Warn', ...modeRule }), review))).toBe('warn');
    expect(
      resultKind(validateWith(compiled({ action: 'Warn', ...modeRule }), reviewOf(configMap({ mode: 'a' })))),
    ).toBe('pass');
  });

  it('ratchets: on UPDATE what the stored object already broke only warns', () => {
    const update = (old: Record<string, unknown>) => ({
      operation: 'UPDATE' as const,
      oldObject: configMap(old),
    });
    expect(verdictFor('Enforce', { mode: 'c' }, update({ mode: 'c' }))).toEqual({
      denials: [],
      warnings: ['data.mode "c": must be a or b'],
    });
    expect(verdictFor('Enforce', { mode: 'c' }, update({ mode: 'a' }))).toEqual({
      denials: ['data.mode "c": must be a or b'],
      warnings: [],
    });
  });
});

/** An Enforce policy that cannot finish within its 1 ms budget on `big`. */
const overBudget = (failurePolicy: string) =>
  compiled({
    action: 'Enforce',
    failurePolicy,
    timeoutMilliseconds: 1,
    validate: [
      { name: 'each', forEach: '$.data.items[*]', assert: [{ operator: 'Matches', value: '^(a+)+$' }] },
    ],
  });
const big = configMap({ items: Array.from({ length: 20_000 }, () => `${'a'.repeat(200)}!`) });

describe('policy errors', () => {
  it('a policy over its budget is an error that fails closed or warns per failurePolicy', () => {
    const failed = validateWith(overBudget('Fail'), reviewOf(big));
    expect(failed.error).toBe('policy test-policy did not finish within its budget of 1 ms');
    expect(validationVerdict([failed]).denials).toEqual([
      'policy test-policy did not finish within its budget of 1 ms (failing closed)',
    ]);
    expect(validationVerdict([validateWith(overBudget('Ignore'), reviewOf(big))])).toEqual({
      denials: [],
      warnings: ['policy test-policy did not finish within its budget of 1 ms'],
    });
  });
});

describe('deniesRequest', () => {
  it('is true exactly when the verdict takes a denial from the result', () => {
    const update = { operation: 'UPDATE' as const, oldObject: configMap({ mode: 'c' }) };
    const results = [
      ...['Enforce', 'Warn', 'Audit'].flatMap((action) =>
        [{ mode: 'a' }, { mode: 'c' }].map((data) =>
          validateWith(compiled({ action, ...modeRule }), reviewOf(configMap(data))),
        ),
      ),
      validateWith(compiled({ action: 'Enforce', ...modeRule }), reviewOf(configMap({ mode: 'c' }), update)),
      validateWith(overBudget('Fail'), reviewOf(big)),
      validateWith(overBudget('Ignore'), reviewOf(big)),
    ];
    expect(results.map(deniesRequest)).toEqual(
      results.map((result) => validationVerdict([result]).denials.length > 0),
    );
    expect(results.map(deniesRequest)).toEqual([false, true, false, false, false, false, false, true, false]);
  });
});

describe('matchingPolicies', () => {
  it('keeps the matching policies, in the order given (byName sorts them)', () => {
    const b = compiled(modeRule, 'b');
    const a = compiled(modeRule, 'a');
    const other = compiled(
      { ...modeRule, match: { resources: [{ apiGroups: ['apps'], kinds: ['Deployment'] }] } },
      'c',
    );
    expect(matchingPolicies([b, other, a].sort(byName), reviewOf(configMap({}))).map((p) => p.name)).toEqual([
      'a',
      'b',
    ]);
  });
});

describe('mutateWith', () => {
  it('applies all changes of a policy, or none when the result is invalid', () => {
    const policy = compiled({
      mutate: [
        { name: 'team', labels: { team: 'payments' } },
        { name: 'copy', set: { path: "$.metadata.labels['mode']", valueFrom: '$.data.mode' } },
      ],
    });
    const good = configMap({ mode: 'fast' });
    expect(mutateWith(policy, reviewOf(good), good, true).changes).toEqual([
      'set metadata.labels.team to "payments"',
      'set metadata.labels.mode to "fast"',
    ]);
    expect(good.metadata?.labels).toEqual({ team: 'payments', mode: 'fast' });
    const bad = configMap({ mode: 'not a label value!' });
    const result = mutateWith(policy, reviewOf(bad), bad, true);
    expect(result.error).toContain(
      'would produce an invalid object: metadata.labels: label value "not a label value!" is invalid',
    );
    expect(bad.metadata?.labels).toBeUndefined();
  });

  it('leaves the object alone when not applying (Warn and Audit)', () => {
    const policy = compiled({ mutate: [{ name: 'team', labels: { team: 'x' } }] });
    const object = configMap({});
    expect(mutateWith(policy, reviewOf(object), object, false).changes).toEqual([
      'set metadata.labels.team to "x"',
    ]);
    expect(object.metadata?.labels).toBeUndefined();
  });
});
