/** Helpers for operator tests: a node holding a value, and running one operator on it. */
import type { PathNode } from '../../../pkg/jsonpath/path.ts';
import { WorkMeter } from '../../../pkg/jsonpath/work-meter.ts';
import { OPERATORS } from '../../../features/policy/engine/operators/catalogue.ts';
import type { OperatorScope } from '../../../features/policy/engine/operators/operator.ts';

/** A fresh evaluation scope, as one policy evaluation gives its operators. */
export function operatorScope(): OperatorScope {
  return { memo: new WeakMap(), meter: new WorkMeter() };
}

export function nodeOf(value: unknown, extra: Partial<PathNode> = {}): PathNode {
  return { value, present: value !== undefined, steps: [{ key: 'field', named: true }], ...extra };
}

/** True when `value` satisfies `operator` with `operand`; throws when the operand is refused. */
export function satisfies(operator: string, operand: unknown, value: unknown): boolean {
  const op = OPERATORS.get(operator);
  if (!op) throw new Error(`no operator ${operator}`);
  const compiled = op.compile(operand);
  if (!compiled.ok) throw new Error(compiled.problem);
  return op.test(nodeOf(value), compiled.operand, operatorScope()) === undefined;
}

export function operandProblem(operator: string, operand: unknown): string | undefined {
  const compiled = OPERATORS.get(operator)!.compile(operand);
  return compiled.ok ? undefined : compiled.problem;
}
