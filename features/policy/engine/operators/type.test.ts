import { describe, expect, it } from 'vitest';
import { operandProblem, satisfies } from '../../../../test/support/policy/operator-fixtures.ts';

describe('Type', () => {
  it('checks JSON types; integers are numbers too', () => {
    expect(satisfies('Type', 'string', 'x')).toBe(true);
    expect(satisfies('Type', 'object', [])).toBe(false);
    expect(satisfies('Type', 'number', 3)).toBe(true);
    expect(satisfies('Type', 'integer', 3.5)).toBe(false);
    expect(satisfies('Type', ['array', 'object'], {})).toBe(true);
  });
  it('leaves absent values to Exists', () => {
    expect(satisfies('Type', 'object', undefined)).toBe(true);
    expect(satisfies('Type', 'object', null)).toBe(true);
  });
  it('refuses unknown types', () => {
    expect(operandProblem('Type', 'text')).toContain('must be one of string, number');
    expect(operandProblem('Type', [])).toBeDefined();
  });
});
