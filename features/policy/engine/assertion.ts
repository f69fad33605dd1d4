/**
 * Assertions: an operator applied at a JSONPath, or `anyOf` / `allOf` of assertions.
 *
 *   { path: "@.spec.id", operator: Matches, value: "^[0-9a-f]{32}$", message: "…" }
 *   { path: "@", operator: GreaterThan, valueFrom: "$.spec.minReplicas" }
 *   { anyOf: [ {path: "@.noneBut", operator: NotExists}, {path: "@.allBut", operator: NotExists} ] }
 *
 * `expectation` says in words what is expected (`must be 32 lowercase hex characters`); without it the
 * operator describes itself. `path` is relative to the rule's subject (`@`, the default) or the object
 * (`$`). A path that selects several nodes must hold at each; the first node that fails is reported. An
 * operand taken from the object (`valueFrom`) that is absent or unusable leaves the assertion holding:
 * there is nothing to compare with.
 *
 * In a rule's `when` (a precondition), an operator other than Exists, NotExists and NotEmpty does not
 * hold for an absent value: `{path: $.data.strict, operator: Equals, value: true}` means "when strict is
 * set to true", not "unless strict is set to something else".
 */
import type { Budget } from './budget.ts';
import { parseJsonPath } from '../../../pkg/jsonpath/parse.ts';
import { rootNode, type JsonPath, type PathNode } from '../../../pkg/jsonpath/path.ts';
import { select } from '../../../pkg/jsonpath/select.ts';
import type { WorkMeter } from '../../../pkg/jsonpath/work-meter.ts';
import { isRecord } from '../../../pkg/json/json-value.ts';
import { compileTemplate, type MessageTemplate } from './message.ts';
import { OPERATORS } from './operators/catalogue.ts';
import type { Operator, OperatorScope } from './operators/operator.ts';
import { Section, type Problems } from './problems.ts';

export interface EvaluationContext {
  object: unknown;
  /** The object as the root node of `$` paths, made once per evaluation. */
  root: PathNode;
  scope: OperatorScope;
  budget: Budget;
}

/**
 * The operators' memo, made only when one asks for it (Distinct). A class rather than an object literal
 * with a getter: one is made per policy per review, and V8 builds class instances much faster.
 */
class LazyScope implements OperatorScope {
  private made: WeakMap<object, unknown> | undefined;

  constructor(readonly meter: WorkMeter) {}

  get memo(): WeakMap<object, unknown> {
    return (this.made ??= new WeakMap());
  }
}

/** A fresh evaluation context. */
export function evaluationContext(object: unknown, budget: Budget): EvaluationContext {
  return { object, root: rootNode(object), scope: new LazyScope(budget.meter), budget };
}

export interface AssertionFailure {
  node: PathNode;
  facts?: Record<string, string>;
  /** The assertion's own message, when it has one. */
  message?: MessageTemplate;
  /** The expectation in words, for a default message. */
  expectation: string;
}

export interface Assertion {
  test(subject: PathNode, context: EvaluationContext): AssertionFailure | undefined;
}

const SELF = parseJsonPath('@', { allowRelative: true });
/** The operators that are about presence itself, and so judge absent values. */
const PRESENCE: ReadonlySet<string> = new Set(['Exists', 'NotExists', 'NotEmpty']);

function compilePath(section: Section, key: string, fallback?: JsonPath): JsonPath | undefined {
  const text = section.string(key);
  if (text === undefined) return fallback;
  const parsed = parseJsonPath(text, { allowRelative: true });
  if (parsed.ok) return parsed.path;
  section.problems.add(section.at(key), text, parsed.problem);
  return undefined;
}

function expectationOf(section: Section): string | undefined {
  return section.string('expectation');
}

function compileMessage(section: Section, facts: readonly string[]): MessageTemplate | undefined {
  const text = section.string('message');
  if (text === undefined) return undefined;
  const compiled = compileTemplate(text, facts);
  if (compiled.ok) return compiled.template;
  section.problems.add(section.at('message'), text, compiled.problem);
  return undefined;
}

function nodesAt(path: JsonPath, subject: PathNode, context: EvaluationContext): PathNode[] {
  return select(path, path.relative ? subject : context.root, context.budget.meter);
}

