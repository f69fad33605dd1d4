/**
 * A `resourceVersion` parameter as kube-apiserver's storage reads it: a uint64 (Go's ParseUint), empty for
 * none. A malformed one is a list's 400 (`invalid resource version: …`); get and watch pass storage's
 * InvalidError on as it is, a 500 without a reason, which is what kube-apiserver answers there.
 */
import { errorText, invalid } from '../../pkg/validation/field-errors.ts';
import { parseUint64 } from '../../pkg/validation/go-strconv.ts';
import { ApiError, badRequest } from '../../server/api-error.ts';

function parsed(value: string, invalidError: (message: string) => ApiError): bigint | undefined {
  if (value === '') return undefined;
  const result = parseUint64(value);
  if (!result.ok) throw invalidError(errorText(invalid('resourceVersion', value, result.error)));
  return result.value;
}

/** The resourceVersion of a get or a watch. */
export function resourceVersionOf(value: string): bigint | undefined {
  return parsed(value, (message) => new ApiError(500, undefined, message));
}

/** The resourceVersion of a list. */
export function listResourceVersionOf(value: string): bigint | undefined {
  return parsed(value, (message) => badRequest(`invalid resource version: ${message}`));
}
