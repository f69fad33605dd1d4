import { describe, expect, it } from 'vitest';
import { quantityValue } from '../quantity.ts';
import { operandProblem, satisfies } from '../../../../test/support/policy/operator-fixtures.ts';

describe('ordering operators', () => {
  it('compare numbers', () => {
    expect(satisfies('GreaterThan', 0, 1)).toBe(true);
    expect(satisfies('GreaterThan', 0, 0)).toBe(false);
    expect(satisfies('GreaterThanOrEquals', 0, 0)).toBe(true);
    expect(satisfies('LessThan', 10, 10)).toBe(false);
    expect(satisfies('LessThanOrEquals', 1000000, 2000000)).toBe(false);
  });
  it('compare Kubernetes quantities', () => {
    expect(satisfies('LessThanOrEquals', '1Gi', '512Mi')).toBe(true);
    expect(satisfies('LessThan', '1', '500m')).toBe(true);
    expect(satisfies('GreaterThan', '2k', '1.5e3')).toBe(false);
    expect(quantityValue('1.5Gi')).toBe(1.5 * 2 ** 30);
    expect(quantityValue('1Gb')).toBeUndefined();
  });
  it('leave values that are not ordered alone', () => {
    expect(satisfies('GreaterThan', 5, 'many')).toBe(true);
    expect(satisfies('GreaterThan', 5, true)).toBe(true);
    expect(satisfies('GreaterThan', 5, undefined)).toBe(true);
  });
  it('need a number or quantity', () => {
    expect(operandProblem('LessThan', 'lots')).toContain('must be a number or a quantity');
  });
});
