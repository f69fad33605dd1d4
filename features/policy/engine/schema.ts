/**
 * JSON Schema rules, compiled with ajv once per policy generation (the compiled policy is cached by
 * generation; see policy.ts). ajv runs `pattern` and `patternProperties` with RE2 too (see pattern.ts),
 * and a schema is refused when it uses `uniqueItems` (quadratic on lists of objects: use the Distinct
 * operator) or refers to anything outside itself. `format` is not validated (no format library is
 * loaded); use `pattern`.
 */
import { Ajv, type ErrorObject, type Options, type ValidateFunction } from 'ajv';
import type { PathNode, Step } from './jsonpath.ts';
import { isRecord } from '../../../pkg/json/json-value.ts';
import { compilePattern } from './pattern.ts';

const MAX_ERRORS = 20;

type RegExpEngine = NonNullable<NonNullable<Options['code']>['regExp']>;

const re2Engine: RegExpEngine = Object.assign(
  (source: string) => {
    const compiled = compilePattern(source);
    if (!compiled.ok) throw new Error(`pattern ${JSON.stringify(source)} ${compiled.problem}`);
    return compiled.pattern;
  },
  { code: 're2js' },
);

export interface SchemaFailure {
  node: PathNode;
  /** ajv's words: `must match pattern "^a$"`, `is required`. */
  error: string;
}

export interface CompiledSchema {
  validate(subject: PathNode): SchemaFailure[];
}

export type SchemaResult = { ok: true; schema: CompiledSchema } | { ok: false; problem: string };

function findKeyword(schema: unknown, keyword: string): boolean {
  if (Array.isArray(schema)) return schema.some((entry) => findKeyword(entry, keyword));
  if (!isRecord(schema)) return false;
  return Object.entries(schema).some(([key, value]) => key === keyword || findKeyword(value, keyword));
}

function child(
  steps: readonly Step[],
  container: unknown,
  key: string,
): { steps: Step[]; value: unknown; present: boolean } {
  if (Array.isArray(container)) {
    const index = Number(key);
    return {
      steps: [...steps, { key: index, named: false }],
      value: container[index],
      present: index < container.length,
    };
  }
  const present = isRecord(container) && Object.hasOwn(container, key);
  return { steps: [...steps, { key, named: true }], value: present ? container[key] : undefined, present };
}

/** The node an error is about: the instance, or for `required` the missing property itself. */
function nodeOf(subject: PathNode, error: ErrorObject): PathNode {
  let node: { steps: Step[]; value: unknown; present: boolean } = { ...subject, steps: [...subject.steps] };
  const keys = error.instancePath === '' ? [] : error.instancePath.slice(1).split('/');
  for (const raw of keys)
    node = child(node.steps, node.value, raw.replaceAll('~1', '/').replaceAll('~0', '~'));
  const params = error.params as { missingProperty?: string; additionalProperty?: string };
  const property =
    error.keyword === 'required'
      ? params.missingProperty
      : error.keyword === 'additionalProperties'
        ? params.additionalProperty
        : undefined;
  return property === undefined ? node : child(node.steps, node.value, property);
}

function wordsOf(error: ErrorObject): string {
  if (error.keyword === 'required') return 'is required';
  if (error.keyword === 'additionalProperties') return 'is not allowed here';
  return error.message ?? `fails ${error.keyword}`;
}

export function compileSchema(schema: unknown): SchemaResult {
  if (!isRecord(schema) && typeof schema !== 'boolean')
    return { ok: false, problem: 'must be a JSON Schema (an object)' };
  if (findKeyword(schema, 'uniqueItems'))
    return {
      ok: false,
      problem: 'uses uniqueItems, which is quadratic on lists of objects; use the Distinct operator',
    };
  let validate: ValidateFunction;
  try {
    const ajv = new Ajv({
      allErrors: true,
      // Unknown keywords are typos that would silently validate nothing; type annotations stay optional.
      strict: true,
      strictTypes: false,
      strictTuples: false,
      validateFormats: false,
      code: { regExp: re2Engine },
    });
    validate = ajv.compile(schema);
  } catch (error) {
    return { ok: false, problem: `is not a valid JSON Schema: ${(error as Error).message}` };
  }
  return {
    ok: true,
    schema: {
      validate: (subject) => {
        if (validate(subject.present ? subject.value : null)) return [];
        return (validate.errors ?? [])
          .slice(0, MAX_ERRORS)
          .map((error) => ({ node: nodeOf(subject, error), error: wordsOf(error) }));
      },
    },
  };
}
