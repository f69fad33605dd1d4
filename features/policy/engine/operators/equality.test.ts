import { describe, expect, it } from 'vitest';
import { operandProblem, satisfies } from '../../../../test/support/policy/operator-fixtures.ts';

describe('Equals / NotEquals / In / NotIn', () => {
  it('compare JSON values deeply', () => {
    expect(satisfies('Equals', { a: [1, 2] }, { a: [1, 2] })).toBe(true);
    expect(satisfies('Equals', 1, '1')).toBe(false);
    expect(satisfies('NotEquals', 'x', 'y')).toBe(true);
    expect(satisfies('In', ['a', 'b'], 'b')).toBe(true);
    expect(satisfies('NotIn', ['a', 'b'], 'b')).toBe(false);
  });
  it('leave absent values alone', () => {
    expect(satisfies('Equals', 'x', undefined)).toBe(true);
    expect(satisfies('In', ['x'], null)).toBe(true);
  });
  it('need an operand, and a non-empty list for In', () => {
    expect(operandProblem('Equals', undefined)).toBe('needs a value');
    expect(operandProblem('In', [])).toBe('must be a non-empty list');
    expect(operandProblem('NotIn', 'a')).toBe('must be a non-empty list');
  });
});
