/**
 * GreaterThan, GreaterThanOrEquals, LessThan, LessThanOrEquals: numbers, and Kubernetes quantities
 * (`LessThanOrEquals: 1Gi` holds for `512Mi`). Other values are not ordered and are left alone.
 */
import { quantityValue } from '../quantity.ts';
import { FAILS, ok, operator, presentValue, problem, type Operator } from './operator.ts';

function ordering(name: string, words: string, holds: (value: number, bound: number) => boolean): Operator {
  return operator<{ bound: number; text: string }>({
    name,
    dynamicOperand: true,
    compile: (raw) => {
      const bound = quantityValue(raw);
      return bound === undefined
        ? problem('must be a number or a quantity such as 500m or 1Gi')
        : ok({ bound, text: typeof raw === 'string' ? raw : String(raw) });
    },
    describe: ({ text }) => `must be ${words} ${text}`,
    test: (node, { bound }) => {
      const value = quantityValue(presentValue(node));
      return value === undefined || holds(value, bound) ? undefined : FAILS;
    },
  });
}

export const greaterThan = ordering('GreaterThan', 'greater than', (v, b) => v > b);
export const greaterThanOrEquals = ordering('GreaterThanOrEquals', 'at least', (v, b) => v >= b);
export const lessThan = ordering('LessThan', 'less than', (v, b) => v < b);
export const lessThanOrEquals = ordering('LessThanOrEquals', 'at most', (v, b) => v <= b);
