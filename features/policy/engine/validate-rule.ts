/**
 * Validate rules: what an object must look like.
 *
 *   validate:
 *     - name: alias-format
 *       kinds: [Domain]                                # optional: narrows the policy's kinds
 *       when: [{ path: $.spec, operator: Type, value: object }]   # preconditions on the object
 *       forEach: $.spec.aliases[*]                     # the subjects; the object ($) by default
 *       assert:                                        # in order: a subject reports its first failure
 *         - { operator: Matches, value: "^[a-z0-9.-]+$", message: "{{ path }} {{ value }}: …" }
 *       schema: { type: string, maxLength: 253 }       # JSON Schema, for each subject
 *       message: "…"                                   # for assertions and schema errors without one
 *
 * A subject reports at most one assertion (the first that fails), so one mistake gives one message,
 * and schema errors on top. Without a message, a rule says what is expected and names itself:
 * `spec.replicas 5: must be at most 3 (policy max-replicas, rule limit)`.
 */
import {
  compileAssertion,
  type Assertion,
  type AssertionFailure,
  type EvaluationContext,
} from './assertion.ts';
import { parseJsonPath, select, type JsonPath, type PathNode } from './jsonpath.ts';
import { compileTemplate, type MessageTemplate } from './message.ts';
import { OPERATORS } from './operators/catalogue.ts';
import { Section, type Problems } from './problems.ts';
import { compileSchema, type CompiledSchema } from './schema.ts';
import type { Redaction } from './sensitive-values.ts';

export interface RuleHeader {
  readonly name: string;
  /** Kinds the rule is limited to; all of the policy's kinds when undefined. */
  readonly kinds?: ReadonlySet<string>;
  /** Preconditions on the object; the rule is skipped when one fails. */
  readonly when: readonly Assertion[];
}

export interface ValidateRule extends RuleHeader {
  /**
   * The messages of what the object breaks; empty when it complies. `redaction` says what the messages
   * may show of the object's values (sensitive-values.ts).
   */
  evaluate(policy: string, context: EvaluationContext, redaction: Redaction): string[];
}

const RULE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const ALL_FACTS = [...new Set([...OPERATORS.values()].flatMap((op) => op.facts ?? []))];

/** Reads the header shared by validate and mutate rules. */
export function readRuleHeader(section: Section): RuleHeader | undefined {
  const name = section.string('name', true);
  if (name !== undefined && !RULE_NAME.test(name))
    section.problems.add(section.at('name'), name, 'must be lowercase letters, digits and dashes');
  const kinds = section.raw('kinds') === undefined ? undefined : new Set(section.strings('kinds'));
  const when = section
    .list('when')
    .map(({ value, path }) => compileAssertion(value, path, section.problems, true));
  if (name === undefined || when.some((w) => w === undefined)) return undefined;
  return { name, kinds, when: when as Assertion[] };
}

/** Whether the rule applies: its kinds include the object's kind and its preconditions hold. */
export function ruleApplies(rule: RuleHeader, kind: string, context: EvaluationContext): boolean {
  if (rule.kinds && !rule.kinds.has(kind)) return false;
  return rule.when.every((assertion) => assertion.test(context.root, context) === undefined);
}

const DEFAULT_MESSAGE = compileTemplate(
  '{{ path }} {{ value }}: {{ expectation }} (policy {{ policy }}, rule {{ rule }})',
);

export function compileValidateRule(
  value: unknown,
  path: string,
  problems: Problems,
): ValidateRule | undefined {
  const section = Section.of(value, path, problems);
  if (!section) return undefined;
  const header = readRuleHeader(section);
  const forEachText = section.string('forEach');
  let forEach: JsonPath | undefined;
  if (forEachText !== undefined) {
    const parsed = parseJsonPath(forEachText);
    if (parsed.ok) forEach = parsed.path;
    else problems.add(section.at('forEach'), forEachText, parsed.problem);
  }
  const assertions = section
    .list('assert')
    .map((entry) => compileAssertion(entry.value, entry.path, problems));
  let schema: CompiledSchema | undefined;
  if (section.raw('schema') !== undefined) {
    const compiled = compileSchema(section.raw('schema'));
    if (compiled.ok) schema = compiled.schema;
    else problems.add(section.at('schema'), section.raw('schema'), compiled.problem);
  }
  if (assertions.length === 0 && section.raw('schema') === undefined)
    problems.add(path, value, 'must have assert, schema or both');
  const messageText = section.string('message');
  const compiledMessage = messageText === undefined ? undefined : compileTemplate(messageText, ALL_FACTS);
  if (compiledMessage && !compiledMessage.ok)
    problems.add(section.at('message'), messageText, compiledMessage.problem);
  if (!header || assertions.some((a) => a === undefined) || (compiledMessage && !compiledMessage.ok))
    return undefined;
  const ruleMessage = compiledMessage?.ok ? compiledMessage.template : undefined;
  const checks = assertions as Assertion[];

  const fallback = ruleMessage ?? (DEFAULT_MESSAGE.ok ? DEFAULT_MESSAGE.template : undefined);
  const render = (
    template: MessageTemplate | undefined,
    node: PathNode,
    object: unknown,
    policy: string,
    redaction: Redaction,
    expectation: string,
    facts?: Record<string, string>,
  ) => {
    // Operators describe themselves with their facts as placeholders (Distinct: `must not repeat {{ first }}`).
    const words = expectation.replace(
      /\{\{\s*(\w+)\s*\}\}/g,
      (whole, name: string) => facts?.[name] ?? whole,
    );
    const text =
      (template ?? fallback)?.render({
        object,
        node,
        policy,
        rule: header.name,
        expectation: words,
        facts,
        shown: redaction.shown,
      }) ?? words;
    return redaction.scrub(text);
  };

  return {
    ...header,
    evaluate: (policy, context, redaction) => {
      const { object, root } = context;
      const subjects = forEach ? select(forEach, root).filter((n) => n.present || forEach.plain) : [root];
      const messages: string[] = [];
      for (const subject of subjects) {
        context.budget.check();
        let failure: AssertionFailure | undefined;
        for (const check of checks) {
          failure = check.test(subject, context);
          if (failure) break;
        }
        if (failure)
          messages.push(
            render(
              failure.message,
              failure.node,
              object,
              policy,
              redaction,
              failure.expectation,
              failure.facts,
            ),
          );
        for (const error of schema?.validate(subject) ?? [])
          messages.push(render(undefined, error.node, object, policy, redaction, error.error));
      }
      return messages;
    },
  };
}