function leaf(section: Section, precondition: boolean): Assertion | undefined {
  const name = section.string('operator', true);
  if (name === undefined) return undefined;
  const operator = OPERATORS.get(name);
  if (!operator) {
    section.problems.add(
      section.at('operator'),
      name,
      `is not an operator; use one of ${[...OPERATORS.keys()].join(', ')}`,
    );
    return undefined;
  }
  const path = compilePath(section, 'path', SELF.ok ? SELF.path : undefined);
  const valueFrom = compilePath(section, 'valueFrom');
  if (valueFrom && section.raw('value') !== undefined)
    section.problems.add(section.at('valueFrom'), section.raw('valueFrom'), 'cannot be combined with value');
  if (valueFrom && !operator.dynamicOperand)
    section.problems.add(
      section.at('valueFrom'),
      section.raw('valueFrom'),
      `cannot be used with ${name}; write the value in the policy`,
    );
  const operand = valueFrom ? undefined : operator.compile(section.raw('value'), section.problems.patterns);
  if (operand && !operand.ok)
    section.problems.add(section.at('value'), section.raw('value'), operand.problem);
  const message = compileMessage(section, operator.facts ?? []);
  if (!path || (operand && !operand.ok)) return undefined;
  const fixed = operand?.ok ? operand.operand : undefined;
  const expectation = expectationOf(section) ?? (valueFrom ? undefined : operator.describe(fixed));
  return {
    test: (subject, context) => {
      let value = fixed;
      if (valueFrom) {
        const [source] = nodesAt(valueFrom, subject, context);
        const dynamic = source?.present ? operator.compile(source.value) : undefined;
        if (!dynamic?.ok) return undefined;
        value = dynamic.operand;
      }
      const nodes = nodesAt(path, subject, context);
      if (precondition && !PRESENCE.has(operator.name) && !nodes.some((n) => n.present && n.value !== null))
        return { node: nodes[0] ?? subject, expectation: 'is required' };
      return firstFailure(operator, value, nodes, context, message, expectation);
    },
  };
}

function firstFailure(
  operator: Operator,
  operand: unknown,
  nodes: readonly PathNode[],
  context: EvaluationContext,
  message: MessageTemplate | undefined,
  expectation = operator.describe(operand),
): AssertionFailure | undefined {
  for (const node of nodes) {
    const failure = operator.test(node, operand, context.scope);
    if (failure) return { node, facts: failure.facts, message, expectation };
  }
  return undefined;
}

function composite(section: Section, kind: 'anyOf' | 'allOf', precondition: boolean): Assertion | undefined {
  const entries = section.list(kind);
  if (entries.length === 0)
    section.problems.add(section.at(kind), section.raw(kind), 'must list at least one assertion');
  const children = entries.map(({ value, path }) =>
    compileAssertion(value, path, section.problems, precondition),
  );
  const message = compileMessage(section, []);
  const expectation = expectationOf(section);
  if (children.some((c) => c === undefined)) return undefined;
  const parts = children as Assertion[];
  if (kind === 'allOf') {
    return {
      test: (subject, context) => {
        for (const part of parts) {
          const failure = part.test(subject, context);
          if (failure)
            return { ...failure, ...(message ? { message } : {}), ...(expectation ? { expectation } : {}) };
        }
        return undefined;
      },
    };
  }
  return {
    test: (subject, context) => {
      const failures: AssertionFailure[] = [];
      for (const part of parts) {
        const failure = part.test(subject, context);
        if (!failure) return undefined;
        failures.push(failure);
      }
      return {
        node: subject,
        message,
        expectation:
          expectation ?? `must satisfy one of: ${failures.map((f) => f.expectation).join('; or ')}`,
      };
    },
  };
}

const KEYS = new Set(['path', 'operator', 'value', 'valueFrom', 'expectation', 'message', 'anyOf', 'allOf']);

/** Compiles one assertion, reporting every problem under `path`. */
export function compileAssertion(
  value: unknown,
  path: string,
  problems: Problems,
  precondition = false,
): Assertion | undefined {
  const section = Section.of(value, path, problems);
  if (!section) {
    if (!isRecord(value))
      problems.add(path, value, 'must be an assertion: {operator, …}, {anyOf: […]} or {allOf: […]}');
    return undefined;
  }
  for (const key of Object.keys(section.value))
    if (!KEYS.has(key))
      problems.add(
        section.at(key),
        section.value[key],
        `is not a field of an assertion (${[...KEYS].join(', ')})`,
      );
  const kinds = ['operator', 'anyOf', 'allOf'].filter((key) => section.raw(key) !== undefined);
  if (kinds.length !== 1) {
    problems.add(path, value, 'must have exactly one of operator, anyOf and allOf');
    return undefined;
  }
  if (kinds[0] === 'operator') return leaf(section, precondition);
  return composite(section, kinds[0] as 'anyOf' | 'allOf', precondition);
}
