/**
 * The query parameters of list and watch requests (metav1.ListOptions), decoded, defaulted and validated
 * in the steps and the words of k8s.io/apiserver:
 *
 *   1. conversion of the query: the first value of each parameter; booleans are false only for `0` and
 *      any casing of `false` (so `watch=maybe` watches), integers are Go's ParseInt (its error text is
 *      the 400's message), timeoutSeconds before limit;
 *   2. the label selector, then the field selector (400 with the parser's message);
 *   3. defaults: a watch without resourceVersion (or "0") and without sendInitialEvents or
 *      resourceVersionMatch is a watch-list (sendInitialEvents, NotOlderThan), as with the WatchList
 *      feature on;
 *   4. ValidateListOptions: combinations the API forbids are a 422 on `ListOptions.meta.k8s.io`.
 */
import type { Requirement } from '../../pkg/labels/requirement.ts';
import { parseSelector, SelectorSyntaxError } from '../../pkg/labels/selector-string.ts';
import { forbidden, notSupported, type FieldError } from '../../pkg/validation/field-errors.ts';
import { parseInt64 } from '../../pkg/validation/go-strconv.ts';
import { badRequest, invalidOptions } from '../../server/api-error.ts';
import { parseFieldSelector, type FieldRequirement } from './field-selector.ts';

export interface ListOptions {
  labelSelector: Requirement[];
  fieldSelector: FieldRequirement[];
  /** 0 or less: no limit. */
  limit: number;
  continueToken: string | undefined;
  /** As sent: '' (most recent), '0' (any) or a resourceVersion, parsed by what reads it. */
  resourceVersion: string;
  resourceVersionMatch: '' | 'NotOlderThan' | 'Exact';
  watch: boolean;
  allowWatchBookmarks: boolean;
  /** After defaulting (see above); undefined when neither sent nor defaulted. */
  sendInitialEvents: boolean | undefined;
  /** Seconds; undefined lets the server choose. */
  timeoutSeconds: number | undefined;
}

export type Query = Readonly<Record<string, string | string[] | undefined>>;

/** The first value of a query parameter (repeated parameters: the first wins, as in Go's url.Values.Get). */
export function queryValue(query: Query, name: string): string | undefined {
  const value = query[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Go's conversion of a query parameter to a boolean: false only for `0` and `false` in any casing. */
export function queryBoolean(value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  return !(value === '0' || value.toLowerCase() === 'false');
}

function queryInteger(query: Query, name: string): number | undefined {
  const value = queryValue(query, name);
  if (value === undefined) return undefined;
  const parsed = parseInt64(value);
  if (!parsed.ok) throw badRequest(parsed.error);
  return Number(parsed.value);
}

function selectors(query: Query): Pick<ListOptions, 'labelSelector' | 'fieldSelector'> {
  let labelSelector: Requirement[];
  try {
    labelSelector = parseSelector(queryValue(query, 'labelSelector') ?? '');
  } catch (error) {
    if (error instanceof SelectorSyntaxError) throw badRequest(error.message);
    throw error;
  }
  return { labelSelector, fieldSelector: parseFieldSelector(queryValue(query, 'fieldSelector') ?? '') };
}

export function parseListOptions(query: Query): ListOptions {
  const timeoutSeconds = queryInteger(query, 'timeoutSeconds');
  const limit = queryInteger(query, 'limit') ?? 0;
  const options: ListOptions = {
    ...selectors(query),
    limit,
    continueToken: queryValue(query, 'continue') || undefined,
    resourceVersion: queryValue(query, 'resourceVersion') ?? '',
    resourceVersionMatch: (queryValue(query, 'resourceVersionMatch') ??
      '') as ListOptions['resourceVersionMatch'],
    watch: queryBoolean(queryValue(query, 'watch')) ?? false,
    allowWatchBookmarks: queryBoolean(queryValue(query, 'allowWatchBookmarks')) ?? false,
    sendInitialEvents: queryBoolean(queryValue(query, 'sendInitialEvents')),
    timeoutSeconds,
  };
  setDefaults(options);
  const errors = options.watch ? watchErrors(options) : listErrors(options);
  if (errors.length > 0) throw invalidOptions('ListOptions', errors);
  return options;
}

/** A watch from "now" (no resourceVersion, or "0") is a watch-list: initial events, then changes. */
function setDefaults(options: ListOptions): void {
  if (options.sendInitialEvents !== undefined || options.resourceVersionMatch !== '') return;
  if (options.watch && (options.resourceVersion === '' || options.resourceVersion === '0')) {
    options.sendInitialEvents = true;
    options.resourceVersionMatch = 'NotOlderThan';
  }
}

/** What ValidateListOptions refuses in a list. */
function listErrors(options: ListOptions): FieldError[] {
  const errors: FieldError[] = [];
  const match = options.resourceVersionMatch;
  if (match !== '') {
    if (options.resourceVersion === '')
      errors.push(
        forbidden(
          'resourceVersionMatch',
          'resourceVersionMatch is forbidden unless resourceVersion is provided',
        ),
      );
    if (options.continueToken)
      errors.push(
        forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden when continue is provided'),
      );
    if (match !== 'Exact' && match !== 'NotOlderThan')
      errors.push(notSupported('resourceVersionMatch', match, ['Exact', 'NotOlderThan', '']));
    if (match === 'Exact' && options.resourceVersion === '0')
      errors.push(
        forbidden(
          'resourceVersionMatch',
          'resourceVersionMatch "exact" is forbidden for resourceVersion "0"',
        ),
      );
  }
  if (options.sendInitialEvents !== undefined)
    errors.push(forbidden('sendInitialEvents', 'sendInitialEvents is forbidden for list'));
  return errors;
}

/** What ValidateListOptions refuses in a watch. */
function watchErrors(options: ListOptions): FieldError[] {
  const errors: FieldError[] = [];
  const match = options.resourceVersionMatch;
  if (options.sendInitialEvents !== undefined && match !== 'NotOlderThan')
    errors.push(
      forbidden(
        'resourceVersionMatch',
        'sendInitialEvents requires setting resourceVersionMatch to NotOlderThan',
      ),
    );
  if (match !== '') {
    if (options.sendInitialEvents === undefined)
      errors.push(
        forbidden(
          'resourceVersionMatch',
          'resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided',
        ),
      );
    if (match !== 'NotOlderThan') errors.push(notSupported('resourceVersionMatch', match, ['NotOlderThan']));
    if (options.continueToken)
      errors.push(
        forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden when continue is provided'),
      );
  }
  return errors;
}

/** `includeObject` of Table requests, as sent; the Table encoder refuses a value it does not know. */
export function parseIncludeObject(value: string | undefined): string {
  return value ?? '';
}
