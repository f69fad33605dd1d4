/**
 * Mutate rules: changes made to an object on its way in. One change per rule:
 *
 *   mutate:
 *     - { name: team, set: { path: "$.metadata.labels['team']", value: payments } }
 *     - { name: pull, default: { path: "$.spec.containers[*].imagePullPolicy", value: IfNotPresent } }
 *     - { name: owner, labels: { owner: platform } }          # annotations: likewise
 *     - { name: copy, set: { path: "$.metadata.labels['vimana.host/domain']", valueFrom: "$.spec.id" } }
 *     - { name: patch, patch: [ { op: add, path: /spec/openApi, value: true } ] }   # JSON Patch
 *
 * `set` and `default` end with a field name; the parents are created along a plain path, and a path with
 * wildcards or filters changes each parent it selects (`default` only where the field is absent or null).
 * A JSON Patch whose `test` operation fails is skipped: that is how a patch is made conditional.
 * Identity, metadata the API server owns and status are off limits (object-validity.ts).
 */
import jsonPatch from 'fast-json-patch';
import type { EvaluationContext } from './assertion.ts';
import { parseJsonPath, splitLastName } from '../../../pkg/jsonpath/parse.ts';
import { rootNode, type JsonPath, type PathNode } from '../../../pkg/jsonpath/path.ts';
import { select } from '../../../pkg/jsonpath/select.ts';
import type { WorkMeter } from '../../../pkg/jsonpath/work-meter.ts';
import { isAbsent, isRecord } from '../../../pkg/json/json-value.ts';
import { renderPath } from './message.ts';
import { renderValue } from '../../../pkg/json/json-value.ts';
import { protectedField } from './object-validity.ts';
import { labelKeyProblem, labelValueProblem } from '../../../pkg/labels/label-names.ts';
import { Section, type Problems } from './problems.ts';
import { readRuleHeader, type RuleHeader } from './validate-rule.ts';

export interface MutateRule extends RuleHeader {
  /** Changes `object` in place; answers what changed, in words (for warnings and reports). */
  apply(object: Record<string, unknown>, context: EvaluationContext): string[];
}

type Change = (object: Record<string, unknown>, meter: WorkMeter) => string[];

const KINDS = ['set', 'default', 'labels', 'annotations', 'patch'] as const;

/** The objects `parent` selects, creating plain parents that are missing. */
function parents(parent: JsonPath, object: Record<string, unknown>, meter: WorkMeter): PathNode[] {
  if (!parent.plain) return select(parent, rootNode(object), meter).filter((n) => isRecord(n.value));
  let node: PathNode = rootNode(object);
  for (const segment of parent.segments) {
    const container = node.value;
    const key = segment.type === 'name' ? segment.name : (segment as { index: number }).index;
    if (typeof key === 'number' ? !Array.isArray(container) || key >= container.length : !isRecord(container))
      return [];
    const holder = container as Record<string | number, unknown>;
    if (typeof key === 'string' && isAbsent(holder[key])) holder[key] = {};
    node = { value: holder[key], present: true, steps: [...node.steps, { key, named: true }] };
  }
  return isRecord(node.value) ? [node] : [];
}

function assignment(section: Section, kind: 'set' | 'default', problems: Problems): Change | undefined {
  const spec = section.section(kind);
  if (!spec) return undefined;
  const text = spec.string('path', true);
  const parsed = text === undefined ? undefined : parseJsonPath(text);
  if (parsed && !parsed.ok) problems.add(spec.at('path'), text, parsed.problem);
  const split = parsed?.ok ? splitLastName(parsed.path) : undefined;
  if (parsed?.ok && !split)
    problems.add(
      spec.at('path'),
      text,
      "must end with a field name, e.g. $.spec.x or $.metadata.labels['a/b']",
    );
  if (split?.parent.plain) {
    const keys = [
      ...split.parent.segments.map((s) => (s.type === 'name' ? s.name : (s as { index: number }).index)),
      split.name,
    ];
    const field = protectedField(keys);
    if (field) problems.add(spec.at('path'), text, `writes ${field}, which a mutation must not change`);
  }
  const fromText = spec.string('valueFrom');
  const from = fromText === undefined ? undefined : parseJsonPath(fromText);
  if (from && !from.ok) problems.add(spec.at('valueFrom'), fromText, from.problem);
  const literal = spec.raw('value');
  if ((literal === undefined) === (fromText === undefined))
    problems.add(spec.path, spec.value, 'must have exactly one of value and valueFrom');
  if (!split || (from && !from.ok) || (literal === undefined) === (fromText === undefined)) return undefined;
  const source = from?.ok ? from.path : undefined;
  return (object, meter) => {
    let value = literal;
    if (source) {
      const [node] = select(source, rootNode(object), meter);
      if (!node?.present || isAbsent(node.value)) return [];
      value = node.value;
    }
    return parents(split.parent, object, meter).flatMap((parent) => {
      const holder = parent.value as Record<string, unknown>;
      const current = holder[split.name];
      if ((kind === 'default' && !isAbsent(current)) || JSON.stringify(current) === JSON.stringify(value))
        return [];
      holder[split.name] = structuredClone(value);
      const where = renderPath([...parent.steps, { key: split.name, named: true }]);
      return [`${kind === 'default' ? 'defaulted' : 'set'} ${where} to ${renderValue(value)}`];
    });
  };
}

