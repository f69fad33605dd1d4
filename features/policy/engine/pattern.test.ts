import { describe, expect, it } from 'vitest';
import { WorkMeter } from '../../../pkg/jsonpath/work-meter.ts';
import {
  compilePattern,
  MAX_PATTERNS_PER_POLICY,
  MAX_PROGRAM_PER_POLICY,
  PatternAllowance,
  PatternTooCostly,
} from './pattern.ts';

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
    const input = `${'a'.repeat(100_000)}!`;
    for (const source of ['^(a+)+$', '^(a|a)*$', '^(a|aa)+$', '(x+x+)+y', '^(\\w+\\s?)*$']) {
      const started = performance.now();
      expect(compiled(source).test(input)).toBe(false);
      expect(performance.now() - started).toBeLessThan(1000);
    }
  });

  it('says its RE2 program size, and matches what RE2 matches', () => {
    const folded = compiled('(?i)^team-[a-z]+$');
    expect(folded.programSize).toBeGreaterThan(0);
    expect(folded.test('TEAM-Payments')).toBe(true);
    expect(compiled('\\bteam\\b').test('a team here')).toBe(true);
    expect(compiled('\\bteam\\b').test('teams')).toBe(false);
  });

  it('does not start a match that could cost more than its bound, and counts the others on the meter', () => {
    const wide = compiled('^.*a[ab]{999}$');
    expect(() => wide.test('ab'.repeat(50_000))).toThrow(PatternTooCostly);
    expect(() => wide.test('ab'.repeat(50_000))).toThrow(
      /^pattern "\^\.\*a\[ab\]\{999\}\$" \(\d+ RE2 instructions\) is not run on a value of 100000 characters/,
    );
    const meter = new WorkMeter();
    expect(wide.test('ab'.repeat(100), meter)).toBe(false);
    expect(meter.spent).toBeGreaterThan(0);
    const label = new WorkMeter();
    compiled('^[a-z]+$').test('payments', label);
    expect(label.spent).toBe(0);
  });

  it("counts a policy's patterns and instructions, refusing what goes over before compiling it", () => {
    const allowance = new PatternAllowance();
    for (let i = 0; i < MAX_PATTERNS_PER_POLICY; i++)
      expect(compilePattern(`^a${i}$`, allowance).ok).toBe(true);
    expect(compilePattern('^b$', allowance)).toEqual({
      ok: false,
      problem: `is one pattern too many: a policy may hold at most ${MAX_PATTERNS_PER_POLICY} regular expressions`,
    });
    const large = new PatternAllowance();
    const results = Array.from({ length: 30 }, () => compilePattern('(\\pL|\\pN){1000}', large));
    const refused = results.findIndex((r) => !r.ok);
    expect(refused).toBeGreaterThan(0);
    expect(results[refused]).toEqual({
      ok: false,
      problem: expect.stringMatching(
        new RegExp(
          `^takes this policy's regular expressions to \\d+ RE2 instructions; a policy may hold at most ${MAX_PROGRAM_PER_POLICY}$`,
        ),
      ),
    });
    expect(results[refused + 1]).toEqual({ ok: false, problem: expect.stringContaining('already hold') });
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
