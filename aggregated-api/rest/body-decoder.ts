/**
 * The decode step of create: a request body read into an object of the resource's kind as
 * k8s.io/apiserver reads it, in its order and with its words:
 *
 *   1. the Content-Type picks the serializer (none means JSON; YAML is converted to JSON); another is 415;
 *   2. JSON syntax errors and a top level that is not an object: `the object provided is unrecognized
 *      (must be of type K): couldn't get version/kind; json parse error: … (<the body's start>)`;
 *   3. apiVersion and kind, defaulted to the resource's; another kind or version is `X in version "v"
 *      cannot be handled as a K: no kind "X" is registered for version …`;
 *   4. values of the wrong JSON type in metadata (`json: cannot unmarshal …`);
 *   5. strict decoding (fieldValidation Warn, the default, and Strict): keys given twice and fields the
 *      kind's schema does not declare, in the order they occur; Strict refuses them (400), Warn answers
 *      them as Warning headers.
 */
import { parseDocument } from 'yaml';
import { goJsonKind, GoJsonSyntaxError, parseGoJson, type GoJsonDocument } from '../../pkg/json/go-json.ts';
import { isRecord } from '../../pkg/json/json-value.ts';
import { MAX_NESTING_DEPTH, nestsDeeperThan } from '../../pkg/json/nesting-depth.ts';
import { goQuote } from '../../pkg/validation/field-errors.ts';
import { badRequest } from '../../server/api-error.ts';
import type { JsonSchema } from '../resource/json-schema.ts';
import { unknownFields } from '../openapi/unknown-fields.ts';
import type { Format } from '../request/media-type.ts';
import { FIND_KIND_TYPE, summarizeBody, type FieldValidation } from '../request/body-format.ts';

export interface BodyTarget {
  group: string;
  version: string;
  kind: string;
  /** The kind's schema and the definitions it refers to, for unknown fields. */
  schema: JsonSchema;
  definitions: Readonly<Record<string, JsonSchema>>;
}

export interface DecodedBody {
  object: Record<string, unknown>;
  /** Strict-decoding problems under fieldValidation=Warn, one Warning each. */
  warnings: string[];
}

/** Go's schema.ParseGroupVersion. */
function groupVersionOf(apiVersion: string): { group: string; version: string } | string {
  if (apiVersion === '' || apiVersion === '/') return { group: '', version: '' };
  const parts = apiVersion.split('/');
  if (parts.length === 1) return { group: '', version: apiVersion };
  if (parts.length === 2) return { group: parts[0]!, version: parts[1]! };
  return `unexpected GroupVersion string: ${apiVersion}`;
}

/** The value of a key matched as encoding/json matches struct fields: case-insensitively, the last one. */
function field(object: Record<string, unknown>, name: string): unknown {
  let found: unknown;
  for (const [key, value] of Object.entries(object))
    if (key.toLowerCase() === name.toLowerCase()) found = value;
  return found;
}

interface Gvk {
  group: string;
  version: string;
  kind: string;
}

/** apiVersion and kind of the body (meta.Interpret), with the target's as defaults (gvkWithDefaults). */
function kindOf(value: unknown, target: BodyTarget, unrecognized: (reason: string) => Error): Gvk {
  if (value !== null && !isRecord(value))
    throw unrecognized(
      `couldn't get version/kind; json parse error: json: cannot unmarshal ${goJsonKind(value)} into Go value of type ${FIND_KIND_TYPE}`,
    );
  const object = value ?? {};
  const typeMeta: Record<string, string> = {};
  for (const name of ['apiVersion', 'kind']) {
    const found = field(object, name);
    if (found !== undefined && found !== null && typeof found !== 'string')
      throw unrecognized(
        `couldn't get version/kind; json parse error: json: cannot unmarshal ${goJsonKind(found)} into Go struct field .${name} of type string`,
      );
    typeMeta[name] = (found as string | null | undefined) ?? '';
  }
  const groupVersion = groupVersionOf(typeMeta['apiVersion']!);
  if (typeof groupVersion === 'string') throw unrecognized(groupVersion);
  const gvk: Gvk = { ...groupVersion, kind: typeMeta['kind']! };
  if (gvk.kind === '') gvk.kind = target.kind;
  if (gvk.version === '' && gvk.group === '')
    Object.assign(gvk, { group: target.group, version: target.version });
  if (gvk.version === '' && gvk.group === target.group) gvk.version = target.version;
  return gvk;
}

const groupVersionText = ({ group, version }: { group: string; version: string }) =>
  group ? `${group}/${version}` : version;

