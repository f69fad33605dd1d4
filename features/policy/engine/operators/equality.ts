/** Equals, NotEquals, In and NotIn: JSON equality with a value or a list of values. */
import { sameJson } from '../../../../pkg/json/json-value.ts';
import { FAILS, ok, operator, presentValue, problem } from './operator.ts';

const anyValue = (raw: unknown) => (raw === undefined ? problem('needs a value') : ok(raw));
const list = (raw: unknown) =>
  Array.isArray(raw) && raw.length > 0 ? ok(raw as readonly unknown[]) : problem('must be a non-empty list');

function holdsWhen(condition: (value: unknown) => boolean) {
  return (value: unknown) => (value === undefined || condition(value) ? undefined : FAILS);
}

export const equals = operator<unknown>({
  name: 'Equals',
  dynamicOperand: true,
  compile: anyValue,
  describe: (operand) => `must equal ${JSON.stringify(operand)}`,
  test: (node, operand) => holdsWhen((v) => sameJson(v, operand))(presentValue(node)),
});

export const notEquals = operator<unknown>({
  name: 'NotEquals',
  dynamicOperand: true,
  compile: anyValue,
  describe: (operand) => `must not equal ${JSON.stringify(operand)}`,
  test: (node, operand) => holdsWhen((v) => !sameJson(v, operand))(presentValue(node)),
});

export const isIn = operator<readonly unknown[]>({
  name: 'In',
  dynamicOperand: true,
  compile: list,
  describe: (values) => `must be one of ${values.map((v) => JSON.stringify(v)).join(', ')}`,
  test: (node, values) => holdsWhen((v) => values.some((x) => sameJson(v, x)))(presentValue(node)),
});

export const notIn = operator<readonly unknown[]>({
  name: 'NotIn',
  dynamicOperand: true,
  compile: list,
  describe: (values) => `must not be one of ${values.map((v) => JSON.stringify(v)).join(', ')}`,
  test: (node, values) => holdsWhen((v) => !values.some((x) => sameJson(v, x)))(presentValue(node)),
});
