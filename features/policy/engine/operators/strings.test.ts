import { describe, expect, it } from 'vitest';
import { operandProblem, satisfies } from '../../../../test/support/policy/operator-fixtures.ts';

describe('string operators', () => {
  it('match RE2 patterns anywhere unless anchored', () => {
    expect(satisfies('Matches', '^[0-9a-f]{32}$', '3f2a9c1e7b5d40a8912e6c0d4b7a1f35')).toBe(true);
    expect(satisfies('Matches', '^[0-9a-f]{32}$', '3F2A')).toBe(false);
    expect(satisfies('NotMatches', '^\\*\\.', '*.example.com')).toBe(false);
    expect(satisfies('NotMatches', '^\\*\\.', 'api.example.com')).toBe(true);
  });
  it('check prefixes and suffixes', () => {
    expect(satisfies('StartsWith', 'https://', 'https://x')).toBe(true);
    expect(satisfies('NotStartsWith', 'http://', 'http://x')).toBe(false);
    expect(satisfies('EndsWith', '.host', 'a.host')).toBe(true);
    expect(satisfies('NotEndsWith', '.app.vimana.host', 'x.app.vimana.host')).toBe(false);
  });
  it('leave values that are no strings alone', () => {
    expect(satisfies('Matches', '^a$', 42)).toBe(true);
    expect(satisfies('NotStartsWith', 'x', undefined)).toBe(true);
  });
  it('refuse patterns RE2 cannot run, with the reason', () => {
    expect(operandProblem('Matches', '(a)\\1')).toContain('is not an RE2 regular expression');
    expect(operandProblem('Matches', 3)).toBe('must be a regular expression (a string)');
  });
});
