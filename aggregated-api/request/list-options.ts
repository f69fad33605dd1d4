/**
 * The query parameters of list and watch requests (metav1.ListOptions, and TableOptions' includeObject),
 * parsed and validated as kube-apiserver does: a value that does not parse is a 400, a combination the API
 * does not allow is a 422 on `ListOptions`.
 */
import type { Requirement } from '../../pkg/labels/requirement.ts';
import { parseSelector, SelectorSyntaxError } from '../../pkg/labels/selector-string.ts';
import { ApiError, badRequest } from '../../server/api-error.ts';
import { parseFieldSelector, type FieldRequirement } from './field-selector.ts';

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export interface ListOptions {
  labelSelector: Requirement[];
  fieldSelector: FieldRequirement[];
  /** 0: no limit. */
  limit: number;
  continueToken: string | undefined;
  /** '' (most recent), '0' (any) or a resourceVersion. */
  resourceVersion: string;
  resourceVersionMatch: '' | 'NotOlderThan' | 'Exact';
  watch: boolean;
  allowWatchBookmarks: boolean;
  sendInitialEvents: boolean | undefined;
  /** Seconds; undefined lets the server choose. */
  timeoutSeconds: number | undefined;
  includeObject: IncludeObject;
}

export type Query = Readonly<Record<string, string | string[] | undefined>>;

/** The first value of a query parameter (repeated parameters: the first wins, as in Go's url.Values.Get). */
export function queryValue(query: Query, name: string): string | undefined {
  const value = query[name];
  return Array.isArray(value) ? value[0] : value;
}

function parseBoolean(query: Query, name: string): boolean | undefined {
  const value = queryValue(query, name);
  if (value === undefined || value === '') return undefined;
  if (['true', '1', 't', 'T', 'TRUE', 'True'].includes(value)) return true;
  if (['false', '0', 'f', 'F', 'FALSE', 'False'].includes(value)) return false;
  throw badRequest(`${name}: invalid value ${JSON.stringify(value)}: must be true or false`);
}

function parseCount(query: Query, name: string): number | undefined {
  const value = queryValue(query, name);
  if (value === undefined || value === '') return undefined;
  if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(Number(value)))
    throw badRequest(`${name}: invalid value ${JSON.stringify(value)}: must be an integer`);
  return Number(value);
}

/**
 * A resourceVersion as this server issues them: a non-negative integer, or empty. The clock's values are
 * safe integers; a larger one was never issued and never will be, so it is refused here rather than waited
 * for and answered 504 "Too large resource version" as a merely future one is.
 */
function parseResourceVersion(value: string | undefined, field = 'resourceVersion'): string {
  if (value === undefined || value === '') return '';
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value)))
    throw badRequest(`${field}: invalid value ${JSON.stringify(value)}: not a resource version`);
  return value;
}

function invalidListOptions(message: string): ApiError {
  return new ApiError(422, 'Invalid', `ListOptions.meta.k8s.io "" is invalid: ${message}`, {
    kind: 'ListOptions',
    group: 'meta.k8s.io',
    causes: [{ reason: 'FieldValueInvalid', message }],
  });
}

export function parseListOptions(query: Query): ListOptions {
  let labelSelector: Requirement[];
  try {
    labelSelector = parseSelector(queryValue(query, 'labelSelector') ?? '');
  } catch (error) {
    if (error instanceof SelectorSyntaxError) throw badRequest(error.message);
    throw error;
  }
  const match = queryValue(query, 'resourceVersionMatch') ?? '';
  if (match !== '' && match !== 'NotOlderThan' && match !== 'Exact')
    throw invalidListOptions(
      `resourceVersionMatch: Unsupported value: ${JSON.stringify(match)}: supported values: "Exact", "NotOlderThan"`,
    );
  const options: ListOptions = {
    labelSelector,
    fieldSelector: parseFieldSelector(queryValue(query, 'fieldSelector') ?? ''),
    limit: Math.max(0, parseCount(query, 'limit') ?? 0),
    continueToken: queryValue(query, 'continue') || undefined,
    resourceVersion: parseResourceVersion(queryValue(query, 'resourceVersion')),
    resourceVersionMatch: match,
    watch: parseBoolean(query, 'watch') ?? false,
    allowWatchBookmarks: parseBoolean(query, 'allowWatchBookmarks') ?? false,
    sendInitialEvents: parseBoolean(query, 'sendInitialEvents'),
    timeoutSeconds: parseCount(query, 'timeoutSeconds'),
    includeObject: parseIncludeObject(queryValue(query, 'includeObject')),
  };
  validate(options);
  return options;
}

/** `includeObject` of Table requests: what each row carries. */
export function parseIncludeObject(value: string | undefined): IncludeObject {
  if (value === undefined || value === '') return 'Metadata';
  if (value === 'None' || value === 'Metadata' || value === 'Object') return value;
  throw badRequest(
    `includeObject: unsupported value ${JSON.stringify(value)}: one of None, Metadata, Object`,
  );
}

/** The combinations kube-apiserver's ValidateListOptions refuses. */
function validate(options: ListOptions): void {
  // A watch-list (sendInitialEvents) names resourceVersionMatch without a resourceVersion on purpose.
  if (
    options.resourceVersionMatch !== '' &&
    options.resourceVersion === '' &&
    options.sendInitialEvents === undefined
  )
    throw invalidListOptions(
      'resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided',
    );
  if (options.continueToken && options.resourceVersion !== '' && options.resourceVersion !== '0')
    throw invalidListOptions(
      'resourceVersion: Forbidden: specifying resource version is not allowed when using continue',
    );
  if (options.resourceVersionMatch === 'Exact' && options.resourceVersion === '0')
    throw invalidListOptions(
      'resourceVersionMatch: Forbidden: resourceVersionMatch "exact" is forbidden for resourceVersion "0"',
    );
  if (options.timeoutSeconds !== undefined && options.timeoutSeconds < 0)
    throw invalidListOptions('timeoutSeconds: Invalid value: must be non-negative');
  if (options.sendInitialEvents !== undefined) {
    if (!options.watch)
      throw invalidListOptions('sendInitialEvents: Forbidden: sendInitialEvents is forbidden for list');
    if (options.sendInitialEvents && options.resourceVersionMatch !== 'NotOlderThan')
      throw invalidListOptions(
        'resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan',
      );
    if (options.sendInitialEvents && !options.allowWatchBookmarks)
      throw invalidListOptions(
        'allowWatchBookmarks: Forbidden: sendInitialEvents requires allowWatchBookmarks=true',
      );
  }
}