function metadataMap(
  section: Section,
  kind: 'labels' | 'annotations',
  problems: Problems,
): Change | undefined {
  const map = section.section(kind);
  if (!map) return undefined;
  const entries = Object.entries(map.value);
  for (const [key, value] of entries) {
    const keyProblem = labelKeyProblem(key);
    if (keyProblem) problems.add(map.at(key), key, keyProblem);
    if (typeof value !== 'string') problems.add(map.at(key), value, 'must be a string');
    else if (kind === 'labels' && labelValueProblem(value))
      problems.add(map.at(key), value, labelValueProblem(value)!);
  }
  return (object) => {
    const metadata = (
      isRecord(object['metadata']) ? object['metadata'] : (object['metadata'] = {})
    ) as Record<string, unknown>;
    const target = (isRecord(metadata[kind]) ? metadata[kind] : (metadata[kind] = {})) as Record<
      string,
      unknown
    >;
    return entries.flatMap(([key, value]) => {
      if (target[key] === value) return [];
      target[key] = value;
      return [
        `set ${renderPath(['metadata', kind, key].map((k) => ({ key: k, named: true })))} to ${JSON.stringify(value)}`,
      ];
    });
  };
}

function patch(section: Section, problems: Problems): Change | undefined {
  const operations = section.raw('patch');
  const path = section.at('patch');
  if (!Array.isArray(operations) || operations.length === 0) {
    problems.add(path, operations, 'must be a non-empty list of JSON Patch operations');
    return undefined;
  }
  const invalid = jsonPatch.validate(operations as jsonPatch.Operation[]);
  if (invalid) {
    problems.add(
      `${path}[${invalid.index ?? 0}]`,
      invalid.operation,
      `is not a JSON Patch operation: ${invalid.name}`,
    );
    return undefined;
  }
  for (const [index, op] of (operations as jsonPatch.Operation[]).entries()) {
    const keys = op.path
      .split('/')
      .slice(1)
      .map((k) => k.replaceAll('~1', '/').replaceAll('~0', '~'));
    const field = op.op === 'test' ? undefined : protectedField(keys);
    if (field)
      problems.add(`${path}[${index}].path`, op.path, `writes ${field}, which a mutation must not change`);
  }
  const ops = operations as jsonPatch.Operation[];
  return (object) => {
    try {
      jsonPatch.applyPatch(object, structuredClone(ops), true, true);
    } catch (error) {
      if ((error as { name?: string }).name === 'TEST_OPERATION_FAILED') return [];
      throw new Error(`its JSON Patch does not apply: ${(error as Error).message.split('\n')[0]}`);
    }
    return [`applied ${ops.length} JSON Patch operation${ops.length === 1 ? '' : 's'}`];
  };
}

export function compileMutateRule(value: unknown, path: string, problems: Problems): MutateRule | undefined {
  const section = Section.of(value, path, problems);
  if (!section) return undefined;
  const header = readRuleHeader(section);
  const present = KINDS.filter((kind) => section.raw(kind) !== undefined);
  if (present.length !== 1) {
    problems.add(path, value, `must have exactly one of ${KINDS.join(', ')}`);
    return undefined;
  }
  const kind = present[0]!;
  const change =
    kind === 'set' || kind === 'default'
      ? assignment(section, kind, problems)
      : kind === 'patch'
        ? patch(section, problems)
        : metadataMap(section, kind, problems);
  if (!header || !change) return undefined;
  return {
    ...header,
    apply: (object, context) => (context.budget.check(), change(object, context.budget.meter)),
  };
}
