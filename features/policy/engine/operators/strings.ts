/**
 * Matches and NotMatches (RE2, see pattern.ts), StartsWith, EndsWith and their negations: strings only.
 */
import { compilePattern, type Pattern } from '../pattern.ts';
import type { WorkMeter } from '../../../../pkg/jsonpath/work-meter.ts';
import { FAILS, ok, operator, presentValue, problem, type Operator } from './operator.ts';

/**
 * FAILS when `value` is a string for which `holds` does not; other types are the Type operator's business.
 * A plain function, not a closure built per test: tsx (esbuild keepNames) names every named closure as it
 * is created, which cost the admission path a defineProperty per policy and value.
 */
function onString(value: unknown, holds: (text: string) => boolean) {
  return typeof value !== 'string' || holds(value) ? undefined : FAILS;
}

/** onString for a pattern, without a closure per test (see onString). */
function onPatternString(value: unknown, pattern: Pattern, meter: WorkMeter, expected: boolean) {
  return typeof value !== 'string' || pattern.test(value, meter) === expected ? undefined : FAILS;
}

function patternOperator(name: string, expected: boolean): Operator {
  return operator<Pattern>({
    name,
    dynamicOperand: false,
    compile: (raw, patterns) => {
      if (typeof raw !== 'string') return problem('must be a regular expression (a string)');
      const compiled = compilePattern(raw, patterns);
      return compiled.ok ? ok(compiled.pattern) : problem(compiled.problem);
    },
    describe: (pattern) => `must ${expected ? '' : 'not '}match ${JSON.stringify(pattern.source)}`,
    test: (node, pattern, scope) => onPatternString(presentValue(node), pattern, scope.meter, expected),
  });
}

function affixOperator(
  name: string,
  words: string,
  holds: (text: string, affix: string) => boolean,
): Operator {
  return operator<string>({
    name,
    dynamicOperand: true,
    compile: (raw) => (typeof raw === 'string' ? ok(raw) : problem('must be a string')),
    describe: (affix) => `must ${words} ${JSON.stringify(affix)}`,
    test: (node, affix) => onString(presentValue(node), (text) => holds(text, affix)),
  });
}

export const matches = patternOperator('Matches', true);
export const notMatches = patternOperator('NotMatches', false);
export const startsWith = affixOperator('StartsWith', 'start with', (t, a) => t.startsWith(a));
export const notStartsWith = affixOperator('NotStartsWith', 'not start with', (t, a) => !t.startsWith(a));
export const endsWith = affixOperator('EndsWith', 'end with', (t, a) => t.endsWith(a));
export const notEndsWith = affixOperator('NotEndsWith', 'not end with', (t, a) => !t.endsWith(a));
