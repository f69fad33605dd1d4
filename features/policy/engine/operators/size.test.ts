import { describe, expect, it } from 'vitest';
import { operandProblem, satisfies } from '../../../../test/support/policy/operator-fixtures.ts';

describe('size operators', () => {
  it('count characters, entries and keys', () => {
    expect(satisfies('MaxLength', 3, 'abc')).toBe(true);
    expect(satisfies('MaxLength', 3, 'abcd')).toBe(false);
    expect(satisfies('MaxLength', 1, ['a', 'b'])).toBe(false);
    expect(satisfies('MinLength', 1, {})).toBe(false);
    expect(satisfies('MaxLength', 2, 'é😀')).toBe(true);
    expect(satisfies('MinLength', 1, 5)).toBe(true);
  });
  it('NotEmpty fails on absent, null, [] and {}, not on scalars', () => {
    for (const empty of [undefined, null, [], {}])
      expect(satisfies('NotEmpty', undefined, empty)).toBe(false);
    for (const full of [['a'], { a: 1 }, '', 0]) expect(satisfies('NotEmpty', undefined, full)).toBe(true);
  });
  it('need a whole number', () => {
    expect(operandProblem('MaxLength', -1)).toBe('must be a whole number');
    expect(operandProblem('MinLength', 1.5)).toBe('must be a whole number');
  });
});
