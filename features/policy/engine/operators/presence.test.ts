import { describe, expect, it } from 'vitest';
import { operandProblem, satisfies } from '../../../../test/support/policy/operator-fixtures.ts';

describe('Exists / NotExists', () => {
  it('treat null as absent', () => {
    expect(satisfies('Exists', undefined, 'x')).toBe(true);
    expect(satisfies('Exists', undefined, '')).toBe(true);
    expect(satisfies('Exists', undefined, undefined)).toBe(false);
    expect(satisfies('Exists', undefined, null)).toBe(false);
    expect(satisfies('NotExists', undefined, null)).toBe(true);
    expect(satisfies('NotExists', undefined, 0)).toBe(false);
  });
  it('take no operand', () => {
    expect(operandProblem('Exists', true)).toBe('takes no value');
  });
});
