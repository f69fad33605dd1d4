/**
 * Distinct: an entry of a list does not repeat an earlier entry. It is meant for `forEach: $.list[*]`, so
 * each repeat is reported at its own index, and `{{ first }}` names the entry it repeats:
 * `spec.aliases[1] "api.example.com": must not repeat spec.aliases[0]`.
 *
 * With a type as its value (`value: string`), only entries of that type are judged and counted, as for
 * lists of names whose other entries another rule reports.
 *
 * Each list is indexed once per evaluation (in the scope's memo), so a long list costs linear time.
 */
import { hasJsonType, type JsonType } from '../../../../pkg/json/json-value.ts';
import type { PathNode } from '../../../../pkg/jsonpath/path.ts';
import { renderPath } from '../message.ts';
import { ok, operator, problem, type OperatorScope } from './operator.ts';

/** JSON of each entry → index of its first occurrence. */
function firstIndexes(list: readonly unknown[], scope: OperatorScope): Map<string, number> {
  const known = scope.memo.get(list) as Map<string, number> | undefined;
  if (known) return known;
  const first = new Map<string, number>();
  list.forEach((entry, index) => {
    const key = JSON.stringify(entry) ?? 'undefined';
    if (!first.has(key)) first.set(key, index);
  });
  scope.memo.set(list, first);
  return first;
}

const TYPES: readonly JsonType[] = ['string', 'number', 'integer', 'boolean', 'object', 'array'];

export const distinct = operator<JsonType | undefined>({
  name: 'Distinct',
  dynamicOperand: false,
  facts: ['first'],
  compile: (raw) =>
    raw === undefined || TYPES.includes(raw as JsonType)
      ? ok(raw as JsonType | undefined)
      : problem(`must be absent, or the type of entries to judge (${TYPES.join(', ')})`),
  describe: () => 'must not repeat {{ first }}',
  test: (node: PathNode, type, scope) => {
    const index = node.steps.at(-1)?.key;
    if (!node.present || !Array.isArray(node.container) || typeof index !== 'number') return undefined;
    if (type && !hasJsonType(node.value, type)) return undefined;
    const first = firstIndexes(node.container, scope).get(JSON.stringify(node.value) ?? 'undefined');
    if (first === undefined || first === index) return undefined;
    const steps = [...node.steps.slice(0, -1), { key: first, named: false }];
    return { facts: { first: renderPath(steps) } };
  },
});
