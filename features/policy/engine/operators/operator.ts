/**
 * The shape of an assertion operator, in the rule-catalogue style: a named unit that says what operand it
 * takes, checks that operand when the policy is applied, describes itself for default messages, and
 * tests one node.
 *
 * Like JSON Schema keywords, an operator judges only values of the types it is about: `Matches` holds
 * for a number, `GreaterThan` for a string, and every operator but the presence ones holds for an absent
 * (or null) value. Presence and type are asserted with `Exists` and `Type`, so each failure has one
 * message that says what to write.
 */
import type { PathNode } from '../../../../pkg/jsonpath/path.ts';
import type { WorkMeter } from '../../../../pkg/jsonpath/work-meter.ts';
import type { PatternAllowance } from '../pattern.ts';

/** Per-evaluation memory an operator may use (e.g. the entries of a list seen so far), and its work meter. */
export interface OperatorScope {
  readonly memo: WeakMap<object, unknown>;
  readonly meter: WorkMeter;
}

/** Why a node fails; `facts` fill the message placeholders the operator declares. */
export interface Failure {
  facts?: Record<string, string>;
}

export type CompiledOperand<T> = { ok: true; operand: T } | { ok: false; problem: string };

export interface Operator<T = unknown> {
  readonly name: string;
  /** Whether the operand may come from the object (`valueFrom`) rather than the policy only. */
  readonly dynamicOperand: boolean;
  /** Placeholders the operator fills in messages, beyond path and value. */
  readonly facts?: readonly string[];
  /**
   * Checks and prepares the operand written in the policy; regular expressions count against the
   * policy's `patterns` (operands taken from the object at evaluation have none).
   */
  compile(raw: unknown, patterns?: PatternAllowance): CompiledOperand<T>;
  /** `must match "^a$"`: the expectation, for messages the policy does not write itself. */
  describe(operand: T): string;
  /** Undefined when the node satisfies the operator. */
  test(node: PathNode, operand: T, scope: OperatorScope): Failure | undefined;
}

export const FAILS: Failure = {};

/** The node's value when present and not null, else undefined. */
export function presentValue(node: PathNode): unknown {
  return node.present && node.value !== null ? node.value : undefined;
}

/** Defines an operator, keeping its operand type checked against its test. */
export function operator<T>(definition: Operator<T>): Operator {
  return definition as unknown as Operator;
}

export const ok = <T>(operand: T): CompiledOperand<T> => ({ ok: true, operand });
export const problem = (text: string): CompiledOperand<never> => ({ ok: false, problem: text });
