/**
 * The options of writes (metav1.CreateOptions, metav1.DeleteOptions), decoded and validated in the steps
 * and the words of k8s.io/apiserver: from the query, or for a delete from its body when it has one (the
 * query is then not read); a malformed value is a 400, a value the API refuses a 422 on
 * `CreateOptions.meta.k8s.io` / `DeleteOptions.meta.k8s.io`.
 */
import { goJsonKind, GoJsonSyntaxError, parseGoJson } from '../../pkg/json/go-json.ts';
import { isRecord } from '../../pkg/json/json-value.ts';
import { invalid, notSupported, tooLong, type FieldError } from '../../pkg/validation/field-errors.ts';
import { parseInt64 } from '../../pkg/validation/go-strconv.ts';
import { badRequest, invalidOptions } from '../../server/api-error.ts';
import { bodyFormat, FIND_KIND_TYPE, type FieldValidation } from './body-format.ts';
import { queryBoolean, queryValue, type Query } from './list-options.ts';

/** All values of a repeated query parameter (`?dryRun=All&dryRun=All`). */
function queryValues(query: Query, name: string): string[] {
  const value = query[name];
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

function dryRunErrors(dryRun: readonly string[]): FieldError[] {
  return dryRun.every((value) => value === 'All') ? [] : [notSupported('dryRun', dryRun, ['All'])];
}

const FIELD_MANAGER_MAX = 128;
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

function fieldManagerErrors(fieldManager: string): FieldError[] {
  const errors: FieldError[] = [];
  if (Buffer.byteLength(fieldManager) > FIELD_MANAGER_MAX)
    errors.push(tooLong('fieldManager', FIELD_MANAGER_MAX));
  let position = 0;
  for (const char of fieldManager) {
    if (!PRINTABLE.test(char)) {
      const code = char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
      errors.push(
        invalid('fieldManager', fieldManager, `invalid character U+${code} (at position ${position})`),
      );
    }
    position += Buffer.byteLength(char);
  }
  return errors;
}

export interface CreateOptions {
  dryRun: boolean;
  fieldValidation: FieldValidation;
}

const FIELD_VALIDATIONS = ['', 'Ignore', 'Strict', 'Warn'];

export function parseCreateOptions(query: Query): CreateOptions {
  const dryRun = queryValues(query, 'dryRun');
  const fieldValidation = queryValue(query, 'fieldValidation') ?? '';
  const errors = [
    ...fieldManagerErrors(queryValue(query, 'fieldManager') ?? ''),
    ...dryRunErrors(dryRun),
    ...(FIELD_VALIDATIONS.includes(fieldValidation)
      ? []
      : [notSupported('fieldValidation', fieldValidation, FIELD_VALIDATIONS)]),
  ];
  if (errors.length > 0) throw invalidOptions('CreateOptions', errors);
  // Warn when not given: kube-apiserver's default.
  return { dryRun: dryRun.length > 0, fieldValidation: (fieldValidation || 'Warn') as FieldValidation };
}

export type PropagationPolicy = 'Foreground' | 'Background' | 'Orphan';

export interface DeleteOptions {
  dryRun: boolean;
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
  orphanDependents?: boolean;
  propagationPolicy?: PropagationPolicy;
}

/** The API versions DeleteOptions may be sent in: meta.k8s.io's, the legacy `v1`, and every group's own. */
function isDeleteOptionsVersion(apiVersion: string, resourceGroupVersion: string): boolean {
  return ['', 'meta.k8s.io/v1', 'meta.k8s.io/v1beta1', 'v1', resourceGroupVersion].includes(apiVersion);
}

/** The Go type of each DeleteOptions field, as its decode errors name it. */
const DELETE_OPTION_TYPES: Readonly<Record<string, string>> = {
  gracePeriodSeconds: 'int64',
  orphanDependents: 'bool',
  propagationPolicy: 'v1.DeletionPropagation',
  dryRun: '[]string',
  preconditions: 'v1.Preconditions',
};

function typeErrorOf(name: string, value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  const type = DELETE_OPTION_TYPES[name];
  const wrong = (struct: string, path: string, goType: string, found: unknown) =>
    `json: cannot unmarshal ${goJsonKind(found)} into Go struct field ${struct}.${path} of type ${goType}`;
  switch (type) {
    case 'int64':
      return typeof value === 'number' && Number.isInteger(value)
        ? undefined
        : wrong('DeleteOptions', name, type, value);
    case 'bool':
      return typeof value === 'boolean' ? undefined : wrong('DeleteOptions', name, type, value);
    case 'v1.DeletionPropagation':
      return typeof value === 'string' ? undefined : wrong('DeleteOptions', name, type, value);
    case '[]string':
      if (!Array.isArray(value)) return wrong('DeleteOptions', name, type, value);
      for (const item of value)
        if (item !== null && typeof item !== 'string') return wrong('DeleteOptions', name, 'string', item);
      return undefined;
    case 'v1.Preconditions':
      if (!isRecord(value)) return wrong('DeleteOptions', name, type, value);
      for (const key of ['uid', 'resourceVersion']) {
        const item = value[key];
        if (item !== undefined && item !== null && typeof item !== 'string')
          return wrong('Preconditions', `preconditions.${key}`, key === 'uid' ? 'types.UID' : 'string', item);
      }
      return undefined;
    default:
      return undefined;
  }
}

/** DeleteOptions from a request body, as the meta codecs decode it (errors are 400s without a prefix). */
function deleteOptionsFromBody(body: Buffer, contentType: string | undefined, resourceGroupVersion: string) {
  bodyFormat(contentType);
  let value: unknown;
  try {
    value = parseGoJson(body.toString('utf8')).value;
  } catch (error) {
    if (error instanceof GoJsonSyntaxError)
      throw badRequest(`couldn't get version/kind; json parse error: ${error.message}`);
    throw error;
  }
  if (value !== null && !isRecord(value))
    throw badRequest(
      `couldn't get version/kind; json parse error: json: cannot unmarshal ${goJsonKind(value)} into Go value of type ${FIND_KIND_TYPE}`,
    );
  const object = value ?? {};
  const kind = typeof object['kind'] === 'string' ? object['kind'] : '';
  const apiVersion = typeof object['apiVersion'] === 'string' ? object['apiVersion'] : '';
  if ((kind !== '' && kind !== 'DeleteOptions') || !isDeleteOptionsVersion(apiVersion, resourceGroupVersion))
    throw badRequest(
      `no kind ${JSON.stringify(kind || 'DeleteOptions')} is registered for version ${JSON.stringify(apiVersion || 'meta.k8s.io/v1')} in scheme "pkg/runtime/scheme.go:111"`,
    );
  for (const [name, field] of Object.entries(object)) {
    const error = typeErrorOf(name, field);
    if (error) throw badRequest(error);
  }
  return object as {
    gracePeriodSeconds?: number | null;
    orphanDependents?: boolean | null;
    propagationPolicy?: string | null;
    dryRun?: (string | null)[] | null;
    preconditions?: { uid?: string | null; resourceVersion?: string | null } | null;
  };
}

/**
 * DeleteOptions of a DELETE: from its body when it has one, else from the query; validated as
 * ValidateDeleteOptions validates them.
 */
export function parseDeleteOptions(
  body: Buffer | undefined,
  contentType: string | undefined,
  query: Query,
  resourceGroupVersion: string,
): DeleteOptions {
  let raw: ReturnType<typeof deleteOptionsFromBody>;
  if (body && body.length > 0) raw = deleteOptionsFromBody(body, contentType, resourceGroupVersion);
  else {
    const grace = queryValue(query, 'gracePeriodSeconds');
    let gracePeriodSeconds: number | undefined;
    if (grace !== undefined) {
      const parsed = parseInt64(grace);
      if (!parsed.ok) throw badRequest(parsed.error);
      gracePeriodSeconds = Number(parsed.value);
    }
    raw = {
      ...(gracePeriodSeconds !== undefined ? { gracePeriodSeconds } : {}),
      ...(query['orphanDependents'] !== undefined
        ? { orphanDependents: queryBoolean(queryValue(query, 'orphanDependents')) ?? false }
        : {}),
      ...(query['propagationPolicy'] !== undefined
        ? { propagationPolicy: queryValue(query, 'propagationPolicy') }
        : {}),
      dryRun: queryValues(query, 'dryRun'),
    };
  }
  const dryRun = (raw.dryRun ?? []).map((value) => value ?? '');
  const errors: FieldError[] = [];
  const policy = raw.propagationPolicy ?? undefined;
  if (raw.orphanDependents !== undefined && raw.orphanDependents !== null && policy !== undefined)
    errors.push(
      invalid('propagationPolicy', policy, 'orphanDependents and deletionPropagation cannot be both set'),
    );
  if (policy !== undefined && !['Foreground', 'Background', 'Orphan'].includes(policy))
    errors.push(notSupported('propagationPolicy', policy, ['Foreground', 'Background', 'Orphan', 'nil']));
  errors.push(...dryRunErrors(dryRun));
  if (errors.length > 0) throw invalidOptions('DeleteOptions', errors);
  const preconditions = raw.preconditions ?? undefined;
  return {
    dryRun: dryRun.length > 0,
    ...(raw.gracePeriodSeconds !== undefined && raw.gracePeriodSeconds !== null
      ? { gracePeriodSeconds: raw.gracePeriodSeconds }
      : {}),
    ...(preconditions
      ? {
          preconditions: {
            ...(typeof preconditions.uid === 'string' ? { uid: preconditions.uid } : {}),
            ...(typeof preconditions.resourceVersion === 'string'
              ? { resourceVersion: preconditions.resourceVersion }
              : {}),
          },
        }
      : {}),
    ...(raw.orphanDependents !== undefined && raw.orphanDependents !== null
      ? { orphanDependents: raw.orphanDependents }
      : {}),
    ...(policy !== undefined ? { propagationPolicy: policy as PropagationPolicy } : {}),
  };
}
