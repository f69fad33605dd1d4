/**
 * Validation errors of one field, worded as Kubernetes words them (apimachinery's field.Error), so that a
 * message of this server reads exactly like kube-apiserver's: `spec.type: Required value`,
 * `values[0]: Invalid value: "1.5": for 'Gt', 'Lt' operators, the value must be an integer`,
 * `propagationPolicy: Unsupported value: "Bogus": supported values: "Foreground", …`.
 *
 * The type names are the `reason` of the StatusCause a 422 carries (FieldValueRequired, …).
 */

export type FieldErrorType =
  | 'FieldValueNotFound'
  | 'FieldValueRequired'
  | 'FieldValueDuplicate'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'InternalError'
  | 'FieldValueTypeInvalid';

const TYPE_WORDS: Readonly<Record<FieldErrorType, string>> = {
  FieldValueNotFound: 'Not found',
  FieldValueRequired: 'Required value',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueInvalid: 'Invalid value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueForbidden: 'Forbidden',
  FieldValueTooLong: 'Too long',
  FieldValueTooMany: 'Too many',
  InternalError: 'Internal error',
  FieldValueTypeInvalid: 'Invalid value',
};

/** The types whose words stand without the offending value. */
const WITHOUT_VALUE: ReadonlySet<FieldErrorType> = new Set([
  'FieldValueRequired',
  'FieldValueForbidden',
  'FieldValueTooLong',
  'InternalError',
]);

/** A value an error does not show (Go's field.OmitValueType): `Invalid value: <detail>`. */
export const OMITTED: unique symbol = Symbol('omitted value');

export interface FieldError {
  type: FieldErrorType;
  /** The field path (`spec.resource.kind`, `values[0][a]`); `<nil>` where Kubernetes has no path. */
  field: string;
  /** The offending value, shown by the types that show one. */
  value?: unknown;
  detail?: string;
}

/** Whether a code point is printable as Go's unicode.IsPrint sees it (letters, marks, numbers, punctuation, symbols, ' '). */
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;
const SHORT_ESCAPES: Readonly<Record<string, string>> = {
  '\x07': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
  '"': '\\"',
  '\\': '\\\\',
};

/** A string as Go's `%q` (strconv.Quote) writes it. */
export function goQuote(text: string): string {
  let quoted = '"';
  for (const char of text) {
    const escape = SHORT_ESCAPES[char];
    if (escape !== undefined) quoted += escape;
    else if (PRINTABLE.test(char)) quoted += char;
    else {
      const code = char.codePointAt(0)!;
      if (code < 0x80) quoted += `\\x${code.toString(16).padStart(2, '0')}`;
      else if (code < 0x10000) quoted += `\\u${code.toString(16).padStart(4, '0')}`;
      else quoted += `\\U${code.toString(16).padStart(8, '0')}`;
    }
  }
  return `${quoted}"`;
}

/** JSON as Go's encoding/json writes it: `<`, `>`, `&` and the line separators escaped; indented if asked. */
export function goJson(value: unknown, indent?: number): string {
  return (JSON.stringify(value, null, indent) ?? 'null').replace(
    /[<>&\u2028\u2029]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** A value as field.Error shows it: numbers and booleans plainly, strings quoted, anything else as JSON. */
function shownValue(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  if (typeof value === 'string') return goQuote(value);
  return goJson(value === undefined ? null : value);
}

/** The error without its field: what a StatusCause's `message` holds. */
export function errorBody(error: FieldError): string {
  const words = TYPE_WORDS[error.type];
  const body =
    WITHOUT_VALUE.has(error.type) || error.value === OMITTED ? words : `${words}: ${shownValue(error.value)}`;
  return error.detail ? `${body}: ${error.detail}` : body;
}

export function errorText(error: FieldError): string {
  return `${error.field}: ${errorBody(error)}`;
}

/**
 * Several errors as one message, as Kubernetes aggregates them: one error alone, several in brackets
 * separated by commas, each distinct message once.
 */
export function aggregateText(messages: readonly string[]): string {
  const distinct = [...new Set(messages)];
  return distinct.length === 1 ? distinct[0]! : `[${distinct.join(', ')}]`;
}

export function aggregateErrors(errors: readonly FieldError[]): string {
  return aggregateText(errors.map(errorText));
}

export const required = (field: string, detail = ''): FieldError => ({
  type: 'FieldValueRequired',
  field,
  detail,
});

export const invalid = (field: string, value: unknown, detail = ''): FieldError => ({
  type: 'FieldValueInvalid',
  field,
  value,
  detail,
});

export const typeInvalid = (field: string, value: unknown, detail = ''): FieldError => ({
  type: 'FieldValueTypeInvalid',
  field,
  value,
  detail,
});

export const forbidden = (field: string, detail: string): FieldError => ({
  type: 'FieldValueForbidden',
  field,
  detail,
});

export const notFound = (field: string, value: unknown): FieldError => ({
  type: 'FieldValueNotFound',
  field,
  value,
});

export const tooLong = (field: string, maxBytes: number): FieldError => ({
  type: 'FieldValueTooLong',
  field,
  detail: `may not be more than ${maxBytes} ${maxBytes === 1 ? 'byte' : 'bytes'}`,
});

/** A value not among `supported`, which are listed quoted (Go's `%q` of each). */
export const notSupported = (field: string, value: unknown, supported: readonly string[]): FieldError => ({
  type: 'FieldValueNotSupported',
  field,
  value,
  detail: supported.length > 0 ? `supported values: ${supported.map(goQuote).join(', ')}` : '',
});
