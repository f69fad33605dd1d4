/**
 * MinLength and MaxLength (characters of a string, entries of a list, keys of a map) and NotEmpty,
 * which fails on an absent, null, empty list or empty map value (a string is judged by MinLength).
 */
import { isRecord } from '../../../../pkg/json/json-value.ts';
import { FAILS, ok, operator, presentValue, problem, type Operator } from './operator.ts';

function sizeOf(value: unknown): number | undefined {
  if (typeof value === 'string') return [...value].length;
  if (Array.isArray(value)) return value.length;
  return isRecord(value) ? Object.keys(value).length : undefined;
}

const count = (raw: unknown) =>
  Number.isInteger(raw) && (raw as number) >= 0 ? ok(raw as number) : problem('must be a whole number');

function sizeOperator(
  name: string,
  words: string,
  holds: (size: number, bound: number) => boolean,
): Operator {
  return operator<number>({
    name,
    dynamicOperand: false,
    compile: count,
    describe: (bound) => `must have ${words} ${bound} characters or entries`,
    test: (node, bound) => {
      const size = sizeOf(presentValue(node));
      return size === undefined || holds(size, bound) ? undefined : FAILS;
    },
  });
}

export const minLength = sizeOperator('MinLength', 'at least', (s, b) => s >= b);
export const maxLength = sizeOperator('MaxLength', 'at most', (s, b) => s <= b);

export const notEmpty = operator<undefined>({
  name: 'NotEmpty',
  dynamicOperand: false,
  compile: (raw) => (raw === undefined ? ok(undefined) : problem('takes no value')),
  describe: () => 'must not be empty',
  test: (node) => {
    const value = presentValue(node);
    if (value === undefined) return FAILS;
    return (Array.isArray(value) || isRecord(value)) && sizeOf(value) === 0 ? FAILS : undefined;
  },
});