/** The fields of ObjectMeta a request may set, with the Go types its type errors name. */
const OBJECT_META_TYPES: Readonly<Record<string, 'string' | 'map[string]string'>> = {
  name: 'string',
  generateName: 'string',
  namespace: 'string',
  labels: 'map[string]string',
  annotations: 'map[string]string',
};

/** The first value of the wrong JSON type in metadata, as encoding/json reports it. */
function metadataTypeError(object: Record<string, unknown>, kind: string): string | undefined {
  const metadata = field(object, 'metadata');
  if (metadata === undefined || metadata === null) return undefined;
  const struct = `json: cannot unmarshal`;
  if (!isRecord(metadata))
    return `${struct} ${goJsonKind(metadata)} into Go struct field ${kind}.metadata of type v1.ObjectMeta`;
  for (const [name, type] of Object.entries(OBJECT_META_TYPES)) {
    const value = field(metadata, name);
    if (value === undefined || value === null) continue;
    if (type === 'string' && typeof value !== 'string')
      return `${struct} ${goJsonKind(value)} into Go struct field ObjectMeta.metadata.${name} of type string`;
    if (type === 'map[string]string') {
      if (!isRecord(value))
        return `${struct} ${goJsonKind(value)} into Go struct field ObjectMeta.metadata.${name} of type map[string]string`;
      const bad = Object.values(value).find((entry) => entry !== null && typeof entry !== 'string');
      if (bad !== undefined)
        return `${struct} ${goJsonKind(bad)} into Go struct field ObjectMeta.metadata.${name} of type string`;
    }
  }
  return undefined;
}

/** Duplicate keys and undeclared fields, in the order they occur in the body. */
function strictProblems(
  document: GoJsonDocument,
  object: Record<string, unknown>,
  target: BodyTarget,
): string[] {
  const problems: { order: number; text: string }[] = document.duplicates.map(({ path, order }) => ({
    order,
    text: `duplicate field ${goQuote(path)}`,
  }));
  for (const path of unknownFields(target.schema, object, target.definitions))
    problems.push({ order: document.keyOrder.get(path) ?? 0, text: `unknown field ${goQuote(path)}` });
  return problems.sort((a, b) => a.order - b.order).map((problem) => problem.text);
}

/** YAML read into JSON text; its syntax errors are reported as the JSON ones are. */
function yamlAsJson(text: string, unrecognized: (reason: string) => Error): string {
  const document = parseDocument(text, { uniqueKeys: false, prettyErrors: false });
  const error = document.errors[0];
  if (error) throw unrecognized(`yaml: ${error.message}`);
  return JSON.stringify(document.toJS() ?? null);
}

export function decodeBody(
  body: Buffer,
  format: Format,
  target: BodyTarget,
  validation: FieldValidation,
): DecodedBody {
  const unrecognized = (reason: string) =>
    badRequest(
      `the object provided is unrecognized (must be of type ${target.kind}): ${reason} (${summarizeBody(body)})`,
    );
  let document: GoJsonDocument;
  try {
    document = parseGoJson(format === 'yaml' ? yamlAsJson(body.toString('utf8'), unrecognized) : body);
  } catch (error) {
    if (error instanceof GoJsonSyntaxError)
      throw unrecognized(`couldn't get version/kind; json parse error: ${error.message}`);
    throw error;
  }
  const gvk = kindOf(document.value, target, unrecognized);
  const cannotHandle = (reason: string) =>
    badRequest(
      `${gvk.kind} in version ${goQuote(gvk.version)} cannot be handled as a ${target.kind}: ${reason}`,
    );
  if (gvk.kind !== target.kind || gvk.group !== target.group || gvk.version !== target.version)
    throw cannotHandle(
      `no kind ${goQuote(gvk.kind)} is registered for version ${goQuote(groupVersionText(gvk))} in scheme "pkg/runtime/scheme.go:111"`,
    );
  const object = (document.value ?? {}) as Record<string, unknown>;
  if (nestsDeeperThan(object, MAX_NESTING_DEPTH))
    throw badRequest(`the request body nests objects deeper than ${MAX_NESTING_DEPTH} levels`);
  const typeError = metadataTypeError(object, target.kind);
  if (typeError) throw cannotHandle(typeError);
  const problems = validation === 'Ignore' ? [] : strictProblems(document, object, target);
  if (problems.length > 0 && validation === 'Strict')
    throw cannotHandle(`strict decoding error: ${problems.join(', ')}`);
  return { object, warnings: problems };
}
