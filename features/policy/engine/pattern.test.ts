import { describe, expect, it } from 'vitest';
import { compilePattern } from './pattern.ts';

function compiled(source: string) {
  const result = compilePattern(source);
  if (!result.ok) throw new Error(result.problem);
  return result.pattern;
}

describe('compilePattern', () => {
  it('finds the pattern anywhere unless anchored', () => {
    expect(compiled('b+').test('abbbc')).toBe(true);
    expect(compiled('^b+$').test('abbbc')).toBe(false);
    expect(compiled('^[0-9a-f]{32}$').test('3f2a9c1e7b5d40a8912e6c0d4b7a1f35')).toBe(true);
  });

  it('runs the classic catastrophic patterns in linear time', () => {
    const input = `${'a'.repeat(200_000)}!`;
    for (const source of ['^(a+)+$', '^(a|a)*$', '^(a|aa)+$', '(x+x+)+y', '^(\\w+\\s?)*$']) {
      const started = performance.now();
      expect(compiled(source).test(input)).toBe(false);
      expect(performance.now() - started).toBeLessThan(1000);
    }
  });

  it('runs common patterns on the automaton and leaves the rest of RE2 to re2js, with the same answers', () => {
    expect(compiled('^[a-z][a-z0-9-]{0,62}$').engine).toBe('dfa');
    expect(compiled('^[0-9a-f]{32}$').engine).toBe('dfa');
    const folded = compiled('(?i)^team-[a-z]+$');
    expect(folded.engine).toBe('re2');
    expect(folded.test('TEAM-Payments')).toBe(true);
    expect(compiled('\\bteam\\b').engine).toBe('re2');
  });

  it('rejects what needs a backtracking engine, with the reason', () => {
    expect(compilePattern('(a)\\1')).toEqual({
      ok: false,
      problem: expect.stringContaining('invalid escape sequence: `\\1`'),
    });
    expect(compilePattern('(?=a)b')).toEqual({
      ok: false,
      problem: expect.stringContaining('invalid or unsupported Perl syntax'),
    });
    expect(compilePattern('a{2000}')).toEqual({
      ok: false,
      problem: expect.stringContaining('invalid repeat count'),
    });
  });

  it('rejects syntax errors and oversized patterns', () => {
    expect(compilePattern('(')).toEqual({ ok: false, problem: expect.stringContaining('missing closing )') });
    expect(compilePattern('a'.repeat(5000))).toEqual({
      ok: false,
      problem: 'is longer than 4096 characters',
    });
  });
});
