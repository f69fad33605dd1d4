/**
 * The object form of a label selector (`spec.selector` of an Application, `metav1.LabelSelector`) read
 * into requirements.
 *
 * The input is whatever a user stored, so it is read defensively, as kAppNav's Java API reads it
 * (kappnav-prism.md §2.3): an expression with an unknown operator (names are case-sensitive), or an
 * `In`/`NotIn` without values, is dropped and imposes no constraint; `matchLabels` values may be any JSON
 * primitive. Each dropped part is described in `dropped` so the caller can log it once. We keep the Java
 * behaviour rather than rejecting the whole selector because an Application that kAppNav used to show must
 * not lose all its components on upgrade; note that dropping a requirement widens the selection.
 */
import { isRecord } from '../json/json-value.ts';
import type { Operator, Requirement } from './requirement.ts';

export interface LabelSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

export interface ReadSelector {
  requirements: Requirement[];
  /** One sentence for each part that was ignored. */
  dropped: string[];
}

const EXPRESSION_OPERATORS: ReadonlySet<string> = new Set<Operator>([
  'In',
  'NotIn',
  'Exists',
  'DoesNotExist',
]);

type Primitive = string | number | boolean;

function isPrimitive(value: unknown): value is Primitive {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/** Requirements of `selector`: matchLabels first (as `key=value`), then matchExpressions, in order. */
export function readLabelSelector(selector: unknown): ReadSelector {
  const result: ReadSelector = { requirements: [], dropped: [] };
  if (selector === undefined || selector === null) return result;
  if (!isRecord(selector)) {
    result.dropped.push('the selector is not an object');
    return result;
  }
  readMatchLabels(selector.matchLabels, result);
  readMatchExpressions(selector.matchExpressions, result);
  return result;
}

function readMatchLabels(matchLabels: unknown, result: ReadSelector): void {
  if (matchLabels === undefined || matchLabels === null) return;
  if (!isRecord(matchLabels)) {
    result.dropped.push('matchLabels is not an object');
    return;
  }
  for (const [key, value] of Object.entries(matchLabels)) {
    if (isPrimitive(value)) result.requirements.push({ key, operator: 'Equals', values: [String(value)] });
    else result.dropped.push(`matchLabels[${JSON.stringify(key)}] is not a string`);
  }
}

function readMatchExpressions(expressions: unknown, result: ReadSelector): void {
  if (expressions === undefined || expressions === null) return;
  if (!Array.isArray(expressions)) {
    result.dropped.push('matchExpressions is not a list');
    return;
  }
  expressions.forEach((expression: unknown, index) => {
    const problem = expressionProblem(expression);
    if (problem) result.dropped.push(`matchExpressions[${index}] ${problem}, so it is ignored`);
    else result.requirements.push(toRequirement(expression as LabelSelectorRequirement));
  });
}

function expressionProblem(expression: unknown): string | undefined {
  if (!isRecord(expression)) return 'is not an object';
  const { key, operator, values } = expression;
  if (typeof key !== 'string' || key === '') return 'has no key';
  if (typeof operator !== 'string' || !EXPRESSION_OPERATORS.has(operator))
    return `has the unknown operator ${JSON.stringify(operator)} (one of In, NotIn, Exists, DoesNotExist)`;
  if (operator !== 'In' && operator !== 'NotIn') return undefined;
  if (!Array.isArray(values) || values.length === 0) return `(${operator}) has no values`;
  if (!values.every(isPrimitive)) return `(${operator}) has a value that is not a string`;
  return undefined;
}

function toRequirement(expression: LabelSelectorRequirement): Requirement {
  const operator = expression.operator as Operator;
  const values = operator === 'In' || operator === 'NotIn' ? (expression.values ?? []).map(String) : [];
  return { key: expression.key, operator, values };
}
