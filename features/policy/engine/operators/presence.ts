/** Exists and NotExists: whether a field holds a value. Null counts as absent, as Kubernetes drops it. */
import { FAILS, ok, operator, presentValue, problem } from './operator.ts';

const noOperand = (raw: unknown) => (raw === undefined ? ok(undefined) : problem('takes no value'));

export const exists = operator<undefined>({
  name: 'Exists',
  dynamicOperand: false,
  compile: noOperand,
  describe: () => 'is required',
  test: (node) => (presentValue(node) === undefined ? FAILS : undefined),
});

export const notExists = operator<undefined>({
  name: 'NotExists',
  dynamicOperand: false,
  compile: noOperand,
  describe: () => 'must not be set',
  test: (node) => (presentValue(node) === undefined ? undefined : FAILS),
});
