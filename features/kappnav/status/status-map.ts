/**
 * A kind status mapping: the ConfigMap that tells how a resource's `status` becomes a kAppNav status
 * (kappnav-prism.md §4.2, §4.3), read and checked once so that evaluation only evaluates.
 *
 * Its `data` holds exactly one rule, and if several are present the first of `exists`, `jsonpath`,
 * `algorithm` wins, as in kAppNav. Values are lenient JSON (Gson-lenient, as the Java API parsed them);
 * `algorithm` is JavaScript defining `getStatus(status)`. A map is refused with a reason when its data has
 * other keys, no rule, JSON that does not parse, or a JSONPath outside kAppNav's subset.
 */
import type { JsonValue } from '../../../pkg/json/lenient-json.ts';
import { readConfigValue } from '../../../pkg/json/lenient-json.ts';
import { isJsonObject, type JsonObject } from '../../../pkg/json/json-value.ts';
import { parseJsonPath } from '../model/jsonpath-subset.ts';
import type { ConfigMap } from '../kam/config-map-source.ts';

interface RuleBase {
  /** `namespace/name` of the ConfigMap, for messages. */
  source: string;
}

/** The status is `status`, whatever the resource says. */
export interface ExistsRule extends RuleBase {
  rule: 'exists';
  status: JsonObject;
}

/** The status is looked up by the primitive at `steps` inside the resource's `status`. */
export interface JsonPathRule extends RuleBase {
  rule: 'jsonpath';
  /** As written, with the `$` kAppNav prepends when missing. */
  expression: string;
  steps: string[];
  matches: Readonly<JsonObject>;
  /** The status for a value that `matches` does not list. */
  otherwise: JsonValue | undefined;
}

/** The status is what `getStatus(JSON.stringify(status))` of `script` returns. */
export interface AlgorithmRule extends RuleBase {
  rule: 'algorithm';
  script: string;
}

export type StatusMap = ExistsRule | JsonPathRule | AlgorithmRule;

/** A problem continues the sentence "status mapping <source> ...", e.g. "has none of exists, jsonpath, algorithm". */
export type ReadStatusMap = { map: StatusMap } | { source: string; problem: string };
type Problem = { problem: string };

const RULES = ['exists', 'jsonpath', 'algorithm'] as const;
const JSONPATH_KEYS: ReadonlySet<string> = new Set(['expression', 'matches', 'else']);

function readJson(data: Readonly<Record<string, unknown>>, key: string): { value: JsonValue } | Problem {
  try {
    return { value: readConfigValue(data[key]) };
  } catch (error) {
    return { problem: `has invalid JSON in ${key} (${(error as Error).message})` };
  }
}

function readJsonPath(value: JsonValue, source: string): { map: JsonPathRule } | Problem {
  if (!isJsonObject(value)) return { problem: 'has a jsonpath that is not an object' };
  const unknown = Object.keys(value).filter((k) => !JSONPATH_KEYS.has(k));
  if (unknown.length > 0)
    return {
      problem: `has the unknown jsonpath key ${unknown.map((k) => JSON.stringify(k)).join(', ')} (expected expression, matches, else)`,
    };
  const { expression, matches = {}, else: otherwise } = value;
  if (typeof expression !== 'string' || expression.trim() === '')
    return { problem: 'has a jsonpath without an expression' };
  if (!isJsonObject(matches)) return { problem: 'has jsonpath matches that are not an object' };
  const written = expression.trim();
  const path = written.startsWith('$') ? written : `$${written}`;
  const steps = parseJsonPath(path);
  if (!steps || steps.length === 0) {
    // The design documents `{.phase}`, which kAppNav's parser always refused (kappnav-prism.md §0 item 9).
    const hint = written.startsWith('{')
      ? `; the design's {.x} form is not supported, write ${JSON.stringify(written.replace(/^\{(.*)\}$/, '$1'))}`
      : ", expected a path such as .phase or $['phase']";
    return { problem: `has the unsupported jsonpath expression ${JSON.stringify(written)}${hint}` };
  }
  return { map: { source, rule: 'jsonpath', expression: path, steps, matches, otherwise } };
}

export function readStatusMap(configMap: ConfigMap): ReadStatusMap {
  const source = `${configMap.metadata?.namespace ?? ''}/${configMap.metadata?.name ?? ''}`;
  const read = readRule(configMap.data ?? {}, source);
  return 'map' in read ? read : { source, problem: read.problem };
}

function readRule(data: Readonly<Record<string, unknown>>, source: string): { map: StatusMap } | Problem {
  const unknown = Object.keys(data).filter((k) => !(RULES as readonly string[]).includes(k));
  if (unknown.length > 0)
    return {
      problem: `has the unknown key ${unknown.map((k) => JSON.stringify(k)).join(', ')} (expected exists, jsonpath or algorithm)`,
    };
  const rule = RULES.find((r) => data[r] !== undefined);
  switch (rule) {
    case undefined:
      return { problem: 'has none of exists, jsonpath, algorithm' };
    case 'algorithm': {
      const script = data.algorithm;
      if (typeof script !== 'string' || script.trim() === '') return { problem: 'has an empty algorithm' };
      return { map: { source, rule, script } };
    }
    case 'exists':
    case 'jsonpath': {
      const read = readJson(data, rule);
      if ('problem' in read) return read;
      if (rule === 'jsonpath') return readJsonPath(read.value, source);
      if (!isJsonObject(read.value)) return { problem: 'has an exists that is not an object' };
      return { map: { source, rule, status: read.value } };
    }
  }
}
