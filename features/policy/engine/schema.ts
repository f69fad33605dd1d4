/**
 * JSON Schema rules, compiled with ajv once per policy generation (the compiled policy is cached by
 * generation; see policy.ts). ajv runs `pattern` and `patternProperties` with RE2 too (see pattern.ts),
 * counted against the policy's pattern limits when compiled and on the evaluation's work meter when
 * matched, and a schema is refused when it uses `uniqueItems` (quadratic on lists of objects: use the
 * Distinct operator) or a reference (`$ref`, even to its own `$defs`: with references a schema of a few
 * lines applies a subschema exponentially often, e.g. 22 levels of `anyOf` of two references to the level
 * below took 2.9 s per object; Kubernetes refuses `$ref` in CRD schemas too). `format` is not validated
 * (no format library is loaded); use `pattern`.
 */
import { Ajv, type ErrorObject, type Options, type ValidateFunction } from 'ajv';
import type { PathNode, Step } from '../../../pkg/jsonpath/path.ts';
import type { WorkMeter } from '../../../pkg/jsonpath/work-meter.ts';
import { isRecord } from '../../../pkg/json/json-value.ts';
import { compilePattern, type PatternAllowance } from './pattern.ts';

const MAX_ERRORS = 20;
const REFERENCES = ['$ref', '$dynamicRef', '$recursiveRef'];

type RegExpEngine = NonNullable<NonNullable<Options['code']>['regExp']>;

/** The work meter of the evaluation running the schema's validate, for its patterns to count on. */
interface Evaluation {
  meter?: WorkMeter;
}

/**
 * ajv's `code.regExp`: RE2 patterns. ajv keeps one compiled pattern per `toString()`, so the objects
 * returned say their source (a plain object would make every pattern of a schema the first one).
 */
function re2Engine(patterns: PatternAllowance | undefined, evaluation: Evaluation): RegExpEngine {
  return Object.assign(
    (source: string) => {
      const compiled = compilePattern(source, patterns);
      if (!compiled.ok) throw new Error(`pattern ${JSON.stringify(source)} ${compiled.problem}`);
      const { pattern } = compiled;
      return { test: (text: string) => pattern.test(text, evaluation.meter), toString: () => `/${source}/` };
    },
    { code: 're2js' },
  );
}

export interface SchemaFailure {
  node: PathNode;
  /** ajv's words: `must match pattern "^a$"`, `is required`. */
  error: string;
}

export interface CompiledSchema {
  /** The schema's failures at `subject`; its patterns count on `meter`. */
  validate(subject: PathNode, meter?: WorkMeter): SchemaFailure[];
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

export function compileSchema(schema: unknown, patterns?: PatternAllowance): SchemaResult {
  if (!isRecord(schema) && typeof schema !== 'boolean')
    return { ok: false, problem: 'must be a JSON Schema (an object)' };
  if (findKeyword(schema, 'uniqueItems'))
    return {
      ok: false,
      problem: 'uses uniqueItems, which is quadratic on lists of objects; use the Distinct operator',
    };
  const reference = REFERENCES.find((keyword) => findKeyword(schema, keyword));
  if (reference)
    return {
      ok: false,
      problem: `uses ${reference}: a policy's schema is written out in full (references let a small schema apply a part of itself exponentially often)`,
    };
  let validate: ValidateFunction;
  const evaluation: Evaluation = {};
  try {
    const ajv = new Ajv({
      allErrors: true,
      // Unknown keywords are typos that would silently validate nothing; type annotations stay optional.
      strict: true,
      strictTypes: false,
      strictTuples: false,
      validateFormats: false,
      code: { regExp: re2Engine(patterns, evaluation) },
    });
    validate = ajv.compile(schema);
  } catch (error) {
    return { ok: false, problem: `is not a valid JSON Schema: ${(error as Error).message}` };
  }
  return {
    ok: true,
    schema: {
      validate: (subject, meter) => {
        evaluation.meter = meter;
        try {
          if (validate(subject.present ? subject.value : null)) return [];
        } finally {
          evaluation.meter = undefined;
        }
        return (validate.errors ?? [])
          .slice(0, MAX_ERRORS)
          .map((error) => ({ node: nodeOf(subject, error), error: wordsOf(error) }));
      },
    },
  };
}
